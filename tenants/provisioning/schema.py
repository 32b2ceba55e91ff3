"""Tenant schemas without running Django's migration machinery for each new tenant.

A fully migrated schema is built once per migration state (the *template*), dumped with ``pg_dump``
(structure, the rows the migrations and ``post_migrate`` left: migration records, content types,
permissions) and kept as one SQL script in public. A new tenant's schema is that script replayed inside
one transaction with the schema name substituted: about as fast as PostgreSQL can run the DDL, and all
or nothing. The key of the template is a hash of every tenant migration file on disk, so a new migration
makes a new template (``migrate_all`` builds it ahead of time; provisioning builds it if missing).

``schema_fingerprint`` describes a schema (tables, columns, constraints, indexes, sequences, recorded
migrations, content types and permissions) so a replayed schema can be proven identical to a migrated one.
"""

import functools
import hashlib
import os
import re
import secrets
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django_tenants.utils import get_public_schema_name, get_tenant_base_migrate_command_class, schema_exists

from backa_platform import postgres_tools
from backa_platform.core.db import search_path_forget
from tenants.provisioning.models import SchemaTemplate

TEMPLATE_PREFIX = "backa_tpl_"
# Advisory lock key for building a template: two workers never build the same one twice.
_TEMPLATE_LOCK = 4_004_001


class SchemaError(RuntimeError):
    pass


def tenant_app_labels() -> set[str]:
    from django.apps import apps

    labels = set()
    for entry in settings.TENANT_APPS:
        for config in apps.get_app_configs():
            if config.name == entry or config.label == entry:
                labels.add(config.label)
    return labels


@functools.cache
def tenant_migrations_on_disk() -> list[tuple[str, str]]:
    """Every (app_label, migration name) a tenant schema records once migrated, from the files on disk.

    Django records every app's migrations in every schema, also those whose operations the tenant router
    skips there (shared-only apps), so this is every migration of every installed app. Cached: the files
    on disk do not change under a running process (a deploy starts new ones).
    """
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return sorted(loader.graph.nodes)


@functools.cache
def tenant_migration_key() -> str:
    """A hash of the migrations on disk: their names and their source."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    digest = hashlib.sha256()
    for key in sorted(loader.graph.nodes):
        digest.update(f"{key[0]}.{key[1]}\n".encode())
        source = getattr(sys.modules.get(loader.graph.nodes[key].__module__), "__file__", None)
        if source:
            digest.update(Path(source).read_bytes())
    return digest.hexdigest()


def libpq_environment() -> dict[str, str]:
    """PG* variables for pg_dump and psql, from Django's own connection settings."""
    params = connection.get_connection_params()
    environment = dict(os.environ)
    for name, variable in (
        ("host", "PGHOST"),
        ("port", "PGPORT"),
        ("user", "PGUSER"),
        ("password", "PGPASSWORD"),
        ("dbname", "PGDATABASE"),
    ):
        if params.get(name):
            environment[variable] = str(params[name])
    return environment


def quote_identifier(name: str) -> str:
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
        raise SchemaError(f"Refusing schema name {name!r}.")
    return f'"{name}"'


def schema_migrate(schema_name: str) -> None:
    """Run Django's migrations in ``schema_name`` the way django-tenants does for a tenant."""
    previous = connection.tenant
    try:
        connection.set_schema(schema_name, include_public=False)
        MigrationRecorder(connection).ensure_schema()
        connection.set_schema(schema_name)
        # django-tenants replaces the `migrate` command; its base class is Django's own.
        command = get_tenant_base_migrate_command_class()()
        call_command(command, interactive=False, verbosity=0, skip_checks=True)
    finally:
        connection.set_tenant(previous)


def client_command(name: str, *args: str) -> list[str]:
    """pg_dump or psql of the server's own major version (backa_platform/postgres_tools.py)."""
    try:
        return postgres_tools.command(name, *args)
    except postgres_tools.PostgresToolError as error:
        raise SchemaError(str(error)) from error


