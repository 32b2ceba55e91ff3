"""/healthz, /readyz and /readyz/web on every host, answered before the tenant lookup and without login.

Kubernetes probes use the pod IP as host, which is no tenant's domain: these paths must not depend on one.
/readyz is the operator's view (database, client programs, broker). /readyz/web is what a web process needs to
answer requests, the database only: during a broker outage no request fails (tasks wait in the outbox), so the
web pods' readiness probe must not take them all out of service.
"""

import psycopg
from django.conf import settings
from django.db import connections
from django.http import JsonResponse

from backa_platform import postgres_tools

READINESS_TIMEOUT_SECONDS = 2


def _server_major_version() -> int:
    """Open a fresh connection (not the request's) so a dead server is seen, not a cached connection."""
    params = connections["default"].get_connection_params()
    params["connect_timeout"] = READINESS_TIMEOUT_SECONDS
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params) as conn:
        conn.execute("SELECT 1")
        return conn.info.server_version // 10000


def postgres_clients_usable(server_major: int) -> tuple[bool, str]:
    """pg_dump and psql of the server's major version: provisioning and exports need them."""
    found = postgres_tools.problems(server_major)
    return (False, "; ".join(found)) if found else (True, "ok")


def redis_reachable() -> tuple[bool, str]:
    import redis

    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL,
            socket_connect_timeout=READINESS_TIMEOUT_SECONDS,
            socket_timeout=READINESS_TIMEOUT_SECONDS,
        )
        client.ping()
    except redis.RedisError as error:
        # Tasks are not lost meanwhile: they wait in the outbox and are sent when the broker is back.
        return False, f"broker unreachable ({type(error).__name__}); {_outbox_waiting_text()}"
    return True, "ok"


def _outbox_waiting_text() -> str:
    from backa_platform.core.outbox import outbox_waiting

    try:
        return f"{outbox_waiting()} task(s) waiting in the outbox"
    except Exception:  # noqa: BLE001 - the database check reports a database that is down
        return "outbox not readable"


def readiness(*, serving_only: bool = False) -> tuple[bool, dict]:
    try:
        server_major = _server_major_version()
    except psycopg.Error as error:
        checks = {"database": (False, type(error).__name__)}
    else:
        checks = {"database": (True, "ok")}
        if not serving_only:
            checks["postgres_clients"] = postgres_clients_usable(server_major)
    if settings.REDIS_URL and not serving_only:
        checks["redis"] = redis_reachable()
    ready = all(ok for ok, _ in checks.values())
    return ready, {name: {"ok": ok, "detail": detail} for name, (ok, detail) in checks.items()}


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            return JsonResponse({"status": "ok"})
        if request.path in ("/readyz", "/readyz/web"):
            ready, checks = readiness(serving_only=request.path == "/readyz/web")
            return JsonResponse(
                {"status": "ready" if ready else "not ready", "checks": checks},
                status=200 if ready else 503,
            )
        return self.get_response(request)
