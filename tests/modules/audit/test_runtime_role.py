"""The runtime role against the audit log: the web and worker processes connect as a role that owns nothing
and is not a superuser, so a person holding its password cannot switch the guards off or rewrite the log.
Each test connects as that role (the rest of the suite sets up as the superuser)."""

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from psycopg import errors

from tenants.database_roles import runtime_role_create, runtime_role_grant

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def runtime(django_db_setup, django_db_blocker):
    """Conninfo for the runtime role in the test database, its grants made (and committed) as the owner."""
    with django_db_blocker.unblock():
        runtime_role_create(role=settings.DATABASE_RUNTIME_ROLE)
        runtime_role_grant(role=settings.DATABASE_RUNTIME_ROLE)
        params = connection.settings_dict
    return {
        "dbname": params["NAME"],
        "host": params["HOST"] or "127.0.0.1",
        "port": params["PORT"] or 5432,
        "user": settings.DATABASE_RUNTIME_ROLE,
    }


def _refused(runtime, schema, statement, params=None):
    with psycopg.connect(**runtime) as conn, conn.cursor() as cursor:
        cursor.execute(f"SET search_path = {schema}, public")
        with pytest.raises(errors.InsufficientPrivilege) as refused:
            cursor.execute(statement, params)
        return str(refused.value)


def test_the_runtime_role_owns_nothing_and_is_no_superuser(runtime):
    with psycopg.connect(**runtime) as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles WHERE rolname = current_user"
        )
        assert cursor.fetchone() == (False, False, False, False)
        cursor.execute(
            "SELECT (SELECT count(*) FROM pg_class WHERE relowner = r.oid)"
            " + (SELECT count(*) FROM pg_namespace WHERE nspowner = r.oid)"
            " + (SELECT count(*) FROM pg_proc WHERE proowner = r.oid) FROM pg_roles r WHERE rolname = current_user"
        )
        assert cursor.fetchone() == (0,)


@pytest.mark.parametrize(
    "statement",
    [
        "ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_no_update_or_delete",
        "ALTER TABLE audit_auditentry DISABLE TRIGGER USER",
        "DROP TRIGGER audit_entry_no_update_or_delete ON audit_auditentry",
        "DROP TRIGGER audit_entry_chain ON audit_auditentry",
        "CREATE OR REPLACE FUNCTION audit_entry_refuse_change() RETURNS trigger LANGUAGE plpgsql"
        " AS $$ BEGIN RETURN OLD; END; $$",
        "SET session_replication_role = replica",
        "UPDATE audit_auditentry SET action = 'list'",
        "DELETE FROM audit_auditentry",
        "TRUNCATE audit_auditentry",
        # Its yearly partitions (issue 17): nothing at all directly, not even a read.
        f"TRUNCATE audit_auditentry_y{datetime.now(UTC).year}",
        f"DELETE FROM audit_auditentry_y{datetime.now(UTC).year}",
        f"SELECT count(*) FROM audit_auditentry_y{datetime.now(UTC).year}",
        f"ALTER TABLE audit_auditentry DETACH PARTITION audit_auditentry_y{datetime.now(UTC).year}",
        "SELECT public.audit_anchor_take('t_ystad', 0, repeat('0', 64), 0, now(), '', 'cull')",
        "CREATE TABLE shadow (id int)",
        "INSERT INTO public.audit_anchor (schema_name, last_id, head_hash, entries, at, mac)"
        " VALUES ('x', 0, '', 0, now(), '')",
        "DELETE FROM public.audit_anchor",
        "SET ROLE postgres",
    ],
)
def test_the_runtime_role_cannot_switch_off_the_guards_or_rewrite_the_log(runtime, ystad, statement):
    _refused(runtime, ystad.schema_name, statement)


def test_the_runtime_role_appends_entries_and_anchors_only_through_the_function(runtime, ystad):
    with psycopg.connect(**runtime) as conn, conn.cursor() as cursor:
        cursor.execute(f"SET search_path = {ystad.schema_name}, public")
        cursor.execute(
            "INSERT INTO audit_auditentry (at, action, object_type, object_id, ip_address, previous_hash, hash)"
            " VALUES (now(), 'view', 't', '1', NULL, '', '') RETURNING id, hash"
        )
        last_id, head = cursor.fetchone()
        cursor.execute("SELECT public.audit_anchor_take(%s, %s, %s, 1, now(), 'm')", [ystad.schema_name, last_id, head])
        assert cursor.fetchone()[0] > 0
        conn.rollback()


def test_the_application_verifies_and_anchors_as_the_runtime_role(runtime, ystad):
    """manage.py as a worker would run it: DATABASE_URL names the runtime role."""
    url = f"postgresql://{runtime['user']}@{runtime['host']}:{runtime['port']}/{runtime['dbname']}"
    result = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "audit_verify", "--schema", ystad.schema_name],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url, "DATABASE_OWNER_URL": ""},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "intact" in result.stdout and "anchored as" in result.stdout
