"""Benchmark-only views (never in the production routes): what the platform's requests are measured against.

- ``constant``: a bare Django view returning constant JSON, no database (the issue's reference).
- ``one_query``: a tenant view running one query in the tenant's schema (the issue's "one-query tenant view").
- ``audited_floor``: the least an audited read can do: one query in the tenant's schema and one audit entry,
  committed before the answer; no authentication, no access decision, no serializer. The child API cannot
  be cheaper than this, so its ratio to the bare view is bounded by this one's.
"""

from django.db import connection
from django.http import JsonResponse

from modules.audit.services import audit_record

CONSTANT = {"status": "ok", "what": "a constant answer, for the load benchmark"}


def constant(request):
    return JsonResponse(CONSTANT)


def _children_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM children_child")
        return cursor.fetchone()[0]


def one_query(request):
    return JsonResponse({"children": _children_count()})


def audited_floor(request):
    children = _children_count()
    audit_record(acting_user=None, action="view", object_type="bench", object_id="floor", request=request)
    return JsonResponse({"children": children})
