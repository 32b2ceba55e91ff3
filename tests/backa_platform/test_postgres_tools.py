"""pg_dump and psql come from the server the platform talks to, and a mismatch is reported before a job fails."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.core import checks
from django.test import Client

from backa_platform import postgres_tools
from tenants.provisioning.schema import SchemaError, client_command


def fake_bin_dir(folder: Path, major: int) -> Path:
    """pg_dump and psql that only answer --version, claiming PostgreSQL `major`."""
    for name in postgres_tools.CLIENT_PROGRAMS:
        program = folder / name
        program.write_text(f'#!/bin/sh\necho "{name} (PostgreSQL) {major}.3"\n')
        program.chmod(0o755)
    return folder


@pytest.fixture
def server_major(db):
    return postgres_tools.server_major_version()


def test_readyz_reports_client_programs_of_another_major_version(settings, server_major, tmp_path):
    settings.REDIS_URL = ""
    settings.POSTGRES_BIN_DIR = str(fake_bin_dir(tmp_path, server_major + 1))

    response = Client(HTTP_HOST="10.1.2.3").get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["database"]["ok"] is True
    clients = body["checks"]["postgres_clients"]
    assert clients["ok"] is False
    assert (
        f"{tmp_path / 'pg_dump'} is PostgreSQL {server_major + 1} but the server is PostgreSQL {server_major}"
        in (clients["detail"])
    )
    assert str(tmp_path / "psql") in clients["detail"]


def test_readyz_reports_missing_client_programs(settings, server_major, tmp_path):
    settings.REDIS_URL = ""
    settings.POSTGRES_BIN_DIR = str(tmp_path)
    response = Client(HTTP_HOST="localhost").get("/readyz")
    assert response.status_code == 503
    assert "pg_dump is not in POSTGRES_BIN_DIR" in response.json()["checks"]["postgres_clients"]["detail"]


def test_readyz_is_ready_with_client_programs_of_the_servers_version(settings, server_major, tmp_path):
    settings.REDIS_URL = ""
    settings.POSTGRES_BIN_DIR = str(fake_bin_dir(tmp_path, server_major))
    response = Client(HTTP_HOST="localhost").get("/readyz")
    assert response.status_code == 200, response.json()
    assert response.json()["checks"]["postgres_clients"] == {"ok": True, "detail": "ok"}


def test_the_configured_setup_has_usable_client_programs(settings, server_major):
    """Whatever this run uses (embedded, or DATABASE_URL with PATH), the programs chosen match the server."""
    assert postgres_tools.problems(server_major) == []


def test_the_embedded_server_uses_pgserver_programs(settings):
    from pgserver._commands import POSTGRES_BIN_PATH

    settings.EMBEDDED_DATABASE = True
    settings.POSTGRES_BIN_DIR = ""
    for name in postgres_tools.CLIENT_PROGRAMS:
        path = postgres_tools.program_path(name)
        assert path == str(POSTGRES_BIN_PATH / name)
    server = subprocess.run([POSTGRES_BIN_PATH / "postgres", "--version"], capture_output=True, text=True, check=True)
    assert f"(PostgreSQL) {postgres_tools.program_major_version(path)}." in server.stdout


def test_an_external_server_uses_path_unless_a_folder_is_set(settings, tmp_path):
    settings.EMBEDDED_DATABASE = False
    settings.POSTGRES_BIN_DIR = ""
    assert postgres_tools.program_path("pg_dump") == shutil.which("pg_dump")
    settings.POSTGRES_BIN_DIR = str(fake_bin_dir(tmp_path, 16))
    assert postgres_tools.program_path("pg_dump") == str(tmp_path / "pg_dump")


def test_a_mismatch_is_a_system_check_warning_and_refused_before_running(settings, server_major, tmp_path):
    settings.POSTGRES_BIN_DIR = str(fake_bin_dir(tmp_path, server_major - 1))

    warnings = [message for message in checks.run_checks() if message.id == "backa_platform.W001"]
    assert len(warnings) == 2
    assert f"is PostgreSQL {server_major - 1} but the server is PostgreSQL {server_major}" in warnings[0].msg

    with pytest.raises(SchemaError, match=f"but the server is PostgreSQL {server_major}"):
        client_command("pg_dump", "--schema", "public")
