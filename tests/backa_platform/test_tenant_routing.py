"""The per-process host cache in front of django-tenants' tenant lookup stays tenant-safe."""

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from modules.accounts.models import User
from tenants import routing as tenant_routing
from tenants.models import Domain
from tests.factories import demo_tenant, logged_in_client, make_user


@pytest.fixture(autouse=True)
def _empty_cache():
    tenant_routing.tenant_cache_clear()
    yield
    tenant_routing.tenant_cache_clear()


def get(host: str, path: str = "/"):
    return Client(HTTP_HOST=host).get(path)


def domain_lookups(queries) -> int:
    """The middleware's query: a domain joined with its tenant (select_related)."""
    return sum('FROM "tenants_domain" INNER JOIN "tenants_tenant"' in query["sql"] for query in queries)


def test_alternating_hosts_each_get_their_own_tenant_from_the_cache(committed_db, settings):
    settings.TENANT_DOMAIN_CACHE_SECONDS = 60
    ystad, skane = demo_tenant("ystad"), demo_tenant("skane")
    get("ystad.localhost"), get("skane.localhost")  # fill the cache

    with CaptureQueriesContext(connection) as queries:
        for _ in range(10):
            for tenant, name in ((ystad, "Ystads kommun"), (skane, "Region Skåne")):
                response = get(tenant.primary_domain)
                assert response.status_code == 200
                assert name in response.content.decode()
                assert response.wsgi_request.tenant.schema_name == tenant.schema_name
                assert connection.schema_name == tenant.schema_name
    assert domain_lookups(queries) == 0, "answered from the cache"


def test_a_new_domain_answers_at_once_and_a_deleted_one_stops_at_once(committed_db, settings):
    settings.TENANT_DOMAIN_CACHE_SECONDS = 60
    ystad = demo_tenant("ystad")
    assert get("extra-ystad.localhost").status_code == 404
    domain = Domain.objects.create(tenant=ystad, domain="extra-ystad.localhost", is_primary=False)
    try:
        assert get("extra-ystad.localhost").wsgi_request.tenant.schema_name == ystad.schema_name
    finally:
        domain.delete()
    assert get("extra-ystad.localhost").status_code == 404


def test_unknown_hosts_are_never_cached(committed_db, settings):
    settings.TENANT_DOMAIN_CACHE_SECONDS = 60
    for n in range(20):
        assert get(f"okand{n}.localhost").status_code == 404
    assert len(tenant_routing._cache) == 0


def test_nothing_read_inside_a_transaction_is_cached(ystad, settings):
    # Inside a transaction a row may yet be rolled back: the lookup goes to the database every time.
    settings.TENANT_DOMAIN_CACHE_SECONDS = 60
    assert connection.in_atomic_block
    assert get(ystad.primary_domain).status_code == 200
    assert len(tenant_routing._cache) == 0


def test_cached_hosts_expire_and_the_cache_is_bounded(committed_db, settings, monkeypatch):
    settings.TENANT_DOMAIN_CACHE_SECONDS = 5
    settings.TENANT_DOMAIN_CACHE_MAX_ENTRIES = 1
    now = [1000.0]
    monkeypatch.setattr(tenant_routing.time, "monotonic", lambda: now[0])
    get("ystad.localhost")
    get("skane.localhost")
    assert list(tenant_routing._cache) == ["skane.localhost"]

    now[0] += 6
    with CaptureQueriesContext(connection) as queries:
        assert get("skane.localhost").status_code == 200
    assert domain_lookups(queries) == 1, "looked up again after expiry"


def test_what_one_request_does_to_its_tenant_object_does_not_reach_the_next(committed_db, settings):
    settings.TENANT_DOMAIN_CACHE_SECONDS = 60
    first = get("ystad.localhost").wsgi_request.tenant
    first.name = "Ändrad av en request"
    assert get("ystad.localhost").wsgi_request.tenant.name == "Ystads kommun"


def test_with_the_cache_off_every_request_looks_the_host_up(committed_db, settings):
    settings.TENANT_DOMAIN_CACHE_SECONDS = 0
    with CaptureQueriesContext(connection) as queries:
        get("ystad.localhost")
        get("ystad.localhost")
    assert domain_lookups(queries) == 2
    assert len(tenant_routing._cache) == 0


