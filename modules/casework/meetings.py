"""Barnteam meetings: planned with a kallelse (to staff by e-mail with an .ics, to guardians as a printable
letter), changed or cancelled as calendar updates, then held: attendance, minutes and decisions, each decision
an action in Barnets plan.

The calendar event keeps one UID for the meeting's life and a SEQUENCE raised by every change and by the
cancellation (RFC 5546), so a staff member's calendar replaces its copy instead of adding a second one.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backa_platform.core.tasks import enqueue_on_commit
from modules.accounts.models import User
from modules.audit.services import audit_record
from modules.casework.models import Decision, Meeting, MeetingGuest, MeetingParticipant, Plan
from modules.casework.services import CaseworkError, _require_open, action_add
from modules.children.models import Child, Guardian
from modules.chronology.models import Event
from modules.chronology.services import chronology_record


@dataclass
class GuestData:
    """Someone taking part who is neither staff, a guardian nor the child: a name and a role."""

    name: str
    role: str = ""


@dataclass
class DecisionData:
    text: str
    responsible: str = ""
    due_on: date | None = None  # unset: by the plan's next review


@dataclass
class MeetingData:
    starts_at: datetime
    ends_at: datetime | None
    agenda: str
    staff: list[User]
    place: str = ""
    video_link: str = ""
    guardians: list[Guardian] = ()
    child_takes_part: bool = False
    others: list[GuestData] = ()


def _when(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def meeting_calendar_uid(meeting: Meeting) -> str:
    """The event's UID: the meeting and its instance (schema), never a name; stable for the meeting's life."""
    return f"barnteamsmote-{meeting.pk}.{connection.schema_name}@{settings.CENTRAL_DOMAIN}"


def _check(child: Child, data: MeetingData, *, now) -> dict:
    from modules.children.selectors import child_visible, has_full_access

    errors = {}
    if not data.agenda.strip():
        errors["agenda"] = _("Skriv en dagordning.")
    if data.starts_at < now:
        errors["starts_at"] = _("Mötet kan inte planeras i det förflutna.")
    if data.ends_at is None:
        errors["ends_at"] = _("Ange när mötet slutar.")
    elif data.ends_at <= data.starts_at:
        errors["ends_at"] = _("Mötet måste sluta efter att det har börjat.")
    if not data.place.strip() and not data.video_link.strip():
        errors["place"] = _("Ange en plats eller en länk till videomötet.")

    def in_team(user) -> bool:
        seen = child_visible(user=user, child_id=child.pk)
        return seen is not None and has_full_access(seen)

    outside = [user.full_name for user in data.staff if not in_team(user)]
    if outside:
        errors["staff"] = _("Bjud bara in barnets barnteam (inte: %(names)s).") % {"names": ", ".join(outside)}
    if any(guardian.child_id != child.pk for guardian in data.guardians):
        errors["guardians"] = _("Välj bland barnets vårdnadshavare.")
    if any(not other.name.strip() or not other.role.strip() for other in data.others):
        errors["others"] = _("Ange både namn och roll för varje annan deltagare.")
    elif any(len(other.name.strip()) > 200 or len(other.role.strip()) > 200 for other in data.others):
        errors["others"] = _("Ett namn eller en roll får vara högst 200 tecken.")
    if errors:
        raise CaseworkError(errors)


def _participants_set(meeting: Meeting, data: MeetingData) -> None:
    meeting.staff.set(data.staff)
    meeting.guests.all().delete()
    guests = [
        MeetingGuest(meeting=meeting, kind=MeetingGuest.Kind.GUARDIAN, guardian=guardian, name=guardian.name)
        for guardian in data.guardians
    ]
    if data.child_takes_part:
        guests.append(MeetingGuest(meeting=meeting, kind=MeetingGuest.Kind.CHILD, name=meeting.child.full_name))
    guests += [
        MeetingGuest(meeting=meeting, kind=MeetingGuest.Kind.OTHER, name=other.name.strip(), role=other.role.strip())
        for other in data.others
    ]
    MeetingGuest.objects.bulk_create(guests)


def _fields_set(meeting: Meeting, data: MeetingData) -> None:
    meeting.starts_at = data.starts_at
    meeting.ends_at = data.ends_at
    meeting.place = data.place.strip()
    meeting.video_link = data.video_link.strip()
    meeting.agenda = data.agenda.strip()
    meeting.guardians_take_part = bool(data.guardians)
    meeting.child_takes_part = data.child_takes_part


@transaction.atomic
def meeting_plan(*, child: Child, acting_user: User, data: MeetingData, request=None) -> Meeting:
    """Plan a meeting; the staff invited must be in the child's team (or its Barnkontakt/Stödsamordnare) and
    get the kallelse by e-mail with the event attached."""
    from modules.casework.tasks import send_meeting_kallelse

    _require_open(child)
    _check(child, data, now=timezone.now())
    meeting = Meeting(child=child, planned_by=acting_user)
    _fields_set(meeting, data)
    meeting.save()
    _participants_set(meeting, data)
    chronology_record(
        child=child,
        acting_user=acting_user,
        kind=Event.Kind.MEETING,
        code="meeting_planned",
        params={"starts_at": _when(meeting.starts_at)},
    )
    audit_record(acting_user=acting_user, action="create", child=child, obj=meeting, request=request)
    enqueue_on_commit(send_meeting_kallelse, meeting_id=meeting.pk)
    return meeting


def _require_planned(meeting: Meeting) -> None:
    if meeting.cancelled_at is not None:
        raise CaseworkError(_("Mötet är inställt."), code="cancelled")
    if meeting.held_at is not None:
        raise CaseworkError(_("Mötet är redan protokollfört."), code="held")


@transaction.atomic
def meeting_change(*, meeting: Meeting, acting_user: User, data: MeetingData, request=None) -> Meeting:
    """Change a planned meeting: the kallelse goes out again as an update of the same calendar event; staff no
    longer invited get it as a cancellation."""
    from modules.casework.tasks import send_meeting_kallelse

    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_open(meeting.child)
    _require_planned(meeting)
    _check(meeting.child, data, now=timezone.now())
    before = set(meeting.participants.values_list("user_id", flat=True))
    _fields_set(meeting, data)
    meeting.sequence += 1
    meeting.save()
    _participants_set(meeting, data)
    uninvited = sorted(before - {user.pk for user in data.staff})
    chronology_record(
        child=meeting.child,
        acting_user=acting_user,
        kind=Event.Kind.MEETING,
        code="meeting_changed",
        params={"starts_at": _when(meeting.starts_at)},
    )
    audit_record(acting_user=acting_user, action="update", child=meeting.child, obj=meeting, request=request)
    enqueue_on_commit(send_meeting_kallelse, meeting_id=meeting.pk, uninvited_user_ids=uninvited)
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, acting_user: User, reason: str, request=None) -> Meeting:
    from modules.casework.tasks import send_meeting_kallelse

    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_planned(meeting)
    if not reason.strip():
        raise CaseworkError({"reason": _("Ange varför mötet ställs in.")})
    meeting.cancelled_at = timezone.now()
    meeting.cancel_reason = reason.strip()
    meeting.sequence += 1
    meeting.save(update_fields=["cancelled_at", "cancel_reason", "sequence"])
    chronology_record(
        child=meeting.child,
        acting_user=acting_user,
        kind=Event.Kind.MEETING,
        code="meeting_cancelled",
        params={"starts_at": _when(meeting.starts_at)},
    )
    audit_record(acting_user=acting_user, action="update", child=meeting.child, obj=meeting, request=request)
    enqueue_on_commit(send_meeting_kallelse, meeting_id=meeting.pk)
    return meeting


def _require_started(meeting: Meeting, message: str) -> None:
    if meeting.cancelled_at is not None:
        raise CaseworkError(_("Mötet är inställt."), code="cancelled")
    if timezone.now() < meeting.starts_at:
        raise CaseworkError(message % {"starts_at": _when(meeting.starts_at)}, code="not_started")


@transaction.atomic
def meeting_attendance_record(
    *, meeting: Meeting, acting_user: User, present_user_ids, present_guest_ids, request=None
) -> Meeting:
    """Who came: every invited staff member and guest is marked present or absent (a later call corrects it)."""
    _require_open(meeting.child)
    _require_started(meeting, _("Närvaron registreras när mötet har börjat (%(starts_at)s)."))
    invited = set(meeting.participants.values_list("user_id", flat=True))
    guests = set(meeting.guests.values_list("pk", flat=True))
    present_users, present_guests = set(present_user_ids), set(present_guest_ids)
    if present_users - invited or present_guests - guests:
        raise CaseworkError(_("Markera bara de som var kallade till mötet."), code="not_invited")
    for user_id in invited:
        MeetingParticipant.objects.filter(meeting=meeting, user_id=user_id).update(attended=user_id in present_users)
    for guest_id in guests:
        MeetingGuest.objects.filter(pk=guest_id).update(attended=guest_id in present_guests)
    meeting.attendance_recorded_at = timezone.now()
    meeting.save(update_fields=["attendance_recorded_at"])
    chronology_record(
        child=meeting.child,
        acting_user=acting_user,
        kind=Event.Kind.MEETING,
        code="meeting_attendance",
        params={"present": len(present_users) + len(present_guests), "invited": len(invited) + len(guests)},
    )
    audit_record(acting_user=acting_user, action="update", child=meeting.child, obj=meeting, request=request)
    return meeting


# --- decisions become plan actions --------------------------------------------------------------------


def decision_action_fields(decision: DecisionData, *, plan: Plan) -> tuple[dict, dict]:
    """The one mapping from a meeting's decision to a plan action: ``action_add``'s fields, and the errors
    (by the decision's field) that keep it from becoming one. Every decision becomes an action; one without a
    responsible party is refused, not kept as a plain decision. Without a date it is due by the next review."""
    from modules.casework.plan_services import responsible_from_text

    errors, responsible = {}, None
    if not decision.responsible.strip():
        errors["responsible"] = _("Ange vem som ansvarar: varje beslut blir en insats i Barnets plan.")
    else:
        # The typed "vem ansvarar" must name one party the plan knows: a staff member of the team, a unit,
        # the guardians or the child.
        responsible = responsible_from_text(child=plan.child, text=decision.responsible)
        if responsible is None:
            errors["responsible"] = _(
                "Ange en person i barnteamet, en enhet, vårdnadshavarna eller barnet som ansvarig."
            )
    fields = {
        "what": decision.text.strip(),
        "responsible": responsible,
        "due_on": decision.due_on or (plan.next_review_on if plan else None),
    }
    return fields, errors


def _decision_errors(decisions: list[DecisionData], *, plan: Plan | None) -> dict[str, str]:
    """Errors keyed ``decisions.<index>.<field>``."""
    errors = {}
    for index, decision in enumerate(decisions):
        if not decision.text.strip():
            if decision.responsible.strip() or decision.due_on:
                errors[f"decisions.{index}.text"] = _("Skriv beslutet.")
            continue
        if plan is None:
            errors[f"decisions.{index}.text"] = _("Starta Barnets plan innan beslut blir insatser.")
            continue
        _fields, problems = decision_action_fields(decision, plan=plan)
        errors.update({f"decisions.{index}.{name}": message for name, message in problems.items()})
    return errors


@transaction.atomic
def meeting_record(*, meeting: Meeting, minutes: str, decisions: list[DecisionData], acting_user: User, request=None):
    """Record a held meeting: minutes and decisions, each decision an action in Barnets plan. Nothing is
    written before the meeting has started, nor when any decision is refused (each named by its index)."""
    _require_open(meeting.child)
    if meeting.held_at is not None:
        raise CaseworkError(_("Mötet är redan protokollfört."), code="held")
    _require_started(meeting, _("Anteckningar kan inte skrivas innan mötet har börjat (%(starts_at)s)."))
    plan = Plan.objects.filter(child=meeting.child).first()
    errors = _decision_errors(decisions, plan=plan)
    if not minutes.strip():
        errors["minutes"] = _("Skriv anteckningar från mötet.")
    if errors:
        raise CaseworkError(errors)
    for decision in decisions:
        if not decision.text.strip():
            continue
        fields, _errors = decision_action_fields(decision, plan=plan)
        action = action_add(plan=plan, acting_user=acting_user, request=request, **fields)
        Decision.objects.create(meeting=meeting, text=decision.text.strip(), action=action)
    meeting.minutes = minutes.strip()
    meeting.held_at = timezone.now()
    meeting.save(update_fields=["minutes", "held_at"])
    chronology_record(child=meeting.child, acting_user=acting_user, kind=Event.Kind.MEETING, code="meeting_held")
    audit_record(acting_user=acting_user, action="update", child=meeting.child, obj=meeting, request=request)
    return meeting


# --- the calendar event -------------------------------------------------------------------------------


def meeting_ics(*, meeting: Meeting, link: str, cancel: bool = False) -> bytes:
    """The kallelse as an iCalendar object (METHOD:REQUEST, or CANCEL for a cancelled meeting or someone no
    longer invited). It names no child: the summary is the kind of meeting, the link leads to it."""
    from icalendar import Calendar, vCalAddress
    from icalendar import Event as CalendarEvent

    calendar = Calendar()
    calendar.add("prodid", "-//Backa barnet//Barnteamsmote//SV")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancel else "REQUEST")
    event = CalendarEvent()
    event.add("uid", meeting_calendar_uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at or meeting.starts_at)
    event.add("summary", _("Barnteamsmöte"))
    event.add("status", "CANCELLED" if cancel else "CONFIRMED")
    if meeting.place:
        event.add("location", meeting.place)
    description = [_("Dagordning och deltagare: %(link)s") % {"link": link}]
    if meeting.video_link:
        description.append(_("Videomöte: %(link)s") % {"link": meeting.video_link})
        event.add("url", meeting.video_link)
    event.add("description", "\n".join(description))
    organizer = vCalAddress(f"mailto:{meeting.planned_by.email}")
    organizer.params["cn"] = meeting.planned_by.full_name
    event.add("organizer", organizer)
    for user in meeting.staff.all():
        attendee = vCalAddress(f"mailto:{user.email}")
        attendee.params["cn"] = user.full_name
        attendee.params["role"] = "REQ-PARTICIPANT"
        event.add("attendee", attendee)
    calendar.add_component(event)
    return calendar.to_ical()
