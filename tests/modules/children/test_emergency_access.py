"""Nödåtkomst (break-the-glass): a reasoned, time-limited, read-only access to one child, logged as its own
action, shown first in loggkontroll until the local admin closes its review, and told to the Barnkontakt."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tenants.utils import tenant_context

from modules.audit.models import AuditEntry
from modules.children.models import EmergencyAccess, Guardian
from modules.children.selectors import child_visible
from modules.children.services import ChildError, emergency_access_grant
from tests.factories import logged_in_client, personnummer


def _open(world, client, reason="Barnet har skadat sig och vårdnadshavarna går inte att nå."):
    return client.post("/barn/nodatkomst/", {"personnummer": world.number, "reason": reason})


def test_a_reasoned_emergency_access_opens_the_record_to_read_for_a_limited_time(
    world, settings, django_capture_on_commit_callbacks
):
    settings.EMERGENCY_ACCESS_HOURS = 2
    client = logged_in_client(world.tenant, world.outsider.email)
    assert client.get(f"/barn/{world.child.pk}/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = _open(world, client)
    assert response.status_code == 302 and response["Location"] == f"/barn/{world.child.pk}/"
    page = client.get(f"/barn/{world.child.pk}/").content.decode()
    assert "Maria Andersson" in page and "nödåtkomst" in page  # the whole record, with the notice

    with tenant_context(world.tenant):
        grant = EmergencyAccess.objects.get(child=world.child, user=world.outsider)
        assert timedelta(hours=1, minutes=59) < grant.expires_at - grant.granted_at <= timedelta(hours=2)
        assert AuditEntry.objects.filter(
            action="emergency_access", actor=world.outsider, child_id=world.child.pk
        ).exists()
    # The Barnkontakt is told, in a mail that names no child.
    (notice,) = [message for message in mail.outbox if message.to == [world.contact.email]]
    assert "Nödåtkomst" in notice.subject and "Alva" not in notice.body and world.outsider.full_name in notice.body

    # Read-only: no change goes through it, page or API.
    assert client.post(f"/barn/{world.child.pk}/personnummer/").status_code == 404
    assert client.post(f"/api/children/{world.child.pk}/guardians/", {"name": "X"}).status_code == 404
    assert client.get("/api/children/").json()["results"][0]["access"] == "emergency"
    with tenant_context(world.tenant):
        assert not Guardian.objects.filter(name="X").exists()
        # And it ends by itself.
        EmergencyAccess.objects.filter(pk=grant.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
        assert child_visible(user=world.outsider, child_id=world.child.pk) is None
    assert client.get(f"/barn/{world.child.pk}/").status_code == 404


def test_emergency_access_needs_a_reason_and_a_registered_number(world):
    client = logged_in_client(world.tenant, world.outsider.email)
    page = _open(world, client, reason="")
    assert page.status_code == 200 and 'id="id_reason_error"' in page.content.decode()
    with tenant_context(world.tenant):
        with pytest.raises(ChildError) as unknown:
            emergency_access_grant(personnummer=personnummer("20190101"), reason="Akut", acting_user=world.outsider)
        assert unknown.value.message_dict == {"personnummer": ["Inget barn med det numret är registrerat här."]}
        assert not EmergencyAccess.objects.exists()
    api = client.post(
        "/api/children/emergency-access/", {"personnummer": world.number}, content_type="application/json"
    )
    assert api.status_code == 400 and "reason" in api.json()["errors"]


def test_the_notice_goes_out_in_the_barnkontakts_language(world, django_capture_on_commit_callbacks):
    with tenant_context(world.tenant):
        world.contact.language = "en"
        world.contact.save(update_fields=["language"])
        with django_capture_on_commit_callbacks(execute=True):
            emergency_access_grant(personnummer=world.number, reason="Akut", acting_user=world.outsider)
    (notice,) = [message for message in mail.outbox if message.to == [world.contact.email]]
    assert "Emergency access" in notice.subject


def test_loggkontroll_shows_open_emergency_accesses_first_until_the_local_admin_closes_them(world):
    with tenant_context(world.tenant):
        grant = emergency_access_grant(personnummer=world.number, reason="Akut skada", acting_user=world.outsider)
    close_url = f"/loggkontroll/nodatkomst/{grant.pk}/granskad/"

    lead = logged_in_client(world.tenant, world.process_lead.email)
    page = lead.get("/loggkontroll/").content.decode()
    assert page.index("Akut skada") < page.index('<form method="post" novalidate>')  # before the search
    assert close_url not in page
    assert lead.post(close_url).status_code == 403

    admin = logged_in_client(world.tenant, world.admin.email)
    assert close_url in admin.get("/loggkontroll/").content.decode()
    assert admin.post(close_url).status_code == 302
    assert "Akut skada" not in admin.get("/loggkontroll/").content.decode()
    with tenant_context(world.tenant):
        grant.refresh_from_db()
        assert grant.reviewed_by == world.admin
        assert AuditEntry.objects.filter(action="emergency_review", actor=world.admin).count() == 1


def test_the_api_requests_lists_and_closes_emergency_accesses(world):
    outsider = logged_in_client(world.tenant, world.outsider.email)
    granted = outsider.post(
        "/api/children/emergency-access/",
        {"personnummer": world.number, "reason": "Akut"},
        content_type="application/json",
    )
    assert granted.status_code == 201 and granted.json()["child_id"] == world.child.pk
    assert outsider.get(f"/api/children/{world.child.pk}/").json()["guardians"]
    assert outsider.get("/api/emergency-access/").status_code == 403

    admin = logged_in_client(world.tenant, world.admin.email)
    listed = admin.get("/api/emergency-access/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [row["id"] for row in rows] == [granted.json()["id"]]
    review_url = f"/api/emergency-access/{granted.json()['id']}/review/"
    assert logged_in_client(world.tenant, world.process_lead.email).post(review_url).status_code == 403
    closed = admin.post(review_url)
    assert closed.status_code == 200 and closed.json()["reviewed_by"] == world.admin.full_name
    again = admin.post(review_url)
    assert again.status_code == 400 and again.json()["code"] == "reviewed"
    assert admin.post("/api/emergency-access/99999999999999999999/review/").status_code == 404
