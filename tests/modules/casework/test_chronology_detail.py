"""The chronology says what changed in Barnets plan, in the reader's language, from a code and parameters stored
with the event; events from before (prose or nothing) still read as they did."""

from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import tenant_context

from modules.casework.plan_services import Responsible
from modules.casework.services import action_add, action_complete, goal_add, plan_review_set, plan_start
from modules.chronology.models import Event
from modules.chronology.services import chronology_record
from tests.factories import logged_in_client


def _change_the_plan(world):
    today = timezone.localdate()
    with tenant_context(world.tenant):
        plan = plan_start(child=world.child, acting_user=world.contact, next_review_on=today + timedelta(days=30))
        goal_add(plan=plan, area_key="halsa", text="Äter frukost varje dag", acting_user=world.contact)
        action = action_add(
            plan=plan,
            what="Frukost i skolan",
            responsible=Responsible(kind="unit", unit=world.student_health),
            due_on=today,
            acting_user=world.contact,
        )
        plan_review_set(plan=plan, next_review_on=today + timedelta(days=60), acting_user=world.contact)
        action_complete(action=action, acting_user=world.contact)
        # An event written before codes existed: its stored prose is what it says.
        chronology_record(
            child=world.child, acting_user=world.contact, kind=Event.Kind.PLAN_CHANGED, summary="Äldre text"
        )
    return today


def test_plan_changes_are_stored_as_codes_and_parameters_not_prose(world, installed):
    _change_the_plan(world)
    with tenant_context(world.tenant):
        events = list(Event.objects.filter(child=world.child, kind=Event.Kind.PLAN_CHANGED).exclude(code=""))
    assert [event.code for event in events] == [
        "plan_started",
        "goal_added",
        "action_added",
        "plan_review_set",
        "action_done",
    ]
    assert all(event.summary == "" for event in events)
    assert events[1].params["area"] == {"sv": "Hälsa", "en": "Healthy"}


def test_the_chronology_page_says_what_changed_in_swedish_and_in_english(world, installed):
    today = _change_the_plan(world)
    client = logged_in_client(world.tenant, world.contact.email)
    swedish = client.get(f"/barn/{world.child.pk}/kronologi/").content.decode()
    assert "Mål tillagt (Hälsa): Äter frukost varje dag" in swedish
    assert f"Insats tillagd: Frukost i skolan, ansvarig Elevhälsan, senast {today:%Y-%m-%d}" in swedish
    assert "Insats klar: Frukost i skolan" in swedish
    assert f"Nästa uppföljning ändrad: {today + timedelta(days=30):%Y-%m-%d} → " in swedish
    assert "Barnets plan ändrad</strong>: Äldre text" in swedish
    english = client.get(f"/barn/{world.child.pk}/kronologi/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Goal added (Healthy): Äter frukost varje dag" in english
    assert "Action completed: Frukost i skolan" in english
    api = client.get(f"/api/children/{world.child.pk}/chronology/", HTTP_ACCEPT_LANGUAGE="en").json()
    summaries = [row["summary"] for row in api if row["kind"] == "plan_changed"]
    assert "Goal added (Healthy): Äter frukost varje dag" in summaries and "Äldre text" in summaries
