"""The child API used by the load test: few queries, tokens, registration, and the OpenAPI schema."""

from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import tenant_context
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from api.pagination import ChildCursorPagination, CountedPagePagination
from modules.children.demo import child_record_demo_seed
from modules.children.selectors import children_visible_to
from tests.factories import logged_in_client, personnummer, token_client


def _token_client(world, user):
    return token_client(world.tenant, user)


def test_child_list_and_detail_take_a_handful_of_queries_with_a_token(world):
    client = _token_client(world, world.contact)
    client.get("/api/children/")  # warm-up (content types, etc.)
    with CaptureQueriesContext(connection) as listing:
        response = client.get("/api/children/")
    assert response.status_code == 200 and response.json()["count"] == 1
    with CaptureQueriesContext(connection) as detail:
        response = client.get(f"/api/children/{world.child.pk}/")
    assert response.status_code == 200 and response.json()["personnummer"] == "20150312-****"
    # The tenant's domain, the token, the total (from the access rule's tables alone), the page, the audit
    # write (one INSERT: the database chains it).
    assert len(_statements(listing)) == 5, "\n".join(_statements(listing))
    # The domain, the token, and one statement: the access decision, the audit write, guardians and units (no
    # concern of one's own: the access decision says so, no query).
    assert len(_statements(detail)) == 3, "\n".join(_statements(detail))


def _statements(context):
    """What the database is asked, without transaction control and the once-per-request search_path."""
    skip = ("SAVEPOINT", "RELEASE SAVEPOINT", "SET search_path")
    return [q["sql"] for q in context.captured_queries if not q["sql"].startswith(skip)]


