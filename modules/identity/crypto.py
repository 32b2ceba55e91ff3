"""Client secrets at rest and the subject hash sent to the central directory.

Secrets use the personnummer keys' mechanism (settings.PERSONNUMMER_ENCRYPTION_KEYS: Fernet keys from the
environment, rotated by putting a new key first; development falls back to keys in the state folder), so one
key set and one rotation procedure cover every secret at rest."""

import hashlib
import hmac

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in settings.PERSONNUMMER_ENCRYPTION_KEYS])


def secret_encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode() if secret else ""


def secret_decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode() if token else ""


def subject_hash(kind: str, value: str) -> str:
    """Keyed HMAC of one identifier (``kind`` is the attribute's canonical name, e.g. ``hsa_id`` or ``email``):
    the same person has the same hash in every instance, and the directory in public cannot be turned back
    into identifiers without the key."""
    text = f"{kind}\x1f{value.strip().lower()}"
    return hmac.new(settings.PERSONNUMMER_LOOKUP_KEY.encode(), text.encode(), hashlib.sha256).hexdigest()
