"""Per-tenant management commands: the one loop over the tenants with a ready schema (or one of them).

Each tenant runs in its own savepoint, so one tenant's failure is reported and the others go on; the command
then exits non-zero. The work done inside a tenant belongs to the module that owns the data: a command here
names it and says what to report.
"""

from contextlib import nullcontext

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django_tenants.utils import tenant_context

from tenants.selectors import tenants_ready


class PerTenantCommand(BaseCommand):
    """Subclasses implement ``tenant_handle(tenant) -> str`` (the line printed for the tenant) and may add
    problems found in a tenant with ``self.problem(text)``; ``failed_message`` ends the run when a tenant failed."""

    failed_message = "Failed in: {schemas}"
    # Each tenant in a transaction (a savepoint inside one), so a failing tenant leaves nothing half-done. A
    # command that only reads, or whose writes are each atomic, may run outside one (audit_verify: its worker
    # processes see only what is committed, and a verification of millions should hold no snapshot for minutes).
    atomic = True

    def add_arguments(self, parser):
        parser.add_argument("--schema", help="only this tenant schema")

    def tenant_handle(self, tenant) -> str:  # pragma: no cover - every command defines it
        raise NotImplementedError

    def problem(self, text: str) -> None:
        self._problems.append(text)

    def handle(self, *args, schema=None, **options):
        self._problems: list[str] = []
        tenants = tenants_ready()
        if schema:
            tenants = tenants.filter(schema_name=schema)
            if not tenants.exists():
                raise CommandError(f"No ready tenant with schema {schema!r} (unknown, not provisioned or archived).")
        failed = []
        for tenant in tenants:
            try:
                # A savepoint when called inside a transaction: a failing tenant must not abort the others'.
                in_transaction = self.atomic or connection.in_atomic_block
                with transaction.atomic() if in_transaction else nullcontext(), tenant_context(tenant):
                    line = self.tenant_handle(tenant)
            except Exception as error:  # noqa: BLE001 - one tenant's failure is reported, the others go on
                failed.append(tenant.schema_name)
                # The first line only: a database error's detail lines can quote the row's values.
                self.stderr.write(f"{tenant.schema_name}: FAILED {type(error).__name__}: {_first_line(error)}")
                continue
            self.stdout.write(f"{tenant.schema_name}: {line}")
        problems = list(self._problems)
        if failed:
            problems.append(self.failed_message.format(schemas=", ".join(failed)))
        if problems:
            raise CommandError("; ".join(problems))


def _first_line(error: Exception) -> str:
    return (str(error).splitlines() or [""])[0][:300]
