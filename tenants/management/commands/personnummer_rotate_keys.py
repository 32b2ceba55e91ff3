"""Re-encrypt every stored personnummer under the first key in PERSONNUMMER_ENCRYPTION_KEYS.

Rotation: put the new key first (keep the old ones after it), deploy, run this command, then remove the old
keys. The lookup HMAC is unaffected. Paused tenants are included (their numbers must stay readable when they
come back); do not remove an old key while the command reports a failed tenant.
"""

from modules.children.services import personnummer_rotate_keys
from tenants.per_tenant import PerTenantCommand


class Command(PerTenantCommand):
    help = "Re-encrypt personnummer in every ready tenant (or --schema NAME) under the newest key."
    failed_message = "Not re-encrypted in: {schemas}; keep the old keys until these succeed."

    def tenant_handle(self, tenant) -> str:
        return f"{personnummer_rotate_keys()} re-encrypted"
