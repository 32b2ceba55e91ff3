"""Take today's statistics snapshot in every tenant in service now and publish it (beat does it nightly:
tenants.statistics.tasks). With --demo, first seed demo cases in the demo tenants (make run does)."""

from django.core.management.base import BaseCommand
from django.utils import timezone
from django_tenants.utils import tenant_context

from modules.model_config.selectors import installed_release_current
from modules.statistics.demo import statistics_demo_seed
from tenants.demo import DEMO_TENANTS
from tenants.models import Tenant
from tenants.releases.selectors import release_latest
from tenants.releases.services import release_install
from tenants.selectors import tenants_ready
from tenants.statistics.services import statistics_publish, statistics_snapshot_take


class Command(BaseCommand):
    help = "Take today's statistics snapshot in every tenant in service and publish it; --demo seeds demo cases first."

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", help="seed demo cases in the demo tenants first")

    def handle(self, *args, demo=False, **options):
        if demo:
            release = release_latest()
            for entry in DEMO_TENANTS:
                tenant = Tenant.objects.filter(organisation_number=entry.organisation_number).first()
                if tenant is None:
                    continue
                with tenant_context(tenant):
                    missing = installed_release_current() is None
                if missing and release is not None:
                    release_install(tenant=tenant, release=release)
                with tenant_context(tenant):
                    made = statistics_demo_seed(schema_hint=entry.subdomain)
                self.stdout.write(f"{tenant.name}: {made} demo cases")
        cells = 0
        tenants = list(tenants_ready(in_service=True))
        for tenant in tenants:
            with tenant_context(tenant):
                cells += statistics_snapshot_take()
        publication = statistics_publish(snapshot_on=timezone.localdate())
        cubes = publication.cubes.count() if publication else 0
        self.stdout.write(f"snapshot: {len(tenants)} tenants, {cells} cells; published {cubes} tables")
