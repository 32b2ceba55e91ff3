"""The embedded PostgreSQL used when DATABASE_URL is unset, so a fresh machine needs no database setup.

pgserver bundles PostgreSQL binaries and handles running as root (it runs the server as its own user).
The server keeps running after the process exits, so the web server, the worker and the tests share it;
`make stop-db` stops it.
"""

import secrets
from pathlib import Path


def ensure_running(state_dir: Path) -> str:
    """Start the embedded server if it is not running and return its connection URL."""
    try:
        import pgserver
    except ImportError as error:  # pragma: no cover - depends on the install
        raise RuntimeError(
            "DATABASE_URL is not set and the embedded PostgreSQL is not installed. "
            "Run `make run` (it installs the 'embedded' extra) or set DATABASE_URL."
        ) from error
    state_dir.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(state_dir / "pgdata", cleanup_mode=None)
    # pgserver answers with a socket URL: postgresql://postgres:@/postgres?host=/path/to/pgdata
    return server.get_uri("postgres")


def local_secret_key(state_dir: Path) -> str:
    """A development secret key, created once and kept in the git-ignored state folder."""
    state_dir.mkdir(parents=True, exist_ok=True)
    key_file = state_dir / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()
