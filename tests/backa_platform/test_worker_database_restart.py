"""A worker outlives a PostgreSQL restart (issue 14 §7): after every backend is terminated, the next task runs on a
new connection instead of failing on the dead one the worker kept for reuse (CELERY_DB_REUSE_MAX)."""

import threading

import psycopg
import pytest
from celery.contrib.testing.worker import start_worker
from django.db import connection, connections

from backa_platform.celery import app
from tests.backa_platform.test_database_restart import TERMINATE_ALL_OTHERS, _params

outcomes: list[str] = []
ran = threading.Event()


@app.task(name="tests.database_ping")
def database_ping():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        outcomes.append("ok")
    except Exception as error:  # recorded for the test, which runs in another thread
        outcomes.append(type(error).__name__)
    finally:
        ran.set()


def _run_once() -> str:
    ran.clear()
    database_ping.delay()
    assert ran.wait(30), "the worker never ran the task"
    return outcomes[-1]


@pytest.mark.worker
def test_the_task_after_postgresql_dropped_every_connection_runs_on_a_new_one(committed_db, settings):
    assert settings.CELERY_DB_REUSE_MAX > 0 and settings.DATABASES["default"]["CONN_HEALTH_CHECKS"]
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            assert _run_once() == "ok"  # the worker now holds a connection it means to reuse
            with psycopg.connect(**_params(), autocommit=True) as admin:
                assert admin.execute(TERMINATE_ALL_OTHERS).fetchone()[0] >= 1
            assert [_run_once() for _ in range(3)] == ["ok", "ok", "ok"]
    finally:
        connections.close_all()  # this thread's connection was terminated too
