"""Small helpers around django-tenants' handling of the connection's search_path."""

from django.db import connection


def search_path_forget() -> None:
    """Make django-tenants set search_path again before the next query.

    With TENANT_LIMIT_SET_CALLS it sends `SET search_path` once and trusts that afterwards; raw SQL that
    changes search_path (a replayed pg_dump script, a `SET LOCAL`) would otherwise leave the rest of the
    transaction running with that path.
    """
    connection.search_path_set_schemas = None
