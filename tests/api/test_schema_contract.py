"""The OpenAPI schema says what the API answers and accepts (tests/api/test_schemathesis.py explores it)."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from modules.accounts.models import User
from tests.api.test_error_contract import _assert_contract
from tests.factories import client_for, logged_in_client, make_user


@pytest.fixture(scope="module")
def tenant_schema():
    return SchemaGenerator(urlconf="backa_platform.urls_tenant").get_schema(request=None, public=True)


@pytest.fixture
def coordinator_client(central):
    make_user(central, email="konsol@backabarnet.example.se", role=User.Role.NATIONAL_COORDINATOR)
    return logged_in_client(central, "konsol@backabarnet.example.se")


def _body(schema, path, method="get", status="200"):
    return schema["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"]


def test_a_path_under_api_that_names_no_operation_answers_the_error_body(world):
    response = client_for(world.tenant).get("/api/children/not-a-number/")
    body = _assert_contract(response, 404)
    assert body["code"] == "not_found"
    assert response["Content-Type"] == "application/json"


def test_lists_that_are_not_paged_are_documented_as_lists(tenant_schema):
    for path, method in [
        ("/api/me/attention/", "get"),
        ("/api/children/search/", "post"),
        ("/api/children/{child_id}/meetings/", "get"),
        ("/api/children/{child_id}/chronology/", "get"),
        ("/api/children/{child_id}/consents/", "get"),
    ]:
        assert _body(tenant_schema, path, method)["type"] == "array", path
        assert "page" not in {p["name"] for p in tenant_schema["paths"][path][method].get("parameters", [])}, path


def test_a_staff_members_unit_may_be_null(tenant_schema):
    fields = tenant_schema["components"]["schemas"]["StaffDirectory"]["properties"]
    assert fields["unit"]["nullable"] and fields["organisation"]["nullable"] and fields["organisation_id"]["nullable"]


def test_text_input_is_documented_as_not_blank_and_without_nul(tenant_schema):
    search = tenant_schema["components"]["schemas"]["ChildSearch"]["properties"]["q"]
    assert search["minLength"] == 1 and search["maxLength"] == 100
    assert search["pattern"] == r"^[^\u0000]*[^\s\u0000][^\u0000]*$"
    number = tenant_schema["components"]["schemas"]["ChildRegister"]["properties"]["personnummer"]
    assert number["pattern"].startswith("^")


def test_an_error_body_may_hold_a_list_fields_items_by_index(tenant_schema):
    errors = tenant_schema["components"]["schemas"]["Error"]["properties"]["errors"]
    assert {option["type"] for option in errors["additionalProperties"]["oneOf"]} == {"array", "object"}


def test_the_consoles_filters_refuse_unknown_values_and_nul_with_400(coordinator_client):
    for query in ["kind=%00", "county=XX", "status=nope", "query=a%00b"]:
        response = coordinator_client.get(f"/api/tenants/?{query}")
        assert response.status_code == 400, (query, response.content)
    assert coordinator_client.get("/api/applications/?status=%00").status_code == 400
    assert coordinator_client.get("/api/tenants/?county=M&kind=municipality").status_code == 200


def test_a_blank_or_named_page_is_refused_not_read_as_page_one(coordinator_client):
    assert coordinator_client.get("/api/tenants/?page=").status_code == 404
    assert coordinator_client.get("/api/tenants/?page=last").status_code == 404
    assert coordinator_client.get("/api/tenants/?page=1").status_code == 200
