"""Record expired consents in each child's chronology and tell those affected (run daily: beat sends
``tenants.tasks.handle_expired_consents_everywhere``; this is the same by hand). Access already ended when the
consent ran out: the access selector compares dates itself."""

from modules.consent.tasks import handle_expired_consents
from tenants.per_tenant import PerTenantCommand


class Command(PerTenantCommand):
    help = "Handle consents that ran out, in every ready tenant (or --schema NAME)."
    failed_message = "Expired consents not handled in: {schemas}; the other tenants are done."

    def tenant_handle(self, tenant) -> str:
        return f"{handle_expired_consents()} expired consents handled"
