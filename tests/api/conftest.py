"""API tests (every file driving /api/ as its subject lives here, named after the api/ module it tests)."""

import pytest


@pytest.fixture(autouse=True)
def _api_test_defaults(fast_password_hashing, swedish_outside_requests):
    """Cheap password hashing for the many accounts these tests make; services called directly speak Swedish."""