def test_each_request_sets_its_own_tenants_search_path_once(committed_db, settings):
    settings.TENANT_DOMAIN_CACHE_SECONDS = 60
    ystad, skane = demo_tenant("ystad"), demo_tenant("skane")
    clients = {}
    created = []
    sessions_before = set()
    for tenant in (ystad, skane):
        with tenant_context(tenant):
            sessions_before |= set(Session.objects.values_list("session_key", flat=True))
    try:
        for tenant in (ystad, skane):
            created.append((tenant, make_user(tenant, email="routing@example.se", role=User.Role.STAFF)))
            clients[tenant.schema_name] = logged_in_client(tenant, "routing@example.se")
        for _ in range(3):
            for tenant in (ystad, skane, ystad):
                with CaptureQueriesContext(connection) as queries:
                    response = clients[tenant.schema_name].get("/api/me/")
                assert response.status_code == 200
                assert response.json()["email"] == "routing@example.se"
                search_paths = [query["sql"] for query in queries if query["sql"].startswith("SET search_path")]
                # One SET per request, for this tenant: no detour through public, none left from the last request.
                assert search_paths == [f'SET search_path = "{tenant.schema_name}","public"']
    finally:
        for tenant, user in created:
            with tenant_context(tenant):
                Session.objects.exclude(session_key__in=sessions_before).delete()
                user.delete()


def test_a_cached_tenant_records_signed_in_activity_once_not_on_every_request(committed_db, settings):
    # committed_db: the host cache is only used outside a transaction (rows it caches are committed).
    settings.TENANT_DOMAIN_CACHE_SECONDS = 60
    ystad = demo_tenant("ystad")
    user = make_user(ystad, email="aktiv-cache@ystad.example.se", role=User.Role.STAFF)
    try:
        client = logged_in_client(ystad, user.email)
        connection.set_schema_to_public()
        ystad.__class__.objects.filter(pk=ystad.pk).update(last_activity_at=None)  # no activity yet
        tenant_routing.tenant_cache_clear()
        with CaptureQueriesContext(connection) as queries:
            for _ in range(5):
                assert client.get("/").status_code == 200
        connection.set_schema_to_public()
        writes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('UPDATE "tenants_tenant"')]
        assert len(writes) == 1, writes
        ystad.refresh_from_db()
        assert ystad.last_activity_at is not None
    finally:
        with tenant_context(ystad):
            Session.objects.all().delete()
            user.delete()


def test_suspending_and_reactivating_through_the_service_is_seen_at_once_by_this_process(committed_db, settings):
    # The lifecycle services write the status with an UPDATE (no post_save): the cache must still learn it.
    from tenants.models import Tenant
    from tenants.services import tenant_reactivate, tenant_suspend

    settings.TENANT_DOMAIN_CACHE_SECONDS = 60
    ystad = demo_tenant("ystad")
    assert get(ystad.primary_domain, "/login/").status_code == 200  # cached as active
    try:
        connection.set_schema_to_public()
        tenant_suspend(tenant=ystad, acting_user=None, reason="Paus.")
        assert get(ystad.primary_domain, "/login/").status_code == 503
        assert get(ystad.primary_domain, "/login/").status_code == 503  # the paused answer is not cached stale

        connection.set_schema_to_public()
        tenant_reactivate(tenant=ystad, acting_user=None, reason="Klart.")
        assert get(ystad.primary_domain, "/login/").status_code == 200
    finally:
        connection.set_schema_to_public()
        Tenant.objects.filter(pk=ystad.pk).update(status=Tenant.Status.ACTIVE)
        ystad.events.filter(kind__in=["suspended", "reactivated"]).delete()
        tenant_routing.tenant_cache_clear()


def test_a_closed_tenant_is_not_kept_in_the_cache(committed_db, settings):
    # A paused tenant answers 503 cheaply; not caching it means every process sees its reopening at once.
    from tenants.models import Tenant

    settings.TENANT_DOMAIN_CACHE_SECONDS = 60
    ystad = demo_tenant("ystad")
    Tenant.objects.filter(pk=ystad.pk).update(status=Tenant.Status.SUSPENDED)
    try:
        assert get(ystad.primary_domain, "/login/").status_code == 503
        assert ystad.primary_domain not in tenant_routing._cache
        # Another process reopens it: a plain UPDATE this process hears nothing about.
        Tenant.objects.filter(pk=ystad.pk).update(status=Tenant.Status.ACTIVE)
        assert get(ystad.primary_domain, "/login/").status_code == 200
    finally:
        Tenant.objects.filter(pk=ystad.pk).update(status=Tenant.Status.ACTIVE)
