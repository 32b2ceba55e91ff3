"""What the HTTP benchmarks share: their own database beside DATABASE_URL's, and gunicorn started and awaited."""

import datetime
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def bench_database_url(explicit: str, *, suffix: str, name: str) -> str:
    """``explicit`` if given, else DATABASE_URL with ``suffix`` appended to its database name."""
    if explicit:
        return explicit
    base = os.environ.get("DATABASE_URL")
    if not base:
        sys.exit(f"{name}: set DATABASE_URL (a PostgreSQL server; the benchmark uses <name>{suffix} on it)")
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + suffix))


def ensure_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def gunicorn_start(*, code: Path, port: int, workers: int, env: dict, log: Path, name: str) -> subprocess.Popen:
    """gunicorn with the deploy config serving ``code`` on 127.0.0.1:``port``, returned once /healthz answers."""
    import requests

    server = subprocess.Popen(  # noqa: S603
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--config",
            str(code / "deploy" / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "backa_platform.wsgi:application",
        ],
        cwd=code,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("ab"),
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"{name}: gunicorn exited; see {log}")
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200:
                return server
        except requests.RequestException:
            time.sleep(0.2)
    server.terminate()
    sys.exit(f"{name}: gunicorn did not start; see {log}")


def results_write(output: str, prefix: str, record: dict) -> Path:
    """The run's figures as JSON in ``output`` (``<prefix>-<UTC time>.json``), its path printed."""
    folder = Path(output)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    path = folder / f"{prefix}-{stamp}.json"
    path.write_text(json.dumps(record, indent=2))
    print(f"\nresults: {path}")
    return path
