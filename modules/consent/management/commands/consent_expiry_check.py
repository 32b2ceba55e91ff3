"""Record expired consents in each child's chronology and tell those affected (run daily: beat sends
``tenants.tasks.handle_expired_consents_everywhere``; this is the same by hand). Access already ended when the
consent ran out: the access selector compares dates itself."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_tenants.utils import tenant_context

from modules.consent.tasks import handle_expired_consents
from tenants.selectors import tenants_ready


class Command(BaseCommand):
    help = "Handle consents that ran out, in every ready tenant (or --schema NAME)."

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
                # A savepoint when called inside a transaction: a failing tenant must not abort the others'.
                with transaction.atomic(), tenant_context(tenant):
                    handled = handle_expired_consents()
            except Exception as error:  # noqa: BLE001 - one tenant's failure is reported, the others go on
                failed.append(tenant.schema_name)
                # The first line only: a database error's detail lines can quote the row's values.
                self.stderr.write(f"{tenant.schema_name}: FAILED {type(error).__name__}: {_first_line(error)}")
                continue
            self.stdout.write(f"{tenant.schema_name}: {handled} expired consents handled")
        if failed:
            raise CommandError(f"Expired consents not handled in: {', '.join(failed)}; the other tenants are done.")


def _first_line(error: Exception) -> str:
    return (str(error).splitlines() or [""])[0][:300]
