from django.db import connections
from django.test import Client


def test_healthz_answers_on_any_host_without_login():
    for host in ("ystad.localhost", "localhost", "10.1.2.3"):
        response = Client(HTTP_HOST=host).get("/healthz")
        assert response.status_code == 200
        assert response.json() == {"status": "ok"}


def test_readyz_reports_reachable_database(db, settings):
    settings.REDIS_URL = ""
    response = Client(HTTP_HOST="10.1.2.3").get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["database"]["ok"] is True


def test_readyz_reports_a_database_that_is_down_as_not_ready(db, settings, monkeypatch):
    settings.REDIS_URL = ""
    # Nothing listens on port 1: the same as a PostgreSQL server that has gone away.
    broken = dict(connections["default"].settings_dict, HOST="127.0.0.1", PORT="1")
    broken["OPTIONS"] = {key: value for key, value in broken["OPTIONS"].items() if key != "host"}
    monkeypatch.setattr(connections["default"], "settings_dict", broken)

    response = Client(HTTP_HOST="ystad.localhost").get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not ready"
    assert body["checks"]["database"]["ok"] is False


def test_readyz_reports_redis_that_is_down_as_not_ready(db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = Client(HTTP_HOST="localhost").get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"]["ok"] is False


def test_web_readiness_ignores_a_broker_outage_and_client_programs(db, settings, tmp_path):
    """The web pods' probe: requests are served while Redis is down (tasks wait in the outbox), so it stays 200."""
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    settings.POSTGRES_BIN_DIR = str(tmp_path)  # no pg_dump here: provisioning could not run, requests can

    response = Client(HTTP_HOST="10.1.2.3").get("/readyz/web")

    assert response.status_code == 200
    assert response.json()["checks"] == {"database": {"ok": True, "detail": "ok"}}
    assert Client(HTTP_HOST="10.1.2.3").get("/readyz").status_code == 503


def test_web_readiness_reports_a_database_that_is_down(db, settings, monkeypatch):
    settings.REDIS_URL = ""
    broken = dict(connections["default"].settings_dict, HOST="127.0.0.1", PORT="1")
    broken["OPTIONS"] = {key: value for key, value in broken["OPTIONS"].items() if key != "host"}
    monkeypatch.setattr(connections["default"], "settings_dict", broken)

    response = Client(HTTP_HOST="ystad.localhost").get("/readyz/web")

    assert response.status_code == 503
    assert response.json()["checks"]["database"]["ok"] is False
