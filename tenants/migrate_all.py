"""Migrations at national scale: decide in one query which schemas are behind, plan once, apply the same SQL.

Django's executor costs ~0.2 s per schema even with nothing to apply (it loads the graph, renders the
project state and introspects the schema), so ``migrate_schemas`` at 311 tenants takes a minute doing
nothing. Here:

1. one ``UNION ALL`` over every schema's ``django_migrations`` tells which schemas lack which migrations;
2. schemas lacking the same set form a group; the group's SQL is collected once with Django's own schema
   editor (``collect_sql``: exactly what ``sqlmigrate`` prints) and replayed in each schema of the group,
   one transaction per schema, with its migration records and, for new models, the content types and
   permissions ``post_migrate`` would have added;
3. a group whose migrations run Python (``RunPython``) falls back to Django's executor, schema by schema.

One failing schema is rolled back and reported; the others go on. The public schema is migrated first
with Django's own executor, and the schema template provisioning replays is rebuilt when stale.
Migrations stay ordinary Django migrations.
"""

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth.management import _get_all_permissions
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import CreateModel, RunPython, SeparateDatabaseAndState
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, get_tenant_base_migrate_command_class

from backa_platform.core.db import search_path_forget
from tenants.provisioning.models import SchemaTemplate
from tenants.provisioning.schema import (
    quote_identifier,
    schema_migrate,
    spare_schemas,
    spare_schemas_refill,
    template_current,
    tenant_app_labels,
    tenant_migration_key,
)
from tenants.selectors import tenants_ready


@dataclass
class MigrateAllReport:
    total: int = 0
    skipped: list[str] = field(default_factory=list)
    migrated: dict[str, int] = field(default_factory=dict)
    by_sql: int = 0
    by_executor: int = 0
    failed: dict[str, str] = field(default_factory=dict)
    public_migrated: int = 0
    template: str = ""
    spares_built: int = 0
    seconds: float = 0.0


def tenant_schemas() -> list[str]:
    """The schema of every tenant ready for migrations (``tenants_ready``), in a stable order."""
    return list(tenants_ready(for_migrations=True).values_list("schema_name", flat=True))


def applied_migrations(schemas: list[str]) -> dict[str, set[tuple[str, str]]]:
    """What every schema has recorded, in one query (about 10 ms at 311 tenants)."""
    applied: dict[str, set[tuple[str, str]]] = {schema: set() for schema in schemas}
    if not schemas:
        return applied
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_schema FROM information_schema.tables WHERE table_name = 'django_migrations' "
            "AND table_schema = ANY(%s)",
            [schemas],
        )
        with_table = [row[0] for row in cursor.fetchall()]
        if not with_table:
            return applied
        union = " UNION ALL ".join(
            f"SELECT {index}, app, name FROM {quote_identifier(schema)}.django_migrations"  # noqa: S608
            for index, schema in enumerate(with_table)
        )
        cursor.execute(union)
        for index, app, name in cursor.fetchall():
            applied[with_table[index]].add((app, name))
    return applied


def _operations(operations):
    for operation in operations:
        yield operation
        if isinstance(operation, SeparateDatabaseAndState):
            yield from _operations(operation.database_operations)


def _runs_python(migration) -> bool:
    return any(isinstance(operation, RunPython) for operation in _operations(migration.operations))


def _creates_tenant_models(migration) -> bool:
    return migration.app_label in tenant_app_labels() and any(
        isinstance(operation, CreateModel) for operation in _operations(migration.operations)
    )


def _content_type_sql(app_labels: set[str]) -> list[tuple[str, list]]:
    """What post_migrate adds for new models (content types and default permissions), idempotently."""
    statements = []
    for label in sorted(app_labels):
        config = apps.get_app_config(label)
        for model in config.get_models():
            opts = model._meta
            statements.append(
                (
                    "INSERT INTO django_content_type (app_label, model) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                    [opts.app_label, opts.model_name],
                )
            )
            for codename, name in _get_all_permissions(opts):
                statements.append(
                    (
                        "INSERT INTO auth_permission (name, content_type_id, codename) "
                        "SELECT %s, id, %s FROM django_content_type WHERE app_label = %s AND model = %s "
                        "ON CONFLICT DO NOTHING",
                        [name, codename, opts.app_label, opts.model_name],
                    )
                )
    return statements


def _collect_sql(schema: str, plan) -> list[str]:
    """The SQL of ``plan`` as Django would run it in ``schema`` (the router decides per schema)."""
    previous = connection.tenant
    try:
        connection.set_schema(schema)
        return MigrationLoader(connection).collect_sql(plan)
    finally:
        connection.set_tenant(previous)


