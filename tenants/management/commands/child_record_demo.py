"""Demo or load-test data in one tenant: a staff member who is Barnkontakt for N children, and an API token.

python manage.py child_record_demo --schema t_ystad --children 200 [--email E] [--password P]
"""

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import get_public_schema_name, tenant_context

from modules.accounts.services import api_token_create
from modules.children.demo import child_record_demo_seed
from modules.children.models import Child
from tenants.models import Tenant


class Command(BaseCommand):
    help = "Create a staff member who is Barnkontakt for N demo children in one tenant, and print an API token."

    def add_arguments(self, parser):
        parser.add_argument("--schema", required=True)
        parser.add_argument("--children", type=int, default=50)
        parser.add_argument("--email", default="barnkontakt@demo.example.se")
        parser.add_argument("--password", default=None)

    def handle(self, *args, schema, children, email, password, **options):
        tenant = Tenant.objects.filter(schema_name=schema).exclude(schema_name=get_public_schema_name()).first()
        if tenant is None:
            raise CommandError(f"No tenant with schema {schema!r}.")
        with tenant_context(tenant):
            user, new_password = child_record_demo_seed(email=email, children=children, password=password)
            token = api_token_create(user=user).key
            first = Child.objects.filter(contacts__user=user).order_by("pk").values_list("pk", flat=True).first()
        self.stdout.write(f"site: {tenant.primary_domain}")
        self.stdout.write(f"user: {email}" + (f"  password: {new_password}" if new_password else ""))
        self.stdout.write(f"token: {token}")
        self.stdout.write("list:   GET /api/children/            (Authorization: Token <token>)")
        self.stdout.write(f"detail: GET /api/children/{first}/")
