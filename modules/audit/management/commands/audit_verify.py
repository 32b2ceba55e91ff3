"""Check every tenant's audit log chain (or one schema's) and fail if an entry was altered or removed."""

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import get_public_schema_name, tenant_context

from modules.audit.selectors import audit_chain_verify
from tenants.models import Tenant


class Command(BaseCommand):
    help = "Verify the audit log hash chain of every tenant (or --schema NAME)."

    def add_arguments(self, parser):
        parser.add_argument("--schema", help="only this tenant schema")

    def handle(self, *args, schema=None, **options):
        tenants = Tenant.objects.exclude(schema_name=get_public_schema_name()).order_by("schema_name")
        if schema:
            tenants = tenants.filter(schema_name=schema)
            if not tenants.exists():
                raise CommandError(f"No tenant with schema {schema!r}.")
        broken = []
        for tenant in tenants:
            with tenant_context(tenant):
                check = audit_chain_verify()
            if check.intact:
                self.stdout.write(f"{tenant.schema_name}: intact, {check.entries} entries, head {check.head_hash}")
            else:
                broken.append(tenant.schema_name)
                self.stdout.write(
                    f"{tenant.schema_name}: BROKEN at entry {check.broken_at} ({check.reason}); "
                    f"{check.entries} entries before it are intact"
                )
        if broken:
            raise CommandError(f"Audit log tampered with in: {', '.join(broken)}")
