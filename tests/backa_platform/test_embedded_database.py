"""The embedded PostgreSQL starts again after any stop: a starter killed mid-way, a killed server, the files
pgserver's own handle left half-written. Each test starts its own server in a temporary state folder."""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import pytest

from backa_platform import embedded_database

pytestmark = pytest.mark.embedded

REPO = Path(__file__).resolve().parents[2]
START = (
    "import sys, pathlib; from backa_platform.embedded_database import ensure_running;"
    " ensure_running(pathlib.Path(sys.argv[1]))"
)


def starter(state_dir: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", START, str(state_dir)],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def answers(state_dir: Path) -> int:
    with psycopg.connect(embedded_database.ensure_running(state_dir), connect_timeout=5) as conn:
        return conn.execute("SHOW server_version_num").fetchone()[0]


def postmaster_pid(state_dir: Path) -> int:
    return int((state_dir / "pgdata" / "postmaster.pid").read_text().splitlines()[0])


@pytest.fixture
def state_dir():
    # Not under pytest's tmp_path: another pytest session on this machine closes /tmp/pytest-of-<user> again.
    folder = Path(tempfile.mkdtemp(prefix="backa-embedded-")) / "state"
    yield folder
    embedded_database.stop(folder)
    shutil.rmtree(folder.parent)


def test_a_starter_killed_at_any_moment_leaves_a_state_that_starts(state_dir):
    # Killed while initdb runs, while the server starts, and after: each time the next start works.
    for delay in (0.3, 0.8, 1.5, 3.0):
        process = starter(state_dir)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert int(answers(state_dir)) >= 160000
    embedded_database.stop(state_dir)
    assert not (state_dir / "pgdata" / "postmaster.pid").exists()


@pytest.mark.parametrize("signal_number", [signal.SIGKILL, signal.SIGTERM])
def test_a_stopped_or_killed_server_starts_again(state_dir, signal_number):
    answers(state_dir)
    pid = postmaster_pid(state_dir)
    os.kill(pid, signal_number)
    for _ in range(100):  # the postmaster and its children gone
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    time.sleep(0.5)
    assert answers(state_dir)
    assert postmaster_pid(state_dir) != pid


def test_half_written_files_of_pgserver_and_a_stale_pid_file_do_not_stop_a_start(state_dir):
    """What a killed `make run` left with pgserver's own handle: an empty process list, a stale postmaster.pid."""
    answers(state_dir)
    pgdata = state_dir / "pgdata"
    pid = postmaster_pid(state_dir)
    os.kill(pid, signal.SIGKILL)
    time.sleep(1)
    (pgdata / ".handle_pids.json").write_text("")  # truncated, never rewritten: pgserver's JSONDecodeError
    lines = (pgdata / "postmaster.pid").read_text().splitlines()
    lines[0] = "1"  # a PID that is alive but is not this server (reused after a reboot or in a container)
    (pgdata / "postmaster.pid").write_text("\n".join(lines) + "\n")

    assert answers(state_dir)
    assert postmaster_pid(state_dir) not in (1, pid)


def test_stop_after_a_killed_server_does_not_fail(state_dir):
    answers(state_dir)
    os.kill(postmaster_pid(state_dir), signal.SIGKILL)
    time.sleep(1)
    embedded_database.stop(state_dir)  # `make stop-db`: pg_ctl alone fails with "could not send stop signal"
    assert not (state_dir / "pgdata" / "postmaster.pid").exists()
    assert answers(state_dir)


def test_an_interrupted_initdb_in_place_is_redone_and_a_foreign_folder_refused(state_dir):
    pgdata = state_dir / "pgdata"
    pgdata.mkdir(parents=True)
    (pgdata / "notes.txt").write_text("not a database")
    with pytest.raises(RuntimeError, match="neither empty nor a PostgreSQL data folder"):
        embedded_database.ensure_running(state_dir)
    (pgdata / "notes.txt").unlink()
    (pgdata / "postgresql.conf").write_text("")  # what pgserver's in-place initdb leaves when killed
    assert answers(state_dir)
