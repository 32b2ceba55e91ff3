"""Development keys kept in the git-ignored state folder, like the development SECRET_KEY. Production sets
the environment variables instead (settings refuse to start without them when BACKA_REQUIRE_SECRET_KEY=1)."""

import base64
import secrets
from pathlib import Path


def local_fernet_key(state_dir: Path, name: str) -> str:
    """A Fernet key (also used as an HMAC key), created once in ``state_dir/name``."""
    state_dir.mkdir(parents=True, exist_ok=True)
    key_file = state_dir / name
    if not key_file.exists():
        key_file.write_text(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
        key_file.chmod(0o600)
    return key_file.read_text().strip()
