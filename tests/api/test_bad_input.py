"""Bad input never gets a 500 (issue 14 §5): each of these answered 500, or accepted what it should refuse."""

import json

import pytest
from django.test import Client
from django_tenants.utils import tenant_context

from modules.accounts.models import User
from modules.audit.models import AuditEntry
from modules.audit.services import audit_record
from modules.children.models import Child
from tenants.models import Tenant
from tenants.onboarding.models import Application
from tenants.services import SUBDOMAIN_MAX_LENGTH
from tests.factories import logged_in_client, make_user

HUGE_PAGES = ["9223372036854775808", "99999999999999999999"]


def _nested(depth: int, leaf=1):
    return "[" * depth + json.dumps(leaf) + "]" * depth


def _error(response, status: int) -> dict:
    assert response.status_code == status, response.content[:500]
    body = response.json()
    assert set(body) == {"detail", "code", "errors"} and body["detail"], body
    return body


@pytest.mark.parametrize("depth", [1000, 5000])
def test_deeply_nested_json_to_the_search_is_refused_with_a_message(world, depth):
    client = logged_in_client(world.tenant, world.contact.email)
    body = '{"q": ' + _nested(depth) + "}"
    answer = _error(client.post("/api/children/search/", body, content_type="application/json"), 400)
    assert answer["code"] == "parse_error" and "nivåer" in answer["detail"]


def test_deeply_nested_resilience_in_an_assessment_is_refused_and_nothing_is_written(world, installed):
    client = logged_in_client(world.tenant, world.contact.email)
    with tenant_context(world.tenant):
        before = world.child.assessments.count()
    body = '{"participants": "Karin", "resilience": {"a": ' + _nested(1000) + "}}"
    response = client.post(f"/api/children/{world.child.pk}/assessments/", body, content_type="application/json")
    assert _error(response, 400)["code"] == "parse_error"
    with tenant_context(world.tenant):
        assert world.child.assessments.count() == before


@pytest.mark.parametrize("page", HUGE_PAGES)
def test_a_page_number_beyond_any_integer_is_not_found(world, page):
    client = logged_in_client(world.tenant, world.contact.email)
    assert _error(client.get("/api/children/", {"page": page}), 404)["detail"] == "Ogiltig sida."


@pytest.mark.parametrize("child_id", HUGE_PAGES)
def test_an_access_review_with_an_id_beyond_any_integer_is_refused(world, child_id):
    client = logged_in_client(world.tenant, world.admin.email)
    body = _error(client.get("/api/access-review/", {"child_id": child_id}), 400)
    assert list(body["errors"]) == ["child_id"]
    body = _error(client.get("/api/access-review/", {"actor_id": child_id}), 400)
    assert list(body["errors"]) == ["actor_id"]


