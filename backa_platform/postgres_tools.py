"""The PostgreSQL client programs the platform runs (pg_dump, psql), taken from the server it talks to.

pg_dump refuses a server of a newer major version ("server version mismatch"), and a newer pg_dump writes
settings an older server rejects on restore (pg_dump 17 emits `SET transaction_timeout`), so a client's
major version must equal the server's. Where the programs come from:

1. `POSTGRES_BIN_DIR` when set (an operator's explicit choice wins);
2. the embedded server's own binaries (pgserver) when `DATABASE_URL` is unset;
3. otherwise `PATH`.

A mismatch is reported before any job needs the programs: by a system check (every `manage.py` command,
so `make run` prints it), by `/readyz` (503 with the reason) and, should a job still get there, by
`PostgresToolError` instead of pg_dump's own message.
"""

import functools
import re
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.core import checks
from django.db import connection

CLIENT_PROGRAMS = ("pg_dump", "psql")


class PostgresToolError(RuntimeError):
    pass


def bin_dir() -> Path | None:
    """Where the client programs are taken from; None means PATH."""
    if settings.POSTGRES_BIN_DIR:
        return Path(settings.POSTGRES_BIN_DIR)
    if settings.EMBEDDED_DATABASE:
        from backa_platform import embedded_database

        return embedded_database.bin_dir()
    return None


def program_path(name: str) -> str:
    folder = bin_dir()
    if folder is None:
        found = shutil.which(name)
        if not found:
            raise PostgresToolError(f"{name} is not on PATH: install PostgreSQL's clients or set POSTGRES_BIN_DIR")
        return found
    path = folder / name
    if not path.is_file():
        raise PostgresToolError(f"{name} is not in POSTGRES_BIN_DIR or the embedded server's folder ({folder}).")
    return str(path)


@functools.lru_cache(maxsize=32)
def _program_major_version(path: str, modified: float) -> int:
    # Keyed by modification time too: a package upgrade replacing the binary is seen without a restart.
    try:
        output = subprocess.run(  # noqa: S603 - a PostgreSQL client program, fixed argument
            [path, "--version"], capture_output=True, text=True, timeout=10, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError) as error:
        raise PostgresToolError(f"{path} --version failed: {error}") from error
    # "pg_dump (PostgreSQL) 16.2", "psql (PostgreSQL) 15.8 (Debian 15.8-0+deb12u1)", "… 17beta1"
    match = re.search(r"\(PostgreSQL\)\s+(\d+)", output)
    if not match:
        raise PostgresToolError(f"{path} --version did not name a PostgreSQL version: {output.strip()[:200]}")
    return int(match.group(1))


def program_major_version(path: str) -> int:
    return _program_major_version(path, Path(path).stat().st_mtime)


def server_major_version() -> int:
    """The connected server's major version (`server_version_num` 160002 is 16)."""
    connection.ensure_connection()
    return connection.pg_version // 10000


def program_problem(name: str, server_major: int) -> str | None:
    """Why `name` cannot be used against a server of `server_major`, or None when it can."""
    try:
        path = program_path(name)
        major = program_major_version(path)
    except PostgresToolError as error:
        return str(error)
    if major != server_major:
        return (
            f"{path} is PostgreSQL {major} but the server is PostgreSQL {server_major}: "
            f"use the server's own client programs (set POSTGRES_BIN_DIR)."
        )
    return None


def problems(server_major: int) -> list[str]:
    return [problem for name in CLIENT_PROGRAMS if (problem := program_problem(name, server_major))]


def command(name: str, *args: str) -> list[str]:
    """The argument list running `name` against the configured server; PostgresToolError when it cannot."""
    problem = program_problem(name, server_major_version())
    if problem:
        raise PostgresToolError(problem)
    return [program_path(name), *args]


@checks.register()
def postgres_client_programs_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """The same comparison as /readyz at every manage.py command; nothing to compare when the database is down."""
    from django.db import DatabaseError

    try:
        server_major = server_major_version()
    except DatabaseError:
        return []
    return [
        checks.Warning(problem, hint="Provisioning tenants and exports will fail.", id="backa_platform.W001")
        for problem in problems(server_major)
    ]
