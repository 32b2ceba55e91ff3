"""A concern about a child without a Barnkontakt goes to a processledare, who must be able to open what acting on
it needs (the link in the e-mail, the child's page, the start page) and only that, until it is acknowledged."""

import pytest
from django.core import mail
from django_tenants.utils import tenant_context

from modules.audit.models import AuditEntry
from modules.casework.services import CaseworkError, concern_acknowledge
from modules.children.models import Concern
from modules.children.selectors import child_visible, children_visible_to, current_child_contact
from modules.children.services import child_register
from tests.factories import logged_in_client, personnummer


@pytest.fixture
def routed(world, installed, django_capture_on_commit_callbacks):
    """A child registered with a concern by a teacher, without a Barnkontakt: the concern goes to the
    processledare of the teacher's unit."""
    with tenant_context(world.tenant), django_capture_on_commit_callbacks(execute=True):
        child = child_register(
            personnummer=personnummer("20170405", serial="114"),
            given_name="Bo",
            family_name="Berg",
            acting_user=world.raiser,
            concern="Bo har blåmärken på armarna.",
        ).child
        concern = Concern.objects.get(child=child)
    assert concern.routed_to_id == world.process_lead.pk
    return child, concern


def test_the_recipient_opens_the_link_in_the_mail_and_sees_the_child_on_the_start_page(world, routed):
    child, concern = routed
    link = f"/barn/{child.pk}/process/"
    assert any(link in message.body for message in mail.outbox if message.to == [world.process_lead.email])
    client = logged_in_client(world.tenant, world.process_lead.email)
    page = client.get(link)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Bo har blåmärken på armarna." in html and f'name="concern-{concern.pk}-child_contact"' in html
    # Only the concern: not the compass, the plan or the guardians.
    assert "Barnets plan" not in html and "Vårdnadshavare" not in html
    detail = client.get(f"/barn/{child.pk}/")
    assert detail.status_code == 200 and link in detail.content.decode()
    start = client.get("/").content.decode()
    assert f'href="/barn/{child.pk}/"' in start
    # The rest of the record stays closed, and every read was logged.
    for closed in ("kronologi/", "bedomning/", "plan/", "moten/", "barnkontakt/"):
        assert client.get(f"/barn/{child.pk}/{closed}").status_code == 404, closed
    with tenant_context(world.tenant):
        logged = set(
            AuditEntry.objects.filter(actor_id=world.process_lead.pk, child_id=child.pk).values_list(
                "object_type", flat=True
            )
        )
    assert {"casework-process", "child-detail"} <= logged


def test_an_unrelated_colleague_still_gets_404(world, routed):
    child, _concern = routed
    client = logged_in_client(world.tenant, world.outsider.email)
    assert client.get(f"/barn/{child.pk}/process/").status_code == 404
    assert client.get(f"/barn/{child.pk}/").status_code == 404
    with tenant_context(world.tenant):
        assert child_visible(user=world.outsider, child_id=child.pk) is None


def test_acknowledging_needs_a_barnkontakt_named_and_then_the_extra_access_ends(world, routed):
    child, concern = routed
    client = logged_in_client(world.tenant, world.process_lead.email)
    url = f"/barn/{child.pk}/oro/{concern.pk}/kvittera/"
    refused = client.post(url, {})
    assert refused.status_code == 400
    assert f'id="id_concern-{concern.pk}-child_contact_error"' in refused.content.decode()
    with tenant_context(world.tenant):
        concern.refresh_from_db()
        assert concern.acknowledged_at is None and current_child_contact(child=child) is None
    done = client.post(url, {f"concern-{concern.pk}-child_contact": world.contact.pk})
    assert done.status_code == 302 and done["Location"] == "/"
    with tenant_context(world.tenant):
        concern.refresh_from_db()
        assert concern.acknowledged_by == world.process_lead
        assert current_child_contact(child=child).user == world.contact
        assert child_visible(user=world.process_lead, child_id=child.pk) is None
        assert child not in children_visible_to(user=world.process_lead)
    assert client.get(f"/barn/{child.pk}/process/").status_code == 404
    assert client.get(f"/barn/{child.pk}/").status_code == 404
    # The new Barnkontakt carries the child on.
    assert logged_in_client(world.tenant, world.contact.email).get(f"/barn/{child.pk}/process/").status_code == 200


def test_the_recipient_cannot_acknowledge_someone_elses_concern(world, routed):
    child, _concern = routed
    with tenant_context(world.tenant):
        other = Concern.objects.create(child=child, raised_by=world.raiser, description="x", routed_to=world.admin)
        with pytest.raises(CaseworkError):
            concern_acknowledge(concern=other, acting_user=world.process_lead, child_contact=world.contact)


def test_the_api_lets_the_recipient_acknowledge_with_a_barnkontakt_and_answers_400_without(world, routed):
    child, concern = routed
    api = logged_in_client(world.tenant, world.process_lead.email)
    assert api.get(f"/api/children/{child.pk}/").json()["access"] == "routed_concern"
    url = f"/api/children/{child.pk}/concerns/{concern.pk}/acknowledge/"
    refused = api.post(url, {}, content_type="application/json")
    assert refused.status_code == 400 and "child_contact" in refused.json()["errors"]
    with tenant_context(world.tenant):
        assert current_child_contact(child=child) is None
    done = api.post(url, {"child_contact": world.contact.pk}, content_type="application/json")
    assert done.status_code == 200, done.content
    assert api.get(f"/api/children/{child.pk}/").status_code == 404
