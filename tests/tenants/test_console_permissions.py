"""The national console and its API: national coordinators only; everyone else is refused (403, or 401 from
the API when not signed in)."""

import pytest
from django.db import connection

from modules.accounts.models import User
from tests.factories import client_for, logged_in_client, make_user

PAGES = ["/konsol/", "/konsol/ansokningar/", "/konsol/instanser/{tenant}/"]
API_GET = [
    "/api/applications/",
    "/api/tenants/",
    "/api/tenants/{tenant}/",
    "/api/tenants/{tenant}/events/",
    "/api/tenants/{tenant}/provisioning-jobs/",
    "/api/tenants/{tenant}/exports/",
    "/api/tenants/{tenant}/checklist/",
]
API_POST = [
    "/api/tenants/{tenant}/suspend/",
    "/api/tenants/{tenant}/reactivate/",
    "/api/tenants/{tenant}/export/",
    "/api/tenants/{tenant}/archive/",
    "/api/applications/1/approve/",
    "/api/applications/1/reject/",
    "/api/provisioning-jobs/1/retry/",
]


@pytest.mark.parametrize("role", [User.Role.CONTENT_EDITOR, None])
def test_everyone_but_national_coordinators_is_refused_on_every_console_page_and_endpoint(db, central, ystad, role):
    if role is None:
        client = client_for(central)
    else:
        make_user(central, email="editor@example.se", role=role)
        client = logged_in_client(central, "editor@example.se")

    # Not signed in: 401 (sign in or send a token); signed in without the role: 403.
    refused = 401 if role is None else 403
    for url in API_GET:
        assert client.get(url.format(tenant=ystad.pk)).status_code == refused, url
    for url in API_POST:
        assert client.post(url.format(tenant=ystad.pk), {}).status_code == refused, url
    if role is not None:
        for url in PAGES:
            assert client.get(url.format(tenant=ystad.pk)).status_code == 403, url


def test_tenant_admins_cannot_reach_the_console_from_their_own_site(db, ystad):
    make_user(ystad, email="lokal@ystad.example.se", role=User.Role.LOCAL_ADMIN)
    client = logged_in_client(ystad, "lokal@ystad.example.se")

    assert client.get("/konsol/").status_code == 404
    assert client.get("/api/tenants/").status_code == 404
    connection.set_schema_to_public()


def test_coordinator_sees_tenants_with_filters_and_a_tenant_page_with_events_and_job(db, central, ystad, skane):
    make_user(central, email="nc-list@example.se", role=User.Role.NATIONAL_COORDINATOR)
    client = logged_in_client(central, "nc-list@example.se")

    everything = client.get("/konsol/").content.decode()
    regions = client.get("/konsol/?kind=region").content.decode()
    detail = client.get(f"/konsol/instanser/{ystad.pk}/").content.decode()
    api = client.get("/api/tenants/?county=M&kind=municipality").json()

    assert "Ystads kommun" in everything and "Region Skåne" in everything
    assert "Region Skåne" in regions and "Ystads kommun" not in regions
    assert "Händelser" in detail and "Skapad" in detail
    assert [tenant["name"] for tenant in api["results"]] == ["Ystads kommun"]


def test_api_schema_documents_the_national_endpoints(db, central):
    make_user(central, email="nc-schema@example.se", role=User.Role.NATIONAL_COORDINATOR)
    client = logged_in_client(central, "nc-schema@example.se")

    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    for path in ("/api/applications/", "/api/applications/{id}/approve/", "/api/tenants/{id}/suspend/"):
        assert path in schema["paths"], path


def test_api_lifecycle_refusal_is_a_400_with_a_message(db, central, ystad):
    make_user(central, email="nc-api@example.se", role=User.Role.NATIONAL_COORDINATOR)
    client = logged_in_client(central, "nc-api@example.se")

    refused = client.post(f"/api/tenants/{ystad.pk}/archive/", {"reason": "x", "confirmation": "t_ystad"})
    suspended = client.post(f"/api/tenants/{ystad.pk}/suspend/", {"reason": "Paus."})

    assert refused.status_code == 400
    assert "pausa instansen" in refused.json()["errors"]["non_field_errors"][0]
    assert suspended.status_code == 200
    assert suspended.json()["status"] == "suspended"


def test_central_api_schema_generates_without_warnings(db, tmp_path):
    from django.core.management import call_command

    call_command(
        "spectacular",
        urlconf="backa_platform.urls_central",
        validate=True,
        fail_on_warn=True,
        file=str(tmp_path / "schema.yaml"),
    )

    assert "/api/tenants/{id}/archive/" in (tmp_path / "schema.yaml").read_text()


def test_coordinator_approves_through_the_api_and_sees_the_provisioning_job(db, central, schema_template):
    from tenants.onboarding.services import application_submit

    make_user(central, email="nc-api-approve@example.se", role=User.Role.NATIONAL_COORDINATOR)
    client = logged_in_client(central, "nc-api-approve@example.se")
    application = application_submit(
        organisation_name="Åmåls kommun",
        organisation_number="212000-1918",
        kind="municipality",
        county="O",
        subdomain="amal",
        contact_name="Åsa",
        contact_email="asa@amal.example.se",
        partners=["kommun", "region"],
    )

    approved = client.post(f"/api/applications/{application.pk}/approve/", {"reason": "Klart."})
    tenant_id = approved.json()["tenant"]
    jobs = client.get(f"/api/tenants/{tenant_id}/provisioning-jobs/").json()["results"]
    events = client.get(f"/api/tenants/{tenant_id}/events/").json()["results"]

    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    assert [step["name"] for step in jobs[0]["steps"]] == [
        "create_schema",
        "create_domain",
        "install_release",
        "invite_admin",
        "open",
    ]
    assert "application_approved" in [event["kind"] for event in events]
    checklist = client.get(f"/api/tenants/{tenant_id}/checklist/").json()
    assert checklist["percent"] == 0
    assert [item["key"] for item in checklist["items"]][0] == "agreement"


def test_signed_in_use_of_a_tenant_site_is_its_last_activity(db, ystad):
    make_user(ystad, email="aktiv@ystad.example.se", role=User.Role.STAFF)
    client = logged_in_client(ystad, "aktiv@ystad.example.se")

    client.get("/")
    connection.set_schema_to_public()

    ystad.refresh_from_db()
    assert ystad.last_activity_at is not None
