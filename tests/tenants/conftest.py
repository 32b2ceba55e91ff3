"""Fixtures for onboarding, provisioning and lifecycle tests."""

import pytest
from django.db import connection

from tenants.provisioning.schema import template_current


@pytest.fixture(scope="session")
def schema_template(django_db_setup, django_db_blocker):
    """The tenant schema template, built (by migrations, once) and committed: pg_dump must see it."""
    with django_db_blocker.unblock():
        template = template_current()
        connection.set_schema_to_public()
    return template
