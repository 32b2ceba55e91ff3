"""Local admins manage organisations, units and staff; staff members get a unit and a role by invitation."""

import re

from django.core import mail
from django_tenants.utils import tenant_context

from modules.accounts.models import User
from modules.organisations.models import Organisation, Unit
from tests.factories import client_for, logged_in_client, strong_session_mark


def test_local_admin_adds_organisations_and_units_with_their_kind(world):
    admin = logged_in_client(world.tenant, world.admin.email)
    response = admin.post("/organisationer/", {"org-name": "Region Skåne – Habilitering", "org-kind": "region"})
    assert response.status_code == 302
    with tenant_context(world.tenant):
        habilitation = Organisation.objects.get(name="Region Skåne – Habilitering")
    response = admin.post(
        "/api/units/",
        {"organisation": habilitation.pk, "name": "Barn- och ungdomshabiliteringen", "kind": "habilitering"},
    )
    assert response.status_code == 201
    page = admin.get("/organisationer/").content.decode()
    assert "Barn- och ungdomshabiliteringen" in page and "Habilitering" in page


def test_duplicate_unit_name_is_refused_with_a_message_at_the_field(world):
    admin = logged_in_client(world.tenant, world.admin.email)
    response = admin.post(
        "/organisationer/",
        {"unit-organisation": world.municipality.pk, "unit-name": "Förskolan Solrosen", "unit-kind": "forskola"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and 'id="id_unit-name_error"' in body and "har redan en enhet" in body


def test_staff_cannot_manage_organisations_or_people(world):
    client = logged_in_client(world.tenant, world.contact.email)
    assert client.get("/organisationer/").status_code == 403
    assert client.get("/personal/").status_code == 403
    assert client.post("/api/organisations/", {"name": "X", "kind": "polis"}).status_code == 403
    assert client.get("/api/organisations/").status_code == 200  # reading them is for everyone


def test_invited_staff_member_joins_the_unit_with_the_role(world, django_capture_on_commit_callbacks):
    admin = logged_in_client(world.tenant, world.admin.email)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            "/personal/",
            {"full_name": "Nina Ny", "email": "nina@ystad.se", "role": "process_lead", "unit": world.bup.pk},
        )
    assert response.status_code == 302
    token = re.search(r"/invitation/(\S+)/", mail.outbox[-1].body).group(1)
    joined = client_for(world.tenant)
    joined.post(f"/invitation/{token}/", {"password": "Ett-långt-lösen-99", "password_again": "Ett-långt-lösen-99"})
    strong_session_mark(joined, world.tenant)  # the authenticator's enrolment: tests/modules/accounts
    assert joined.get("/api/me/").json()["role"] == "process_lead"
    with tenant_context(world.tenant):
        nina = User.objects.get(email="nina@ystad.se")
        assert nina.unit == Unit.objects.get(pk=world.bup.pk)


def test_deactivated_staff_member_cannot_log_in(world):
    admin = logged_in_client(world.tenant, world.admin.email)
    assert admin.post(f"/personal/{world.outsider.pk}/inaktivera/").status_code == 302
    response = client_for(world.tenant).post(
        "/login/", {"username": world.outsider.email, "password": "Korrekt-häst-batteri-42"}
    )
    assert response.status_code == 200 and "_auth_user_id" not in response.client.session
    assert "Inaktiverad" in admin.get("/personal/").content.decode()


def test_staff_directory_lists_active_colleagues_with_their_organisation(world):
    client = logged_in_client(world.tenant, world.contact.email)
    rows = {row["email"]: row for row in client.get("/api/staff/").json()["results"]}
    assert rows[world.team_region.email]["organisation"] == world.region.name
    admin = logged_in_client(world.tenant, world.admin.email)
    admin.post(f"/api/staff/{world.outsider.pk}/deactivate/")
    assert world.outsider.email not in {row["email"] for row in client.get("/api/staff/").json()["results"]}
