"""Every 4xx answer of the API has one body, {"detail", "code", "errors"}, and the OpenAPI schema says so.
A list of objects refused row by row (a meeting's decisions) is in tests/modules/casework/test_meeting_decisions.py."""

import pytest
from django.test import Client
from django.utils import translation
from django_tenants.utils import tenant_context

from modules.accounts.models import User
from modules.consent.services import consent_withdraw
from tests.factories import build_world, logged_in_client, make_user


@pytest.fixture
def world(ystad):
    return build_world(ystad)


def _assert_contract(response, status: int) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"detail", "code", "errors"}, body
    assert isinstance(body["detail"], str) and body["detail"]
    assert isinstance(body["code"], str) and body["code"]
    assert isinstance(body["errors"], dict)
    return body


def test_a_serializer_refusal_names_its_field(world):
    client = logged_in_client(world.tenant, world.contact.email)
    body = _assert_contract(client.post(f"/api/children/{world.child.pk}/plan/", {}), 400)
    assert body["code"] == "invalid" and "next_review_on" in body["errors"]
    assert body["detail"] == body["errors"]["next_review_on"][0]


def test_a_service_refusal_for_a_field_names_the_field_the_number_parser_did_not(world):
    client = logged_in_client(world.tenant, world.outsider.email)
    response = client.post(
        "/api/children/",
        {"personnummer": "20180704-0000", "given_name": "A", "family_name": "B", "as_child_contact": True},
        content_type="application/json",
    )
    body = _assert_contract(response, 400)
    assert list(body["errors"]) == ["personnummer"] and "000" in body["detail"]


def test_a_service_refusal_of_the_whole_request_carries_its_code(world):
    with tenant_context(world.tenant):
        consent = world.child.consents.get()
        consent_withdraw(consent=consent, acting_user=world.contact)
    response = logged_in_client(world.tenant, world.contact.email).post(
        f"/api/children/{world.child.pk}/consents/{consent.pk}/withdraw/", {}
    )
    body = _assert_contract(response, 400)
    assert body == {
        "detail": "Samtycket är redan återkallat.",
        "code": "withdrawn",
        "errors": {"non_field_errors": ["Samtycket är redan återkallat."]},
    }


def test_a_service_refusal_is_in_the_readers_language(world):
    with tenant_context(world.tenant):
        consent = world.child.consents.get()
        consent_withdraw(consent=consent, acting_user=world.contact)
    response = logged_in_client(world.tenant, world.contact.email).post(
        f"/api/children/{world.child.pk}/consents/{consent.pk}/withdraw/", {}, HTTP_ACCEPT_LANGUAGE="en"
    )
    translation.activate("sv")
    body = _assert_contract(response, 400)
    assert body["code"] == "withdrawn" and "Samtycket" not in body["detail"]


def test_without_credentials_401(world):
    body = _assert_contract(Client(HTTP_HOST=world.tenant.primary_domain).get("/api/children/"), 401)
    assert body["code"] == "not_authenticated" and body["errors"] == {}


def test_an_expired_token_401_says_so(world):
    client = Client(HTTP_HOST=world.tenant.primary_domain, HTTP_AUTHORIZATION="Token not-a-token")
    body = _assert_contract(client.get("/api/children/"), 401)
    assert body["code"] == "authentication_failed" and "Ogiltig token" in body["detail"]


def test_a_role_that_may_not_403(world):
    body = _assert_contract(logged_in_client(world.tenant, world.contact.email).get("/api/retention/"), 403)
    assert body["code"] == "permission_denied" and body["errors"] == {}


def test_a_child_out_of_reach_404_like_a_missing_one(world):
    client = logged_in_client(world.tenant, world.outsider.email)
    hidden = _assert_contract(client.get(f"/api/children/{world.child.pk}/"), 404)
    missing = _assert_contract(client.get("/api/children/999999/"), 404)
    assert hidden == missing and hidden["code"] == "not_found"


def test_a_plain_django_validation_error_is_a_400_in_the_contract(db, central, ystad):
    make_user(central, email="nc-contract@example.se", role=User.Role.NATIONAL_COORDINATOR)
    client = logged_in_client(central, "nc-contract@example.se")
    body = _assert_contract(client.post(f"/api/tenants/{ystad.pk}/export/"), 400)
    assert body["code"] == "not_suspended" and "Pausa instansen" in body["errors"]["non_field_errors"][0]
    missing = _assert_contract(client.post("/api/tenants/999999/export/"), 404)  # Django's Http404
    assert missing["code"] == "not_found"


def test_the_schema_declares_the_error_body_as_the_default_4xx(world):
    client = logged_in_client(world.tenant, world.contact.email)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    error = schema["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"detail", "code", "errors"}
    error_ref = {"$ref": "#/components/schemas/Error"}
    write = schema["paths"]["/api/children/{child_id}/consents/"]["post"]["responses"]
    read = schema["paths"]["/api/children/{child_id}/"]["get"]["responses"]
    for responses, codes in ((write, ("400", "401", "403", "404")), (read, ("401", "403", "404"))):
        for code in codes:
            assert responses[code]["content"]["application/json"]["schema"] == error_ref, (code, responses)
    assert "400" not in read
