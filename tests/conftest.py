"""Test set-up: the demo tenants are built once per session, and each test runs in a transaction.

Building schemas per test class is what makes django-tenants suites take hours (DESIGN.md §7).
"""

import pytest
from django.db import connection
from django.test import Client
from django_tenants.utils import tenant_context

from backa_platform.celery import app as celery_app
from modules.accounts.services import user_create
from tenants.demo import DEMO_TENANTS, demo_seed
from tenants.models import Tenant

TEST_PASSWORD = "Korrekt-häst-batteri-42"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    created = None
    with django_db_blocker.unblock():
        name, test_name = connection.settings_dict["NAME"], connection.settings_dict["TEST"].get("NAME")
        if name != test_name and not name.startswith("test_"):
            # pytest-django sets up the test database only when a selected test uses `db`; a run of only
            # committed_db tests (e.g. one worker test file) would otherwise write into the development database.
            from django.test.utils import setup_databases

            created = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        demo_seed()
        connection.set_schema_to_public()
    yield
    if created is not None:
        from django.test.utils import teardown_databases

        with django_db_blocker.unblock():
            _end_other_sessions()
            teardown_databases(created, verbosity=0)


@pytest.fixture
def committed_db(django_db_setup, django_db_blocker):
    """Database access without the per-test transaction, for a worker or a server in another thread or process.

    Never use pytest-django's transactional_db or live_server here: their teardown flushes every table in
    public, the tenant registry included. A test using this fixture deletes the rows it made itself.
    """
    with django_db_blocker.unblock():
        yield
        connection.set_schema_to_public()


@pytest.fixture(autouse=True)
def _back_to_public_schema():
    yield
    connection.set_schema_to_public()


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


@pytest.fixture(scope="session", autouse=True)
def _end_worker_database_sessions(django_db_setup, django_db_blocker):
    """In-thread Celery workers keep their database connection (CELERY_DB_REUSE_MAX) after they stop; end those
    sessions so pytest-django can drop the test database."""
    yield
    with django_db_blocker.unblock():
        _end_other_sessions()


def _end_other_sessions() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
