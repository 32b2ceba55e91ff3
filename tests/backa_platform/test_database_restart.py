"""PostgreSQL going away under a running server (issue 14 §7): every backend of the database is terminated, as a
restart or a failover does. A request in flight answers 503 with a page or the API's error body, never a 500;
the next ones succeed on a new connection, without restarting the server (CONN_HEALTH_CHECKS)."""

import threading
import time

import psycopg
import pytest
import requests
from django.core.handlers.wsgi import WSGIHandler
from django.core.servers.basehttp import WSGIServer
from django.db import connection, connections

from tenants.models import Domain
from tests.e2e.conftest import QuietHandler

TERMINATE_ALL_OTHERS = (
    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
)


@pytest.fixture
def site(committed_db, settings):
    """The platform served by one thread on 127.0.0.1: one persistent connection, reused request after request,
    as in a gunicorn sync worker."""
    settings.TENANT_DOMAIN_CACHE_SECONDS = 0  # every request asks the database which tenant it is for
    settings.REDIS_URL = ""
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0 and settings.DATABASES["default"]["CONN_HEALTH_CHECKS"]
    server = WSGIServer(("127.0.0.1", 0), QuietHandler, allow_reuse_address=True)
    server.set_app(WSGIHandler())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_address[1]
    try:
        yield lambda host, path: requests.get(f"http://127.0.0.1:{port}{path}", headers={"Host": host}, timeout=30)
    finally:
        server.shutdown()
        server.server_close()
        # This thread's own connection was terminated too: the next test opens a new one.
        connections.close_all()


@pytest.fixture
def admin_connection():
    """A connection of its own, outside Django, for terminating the others (it spares itself)."""
    with psycopg.connect(**_params(), autocommit=True) as conn:
        yield conn


def test_connections_terminated_between_requests_are_replaced_by_the_next_request(site, admin_connection):
    assert site("ystad.localhost", "/login/").status_code == 200  # the server thread now holds a connection
    assert admin_connection.execute(TERMINATE_ALL_OTHERS).fetchone()[0] >= 1

    for host in ("ystad.localhost", "localhost", "ystad.localhost"):
        assert site(host, "/login/").status_code == 200


@pytest.mark.parametrize(
    ("host", "path", "kind"),
    [("localhost", "/login/", "text/html"), ("ystad.localhost", "/api/me/", "application/json")],
)
def test_a_request_in_flight_when_the_database_goes_away_answers_503_and_the_next_one_succeeds(
    site, admin_connection, host, path, kind
):
    assert site(host, "/login/").status_code == 200
    # Hold the request in the database deterministically: its first query (which tenant is this host?) waits
    # for this lock while the backends are terminated.
    locker = psycopg.connect(**_params())
    try:
        locker.execute(f"LOCK TABLE public.{Domain._meta.db_table} IN ACCESS EXCLUSIVE MODE")
        answers = []
        request = threading.Thread(target=lambda: answers.append(site(host, path)))
        request.start()
        _wait_for_a_backend_waiting_on_a_lock(admin_connection)
        admin_connection.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid NOT IN (pg_backend_pid(), %s)",
            [locker.info.backend_pid],
        )
        request.join(30)
    finally:
        locker.rollback()
        locker.close()

    response = answers[0]
    assert response.status_code == 503
    assert response.headers["Content-Type"].startswith(kind)
    assert response.headers["Retry-After"] == "5"
    assert "Traceback" not in response.text
    if kind == "application/json":
        assert response.json()["code"] == "database_unavailable"
    else:
        assert "tillfälligt otillgänglig" in response.text

    assert site(host, path).status_code in (200, 401)  # the API without a token: 401, from the database
    assert site(host, "/login/").status_code == 200


def test_under_load_terminated_backends_give_503_or_success_never_500(site, admin_connection):
    statuses = []
    stop = threading.Event()

    def load():
        paths = [("ystad.localhost", "/login/"), ("localhost", "/"), ("localhost", "/ansok/")]
        while not stop.is_set():
            for host, path in paths:
                statuses.append(site(host, path).status_code)

    client = threading.Thread(target=load)
    client.start()
    deadline = time.monotonic() + 3
    terminations = 0
    while time.monotonic() < deadline:
        terminations += admin_connection.execute(TERMINATE_ALL_OTHERS).fetchone()[0]
        time.sleep(0.05)
    stop.set()
    client.join(30)

    assert terminations > 0 and statuses
    assert set(statuses) <= {200, 503}, sorted(set(statuses))
    # Afterwards, without restarting anything: every request succeeds.
    assert [site("ystad.localhost", "/login/").status_code for _ in range(5)] == [200] * 5


def _params() -> dict:
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    return params


def _wait_for_a_backend_waiting_on_a_lock(conn, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        waiting = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        ).fetchone()[0]
        if waiting:
            return
        time.sleep(0.02)
    raise AssertionError("the request never reached the database")
