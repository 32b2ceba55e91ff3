"""The image's entrypoint and the settings refuse unsafe production configurations with a clear message."""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ENTRYPOINT = REPO / "deploy" / "entrypoint.sh"


def production_env(**overrides) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("SECRET_KEY", "DEBUG", "BACKA_REQUIRE_SECRET_KEY", "DATABASE_POOLER_MODE")
    }
    env["PATH"] = f"{Path(sys.executable).parent}:{env.get('PATH', '')}"
    env["BACKA_REQUIRE_SECRET_KEY"] = "1"
    env.update(overrides)
    return env


def run(args, env) -> subprocess.CompletedProcess:
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=60, cwd=REPO)


def test_entrypoint_refuses_to_start_web_without_a_secret_key_in_production():
    result = run([str(ENTRYPOINT), "web"], production_env())
    assert result.returncode == 78
    assert "SECRET_KEY is not set" in result.stderr
    assert "Booting worker" not in result.stderr  # gunicorn never started


def test_entrypoint_refuses_every_command_without_a_secret_key_in_production():
    for command in ("worker", "beat", "migrate", "bootstrap"):
        result = run([str(ENTRYPOINT), command], production_env())
        assert result.returncode == 78, command


def test_entrypoint_starts_the_given_command_once_a_secret_key_is_set():
    result = run([str(ENTRYPOINT), "python", "-c", "print('started')"], production_env(SECRET_KEY="x" * 50))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "started"


def test_settings_refuse_to_load_without_a_secret_key_in_production():
    result = run([sys.executable, "-c", "import django; django.setup()"], production_env())
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr


def test_settings_refuse_a_pooler_in_transaction_mode_with_a_clear_error():
    for mode in ("transaction", "statement"):
        env = production_env(SECRET_KEY="x" * 50, DATABASE_POOLER_MODE=mode)
        result = run([sys.executable, "-c", "import django; django.setup()"], env)
        assert result.returncode != 0
        assert f"DATABASE_POOLER_MODE='{mode}' is refused" in result.stderr
        assert "pool_mode=session" in result.stderr


def test_entrypoint_runs_the_process_the_command_names(tmp_path):
    # Stand-ins for gunicorn, celery and python that print what they were asked to run.
    for tool in ("gunicorn", "celery", "python"):
        stand_in = tmp_path / tool
        stand_in.write_text(f'#!/bin/sh\necho "{tool} $*"\n')
        stand_in.chmod(0o755)
    env = production_env(SECRET_KEY="x" * 50, PATH=f"{tmp_path}:/usr/bin:/bin")

    def ran(*command) -> list[str]:
        result = run([str(ENTRYPOINT), *command], env)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip().splitlines()

    (web,) = ran("web")
    assert web.startswith("gunicorn --config") and "deploy/gunicorn.conf.py backa_platform.wsgi:application" in web
    (worker,) = ran("worker")
    assert worker.startswith("celery -A backa_platform worker")
    (beat,) = ran("beat")
    assert beat.startswith("celery -A backa_platform beat") and "--schedule /tmp/celerybeat-schedule" in beat
    (owner_worker,) = ran("worker-owner")
    assert owner_worker.startswith("celery -A backa_platform worker") and "--queues owner" in owner_worker
    # Migrations run as the owner role, and then grant the runtime role what the web and worker processes need.
    assert ran("migrate") == [
        "python manage.py migrate_schemas --shared --noinput",
        "python manage.py migrate_all",
        "python manage.py database_roles --create",
    ]
    env["BACKA_MIGRATE_ALL_COMMAND"] = "migrate_all --parallel 4"
    assert ran("migrate")[-2] == "python manage.py migrate_all --parallel 4"
    assert ran("bootstrap")[-1].startswith("python manage.py bootstrap_central")
