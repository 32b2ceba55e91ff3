"""Grant the runtime role (DATABASE_RUNTIME_ROLE) what the web and worker processes need, as the owner role."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from tenants.database_roles import RuntimeRoleError, runtime_role_create, runtime_role_grant


class Command(BaseCommand):
    help = "Grant the runtime role data access in every schema (--create: make the login first)."

    def add_arguments(self, parser):
        parser.add_argument("--create", action="store_true", help="create the role if missing (needs CREATEROLE)")

    def handle(self, *args, create=False, **options):
        role = settings.DATABASE_RUNTIME_ROLE
        try:
            with transaction.atomic():
                # The password comes from the environment, never the command line (it would show in ps).
                if create and runtime_role_create(role=role, password=os.environ.get("DATABASE_RUNTIME_PASSWORD", "")):
                    self.stdout.write(f"created role {role}")
                schemas = runtime_role_grant(role=role)
        except RuntimeRoleError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"granted {role} data access in {len(schemas)} schemas")