def test_registering_through_the_api_and_again_finds_the_same_child(world):
    client = logged_in_client(world.tenant, world.outsider.email)
    body = {
        "personnummer": personnummer("20180704"),
        "given_name": "Cleo",
        "family_name": "Ek",
        "as_child_contact": True,
        "unit_ids": [world.preschool.pk],  # the registrant's own unit: a new child makes them its Barnkontakt
    }
    first = client.post("/api/children/", body, content_type="application/json")
    assert first.status_code == 201 and first.json()["access"] == "full"
    again = client.post("/api/children/", {**body, "concern": "Oro"}, content_type="application/json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]


def test_registering_with_a_bad_number_is_a_clear_400(world):
    response = logged_in_client(world.tenant, world.outsider.email).post(
        "/api/children/",
        {"personnummer": "20180704-0000", "given_name": "A", "family_name": "B", "as_child_contact": True},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "000" in response.json()["errors"]["personnummer"][0]


def test_openapi_schema_lists_the_child_endpoints(world):
    response = logged_in_client(world.tenant, world.contact.email).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/children/",
        "/api/children/{child_id}/",
        "/api/children/{child_id}/consents/{consent_id}/withdraw/",
        "/api/access-review/",
        "/api/token/",
    ):
        assert path in paths


def test_the_tenant_api_schema_generates_without_warnings(tmp_path):
    from django.core.management import call_command

    call_command(
        "spectacular", "--urlconf", "backa_platform.urls_tenant", "--fail-on-warn", "--file", str(tmp_path / "s.yml")
    )


def test_search_finds_only_visible_children_and_logs_each_hit(world):
    from django_tenants.utils import tenant_context

    from modules.audit.models import AuditEntry

    contact = logged_in_client(world.tenant, world.contact.email)
    by_name = contact.post("/api/children/search/", {"q": "alva"}).json()
    by_number = contact.post("/api/children/search/", {"q": world.number}).json()
    assert [c["id"] for c in by_name] == [c["id"] for c in by_number] == [world.child.pk]
    page = contact.post("/barn/", {"q": "Andersson"}).content.decode()
    assert f'href="/barn/{world.child.pk}/"' in page
    assert (
        logged_in_client(world.tenant, world.outsider.email).post("/api/children/search/", {"q": "alva"}).json() == []
    )
    with tenant_context(world.tenant):
        assert AuditEntry.objects.filter(action="search_hit", child_id=world.child.pk, actor=world.contact).count() == 3


def test_export_is_the_whole_record_and_is_logged_as_an_export(world):
    from django_tenants.utils import tenant_context

    from modules.audit.models import AuditEntry

    response = logged_in_client(world.tenant, world.contact.email).get(f"/api/children/{world.child.pk}/export/")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    document = response.json()
    assert document["guardians"][0]["name"] == "Maria Andersson"
    assert {e["kind"] for e in document["chronology"]} >= {"child_registered", "consent_given"}
    assert world.number not in response.content.decode()
    with tenant_context(world.tenant):
        assert AuditEntry.objects.filter(action="export", child_id=world.child.pk).count() == 1
    assert (
        logged_in_client(world.tenant, world.raiser.email).get(f"/api/children/{world.child.pk}/export/").status_code
        == 404
    )


class _TwoPerPage(CountedPagePagination):
    page_size = 2


def _page(world, **query):
    request = Request(APIRequestFactory().get("/api/children/", query, HTTP_HOST=world.tenant.primary_domain))
    paginator = _TwoPerPage()
    rows = paginator.paginate_queryset(children_visible_to(user=world.contact), request)
    return paginator.get_paginated_response([child.pk for child in rows]).data


def test_child_list_pages_carry_the_total_and_links_from_one_query(world):
    with tenant_context(world.tenant):
        child_record_demo_seed(email=world.contact.email, children=2)  # three children in all
        with CaptureQueriesContext(connection) as queries:
            first = _page(world)
        last = _page(world, page=2)
        for bad in ("3", "0", "x"):
            with pytest.raises(NotFound):
                _page(world, page=bad)
        visible = list(children_visible_to(user=world.contact).values_list("pk", flat=True))
    assert sum("children_child" in query["sql"] for query in queries.captured_queries) == 1
    assert first["count"] == last["count"] == 3
    assert first["results"] + last["results"] == visible
    assert first["previous"] is None and first["next"].endswith("?page=2")
    assert last["next"] is None and last["previous"].endswith("/api/children/")


def test_an_api_token_says_when_it_expires_and_is_refused_after_that(world, settings):
    issued = logged_in_client(world.tenant, world.contact.email).post("/api/token/")
    assert issued.status_code == 201
    client = Client(HTTP_HOST=world.tenant.primary_domain, HTTP_AUTHORIZATION=f"Token {issued.json()['token']}")
    expires_at = datetime.fromisoformat(issued.json()["expires_at"])
    lifetime = expires_at - timezone.now()
    assert (
        timedelta(hours=settings.API_TOKEN_LIFETIME_HOURS - 1)
        < lifetime
        <= timedelta(hours=settings.API_TOKEN_LIFETIME_HOURS)
    )
    assert client.get("/api/children/").status_code == 200

    settings.API_TOKEN_LIFETIME_HOURS = 0  # the same token, now past its lifetime
    refused = client.get("/api/children/")
    assert refused.status_code == 401 and refused["WWW-Authenticate"] == "Token"
    assert "gått ut" in refused.json()["detail"]
    never_issued = Client(HTTP_HOST=world.tenant.primary_domain, HTTP_AUTHORIZATION="Token not-a-token")
    assert "Ogiltig token" in never_issued.get("/api/children/").json()["detail"]


def test_the_child_list_is_walked_by_next_links_and_back_by_previous_links_each_child_logged(world, monkeypatch):
    from modules.audit.models import AuditEntry

    monkeypatch.setattr(ChildCursorPagination, "page_size", 2)
    with tenant_context(world.tenant):
        child_record_demo_seed(email=world.contact.email, children=4)  # five children in all
        expected = list(children_visible_to(user=world.contact).values_list("pk", flat=True))
    client = _token_client(world, world.contact)
    shown = []

    def get(url):
        body = client.get(url).json()
        shown.extend(row["id"] for row in body["results"])
        return body

    pages, url = [], "/api/children/"
    while url and len(pages) <= 5:
        pages.append(get(url))
        url = pages[-1]["next"] and urlsplit(pages[-1]["next"])._replace(scheme="", netloc="").geturl()
    assert [row["id"] for page in pages for row in page["results"]] == expected
    assert [len(page["results"]) for page in pages] == [2, 2, 1]
    assert {page["count"] for page in pages} == {5} and pages[0]["previous"] is None
    assert all("cursor=" in page["next"] and "page=" not in page["next"] for page in pages[:-1])
    back = get(pages[-1]["previous"])
    assert back["results"] == pages[1]["results"] and back["next"] == pages[1]["next"]
    assert get(back["previous"])["results"] == pages[0]["results"]
    # page=N still works, with cursor links onwards.
    second = get("/api/children/?page=2")
    assert second["results"] == pages[1]["results"] and "cursor=" in second["next"]
    assert get(second["next"])["results"] == pages[2]["results"]
    with tenant_context(world.tenant):
        logged = list(AuditEntry.objects.filter(actor=world.contact, action="list").values_list("child_id", flat=True))
    assert sorted(logged) == sorted(shown) and len(shown) == 5 + 2 + 2 + 2 + 1


def test_a_cursor_not_given_by_the_server_is_a_404_with_a_message(world):
    client = _token_client(world, world.contact)
    for bad in ("x", "WzEsImEiLDFd:AAAAAAAAAAAAAAAAAAAAAAAAAAA", "%00", "a" * 5000):
        response = client.get("/api/children/", {"cursor": bad})
        assert response.status_code == 404
        assert "sidmarkör" in response.json()["detail"]
    other = _token_client(world, world.coordinator)  # sees the same child; the cursor is still the contact's
    with tenant_context(world.tenant):
        child_record_demo_seed(email=world.contact.email, children=60)
    following = client.get("/api/children/").json()["next"]
    assert client.get(following).status_code == 200 and other.get(following).status_code == 404
