"""Every meeting decision becomes a plan action: one without anybody responsible is refused at its field, and
nothing of the record is written; before, it was kept as a plain decision and silently never became an action."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from modules.casework.meetings import DecisionData, MeetingData, meeting_plan, meeting_record
from modules.casework.models import Action, Decision, Meeting
from modules.casework.services import CaseworkError, plan_start
from tests.factories import logged_in_client


@pytest.fixture
def meeting(world, installed):
    with tenant_context(world.tenant):
        plan_start(child=world.child, acting_user=world.contact, next_review_on=timezone.localdate())
        starts_at = timezone.now() + timedelta(days=3)
        meeting = meeting_plan(
            child=world.child,
            acting_user=world.contact,
            data=MeetingData(
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=1),
                place="Skolan",
                agenda="Läget i skolan",
                staff=[world.team_same_org],
            ),
        )
        # Held now: minutes wait for the start.
        Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(minutes=1))
        meeting.refresh_from_db()
        return meeting


def _nothing_written(world, meeting):
    meeting.refresh_from_db()
    assert meeting.held_at is None and meeting.minutes == ""
    assert not Decision.objects.filter(meeting=meeting).exists()
    assert not Action.objects.filter(plan__child=world.child).exists()


def test_the_service_refuses_a_decision_without_a_responsible_and_writes_nothing(world, meeting):
    today = timezone.localdate()
    with tenant_context(world.tenant):
        with pytest.raises(CaseworkError) as error:
            meeting_record(
                meeting=meeting,
                minutes="Vi gick igenom läget.",
                decisions=[
                    DecisionData(text="Kurator träffar Alva varje vecka", responsible="Kurt", due_on=today),
                    DecisionData(text="Läxhjälp två gånger i veckan", due_on=today),
                    DecisionData(text="Samtal med mamma", responsible="Karin"),
                    DecisionData(text="Nytt möte efter lovet"),
                ],
                acting_user=world.contact,
            )
        assert set(error.value.message_dict) == {"decisions.1.responsible", "decisions.3.responsible"}
        assert "Ange vem som ansvarar" in error.value.message_dict["decisions.1.responsible"][0]
        _nothing_written(world, meeting)


def test_the_page_shows_the_message_at_the_responsible_field_and_writes_nothing(world, meeting):
    client = logged_in_client(world.tenant, world.contact.email)
    today = timezone.localdate().isoformat()
    response = client.post(
        f"/barn/{world.child.pk}/moten/{meeting.pk}/protokoll/",
        {
            "minutes": "Vi gick igenom läget.",
            "decision_1": "Kurator träffar Alva varje vecka",
            "responsible_1": "Kurt",
            "due_1": today,
            "decision_2": "Läxhjälp två gånger i veckan",
            "due_2": today,
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_responsible_2_error"' in page and "Ange vem som ansvarar" in page
    assert 'aria-invalid="true"' in page
    with tenant_context(world.tenant):
        _nothing_written(world, meeting)


def test_the_api_answers_400_naming_the_decision_and_its_field_and_writes_nothing(world, meeting):
    client = logged_in_client(world.tenant, world.contact.email)
    today = timezone.localdate().isoformat()
    response = client.post(
        f"/api/children/{world.child.pk}/meetings/{meeting.pk}/record/",
        {
            "minutes": "Vi gick igenom läget.",
            "decisions": [
                {"text": "Kurator träffar Alva varje vecka", "responsible": "Kurt", "due_on": today},
                {"text": "Läxhjälp två gånger i veckan", "due_on": today},
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    body = response.json()["errors"]
    assert body["decisions"][0] == {} and "responsible" in body["decisions"][1]
    with tenant_context(world.tenant):
        _nothing_written(world, meeting)


def test_decisions_with_someone_responsible_all_become_plan_actions(world, meeting):
    with tenant_context(world.tenant):
        meeting_record(
            meeting=meeting,
            minutes="Vi gick igenom läget.",
            decisions=[
                DecisionData(text="Kurator träffar Alva", responsible="Kurt", due_on=timezone.localdate()),
                DecisionData(text="Nytt möte efter lovet", responsible="Karin Kontakt"),
                DecisionData(text=""),
            ],
            acting_user=world.contact,
        )
        assert [d.action.what for d in meeting.decisions.all()] == ["Kurator träffar Alva", "Nytt möte efter lovet"]
