"""django-tenants' ``migrate_schemas`` (what ``make run`` calls), limited to the tenants ready for migrations.

django-tenants migrates every row of the tenant table. A tenant whose provisioning failed before its schema
was made, or an archived one (its schema dropped), then stops the command with "no schema has been selected
to create in", and ``make run`` never starts again. The setting ``GET_EXECUTOR_FUNCTION`` points here: the
executor django-tenants would have chosen, told to skip every tenant schema ``tenants_ready`` leaves out.
"""

import sys
from functools import cache

from django_tenants.migration_executors import get_executor
from django_tenants.utils import get_public_schema_name


@cache
def migration_executor(codename: str | None = None):
    base = get_executor(codename=codename)

    class ReadyTenantsExecutor(base):
        def run_migrations(self, tenants=None):
            from tenants.selectors import tenants_ready

            tenants = list(tenants or [])
            public = get_public_schema_name()
            if tenants == [public]:
                # Public is migrated first, on a new database before the tenant table exists.
                return super().run_migrations(tenants=tenants)
            ready = set(tenants_ready(for_migrations=True).values_list("schema_name", flat=True))
            kept = [schema for schema in tenants if schema == public or schema in ready]
            skipped = [schema for schema in tenants if schema not in kept]
            if skipped and int(self.options.get("verbosity", 1)) >= 1:
                sys.stdout.write(
                    f"Skipped {len(skipped)} tenant(s) without a ready schema (not provisioned, archived): "
                    f"{', '.join(skipped)}\n"
                )
            return super().run_migrations(tenants=kept)

    # Not a subclass django-tenants' own get_executor() would find: it looks at direct subclasses only.
    ReadyTenantsExecutor.__name__ = f"ReadyTenants{base.__name__}"
    return ReadyTenantsExecutor
