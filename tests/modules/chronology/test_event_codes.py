"""Every writer of the chronology stores a code and its parameters, never prose in the writer's language; the
page and the API render them in the reader's language. Events written before keep their stored prose."""

from django_tenants.utils import tenant_context

from modules.children.models import SupportCoordinator
from modules.children.services import child_role_hand_over, team_member_end
from modules.chronology.models import Event
from modules.chronology.services import chronology_record
from tests.factories import logged_in_client


def test_no_writer_stores_translated_prose(world):
    with tenant_context(world.tenant):
        child_role_hand_over(
            role=SupportCoordinator, child=world.child, user=None, acting_user=world.contact, reason="Klart"
        )
        team_member_end(member=world.child.team_members.get(user=world.team_same_org), acting_user=world.contact)
        events = list(Event.objects.filter(child=world.child))
    assert [event.summary for event in events] == [""] * len(events)
    codes = {event.kind: event.code for event in events if event.code}
    assert codes == {
        Event.Kind.CHILD_CONTACT_CHANGED: "child_contact_set",
        Event.Kind.SUPPORT_COORDINATOR_CHANGED: "support_coordinator_none",  # the last one wins in this dict
        Event.Kind.TEAM_MEMBER_ADDED: "team_member_added",
        Event.Kind.TEAM_MEMBER_ENDED: "team_member_ended",
        Event.Kind.CONSENT_GIVEN: "consent_given",
    }
    consent = next(event for event in events if event.code == "consent_given")
    # The method is the choice's value, not its Swedish label.
    assert consent.params["method"] == "written"
    assert consent.params["organisations"] == world.region.name


def test_the_chronology_reads_in_the_readers_language(world):
    with tenant_context(world.tenant):
        until = world.child.consents.get().valid_until
        # An event written before codes existed: its stored prose is what it says, in either language.
        chronology_record(
            child=world.child,
            acting_user=world.contact,
            kind=Event.Kind.CHILD_CONTACT_CHANGED,
            summary="Barnkontakt: Äldre",
        )
    client = logged_in_client(world.tenant, world.contact.email)
    swedish = client.get(f"/barn/{world.child.pk}/kronologi/").content.decode()
    assert "Barnkontakt: Karin Kontakt" in swedish
    assert "Stödsamordnare: Sara Samordnare" in swedish
    assert "Kurt Kurator (Kurator, Ystads kommun – Barn- och utbildningsförvaltningen)" in swedish
    assert f"Skriftligt samtycke för {world.region.name}, till och med {until:%Y-%m-%d}" in swedish
    assert "Barnkontakt: Äldre" in swedish
    english = client.get(f"/barn/{world.child.pk}/kronologi/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Named contact: Karin Kontakt" in english
    assert "Lead professional: Sara Samordnare" in english
    assert f"Written consent for {world.region.name}, until {until:%Y-%m-%d}" in english
    assert "Barnkontakt: Äldre" in english
    assert "Skriftligt" not in english
    api = client.get(f"/api/children/{world.child.pk}/chronology/", HTTP_ACCEPT_LANGUAGE="en").json()
    summaries = {row["summary"] for row in api}
    assert {"Named contact: Karin Kontakt", f"Written consent for {world.region.name}, until {until:%Y-%m-%d}"} <= (
        summaries
    )