def _apply_sql(schema: str, statements: list[str], extra: list[tuple[str, list]], records: list[tuple[str, str]]):
    quoted = quote_identifier(schema)
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL search_path TO {quoted}, public")
        if statements:
            cursor.execute("\n".join(statements))
        for sql, params in extra:
            cursor.execute(sql, params)
        cursor.executemany(
            f"INSERT INTO {quoted}.django_migrations (app, name, applied) VALUES (%s, %s, %s)",  # noqa: S608
            [(app, name, now) for app, name in records],
        )
    search_path_forget()


def _migrate_public(report: MigrateAllReport, say: Callable[[str], None]) -> None:
    public = get_public_schema_name()
    loader = MigrationLoader(None, ignore_no_migrations=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM public.django_migrations")
        applied = set(cursor.fetchall())
    pending = set(loader.graph.nodes) - applied
    if not pending:
        return
    say(f"public: {len(pending)} migration(s) by Django's executor")
    connection.set_schema_to_public()
    call_command(get_tenant_base_migrate_command_class()(), interactive=False, verbosity=0, skip_checks=True)
    report.public_migrated = len(pending)
    connection.set_schema(public)


def migrate_all(
    *, say: Callable[[str], None] = lambda message: None, use_executor: bool = False, schemas: list[str] | None = None
) -> MigrateAllReport:
    started = time.monotonic()
    report = MigrateAllReport()
    connection.set_schema_to_public()
    _migrate_public(report, say)

    loader = MigrationLoader(None, ignore_no_migrations=True)
    expected = set(loader.graph.nodes)
    order = {key: index for index, key in enumerate(_full_order(loader))}
    # The spare schemas standing ready for provisioning are migrated like every tenant.
    schemas = tenant_schemas() + spare_schemas() if schemas is None else schemas
    report.total = len(schemas)
    applied = applied_migrations(schemas)

    groups: dict[frozenset, list[str]] = defaultdict(list)
    for schema in schemas:
        pending = frozenset(expected - applied[schema])
        if pending:
            groups[pending].append(schema)
        else:
            report.skipped.append(schema)
    say(f"{len(schemas)} tenant schemas: {len(report.skipped)} up to date, {len(schemas) - len(report.skipped)} behind")

    done = 0
    for pending, members in groups.items():
        keys = sorted(pending, key=lambda key: order.get(key, len(order)))
        migrations = [loader.graph.nodes[key] for key in keys]
        by_executor = use_executor or any(_runs_python(migration) for migration in migrations)
        statements, extra = [], []
        if not by_executor:
            try:
                statements = _collect_sql(members[0], [(migration, False) for migration in migrations])
            except Exception as error:  # noqa: BLE001 - a plan that cannot be collected falls back to Django
                say(f"collecting SQL failed ({type(error).__name__}: {error}); Django's executor instead")
                by_executor = True
            created_in = {m.app_label for m in migrations if _creates_tenant_models(m)}
            if created_in:
                extra = _content_type_sql(created_in)
        say(
            f"{len(members)} schema(s) lack {len(keys)} migration(s) "
            f"({', '.join(f'{a}.{n}' for a, n in keys[:4])}{' …' if len(keys) > 4 else ''}): "
            + ("Django's executor per schema" if by_executor else f"{len(statements)} SQL statement(s) each")
        )
        for schema in members:
            try:
                if by_executor:
                    schema_migrate(schema)
                    report.by_executor += 1
                else:
                    _apply_sql(schema, statements, extra, keys)
                    report.by_sql += 1
                report.migrated[schema] = len(keys)
            except Exception as error:  # noqa: BLE001 - one failing tenant must not stop the others
                connection.set_schema_to_public()
                report.failed[schema] = f"{type(error).__name__}: {error}"[:500]
            done += 1
            if done % 50 == 0:
                say(f"  {done}/{len(schemas) - len(report.skipped)} behind schemas handled")

    # Whatever stands ready for provisioning is migrated with everything else.
    key = tenant_migration_key()
    existed = SchemaTemplate.objects.filter(migration_key=key).exists()
    template_current()
    report.template = "up to date" if existed else f"rebuilt for {key[:12]}"
    report.spares_built = spare_schemas_refill()
    report.seconds = time.monotonic() - started
    return report


def _full_order(loader: MigrationLoader) -> list[tuple[str, str]]:
    """Every migration in an order that respects dependencies."""
    seen, order = set(), []
    for leaf in sorted(loader.graph.leaf_nodes()):
        for key in loader.graph.forwards_plan(leaf):
            if key not in seen:
                seen.add(key)
                order.append(key)
    return order
