"""The runtime role's privileges (DESIGN.md §9): what the web and worker processes may do in every schema.

Run as the owner role (``manage.py database_roles``) after migrating. Default privileges cover the schemas,
tables and sequences the owner creates later (provisioning a tenant), so a new tenant needs no step of its own;
the audit log's table is then still guarded by its triggers, which only the owner can switch off, and each
migration that makes such a table revokes what the runtime role must not do (audit 0005, anchors 0001).
"""

from django.db import connection

ANCHOR_FUNCTION = "public.audit_anchor_take(text, bigint, text, bigint, timestamptz, text, text)"


class RuntimeRoleError(Exception):
    pass


def runtime_role_create(*, role: str, password: str = "") -> bool:
    """Create the runtime login if it is missing (needs CREATEROLE); True when it was created."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone():
            return False
        name = connection.ops.quote_name(role)
        statement = f"CREATE ROLE {name} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOBYPASSRLS"
        if password:
            cursor.execute(statement + " PASSWORD %s", [password])
        else:
            cursor.execute(statement)
    return True


def runtime_role_grant(*, role: str) -> list[str]:
    """Grant ``role`` data access in every schema the owner holds, and nothing that changes the structure.

    Refuses a role that could undo the guards: a superuser, one that may create roles or databases or bypass
    row security, the connecting role itself, or a member of it. Returns the schemas granted."""
    name = connection.ops.quote_name(role)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper OR rolcreaterole OR rolcreatedb OR rolbypassrls, rolname = current_user,"
            " pg_has_role(rolname, current_user, 'MEMBER') FROM pg_roles WHERE rolname = %s",
            [role],
        )
        row = cursor.fetchone()
        if row is None:
            raise RuntimeRoleError(f"The runtime role {role!r} does not exist (database_roles --create makes it).")
        if any(row):
            raise RuntimeRoleError(
                f"The runtime role {role!r} must not be a superuser, create roles or databases, bypass row "
                "security, or be (a member of) the owner role."
            )
        cursor.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%%' AND nspname <> 'information_schema'"
            " AND pg_has_role(nspowner, 'USAGE') ORDER BY nspname"
        )
        schemas = [schema for (schema,) in cursor.fetchall()]
        for schema in schemas:
            quoted = connection.ops.quote_name(schema)
            cursor.execute(f"GRANT USAGE ON SCHEMA {quoted} TO {name}")
            cursor.execute(f"REVOKE CREATE ON SCHEMA {quoted} FROM {name}")
            cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {quoted} TO {name}")
            cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {quoted} TO {name}")
            cursor.execute("SELECT to_regclass(%s)", [f"{quoted}.audit_auditentry"])
            if cursor.fetchone()[0]:
                cursor.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON {quoted}.audit_auditentry FROM {name}")
                # Its yearly partitions: read and appended through the parent only (modules/audit/partitions.py).
                cursor.execute(
                    "SELECT relid::regclass::text FROM pg_partition_tree(%s::regclass) WHERE level > 0",
                    [f"{quoted}.audit_auditentry"],
                )
                for (partition,) in cursor.fetchall():
                    cursor.execute(f"REVOKE ALL ON {partition} FROM {name}")
        # PostgreSQL 15 no longer lets everyone create in public; older servers do.
        cursor.execute(f"REVOKE CREATE ON SCHEMA public FROM PUBLIC, {name}")
        cursor.execute("SELECT to_regclass('public.audit_anchor')")
        if cursor.fetchone()[0]:
            cursor.execute(f"REVOKE ALL ON public.audit_anchor, public.audit_anchor_id_seq FROM {name}")
            cursor.execute(f"GRANT SELECT ON public.audit_anchor TO {name}")
            cursor.execute(f"GRANT EXECUTE ON FUNCTION {ANCHOR_FUNCTION} TO {name}")
        cursor.execute(f"ALTER DEFAULT PRIVILEGES GRANT USAGE ON SCHEMAS TO {name}")
        cursor.execute(f"ALTER DEFAULT PRIVILEGES GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {name}")
        cursor.execute(f"ALTER DEFAULT PRIVILEGES GRANT USAGE, SELECT ON SEQUENCES TO {name}")
    return schemas
