"""The embedded PostgreSQL used when DATABASE_URL is unset, so a fresh machine needs no database setup.

pgserver supplies the PostgreSQL binaries (and, as root, the unprivileged `pgserver` user the server runs as).
Its own server handle is not used: it counts the processes using a server in `pgdata/.handle_pids.json`,
rewritten in place (truncate, then write) by every process that starts or exits, so a process killed in
between leaves an empty or half-written file and every later start fails with a JSONDecodeError. It also
trusts `postmaster.pid` as long as *some* process has the recorded PID and asserts the file is complete.
With `cleanup_mode=None` that count served nothing, so this module starts and stops the server itself with
pgserver's `initdb` and `pg_ctl`, deciding from the server's own files and the processes that hold them:

- the data folder is initialised in a temporary folder and renamed into place, so an interrupted `initdb`
  leaves nothing that looks initialised;
- a `postmaster.pid` whose process is gone or is not this data folder's postmaster is removed before
  starting (PostgreSQL refuses to start when a reused PID belongs to another process);
- starts and stops are serialised by a lock file next to the data folder (released by the kernel when the
  holder dies, so it cannot go stale).

The server keeps running after the process that started it exits (its own session, so Ctrl-C in `make run`
does not reach it); the web server, the worker and the tests share it, and `make stop-db` stops it.
"""

import contextlib
import fcntl
import hashlib
import logging
import os
import secrets
import shutil
import subprocess
import tempfile
import time
import warnings
from contextlib import contextmanager
from pathlib import Path

logger = logging.getLogger(__name__)

START_TIMEOUT_SECONDS = 60
# postmaster.pid: pid, data folder, start time, port, socket folder, listen address, shared memory, status.
_PID_FILE_LINES = 8


def _pgserver():
    # platformdirs warns at import when XDG_RUNTIME_DIR is unset (containers, CI); it falls back to /tmp.
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
    try:
        import pgserver._commands
    except ImportError as error:  # pragma: no cover - depends on the install
        raise RuntimeError(
            "DATABASE_URL is not set and the embedded PostgreSQL is not installed. "
            "Run `make run` (it installs the 'embedded' extra) or set DATABASE_URL."
        ) from error
    return pgserver._commands


def bin_dir() -> Path:
    """The folder with the embedded server's own binaries (postgres, pg_ctl, pg_dump, psql, ...)."""
    return _pgserver().POSTGRES_BIN_PATH


def _system_user() -> str | None:
    """PostgreSQL refuses to run as root: as root the server runs as pgserver's unprivileged user."""
    if os.geteuid() != 0:
        return None
    _pgserver()
    from pgserver.utils import ensure_user_exists

    ensure_user_exists("pgserver")
    return "pgserver"


def _run(binary: str, args: list[str], *, user: str | None, timeout: float) -> None:
    # Output goes to an anonymous file, not a pipe: the postmaster inherits pg_ctl's descriptors and would
    # hold a pipe open for its whole life. Its own session keeps Ctrl-C on the terminal from stopping it.
    with tempfile.TemporaryFile("w+") as output:
        result = subprocess.run(  # noqa: S603 - the embedded server's own binary, fixed arguments
            [str(bin_dir() / binary), *args],
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            user=user,
            timeout=timeout,
            start_new_session=True,
            check=False,
        )
        output.seek(0)
        text = output.read()
    if result.returncode != 0:
        raise RuntimeError(f"{binary} {' '.join(args)} failed ({result.returncode}): {text.strip()[-2000:]}")


