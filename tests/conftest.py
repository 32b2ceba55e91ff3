"""Test set-up: the demo tenants are built once per session, and each test runs in a transaction.

Building schemas per test class is what makes django-tenants suites take hours (DESIGN.md §7).
"""

import importlib.util
import os
import shutil
from pathlib import Path

import pytest
from django.db import connection
from django.utils import translation

from backa_platform.celery import app as celery_app
from tenants.demo import demo_seed
from tenants.models import Tenant
from tests.factories import World, build_world, central_drafts_load, demo_tenant, release_installed


def pytest_configure(config):
    """Compile the English catalogue if it is missing or stale: the .mo is not committed (make install compiles
    it), and a bare `pytest` in a fresh clone must still show the English pages."""
    path = Path(__file__).resolve().parent.parent / "locale" / "catalogue.py"
    spec = importlib.util.spec_from_file_location("backa_catalogue", path)
    catalogue = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(catalogue)
    catalogue.compile_mo()


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_blocker, django_db_modify_db_settings):
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
        # This thread's own connection may have been ended by the last test (a restarted database, a stopped
        # worker sharing it): a fresh one runs the clean-up.
        connection.close()
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


@pytest.fixture
def central(db) -> Tenant:
    return Tenant.objects.get(kind=Tenant.Kind.CENTRAL)


@pytest.fixture
def ystad(db) -> Tenant:
    return demo_tenant("ystad")


@pytest.fixture
def skane(db) -> Tenant:
    return demo_tenant("skane")


@pytest.fixture
def world(ystad) -> World:
    """A small Ystad: organisations, units, staff in every role, and a child with its relationships."""
    return build_world(ystad)


@pytest.fixture
def installed(world):
    """Ystad's wording published centrally and installed (current) in the world's tenant."""
    return release_installed(world.tenant)


@pytest.fixture
def drafts(db):
    """The default content (Ystad's wording) as central drafts."""
    central_drafts_load()


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run the on-commit callbacks (the rollout's task sends, eager here) of the block it wraps."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Cheap password hashes for every test's accounts, readable by a server in another process (tests/hashers.py)."""
    settings.PASSWORD_HASHERS = ["tests.hashers.FastPBKDF2PasswordHasher", *settings.PASSWORD_HASHERS]


@pytest.fixture
def swedish_outside_requests():
    # A request in English leaves English active in the thread; services called directly speak Swedish.
    with translation.override("sv"):
        yield


CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


# One Chromium per test process for every test that draws a page (tests/e2e, the compass chart): a second
# sync_playwright in the same thread refuses to start while the first one's event loop is alive.
@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: `make test` installs it (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop on this thread; Django then refuses ORM calls from the test
    # body although they are ordinary synchronous calls. The server thread is unaffected.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    yield page
    context.close()
