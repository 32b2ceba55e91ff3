"""Defaults of the tests of the tenant apps (the world they build lives in tests/factories.py)."""

import pytest


@pytest.fixture(autouse=True)
def _module_test_defaults(fast_password_hashing, swedish_outside_requests):
    """Cheap password hashing for the many accounts these tests make; services called directly speak Swedish."""
