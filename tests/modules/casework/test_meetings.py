"""A Barnteam meeting from kallelse to minutes: the staff's calendar gets one event that is updated and then
cancelled (parsed with icalendar), the guardians a letter in Swedish or English, attendance and minutes wait
for the meeting to start, and every decision becomes a plan action with someone responsible."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tenants.utils import tenant_context
from icalendar import Calendar
from pypdf import PdfReader

from modules.audit.models import AuditEntry
from modules.casework.meetings import (
    DecisionData,
    GuestData,
    MeetingData,
    meeting_attendance_record,
    meeting_cancel,
    meeting_change,
    meeting_plan,
    meeting_record,
)
from modules.casework.models import Action, Meeting
from modules.casework.services import CaseworkError, plan_start
from tests.factories import logged_in_client

NAME = ("Łukasz", "Nguyễn")


def _data(world, *, in_days=3, staff=None, **changes) -> MeetingData:
    starts_at = timezone.now().replace(microsecond=0) + timedelta(days=in_days)
    values = {
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=1),
        "place": "Förskolan Solrosen, rum 2",
        "video_link": "",
        "agenda": "Läget i förskolan",
        "staff": staff if staff is not None else [world.team_region, world.team_same_org],
        "guardians": list(world.child.guardians.all()),
        "child_takes_part": True,
        "others": [GuestData(name="Kim Berg", role="tolk")],
    }
    values.update(changes)
    return MeetingData(**values)


def _started(meeting):
    """A meeting cannot be planned in the past: move a planned one back as time would."""
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    meeting.refresh_from_db()
    return meeting


def _event(message):
    (name, content, mimetype) = message.attachments[0]
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    calendar = Calendar.from_ical(content)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def test_the_kallelse_is_one_calendar_event_requested_updated_and_cancelled(world, installed, run_on_commit):
    with tenant_context(world.tenant), run_on_commit():
        meeting = meeting_plan(child=world.child, acting_user=world.contact, data=_data(world))
    first = {message.to[0]: _event(message) for message in mail.outbox}
    assert set(first) == {world.team_region.email, world.team_same_org.email}
    calendar, event = first[world.team_region.email]
    assert calendar["METHOD"] == "REQUEST" and event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == meeting.starts_at and event.decoded("DTEND") == meeting.ends_at
    assert str(event["LOCATION"]) == "Förskolan Solrosen, rum 2"
    uid = str(event["UID"])
    # The mail and the event name no child.
    assert all("Alva" not in message.body + str(_event(message)[1]) for message in mail.outbox)

    mail.outbox.clear()
    with tenant_context(world.tenant), run_on_commit():
        later = _data(world, in_days=4, staff=[world.team_region], video_link="https://meet.example.se/abc")
        meeting_change(meeting=meeting, acting_user=world.contact, data=later)
    by_recipient = {message.to[0]: _event(message) for message in mail.outbox}
    calendar, event = by_recipient[world.team_region.email]
    assert (calendar["METHOD"], str(event["UID"]), event["SEQUENCE"]) == ("REQUEST", uid, 1)
    assert event.decoded("DTSTART") == later.starts_at and str(event["URL"]) == "https://meet.example.se/abc"
    calendar, event = by_recipient[world.team_same_org.email]  # no longer called: the event is taken away
    assert (calendar["METHOD"], str(event["UID"]), event["SEQUENCE"], event["STATUS"]) == (
        "CANCEL",
        uid,
        1,
        "CANCELLED",
    )

    mail.outbox.clear()
    with tenant_context(world.tenant), run_on_commit():
        meeting_cancel(meeting=meeting, acting_user=world.contact, reason="Barnet är sjukt")
    ((to, (calendar, event)),) = [(message.to[0], _event(message)) for message in mail.outbox]
    assert to == world.team_region.email
    assert (calendar["METHOD"], str(event["UID"]), event["SEQUENCE"]) == ("CANCEL", uid, 2)
    with tenant_context(world.tenant), pytest.raises(CaseworkError):
        meeting_change(meeting=meeting, acting_user=world.contact, data=later)


def test_a_meeting_needs_an_end_after_its_start_and_a_place_or_a_link(world, installed):
    with tenant_context(world.tenant), pytest.raises(CaseworkError) as error:
        data = _data(world, place="", staff=[world.outsider])
        data.ends_at = data.starts_at
        meeting_plan(child=world.child, acting_user=world.contact, data=data)
    assert set(error.value.message_dict) == {"ends_at", "place", "staff"}


def test_attendance_and_minutes_wait_for_the_meeting_and_every_decision_needs_someone_responsible(world, installed):
    with tenant_context(world.tenant):
        plan = plan_start(
            child=world.child, acting_user=world.contact, next_review_on=timezone.localdate() + timedelta(days=90)
        )
        meeting = meeting_plan(child=world.child, acting_user=world.contact, data=_data(world))
        decisions = [DecisionData(text="Kurator träffar Alva varje vecka", responsible="Kurt")]
        with pytest.raises(CaseworkError) as error:
            meeting_record(meeting=meeting, minutes="För tidigt", decisions=decisions, acting_user=world.contact)
        assert "innan mötet har börjat" in error.value.messages[0]
        guests = list(meeting.guests.order_by("pk"))
        with pytest.raises(CaseworkError) as error:
            meeting_attendance_record(
                meeting=meeting, acting_user=world.contact, present_user_ids=[], present_guest_ids=[]
            )
        assert "när mötet har börjat" in error.value.messages[0]

        _started(meeting)
        meeting_attendance_record(
            meeting=meeting,
            acting_user=world.contact,
            present_user_ids=[world.team_region.pk],
            present_guest_ids=[guests[0].pk],
        )
        attended = dict(meeting.participants.values_list("user_id", "attended"))
        assert attended == {world.team_region.pk: True, world.team_same_org.pk: False}
        assert [guest.attended for guest in meeting.guests.order_by("pk")] == [True, False, False]
        assert [guest.kind for guest in guests] == ["guardian", "child", "other"]

        with pytest.raises(CaseworkError) as error:
            meeting_record(
                meeting=meeting,
                minutes="Vi gick igenom läget.",
                decisions=[*decisions, DecisionData(text="Läxhjälp två gånger i veckan")],
                acting_user=world.contact,
            )
        assert set(error.value.message_dict) == {"decisions.1.responsible"}
        assert "Ange vem som ansvarar" in error.value.message_dict["decisions.1.responsible"][0]
        assert not Action.objects.filter(plan=plan).exists() and not meeting.decisions.exists()

        meeting_record(
            meeting=meeting,
            minutes="Vi gick igenom läget.",
            decisions=[
                *decisions,
                DecisionData(text="Läxhjälp", responsible="Elevhälsan", due_on=timezone.localdate()),
            ],
            acting_user=world.contact,
        )
        actions = {action.what: action for action in plan.actions.all()}
        assert actions["Kurator träffar Alva varje vecka"].due_on == plan.next_review_on  # no date: by the review
        assert actions["Läxhjälp"].responsible_unit == world.student_health  # the typed name read as the unit
        assert [decision.action_id for decision in meeting.decisions.all()] == [
            actions["Kurator träffar Alva varje vecka"].pk,
            actions["Läxhjälp"].pk,
        ]


def _pdf_text(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    return " ".join(text.split())  # a long heading wraps


def test_the_kallelse_letter_and_the_minutes_print_every_letter_in_swedish_and_english(world, installed):
    with tenant_context(world.tenant):
        world.child.given_name, world.child.family_name = NAME
        world.child.save(update_fields=["given_name", "family_name"])
        world.child.guardians.update(name="Agnieszka Nguyễn")
        plan_start(child=world.child, acting_user=world.contact, next_review_on=timezone.localdate())
        meeting = meeting_plan(child=world.child, acting_user=world.contact, data=_data(world))
    client = logged_in_client(world.tenant, world.contact.email)
    base = f"/barn/{world.child.pk}/moten/{meeting.pk}"

    swedish = _pdf_text(client.get(f"{base}/kallelse/sv.pdf"))
    assert "Kallelse till möte om Łukasz Nguyễn" in swedish
    assert "Till: Agnieszka Nguyễn" in swedish and "Kim Berg (tolk)" in swedish
    assert "Plats: Förskolan Solrosen, rum 2" in swedish and "Läget i förskolan" in swedish
    english = _pdf_text(client.get(f"{base}/kallelse/en.pdf"))
    assert "Invitation to a meeting about Łukasz Nguyễn" in english and "Place: Förskolan Solrosen" in english
    assert client.get(f"{base}/kallelse/de.pdf").status_code == 404

    with tenant_context(world.tenant):
        _started(meeting)
        meeting_attendance_record(
            meeting=meeting, acting_user=world.contact, present_user_ids=[world.team_region.pk], present_guest_ids=[]
        )
        meeting_record(
            meeting=meeting,
            minutes="Łukasz trivs bättre.",
            decisions=[DecisionData(text="Samtal med Agnieszka", responsible="Bo BUP")],
            acting_user=world.contact,
        )
    minutes = _pdf_text(client.get(f"{base}/anteckningar/sv.pdf"))
    assert "Anteckningar från barnteamsmöte om Łukasz Nguyễn" in minutes
    assert "Bo BUP (barnteamet)" in minutes and "Frånvarande" in minutes and "Łukasz trivs bättre." in minutes
    assert "Samtal med Agnieszka. Ansvarig: Bo BUP" in minutes
    minutes_en = _pdf_text(client.get(f"{base}/anteckningar/en.pdf"))
    assert "Minutes of the team around the child meeting about Łukasz Nguyễn" in minutes_en
    assert "Responsible: Bo BUP" in minutes_en and "Absent" in minutes_en
    assert "?" not in swedish + english + minutes
    with tenant_context(world.tenant):
        exported = set(
            AuditEntry.objects.filter(action="export", child_id=world.child.pk).values_list("object_type", flat=True)
        )
    assert {"casework.kallelse_pdf", "casework.minutes_pdf"} <= exported


def test_the_pages_plan_change_record_attendance_and_refuse_minutes_before_the_start(world, installed):
    client = logged_in_client(world.tenant, world.contact.email)
    starts_at = timezone.localtime() + timedelta(days=2)
    with tenant_context(world.tenant):
        guardian = world.child.guardians.get()
    form = {
        "starts_at": f"{starts_at:%Y-%m-%dT%H:%M}",
        "ends_at": f"{starts_at + timedelta(hours=1):%Y-%m-%dT%H:%M}",
        "place": "Skolan",
        "agenda": "Läget",
        "staff": [world.team_region.pk],
        "guardians": [guardian.pk],
        "others": "Kim Berg, tolk\nutan roll",
    }
    response = client.post(f"/barn/{world.child.pk}/moten/", form)
    assert response.status_code == 200 and "Skriv namn och roll med ett komma emellan" in response.content.decode()
    response = client.post(f"/barn/{world.child.pk}/moten/", {**form, "others": "Kim Berg, tolk"})
    assert response.status_code == 302, response.content.decode()
    with tenant_context(world.tenant):
        meeting = world.child.meetings.get()
    page = client.get(response["Location"]).content.decode()
    assert "Kim Berg" in page and "Maria Andersson" in page and "Kallelse till vårdnadshavare (PDF, engelska)" in page

    response = client.post(f"/barn/{world.child.pk}/moten/{meeting.pk}/protokoll/", {"minutes": "För tidigt"})
    assert response.status_code == 200 and "innan mötet har börjat" in response.content.decode()
    with tenant_context(world.tenant):
        _started(meeting)
    response = client.post(
        f"/barn/{world.child.pk}/moten/{meeting.pk}/narvaro/", {f"staff_{world.team_region.pk}": "on"}
    )
    assert response.status_code == 302
    with tenant_context(world.tenant):
        assert meeting.participants.get().attended is True and meeting.guests.filter(attended=False).count() == 2
