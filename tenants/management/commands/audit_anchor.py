"""Anchor every ready tenant's audit chain head now (beat does it hourly: tenants.tasks.audit_anchor_everywhere)."""

from modules.audit.services import audit_anchor_record
from tenants.per_tenant import PerTenantCommand


class Command(PerTenantCommand):
    help = "Anchor the audit chain head of every ready tenant (or --schema NAME) in public."

    def tenant_handle(self, tenant) -> str:
        anchor = audit_anchor_record()
        return (
            f"anchor {anchor['id']}: entry {anchor['last_id']}, {anchor['entries']} entries, head {anchor['head_hash']}"
        )