def test_an_access_review_of_a_child_that_does_not_exist_says_so_and_is_not_logged(world):
    client = logged_in_client(world.tenant, world.admin.email)
    with tenant_context(world.tenant):
        missing = (Child.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1000
        reviews = AuditEntry.objects.filter(action="access_review").count()
    body = _error(client.get("/api/access-review/", {"child_id": missing}), 400)
    assert body["errors"]["child_id"] == [f"Det finns inget barn med id {missing}."]
    with tenant_context(world.tenant):
        assert AuditEntry.objects.filter(action="access_review").count() == reviews
    assert client.get("/api/access-review/", {"child_id": world.child.pk}).status_code == 200


def test_the_accesses_of_a_culled_child_can_still_be_reviewed(world):
    """The log outlives the record (gallring): an id with entries in the log is a child that was."""
    client = logged_in_client(world.tenant, world.admin.email)
    with tenant_context(world.tenant):
        culled = (Child.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 2000
        audit_record(acting_user=world.contact, action="update", child=culled)
    response = client.get("/api/access-review/", {"child_id": culled})
    assert response.status_code == 200, response.content
    assert [entry["child_id"] for entry in response.json()["results"]][-1:] == [culled]


@pytest.mark.parametrize("path", ["/api/retention/", "/api/staff/{user}/deactivate/"])
def test_options_answers_without_error(world, path):
    client = logged_in_client(world.tenant, world.admin.email)
    response = client.options(path.format(user=world.outsider.pk))
    assert response.status_code == 200, response.content[:500]


def test_a_local_course_for_no_role_is_refused_beside_its_field(world):
    client = logged_in_client(world.tenant, world.admin.email)
    course = {"key": "lokal", "title_sv": "Lokal", "title_en": "Local", "target_roles": []}
    body = _error(client.post("/api/training/local-courses/", course, content_type="application/json"), 400)
    assert body["errors"] == {"target_roles": ["Välj minst en roll som kursen är till för."]}


@pytest.mark.parametrize("path", ["/api/tenants/999999/exports/", "/api/tenants/999999/provisioning-jobs/"])
def test_the_lists_of_a_tenant_that_does_not_exist_are_not_found(central, path):
    make_user(central, email="nc-bad@example.se", role=User.Role.NATIONAL_COORDINATOR)
    client = logged_in_client(central, "nc-bad@example.se")
    _error(client.get(path), 404)


def test_a_tenant_list_of_an_existing_tenant_still_answers(central, ystad):
    make_user(central, email="nc-ok@example.se", role=User.Role.NATIONAL_COORDINATOR)
    client = logged_in_client(central, "nc-ok@example.se")
    assert client.get(f"/api/tenants/{ystad.pk}/exports/").status_code == 200
    assert client.get(f"/api/tenants/{ystad.pk}/provisioning-jobs/").status_code == 200


@pytest.mark.parametrize(
    "written",
    ["２０１５０３１２-３３１５", "٢٠١٥٠٣١٢-٣٣١٥", "۲۰۱۵۰۳۱۲۳۳۱۵", "20150312–3315", "２０１５０３１２－３３１５"],
)
def test_a_personnummer_in_other_digits_is_the_same_child_not_a_second_one(world, written):
    ascii_number = "20150312-3315"
    client = logged_in_client(world.tenant, world.contact.email)
    # Registered by its Barnkontakt, whose unit the child attends (14 §1).
    child = {"given_name": "Sigge", "family_name": "Siffra", "as_child_contact": True, "unit_ids": [world.preschool.pk]}
    first = client.post("/api/children/", {**child, "personnummer": ascii_number}, content_type="application/json")
    assert first.status_code == 201, first.content
    again = client.post("/api/children/", {**child, "personnummer": written}, content_type="application/json")
    assert again.status_code in (200, 400), again.content
    assert again.status_code == 400 or again.json()["id"] == first.json()["id"]
    with tenant_context(world.tenant):
        assert Child.objects.filter(family_name="Siffra").count() == 1
    found = client.post("/api/children/search/", {"q": written}, content_type="application/json").json()
    assert [hit["id"] for hit in found] == [first.json()["id"]]


def test_an_application_whose_subdomain_makes_too_long_a_schema_name_is_refused_at_once(db, central):
    subdomain = "a" * (SUBDOMAIN_MAX_LENGTH + 1)
    application = {
        "organisation_name": "Hällefors kommun",
        "organisation_number": "212000-1918",
        "kind": "municipality",
        "county": "T",
        "subdomain": subdomain,
        "contact_name": "Hanna Hällström",
        "contact_email": "hanna@hallefors.example.se",
        "partners": ["kommun"],
    }
    client = Client(HTTP_HOST=central.primary_domain)
    body = _error(client.post("/api/applications/", application, content_type="application/json"), 400)
    assert body["errors"]["subdomain"] == ["Subdomänen får vara högst 61 tecken lång (den är 62)."]
    accepted = client.post(
        "/api/applications/", {**application, "subdomain": "a" * SUBDOMAIN_MAX_LENGTH}, content_type="application/json"
    )
    assert accepted.status_code == 201, accepted.content


@pytest.mark.parametrize("length", [62, 63])
def test_approving_an_application_accepted_with_too_long_a_subdomain_is_refused_with_a_message(db, central, length):
    """Applications stored before the limit: the approval says why, registers nothing and the 500 is gone."""
    make_user(central, email="nc-long@example.se", role=User.Role.NATIONAL_COORDINATOR)
    client = logged_in_client(central, "nc-long@example.se")
    application = Application.objects.create(
        organisation_name="Hällefors kommun",
        organisation_number="212000-1918",
        kind="municipality",
        county="T",
        subdomain="h" * length,
        contact_name="Hanna Hällström",
        contact_email="hanna@hallefors.example.se",
    )
    tenants = Tenant.objects.count()
    body = _error(client.post(f"/api/applications/{application.pk}/approve/", {"reason": ""}), 400)
    assert body["code"] == "subdomain_too_long" and "högst 61 tecken" in body["detail"]
    assert Tenant.objects.count() == tenants
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


@pytest.mark.parametrize("number", HUGE_PAGES)
def test_ids_past_bigint_in_the_path_are_not_found(world, number):
    contact = logged_in_client(world.tenant, world.contact.email)
    admin = logged_in_client(world.tenant, world.admin.email)
    assert contact.get(f"/api/children/{number}/").status_code == 404
    assert contact.get(f"/api/children/{number}/assessments/").status_code == 404
    assert contact.post(f"/api/children/{world.child.pk}/team/{number}/end/").status_code in (400, 404)
    assert admin.post(f"/api/staff/{number}/deactivate/").status_code == 404


@pytest.mark.parametrize("number", HUGE_PAGES)
def test_ids_past_bigint_on_the_central_api_are_not_found(central, number):
    make_user(central, email="nc-huge@example.se", role=User.Role.NATIONAL_COORDINATOR)
    client = logged_in_client(central, "nc-huge@example.se")
    for path in ("/api/tenants/{}/", "/api/tenants/{}/exports/", "/api/tenants/{}/events/", "/api/applications/{}/"):
        assert client.get(path.format(number)).status_code == 404, path
    assert client.post(f"/api/applications/{number}/approve/", {"reason": ""}).status_code == 404


def test_a_subdomain_with_a_trailing_newline_is_refused_by_the_service(db):
    from tenants.services import TenantError, subdomain_validate

    with pytest.raises(TenantError, match="Ogiltig subdomän"):
        subdomain_validate("nora\n")
    assert subdomain_validate("a" * SUBDOMAIN_MAX_LENGTH) == "a" * SUBDOMAIN_MAX_LENGTH
