"""Test set-up: the demo tenants are built once per session, and each test runs in a transaction.

Building schemas per test class is what makes django-tenants suites take hours (DESIGN.md §7).
"""

import importlib.util
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.utils import translation
from django_tenants.utils import tenant_context

from backa_platform.celery import app as celery_app
from modules.accounts.services import user_create
from tenants.demo import DEMO_TENANTS, demo_seed
from tenants.models import Tenant

TEST_PASSWORD = "Korrekt-häst-batteri-42"


def pytest_configure(config):
    """Compile the English catalogue if it is missing or stale: the .mo is not committed (make install compiles
    it), and a bare `pytest` in a fresh clone must still show the English pages."""
    path = Path(__file__).resolve().parent.parent / "locale" / "catalogue.py"
    spec = importlib.util.spec_from_file_location("backa_catalogue", path)
    catalogue = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(catalogue)
    catalogue.compile_mo()


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_blocker):
    """The test database with the demo tenants' schemas, made once for the whole session.

    Replaces pytest-django's fixture, which sets up only the databases that tests marked for it use: a run
    of only `committed_db` tests would otherwise write to the development database.
    """
    from django.test.utils import setup_databases, teardown_databases

    with django_db_blocker.unblock():
        databases = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        demo_seed()
        connection.set_schema_to_public()
    yield
    with django_db_blocker.unblock():
        # Workers and server threads may still hold connections; they would keep the database from being dropped.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        teardown_databases(databases, verbosity=0)


@pytest.fixture
def committed_db(django_db_setup, django_db_blocker):
    """Database access without the per-test transaction, for a worker or a server in another thread or process.

    Never use pytest-django's transactional_db or live_server here: their teardown flushes every table in
    public, the tenant registry included. A test using this fixture deletes the rows it made itself.
    """
    with django_db_blocker.unblock():
        assert connection.settings_dict["NAME"].startswith("test_"), "not the test database"
        yield
        connection.set_schema_to_public()


@pytest.fixture(autouse=True)
def _back_to_public_schema():
    yield
    connection.set_schema_to_public()


@pytest.fixture(autouse=True)
def _swedish():
    # A request in English leaves its language active on the thread; every test starts in Swedish.
    translation.activate("sv")
    yield
    translation.activate("sv")


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # Tasks run in the test's own process and transaction, except under the real worker (test_celery.py).
    celery_app.conf.task_always_eager = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PUBLIC_URL_SCHEME = "http"
    settings.PUBLIC_URL_PORT = ""


def _tenant(subdomain: str) -> Tenant:
    demo = next(demo for demo in DEMO_TENANTS if demo.subdomain == subdomain)
    return Tenant.objects.get(organisation_number=demo.organisation_number)


@pytest.fixture
def central(db) -> Tenant:
    return Tenant.objects.get(kind=Tenant.Kind.CENTRAL)


@pytest.fixture
def ystad(db) -> Tenant:
    return _tenant("ystad")


@pytest.fixture
def skane(db) -> Tenant:
    return _tenant("skane")


def make_user(tenant: Tenant, *, email: str, role: str, full_name: str = "Test Testsson"):
    with tenant_context(tenant):
        return user_create(email=email, full_name=full_name, role=role, password=TEST_PASSWORD)


def client_for(tenant: Tenant) -> Client:
    """A test client that talks to ``tenant``'s own host."""
    return Client(HTTP_HOST=tenant.primary_domain)


def logged_in_client(tenant: Tenant, email: str) -> Client:
    client = client_for(tenant)
    response = client.post("/login/", {"username": email, "password": TEST_PASSWORD})
    assert response.status_code == 302, "login failed"
    return client
