from django.core.management.base import BaseCommand

from modules.accounts.models import User
from modules.accounts.services import password_generate, user_create
from tenants.services import central_tenant_bootstrap


class Command(BaseCommand):
    help = (
        "Create the central tenant (schema public) with its domain and, if given, a first national "
        "coordinator. Safe to run again: existing rows are kept. The password is printed once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--domain", help="The central site's host name (default: CENTRAL_DOMAIN).")
        parser.add_argument("--coordinator-email", help="E-mail of the first national coordinator.")
        parser.add_argument("--coordinator-name", default="Nationell samordnare")

    def handle(self, *args, domain=None, coordinator_email=None, coordinator_name=None, **options):
        tenant = central_tenant_bootstrap(domain=domain)
        self.stdout.write(f"Central tenant: {tenant.name} at {tenant.primary_domain}")
        if coordinator_email:
            if User.objects.filter(email=coordinator_email.lower()).exists():
                self.stdout.write(f"National coordinator {coordinator_email} already exists; password unchanged.")
                return
            password = password_generate()
            user_create(
                email=coordinator_email,
                full_name=coordinator_name,
                role=User.Role.NATIONAL_COORDINATOR,
                password=password,
            )
            self.stdout.write(self.style.SUCCESS(f"National coordinator: {coordinator_email} / {password}"))
