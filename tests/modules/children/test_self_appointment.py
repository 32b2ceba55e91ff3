"""Becoming a child's Barnkontakt or Stödsamordnare is a decision by someone entitled to it, with a reason; and
registering a number tells someone without access nothing about whether the child is known (issue 14 §1)."""

import pytest
from django_tenants.utils import tenant_context

from modules.children.models import Child, ChildContact, Concern, SupportCoordinator
from modules.children.selectors import child_visible
from modules.children.services import ChildError, child_register, child_role_hand_over
from tests.factories import logged_in_client, personnummer


def _child_without_contact(world, date8="20160101"):
    """A child known through a concern only (no Barnkontakt yet), as a processledare's routed concern makes."""
    with tenant_context(world.tenant):
        return child_register(
            personnummer=personnummer(date8),
            given_name="Nils",
            family_name="Nilsson",
            acting_user=world.raiser,
            concern="Nils kommer ofta utan mat.",
            units=[world.preschool],
        ).child


def test_registering_a_known_child_as_barnkontakt_gives_no_access_and_routes_the_wish(world):
    child = _child_without_contact(world)
    with tenant_context(world.tenant):
        registration = child_register(
            personnummer=personnummer("20160101"),
            given_name="Nils",
            family_name="Nilsson",
            acting_user=world.outsider,
            as_child_contact=True,
            units=[world.preschool],  # the outsider's own unit: not enough for a known child
        )
        assert registration.received
        assert not ChildContact.objects.filter(child=child).exists()
        seen = child_visible(user=world.outsider, child_id=child.pk)
        assert seen is not None and not (seen.is_child_contact or seen.is_team_member)
        # The wish reaches whoever decides, as a concern routed to the unit's processledare.
        wish = Concern.objects.get(child=child, raised_by=world.outsider)
        assert wish.routed_to == world.process_lead


def test_a_new_child_makes_its_registrant_barnkontakt_only_when_it_attends_their_unit(world):
    with tenant_context(world.tenant):
        with pytest.raises(ChildError) as refused:
            child_register(
                personnummer=personnummer("20170202"),
                given_name="Ny",
                family_name="Person",
                acting_user=world.outsider,
                as_child_contact=True,
                units=[world.bup],
            )
        assert "as_child_contact" in refused.value.message_dict
        assert not Child.objects.filter(given_name="Ny").exists()

        registration = child_register(
            personnummer=personnummer("20170202"),
            given_name="Ny",
            family_name="Person",
            acting_user=world.outsider,
            as_child_contact=True,
            units=[world.preschool],
        )
        assert registration.created and not registration.received
        holding = ChildContact.objects.get(child=registration.child, ended_at__isnull=True)
        assert holding.user == world.outsider and holding.reason


def test_only_the_holder_a_processledare_or_the_local_admin_decides_and_with_a_reason(world):
    child = _child_without_contact(world, "20160505")
    with tenant_context(world.tenant):
        with pytest.raises(ChildError, match="Barnkontakten utses av"):
            child_role_hand_over(
                role=ChildContact, child=child, user=world.outsider, acting_user=world.outsider, reason="Jag vill"
            )
        with pytest.raises(ChildError, match="Stödsamordnaren utses av"):
            child_role_hand_over(
                role=SupportCoordinator,
                child=world.child,
                user=world.outsider,
                acting_user=world.team_same_org,
                reason="Jag vill",
            )
        with pytest.raises(ChildError) as no_reason:
            child_role_hand_over(
                role=ChildContact, child=child, user=world.outsider, acting_user=world.process_lead, reason="  "
            )
        assert "reason" in no_reason.value.message_dict
        assert not ChildContact.objects.filter(child=child).exists()

        decided = child_role_hand_over(
            role=ChildContact,
            child=child,
            user=world.outsider,
            acting_user=world.process_lead,
            reason="Olle känner familjen från förskolan.",
        )
        assert (decided.assigned_by, decided.reason) == (world.process_lead, "Olle känner familjen från förskolan.")
        handed = child_role_hand_over(
            role=ChildContact, child=child, user=world.contact, acting_user=world.outsider, reason="Byter tjänst."
        )
        assert handed.reason == "Byter tjänst."


def test_the_page_and_the_api_ask_for_the_reason(world):
    client = logged_in_client(world.tenant, world.contact.email)
    page = client.post(f"/barn/{world.child.pk}/barnkontakt/", {"user": world.outsider.pk})
    assert page.status_code == 200 and 'id="id_reason_error"' in page.content.decode()
    api = client.post(f"/api/children/{world.child.pk}/child-contact/", {"user_id": world.outsider.pk})
    assert api.status_code == 400 and "reason" in api.json()["errors"]
    with tenant_context(world.tenant):
        assert ChildContact.objects.get(child=world.child, ended_at__isnull=True).user == world.contact


def test_registering_tells_someone_without_access_the_same_whether_the_child_is_known(world):
    """A known number and an unknown one: the same status and body, page and API."""
    client = logged_in_client(world.tenant, world.outsider.email)
    answers = []
    for number in (world.number, personnummer("20180303")):
        form = {"personnummer": number, "given_name": "Alva", "family_name": "Andersson", "concern": "Orolig."}
        page = client.post("/barn/registrera/", form, follow=True)
        api = client.post("/api/children/", form, content_type="application/json")
        answers.append((page.redirect_chain, _messages(page), api.status_code, api.content))
    known, unknown = answers
    assert known == unknown
    assert known[2] == 202 and b"Barnet har redan" not in known[3]
    with tenant_context(world.tenant):
        assert Concern.objects.filter(raised_by=world.outsider).count() == 4  # every concern was routed on


def _messages(response):
    return [str(message) for message in response.context["messages"]]
