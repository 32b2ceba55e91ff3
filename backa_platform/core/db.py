"""Small helpers around the connection: django-tenants' search_path, session advisory locks, SQL for hot reads."""

from functools import cache

from django.conf import settings
from django.db import connection
from django.db.backends.postgresql.base import CursorDebugWrapper, ServerBindingCursor


def search_path_forget() -> None:
    """Make django-tenants set search_path again before the next query.

    With TENANT_LIMIT_SET_CALLS it sends `SET search_path` once and trusts that afterwards; raw SQL that
    changes search_path (a replayed pg_dump script, a `SET LOCAL`) would otherwise leave the rest of the
    transaction running with that path.
    """
    connection.search_path_set_schemas = None


def session_lock_try(key: int) -> bool:
    """Take a session-level advisory lock if free. Held until released or until the session ends, so a worker
    that dies (and its connection with it) lets go: how a lost job is told from a slow one."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        return cursor.fetchone()[0]


def session_lock_release(key: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


def session_lock_held_elsewhere(key: int) -> bool:
    """Whether another live session holds the lock (tested by taking it and letting it go at once)."""
    if not session_lock_try(key):
        return True
    session_lock_release(key)
    return False


# For the few hot reads written in SQL (the access decision, the API token): Django's ORM spends ~1 ms
# building and compiling each query on this hardware, more than PostgreSQL spends answering it.
@cache  # the same few (model, alias) pairs on every request: built once per process
def model_columns(model, alias: str) -> str:
    """The select list for every concrete field of ``model``, from table alias ``alias``, in field order."""
    return ", ".join(f"{alias}.{connection.ops.quote_name(field.column)}" for field in model._meta.concrete_fields)


def model_from_row(model, row):
    """An instance of ``model`` from the first columns of ``row`` (selected with ``model_columns``). Only for
    models whose fields need no conversion from the database value (no JSON, no decimal)."""
    names = _attnames(model)
    return model.from_db(connection.alias, names, row[: len(names)])


@cache
def _attnames(model) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


def row_prepared(sql: str, params: list):
    """The first row of ``sql`` (a hot read, run on nearly every request) as a prepared statement of this
    connection: PostgreSQL parses and plans it once per (connection, schema), not on every request. Planning
    was ~70 % of the server time of the child read (0.73 ms planning against 0.30 ms executing).

    Django sends parameters inside the text (client-side binding, never prepared); this one statement gets a
    server-binding psycopg cursor, wrapped like any other so it is logged and counted. PostgreSQL throws a
    cached plan away whenever ``search_path`` differs from the one it was made under, which on a connection
    that serves every tenant in turn is nearly every request: so the text carries the schema's name, and each
    schema has its own statement, only ever run under its own search_path. psycopg prepares a text from its
    ``settings.DATABASE_PREPARE_THRESHOLD``-th run on the connection and keeps the
    ``settings.DATABASE_PREPARED_MAX`` most recently used (the oldest are deallocated). Prepared statements
    need a session of one's own (PgBouncer in session mode, as deployed). PostgreSQL checks the plan against
    schema changes, as for any prepared statement."""
    with connection.cursor():  # connects and, through django-tenants, sets search_path for this schema
        pg = connection.connection
        if pg.prepare_threshold is None:  # Django turns psycopg's preparing off; a client-side cursor never does
            pg.prepare_threshold = settings.DATABASE_PREPARE_THRESHOLD
            pg.prepared_max = settings.DATABASE_PREPARED_MAX
        with ServerBindingCursor(pg) as raw:
            cursor = _TextLogged(raw, connection) if connection.queries_logged else connection.make_cursor(raw)
            cursor.execute(f"/* {_schema_tag(connection.schema_name)} */ {sql}", params)
            return cursor.fetchone()


class _TextLogged(CursorDebugWrapper):
    """Logs (for DEBUG and query counting) the statement's text as written: Django would log the text psycopg
    sent, which psycopg does not record for a statement run prepared (and the parameters stay out of the log)."""

    def debug_sql(self, sql=None, params=None, use_last_executed_query=False, many=False):
        return super().debug_sql(sql, params, use_last_executed_query=False, many=many)


@cache
def _schema_tag(schema_name: str) -> str:
    if not schema_name.replace("_", "").isalnum():  # django-tenants allows only these; never an end of comment
        raise ValueError("schema name")
    return schema_name


def rows_copy(model, columns: list[str], rows) -> None:
    """Insert ``rows`` (sequences of values in ``columns`` order; JSON as text) with PostgreSQL's COPY, in the
    current transaction: 10,000 rows in a fraction of what ``bulk_create`` takes building an INSERT per batch."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
