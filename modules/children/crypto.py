"""Encryption at rest and keyed lookup for personnummer. Keys come from settings (the environment)."""

import hashlib
import hmac

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


def _fernet() -> MultiFernet:
    # Read on every call (cheap): a rotation run with new keys must not use keys cached at import.
    return MultiFernet([Fernet(key) for key in settings.PERSONNUMMER_ENCRYPTION_KEYS])


def personnummer_encrypt(digits: str) -> str:
    return _fernet().encrypt(digits.encode()).decode()


def personnummer_decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()


def personnummer_reencrypt(token: str) -> str:
    """The same number under the first (newest) key."""
    return _fernet().rotate(token.encode()).decode()


def personnummer_lookup_hash(digits: str) -> str:
    """Keyed HMAC-SHA256: equal numbers hash equally, and without the key the hash cannot be brute-forced
    from the small space of valid personnummer."""
    return hmac.new(settings.PERSONNUMMER_LOOKUP_KEY.encode(), digits.encode(), hashlib.sha256).hexdigest()