def _dump_schema_sql(schema_name: str) -> str:
    result = subprocess.run(  # noqa: S603 - fixed argument list, schema name checked by quote_identifier
        client_command(
            "pg_dump",
            "--schema",
            schema_name,
            "--no-owner",
            "--no-privileges",
            "--no-comments",
            "--inserts",
            "--rows-per-insert=500",
        ),
        env=libpq_environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SchemaError(f"pg_dump failed: {result.stderr.strip()[:500]}")
    lines = []
    for line in result.stdout.splitlines():
        if line.startswith("\\") or line.startswith("--"):
            continue  # psql meta-commands and comments
        # Settings last for the replay's own transaction only, never for the pooled connection.
        line = re.sub(r"^SET ", "SET LOCAL ", line)
        line = line.replace("set_config('search_path', '', false)", "set_config('search_path', '', true)")
        lines.append(line)
    return "\n".join(line for line in lines if line.strip())


def template_build(*, key: str | None = None) -> SchemaTemplate:
    """Migrate a scratch schema, capture it as a script, drop it. Runs migrations once per migration state."""
    if connection.in_atomic_block:
        raise SchemaError("A schema template is built outside any transaction: pg_dump must see the schema.")
    key = key or tenant_migration_key()
    started = time.monotonic()
    placeholder = f"{TEMPLATE_PREFIX}{secrets.token_hex(6)}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA {quote_identifier(placeholder)}")
    try:
        schema_migrate(placeholder)
        script = _dump_schema_sql(placeholder)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {quote_identifier(placeholder)}.django_migrations")  # noqa: S608 - identifiers checked by quote_identifier
            migrations_count = cursor.fetchone()[0]
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {quote_identifier(placeholder)} CASCADE")
    template, _ = SchemaTemplate.objects.update_or_create(
        migration_key=key,
        defaults={
            "placeholder": placeholder,
            "script": script,
            "migrations_count": migrations_count,
            "build_ms": int((time.monotonic() - started) * 1000),
        },
    )
    return template


def template_current() -> SchemaTemplate:
    """The template for the migrations on disk, built now if it does not exist yet."""
    key = tenant_migration_key()
    template = SchemaTemplate.objects.filter(migration_key=key).first()
    if template is not None:
        return template
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [_TEMPLATE_LOCK])
    try:
        template = SchemaTemplate.objects.filter(migration_key=key).first()
        if template is None:
            template = template_build(key=key)
            # Older templates can never be used again.
            SchemaTemplate.objects.exclude(migration_key=key).delete()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_TEMPLATE_LOCK])
    return template


def schema_create_from_template(*, schema_name: str, template: SchemaTemplate | None = None) -> None:
    """Create ``schema_name`` by replaying the template script, in one transaction: all or nothing."""
    if connection.schema_name != get_public_schema_name():
        raise SchemaError("Schemas are created from the public schema.")
    template = template or template_current()
    script = re.sub(rf"\b{re.escape(template.placeholder)}\b", schema_name, template.script)
    quote_identifier(schema_name)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(script)
    # The script set search_path for the rest of the enclosing transaction (SET LOCAL), in which the step's own
    # bookkeeping still has to run.
    search_path_forget()


def schema_is_complete(schema_name: str) -> bool:
    """True when the schema exists and records every tenant migration on disk."""
    if not schema_exists(schema_name):
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM information_schema.tables WHERE table_schema = %s AND table_name = 'django_migrations'",
            [schema_name],
        )
        if cursor.fetchone() is None:
            return False
        cursor.execute(f"SELECT app, name FROM {quote_identifier(schema_name)}.django_migrations")  # noqa: S608 - identifiers checked by quote_identifier
        recorded = set(cursor.fetchall())
    return set(tenant_migrations_on_disk()) <= recorded


