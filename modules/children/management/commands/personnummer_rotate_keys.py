"""Re-encrypt every stored personnummer under the first key in PERSONNUMMER_ENCRYPTION_KEYS.

Rotation: put the new key first (keep the old ones after it), deploy, run this command, then remove the old
keys. The lookup HMAC is unaffected. Paused tenants are included (their numbers must stay readable when they
come back); do not remove an old key while the command reports a failed tenant.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_tenants.utils import tenant_context

from modules.children.services import personnummer_rotate_keys
from tenants.selectors import tenants_ready


class Command(BaseCommand):
    help = "Re-encrypt personnummer in every ready tenant (or --schema NAME) under the newest key."

    def add_arguments(self, parser):
        parser.add_argument("--schema", help="only this tenant schema")

    def handle(self, *args, schema=None, **options):
        tenants = tenants_ready()
        if schema:
            tenants = tenants.filter(schema_name=schema)
            if not tenants.exists():
                raise CommandError(f"No ready tenant with schema {schema!r} (unknown, not provisioned or archived).")
        failed = []
        for tenant in tenants:
            try:
                # One tenant all or nothing; a savepoint inside a caller's transaction, so the others go on.
                with transaction.atomic(), tenant_context(tenant):
                    changed = personnummer_rotate_keys()
            except Exception as error:  # noqa: BLE001 - one tenant's failure is reported, the others go on
                failed.append(tenant.schema_name)
                # The first line only: a database error's detail lines can quote the row's values.
                self.stderr.write(f"{tenant.schema_name}: FAILED {type(error).__name__}: {_first_line(error)}")
                continue
            self.stdout.write(f"{tenant.schema_name}: {changed} re-encrypted")
        if failed:
            raise CommandError(f"Not re-encrypted in: {', '.join(failed)}; keep the old keys until these succeed.")


def _first_line(error: Exception) -> str:
    return (str(error).splitlines() or [""])[0][:300]
