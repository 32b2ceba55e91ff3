"""Record expired consents in each child's chronology and tell those affected (run daily, e.g. from cron or
beat). Access already ended when the consent ran out: the access selector compares dates itself."""

from django.core.management.base import BaseCommand
from django_tenants.utils import get_public_schema_name, tenant_context

from modules.consent.tasks import handle_expired_consents
from tenants.models import Tenant


class Command(BaseCommand):
    help = "Handle consents that ran out, in every tenant (or --schema NAME)."

    def add_arguments(self, parser):
        parser.add_argument("--schema")

    def handle(self, *args, schema=None, **options):
        tenants = Tenant.objects.exclude(schema_name=get_public_schema_name()).order_by("schema_name")
        if schema:
            tenants = tenants.filter(schema_name=schema)
        for tenant in tenants:
            with tenant_context(tenant):
                handled = handle_expired_consents()
            self.stdout.write(f"{tenant.schema_name}: {handled} expired consents handled")