def schema_drop(schema_name: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {quote_identifier(schema_name)} CASCADE")


def schema_fingerprint(schema_name: str) -> dict:
    """Everything that makes two schemas the same, with the schema's own name written as <schema>."""

    def rows(sql, params=()):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [
                tuple(
                    value.replace(f"{schema_name}.", "<schema>.").replace(f'"{schema_name}".', "<schema>.")
                    if isinstance(value, str)
                    else value
                    for value in row
                )
                for row in cursor.fetchall()
            ]

    quoted = quote_identifier(schema_name)
    return {
        "tables": rows(
            "SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind IN ('r', 'p', 'v', 'm', 'f') ORDER BY 1",
            [schema_name],
        ),
        "columns": rows(
            # In column order, without ordinal_position: a column dropped by a migration leaves a gap in
            # PostgreSQL's numbering that a schema built directly does not have; the order is the same.
            "SELECT table_name, column_name, data_type, is_nullable, column_default, "
            "character_maximum_length, numeric_precision, numeric_scale, is_identity, identity_generation "
            "FROM information_schema.columns WHERE table_schema = %s ORDER BY table_name, ordinal_position",
            [schema_name],
        ),
        "constraints": rows(
            "SELECT cl.relname, co.conname, co.contype, pg_get_constraintdef(co.oid) FROM pg_constraint co "
            "JOIN pg_class cl ON cl.oid = co.conrelid JOIN pg_namespace n ON n.oid = co.connamespace "
            "WHERE n.nspname = %s ORDER BY 1, 2",
            [schema_name],
        ),
        "indexes": rows(
            "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = %s ORDER BY 1, 2",
            [schema_name],
        ),
        "sequences": rows(
            "SELECT sequencename, data_type::text, start_value, increment_by, min_value, max_value, cycle "
            "FROM pg_sequences WHERE schemaname = %s ORDER BY 1",
            [schema_name],
        ),
        "migrations": rows(f"SELECT app, name FROM {quoted}.django_migrations ORDER BY 1, 2"),  # noqa: S608 - identifiers checked by quote_identifier
        "content_types": rows(f"SELECT app_label, model FROM {quoted}.django_content_type ORDER BY 1, 2"),  # noqa: S608 - identifiers checked by quote_identifier
        "permissions": rows(
            f"SELECT ct.app_label, p.codename, p.name FROM {quoted}.auth_permission p "  # noqa: S608 - identifiers checked by quote_identifier
            f"JOIN {quoted}.django_content_type ct ON ct.id = p.content_type_id ORDER BY 1, 2"
        ),
    }


# --- Spare schemas: fully built ahead of time, renamed on assignment ---------------------------------

SPARE_PREFIX = "backa_spare_"
_SPARE_LOCK = 4_004_002


def spare_schemas() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nspname FROM pg_namespace WHERE starts_with(nspname, %s) ORDER BY nspname", [SPARE_PREFIX]
        )
        return [row[0] for row in cursor.fetchall()]


def spare_schemas_refill(*, target: int | None = None) -> int:
    """Build spares (by template replay) until ``target`` stand ready; returns how many were built."""
    target = settings.PROVISIONING_SPARE_SCHEMAS if target is None else target
    template = template_current()
    built = 0
    while len(spare_schemas()) < target:
        schema_create_from_template(schema_name=f"{SPARE_PREFIX}{secrets.token_hex(6)}", template=template)
        built += 1
    return built


def spare_claim(*, schema_name: str) -> str | None:
    """Rename a complete spare to ``schema_name`` in the caller's transaction; None when none stands ready.

    Claims are serialised by a transaction-level advisory lock, so two jobs never take the same spare;
    a spare that is not complete for the migrations on disk (a deploy since it was built) is dropped.
    """
    if not connection.in_atomic_block:
        raise SchemaError("A spare is claimed inside the provisioning step's transaction.")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_SPARE_LOCK])
    for spare in spare_schemas():
        if not schema_is_complete(spare):
            schema_drop(spare)
            continue
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER SCHEMA {quote_identifier(spare)} RENAME TO {quote_identifier(schema_name)}")
        return spare
    return None
