from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import tenant_context

from modules.accounts.models import User
from modules.accounts.services import password_generate, user_create
from tenants.models import County, Tenant
from tenants.services import tenant_create


class Command(BaseCommand):
    help = (
        "Create a municipality or region with its schema and domain <subdomain>.<CENTRAL_DOMAIN>, and "
        "optionally its first local admin (password printed once)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help='e.g. "Ystads kommun"')
        parser.add_argument("--kind", required=True, choices=[Tenant.Kind.MUNICIPALITY, Tenant.Kind.REGION])
        parser.add_argument("--organisation-number", required=True, help="organisationsnummer, e.g. 212000-1173")
        parser.add_argument("--county", required=True, choices=County.values, help="län code, e.g. M for Skåne")
        parser.add_argument("--subdomain", required=True, help="e.g. ystad → ystad.<CENTRAL_DOMAIN>")
        parser.add_argument("--status", default=Tenant.Status.ONBOARDING, choices=Tenant.Status.values)
        parser.add_argument("--admin-email", help="E-mail of the first local admin.")
        parser.add_argument("--admin-name", default="Lokal administratör")

    def handle(self, *args, **options):
        try:
            tenant = tenant_create(
                name=options["name"],
                kind=options["kind"],
                organisation_number=options["organisation_number"],
                county=options["county"],
                subdomain=options["subdomain"],
                status=options["status"],
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(f"Created {tenant.name} (schema {tenant.schema_name}) at {tenant.primary_domain}")
        if options["admin_email"]:
            password = password_generate()
            with tenant_context(tenant):
                user_create(
                    email=options["admin_email"],
                    full_name=options["admin_name"],
                    role=User.Role.LOCAL_ADMIN,
                    password=password,
                )
            self.stdout.write(self.style.SUCCESS(f"Local admin: {options['admin_email']} / {password}"))
