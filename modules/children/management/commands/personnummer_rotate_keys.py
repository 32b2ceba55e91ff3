"""Re-encrypt every stored personnummer under the first key in PERSONNUMMER_ENCRYPTION_KEYS.

Rotation: put the new key first (keep the old ones after it), deploy, run this command, then remove the old
keys. The lookup HMAC is unaffected.
"""

from django.core.management.base import BaseCommand
from django_tenants.utils import get_public_schema_name, tenant_context

from modules.children.services import personnummer_rotate_keys
from tenants.models import Tenant


class Command(BaseCommand):
    help = "Re-encrypt personnummer in every tenant (or --schema NAME) under the newest key."

    def add_arguments(self, parser):
        parser.add_argument("--schema")

    def handle(self, *args, schema=None, **options):
        tenants = Tenant.objects.exclude(schema_name=get_public_schema_name()).order_by("schema_name")
        if schema:
            tenants = tenants.filter(schema_name=schema)
        for tenant in tenants:
            with tenant_context(tenant):
                changed = personnummer_rotate_keys()
            self.stdout.write(f"{tenant.schema_name}: {changed} re-encrypted")
