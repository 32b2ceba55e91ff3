"""Consent gates who from another organisation joins the Barnteam; withdrawal or expiry ends access at once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tenants.utils import tenant_context

from modules.accounts.models import User
from modules.children.models import LegalGround
from modules.children.services import ChildError, team_member_add
from modules.chronology.models import Event
from modules.consent.models import Consent
from modules.consent.services import consent_record, consent_withdraw
from modules.consent.tasks import handle_expired_consents
from modules.organisations.models import Unit
from modules.organisations.services import unit_create
from tests.factories import logged_in_client, staff_in_unit


def _police_officer(world):
    with tenant_context(world.tenant):
        unit = unit_create(organisation=world.police, name="Lokalpolisområde Ystad", kind=Unit.Kind.POLICE)
    return staff_in_unit(world.tenant, "polis@ystad.se", User.Role.STAFF, unit, "Per Polis")


def test_a_member_from_an_organisation_no_consent_covers_cannot_join(world):
    officer = _police_officer(world)
    with tenant_context(world.tenant), pytest.raises(ChildError) as error:
        team_member_add(child=world.child, user=officer, team_role="Polis", acting_user=world.contact)
    assert "omfattas inte av något giltigt samtycke" in " ".join(error.value.messages)
    assert logged_in_client(world.tenant, officer.email).get(f"/barn/{world.child.pk}/").status_code == 404


def test_the_api_refuses_the_same_with_a_clear_400(world):
    officer = _police_officer(world)
    response = logged_in_client(world.tenant, world.contact.email).post(
        f"/api/children/{world.child.pk}/team/", {"user_id": officer.pk, "team_role": "Polis"}
    )
    assert response.status_code == 400
    assert "samtycke" in response.json()["errors"]["non_field_errors"][0]


def test_a_recorded_legal_ground_lets_a_member_join_without_consent(world):
    officer = _police_officer(world)
    with tenant_context(world.tenant):
        member = team_member_add(
            child=world.child,
            user=officer,
            team_role="Polis",
            acting_user=world.contact,
            legal_ground=LegalGround.SOL_14_1,
        )
    assert member.consent is None
    assert logged_in_client(world.tenant, officer.email).get(f"/barn/{world.child.pk}/kronologi/").status_code == 200


def test_a_consent_covering_the_organisation_lets_a_member_join_and_is_found_automatically(world):
    officer = _police_officer(world)
    with tenant_context(world.tenant):
        consent = consent_record(
            child=world.child,
            acting_user=world.contact,
            organisations=[world.police],
            purpose="Samverkan",
            given_on=timezone.localdate(),
            valid_until=timezone.localdate() + timedelta(days=30),
            method=Consent.Method.ORAL,
            given_by_child=True,
        )
        member = team_member_add(child=world.child, user=officer, team_role="Polis", acting_user=world.contact)
    assert member.consent == consent


def test_withdrawn_consent_removes_access_at_once_and_tells_those_affected(world, django_capture_on_commit_callbacks):
    bup = logged_in_client(world.tenant, world.team_region.email)
    assert bup.get(f"/api/children/{world.child.pk}/").status_code == 200
    with tenant_context(world.tenant):
        consent = world.child.consents.get()

    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in_client(world.tenant, world.contact.email).post(
            f"/barn/{world.child.pk}/samtycken/{consent.pk}/aterkalla/", {"reason": "Vårdnadshavaren ångrade sig"}
        )
    assert response.status_code == 302

    assert bup.get(f"/api/children/{world.child.pk}/").status_code == 404
    assert bup.get(f"/barn/{world.child.pk}/").status_code == 404
    assert not bup.get("/api/children/").json()["results"]
    # The Kurator from the Barnkontakt's own organisation keeps access: no consent was needed for them.
    assert logged_in_client(world.tenant, world.team_same_org.email).get(f"/barn/{world.child.pk}/").status_code == 200
    told = sorted(message.to[0] for message in mail.outbox)
    assert told == sorted([world.team_region.email, world.contact.email])
    assert all("Alva" not in message.body and world.number not in message.body for message in mail.outbox)
    with tenant_context(world.tenant):
        assert world.child.chronology.filter(kind=Event.Kind.CONSENT_WITHDRAWN).exists()


def test_withdrawing_twice_is_refused_with_a_clear_message(world):
    with tenant_context(world.tenant):
        consent = world.child.consents.get()
        consent_withdraw(consent=consent, acting_user=world.contact)
    response = logged_in_client(world.tenant, world.contact.email).post(
        f"/api/children/{world.child.pk}/consents/{consent.pk}/withdraw/", {}
    )
    assert response.status_code == 400
    assert response.json()["errors"]["non_field_errors"] == ["Samtycket är redan återkallat."]


def test_expired_consent_removes_access_the_day_after_it_ends_and_is_recorded_once(
    world, django_capture_on_commit_callbacks
):
    with tenant_context(world.tenant):
        consent = world.child.consents.get()
        # The consent ran out yesterday (as if recorded long ago).
        Consent.objects.filter(pk=consent.pk).update(
            given_on=timezone.localdate() - timedelta(days=400), valid_until=timezone.localdate() - timedelta(days=1)
        )
    # No job has run yet: access has ended anyway.
    assert logged_in_client(world.tenant, world.team_region.email).get(f"/barn/{world.child.pk}/").status_code == 404

    with tenant_context(world.tenant), django_capture_on_commit_callbacks(execute=True):
        assert handle_expired_consents() == 1
        assert handle_expired_consents() == 0
        assert world.child.chronology.filter(kind=Event.Kind.CONSENT_EXPIRED).count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.team_region.email, world.contact.email])


def test_consent_form_errors_are_tied_to_their_fields(world):
    response = logged_in_client(world.tenant, world.contact.email).post(
        f"/barn/{world.child.pk}/samtycken/nytt/",
        {"given_on": "2026-01-10", "valid_until": "2025-01-01", "purpose": "", "method": "written"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_valid_until_error"' in body and "Slutdatumet kan inte ligga före" in body
    assert 'aria-describedby="id_purpose_error"' in body
    assert 'id="id_given_by_guardian_error"' in body
