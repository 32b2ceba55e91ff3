"""Check every ready tenant's audit log chain (or one schema's) and fail if an entry was altered or removed."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_tenants.utils import tenant_context

from modules.audit.selectors import audit_chain_verify
from tenants.selectors import tenants_ready


class Command(BaseCommand):
    help = "Verify the audit log hash chain of every ready tenant (or --schema NAME)."

    def add_arguments(self, parser):
        parser.add_argument("--schema", help="only this tenant schema")

    def handle(self, *args, schema=None, **options):
        tenants = tenants_ready()
        if schema:
            tenants = tenants.filter(schema_name=schema)
            if not tenants.exists():
                raise CommandError(f"No ready tenant with schema {schema!r} (unknown, not provisioned or archived).")
        broken, failed = [], []
        for tenant in tenants:
            try:
                # A savepoint when called inside a transaction: a failing tenant must not abort the others'.
                with transaction.atomic(), tenant_context(tenant):
                    check = audit_chain_verify()
            except Exception as error:  # noqa: BLE001 - one tenant's failure is reported, the others go on
                failed.append(tenant.schema_name)
                # The first line only: a database error's detail lines can quote the row's values.
                self.stderr.write(f"{tenant.schema_name}: FAILED {type(error).__name__}: {_first_line(error)}")
                continue
            if check.intact:
                self.stdout.write(f"{tenant.schema_name}: intact, {check.entries} entries, head {check.head_hash}")
            else:
                broken.append(tenant.schema_name)
                self.stdout.write(
                    f"{tenant.schema_name}: BROKEN at entry {check.broken_at} ({check.reason}); "
                    f"{check.entries} entries before it are intact"
                )
        problems = []
        if broken:
            problems.append(f"Audit log tampered with in: {', '.join(broken)}")
        if failed:
            problems.append(f"Could not be verified in: {', '.join(failed)}")
        if problems:
            raise CommandError("; ".join(problems))


def _first_line(error: Exception) -> str:
    return (str(error).splitlines() or [""])[0][:300]