@contextmanager
def _lock(state_dir: Path):
    with open(state_dir / "pgdata.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _read_pid_file(pgdata: Path) -> list[str] | None:
    try:
        return (pgdata / "postmaster.pid").read_text().splitlines()
    except (FileNotFoundError, UnicodeDecodeError):
        return None


def _postmaster_alive(pgdata: Path, lines: list[str] | None) -> bool:
    """True when the PID in postmaster.pid is a live postgres process serving this data folder."""
    import psutil

    if not lines or not lines[0].strip().isdigit():
        return False
    try:
        process = psutil.Process(int(lines[0]))
        if process.status() == psutil.STATUS_ZOMBIE:
            return False
        command = process.cmdline()
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return False
    return bool(command) and Path(command[0]).name == "postgres" and str(pgdata) in command


def _ready_url(pgdata: Path) -> str | None:
    """The connection URL of this data folder's server when it has finished starting, else None."""
    lines = _read_pid_file(pgdata)
    if not lines or len(lines) < _PID_FILE_LINES or lines[7].strip() != "ready":
        return None
    if not _postmaster_alive(pgdata, lines):
        return None
    socket_dir, port = lines[4].strip(), lines[3].strip()
    if not socket_dir or not (Path(socket_dir) / f".s.PGSQL.{port}").exists():
        return None
    # The server listens on the default port's socket name (no -p), as pgserver's URL assumes.
    return f"postgresql://postgres:@/postgres?host={socket_dir}"


def _initialise(pgdata: Path, user: str | None) -> None:
    if (pgdata / "PG_VERSION").exists():
        return
    if pgdata.exists() and any(pgdata.iterdir()):
        # No PG_VERSION but files: an initdb interrupted before this module initialised into a temporary
        # folder (pgserver ran initdb in place). Nothing usable can be in it; anything else is not ours.
        if not ((pgdata / "postgresql.conf").exists() or (pgdata / "base").exists()):
            raise RuntimeError(f"{pgdata} is neither empty nor a PostgreSQL data folder: move it away.")
        logger.warning("Removing the incomplete embedded database folder %s", pgdata)
        shutil.rmtree(pgdata)
    staging = pgdata.with_name(f"{pgdata.name}.initdb-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(mode=0o700)
    if user is not None:
        import pwd

        from pgserver.utils import ensure_prefix_permissions

        ensure_prefix_permissions(staging)
        entry = pwd.getpwnam(user)
        os.chown(staging, entry.pw_uid, entry.pw_gid)
    _run(
        "initdb",
        ["-D", str(staging), "--auth=trust", "--auth-local=trust", "--encoding=utf8", "-U", "postgres"],
        user=user,
        timeout=300,
    )
    if pgdata.exists():
        pgdata.rmdir()
    staging.rename(pgdata)


def _socket_dir(pgdata: Path, user: str | None) -> Path:
    """pgdata itself, unless its path is too long for a Unix socket name (about 107 bytes)."""
    if len(str(pgdata / ".s.PGSQL.5432").encode()) < 100:
        return pgdata
    digest = hashlib.sha256(f"{pgdata}-{pgdata.stat().st_ino}".encode()).hexdigest()[:12]
    folder = Path("/tmp") / f"backa-pg-{digest}"  # noqa: S108 - a socket folder, named after the data folder
    folder.mkdir(exist_ok=True)
    if user is not None:
        folder.chmod(0o777)
    return folder


def _remove_stale_files(pgdata: Path) -> None:
    """postmaster.pid (and its socket lock) of a server that is no longer running."""
    lines = _read_pid_file(pgdata)
    if lines is None and not (pgdata / "postmaster.pid").exists():
        return
    if _postmaster_alive(pgdata, lines):
        return
    logger.warning("Removing a stale postmaster.pid from %s (the server it names is not running)", pgdata)
    if lines and len(lines) > 4 and lines[4].strip():
        port = lines[3].strip() or "5432"
        (Path(lines[4].strip()) / f".s.PGSQL.{port}.lock").unlink(missing_ok=True)
        (Path(lines[4].strip()) / f".s.PGSQL.{port}").unlink(missing_ok=True)
    (pgdata / "postmaster.pid").unlink(missing_ok=True)


def _open_path_to(pgdata: Path, user: str | None) -> None:
    """As root, let the server's user reach the data folder: its parents may have been closed since (pytest
    resets /tmp/pytest-of-root to 0700 at every session, for example)."""
    if user is not None:
        from pgserver.utils import ensure_prefix_permissions

        ensure_prefix_permissions(pgdata)


def _start(pgdata: Path, user: str | None) -> None:
    _open_path_to(pgdata, user)
    if user is not None:
        from pgserver.utils import ensure_folder_permissions, ensure_prefix_permissions

        ensure_prefix_permissions(bin_dir())
        ensure_folder_permissions(bin_dir(), 0o055)
        ensure_folder_permissions(bin_dir().parent / "lib", 0o044)
    socket_dir = _socket_dir(pgdata, user)
    _run(
        "pg_ctl",
        [
            "-D",
            str(pgdata),
            "-w",
            "-t",
            str(START_TIMEOUT_SECONDS),
            "-l",
            str(pgdata / "log"),
            "-o",
            f'-h "" -k {socket_dir}',
            "start",
        ],
        user=user,
        timeout=START_TIMEOUT_SECONDS + 10,
    )


def ensure_running(state_dir: Path) -> str:
    """Start the embedded server if it is not running and return its connection URL."""
    state_dir.mkdir(parents=True, exist_ok=True)
    pgdata = (state_dir / "pgdata").resolve()
    url = _ready_url(pgdata)
    if url:
        return url
    user = _system_user()
    with _lock(state_dir):
        _initialise(pgdata, user)
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not (url := _ready_url(pgdata)):
            lines = _read_pid_file(pgdata)
            if _postmaster_alive(pgdata, lines):
                # Another process's server is still starting (or shutting down): wait for it.
                if time.monotonic() > deadline:
                    raise RuntimeError(f"The embedded PostgreSQL in {pgdata} is not ready; see {pgdata / 'log'}")
                time.sleep(0.2)
                continue
            _remove_stale_files(pgdata)
            _start(pgdata, user)
            if time.monotonic() > deadline:
                raise RuntimeError(f"The embedded PostgreSQL in {pgdata} did not start; see {pgdata / 'log'}")
    return url


def local_secret_key(state_dir: Path) -> str:
    """A development secret key, created once and kept in the git-ignored state folder."""
    state_dir.mkdir(parents=True, exist_ok=True)
    key_file = state_dir / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def stop(state_dir: Path) -> None:
    """Stop the embedded server (`make stop-db`), whatever processes started it; stale files are removed."""
    pgdata = (state_dir / "pgdata").resolve()
    if not (pgdata / "PG_VERSION").exists():
        return
    with _lock(state_dir):
        if _postmaster_alive(pgdata, _read_pid_file(pgdata)):
            user = _system_user()
            _open_path_to(pgdata, user)
            _run("pg_ctl", ["-D", str(pgdata), "-w", "-m", "fast", "stop"], user=user, timeout=120)
        _remove_stale_files(pgdata)


def ensure_role(url: str, role: str) -> str:
    """Create the runtime login in the embedded server if missing (trust auth: no password) and return its URL.

    Its grants come from `manage.py database_roles` after migrating (make migrate)."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone():
            # Another process starting at the same moment may make it first.
            with contextlib.suppress(psycopg.errors.DuplicateObject):
                conn.execute(sql.SQL("CREATE ROLE {} LOGIN NOINHERIT").format(sql.Identifier(role)))
    return url.replace("postgresql://postgres:@", f"postgresql://{role}:@", 1)
