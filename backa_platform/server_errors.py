"""What a request answers when it fails on the server: 503 while the database is unreachable, else 500.

Django's handler500 (set in both URL confs) is called for an exception from any layer, the tenant lookup and
the session and authentication middleware included, which a middleware's process_exception never sees. A
lost PostgreSQL connection (a restart, a failover, a terminated backend) is a passing fault, not a bug: the
request answers 503 with Retry-After, a page or the API's error body, and no traceback. The connection is
closed at the end of the request (it had an error and is unusable), and CONN_HEALTH_CHECKS makes the next
request test a reused connection before its first query, so the process recovers by itself.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext
from django.views.defaults import server_error as django_server_error

RETRY_AFTER_SECONDS = 5
_CONNECTION_ERRORS = (OperationalError, InterfaceError)


def database_unreachable(error: BaseException | None) -> bool:
    """The error or one it was raised while handling (a failed rollback after a lost connection) is a lost
    or refused connection."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, _CONNECTION_ERRORS):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def server_error(request):
    if not database_unreachable(sys.exc_info()[1]):
        return django_server_error(request)
    if request.path.startswith("/api/"):
        body = {
            "detail": gettext("Tjänsten är tillfälligt otillgänglig. Försök igen om en stund."),
            "code": "database_unavailable",
            "errors": {},
        }
        response = JsonResponse(body, status=503)
    else:
        # Rendered without the request's context: its processors (the signed-in user, the role rules) would
        # ask the database that has just gone away.
        response = HttpResponse(loader.get_template("database_unavailable.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
