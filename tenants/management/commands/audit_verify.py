"""Check every ready tenant's audit log chain (or one schema's) and fail if an entry was altered or removed."""

from modules.audit.selectors import audit_chain_verify
from tenants.per_tenant import PerTenantCommand


class Command(PerTenantCommand):
    help = "Verify the audit log hash chain of every ready tenant (or --schema NAME)."
    failed_message = "Could not be verified in: {schemas}"

    def tenant_handle(self, tenant) -> str:
        check = audit_chain_verify()
        if check.intact:
            return f"intact, {check.entries} entries, head {check.head_hash}"
        self.problem(f"Audit log tampered with in: {tenant.schema_name}")
        return f"BROKEN at entry {check.broken_at} ({check.reason}); {check.entries} entries before it are intact"
