"""Writes for the process around one child. Each change writes the child's chronology (significant events)
and the audit log in the same transaction; notifications go out after commit with ids only."""

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backa_platform.core.errors import ServiceError
from backa_platform.core.tasks import enqueue_on_commit
from modules.accounts.models import User
from modules.audit.services import audit_record, audit_record_children
from modules.casework.models import (
    Action,
    AreaRating,
    Assessment,
    AssessmentDraft,
    CaseClosure,
    Goal,
    Plan,
    RetentionSetting,
)
from modules.casework.selectors import closures_past_retention, release_items, release_scale_levels
from modules.children.models import Child, Concern, TeamMember
from modules.children.selectors import current_child_contact
from modules.chronology.models import Event
from modules.chronology.services import chronology_record
from modules.consent.models import Consent
from modules.model_config.models import ModelItem
from modules.model_config.selectors import installed_release_current

if TYPE_CHECKING:
    from modules.casework.plan_services import Responsible


class CaseworkError(ServiceError):
    pass


def _release_or_error():
    release = installed_release_current()
    if release is None:
        raise CaseworkError(_("Instansen har ingen installerad modellkonfiguration ännu."), code="release")
    return release


def _require_open(child: Child) -> None:
    if CaseClosure.objects.filter(child=child).exists():
        raise CaseworkError(_("Ärendet är avslutat."), code="closed")


# --- Uppmärksamma -------------------------------------------------------------------------------------


def concern_recipient(*, child: Child, raised_by: User) -> User | None:
    """The child's Barnkontakt; without one, the unit's: a processledare of the raiser's unit, else any."""
    contact = current_child_contact(child=child)
    if contact is not None:
        return contact.user
    leads = User.objects.filter(role=User.Role.PROCESS_LEAD, is_active=True).order_by("pk")
    return leads.filter(unit_id=raised_by.unit_id).first() or leads.first()


@transaction.atomic
def concern_raise(
    *,
    child: Child,
    raised_by: User,
    description: str,
    area_keys: list[str] = (),
    urgency: str = "normal",
    guardians_informed: bool | None = None,
    request=None,
) -> Concern:
    if not description.strip():
        raise CaseworkError(_("Beskriv vad du har uppmärksammat."), code="description")
    release = installed_release_current()
    known = {item.key for item in release_items(release=release, kind=ModelItem.Kind.AREA)} if release else set()
    unknown = [key for key in area_keys if key not in known]
    if unknown:
        raise CaseworkError(_("Okänt område: %(keys)s.") % {"keys": ", ".join(unknown)}, code="area")
    if urgency not in {"low", "normal", "high"}:
        raise CaseworkError(_("Välj hur brådskande det är."), code="urgency")
    concern = Concern.objects.create(
        child=child,
        raised_by=raised_by,
        description=description.strip(),
        area_keys=list(area_keys),
        urgency=urgency,
        guardians_informed=guardians_informed,
    )
    concern_route(concern=concern)
    chronology_record(child=child, acting_user=raised_by, kind=Event.Kind.CONCERN_RAISED)
    audit_record(acting_user=raised_by, action="create", child=child, obj=concern, request=request)
    return concern


def concern_route(*, concern: Concern) -> Concern:
    """Send ``concern`` to its recipient and notify them (after commit, ids only)."""
    from modules.casework.tasks import notify_concern_raised

    concern.routed_to = concern_recipient(child=concern.child, raised_by=concern.raised_by)
    concern.save(update_fields=["routed_to"])
    if concern.routed_to is not None:
        enqueue_on_commit(notify_concern_raised, concern_id=concern.pk)
    return concern


@transaction.atomic
def concern_acknowledge(
    *, concern: Concern, acting_user: User, child_contact: User | None = None, request=None
) -> Concern:
    """The recipient (or the Barnkontakt) acknowledges ``concern``. A child without a Barnkontakt gets one named
    here (``child_contact``): acknowledging ends a processledare's access, and someone must carry the child on."""
    from modules.children.models import ChildContact
    from modules.children.services import ChildError, child_role_hand_over

    if concern.acknowledged_at is not None:
        raise CaseworkError(_("Oron är redan kvitterad."), code="acknowledged")
    contact = current_child_contact(child=concern.child)
    if acting_user != concern.routed_to and not (contact and contact.user == acting_user):
        raise CaseworkError(_("Bara barnkontakten kvitterar en oro."), code="not_recipient")
    if contact is None and child_contact is None:
        raise CaseworkError({"child_contact": _("Barnet har ingen barnkontakt: välj vem som blir det.")})
    if contact is not None and child_contact is not None and child_contact != contact.user:
        raise CaseworkError({"child_contact": _("Barnet har redan en barnkontakt; den byts på barnets sida.")})
    if contact is None:
        try:
            child_role_hand_over(
                role=ChildContact,
                child=concern.child,
                user=child_contact,
                acting_user=acting_user,
                # Stored in the tenant's working language, like the other recorded reasons.
                reason="Utsedd när en oro om barnet kvitterades.",
                request=request,
            )
        except ChildError as error:
            raise CaseworkError({"child_contact": error.messages}) from error
    concern.acknowledged_at = timezone.now()
    concern.acknowledged_by = acting_user
    concern.save(update_fields=["acknowledged_at", "acknowledged_by"])
    chronology_record(child=concern.child, acting_user=acting_user, kind=Event.Kind.CONCERN_ACKNOWLEDGED)
    audit_record(acting_user=acting_user, action="update", child=concern.child, obj=concern, request=request)
    return concern


# --- Beskriva och bedöma ------------------------------------------------------------------------------


@dataclass
class RatingData:
    area_key: str
    level_key: str
    description: str = ""


@transaction.atomic
def assessment_make(
    *,
    child: Child,
    acting_user: User,
    assessed_on: date,
    ratings: list[RatingData],
    perspective_keys: list[str],
    participants: str,
    support_level_key: str,
    support_level_reason: str,
    resilience: dict | None = None,
    triangle_notes: dict | None = None,
    goal_outcomes: dict[int, str] | None = None,
    perspective_ratings: list | None = None,
    request=None,
) -> Assessment:
    """A Behovskompassen assessment under the current release: every area rated on the release's scale.
    With ``goal_outcomes`` ({goal id: outcome}) it is a follow-up that also marks the plan's goals; with
    ``perspective_ratings`` (modules/casework/perspectives.py) areas are also rated per perspective."""
    from modules.casework.perspectives import perspective_ratings_create, perspective_ratings_errors

    _require_open(child)
    release = _release_or_error()
    errors = {}
    areas = [item.key for item in release_items(release=release, kind=ModelItem.Kind.AREA)]
    levels = [level["key"] for level in release_scale_levels(release=release)]
    perspectives = {item.key for item in release_items(release=release, kind=ModelItem.Kind.PERSPECTIVE)}
    support_levels = {item.key for item in release_items(release=release, kind=ModelItem.Kind.SUPPORT_LEVEL)}
    by_area = {rating.area_key: rating for rating in ratings}
    missing = [key for key in areas if key not in by_area or by_area[key].level_key not in levels]
    if missing:
        errors["ratings"] = _("Skatta varje område på skalan (saknas: %(areas)s).") % {"areas": ", ".join(missing)}
    if set(by_area) - set(areas):
        errors["ratings"] = _("Okänt område i bedömningen.")
    if not perspective_keys or set(perspective_keys) - perspectives:
        errors["perspective_keys"] = _("Välj minst ett perspektiv.")
    if not participants.strip():
        errors["participants"] = _("Ange vilka som deltog.")
    if support_level_key not in support_levels:
        errors["support_level_key"] = _("Välj stödnivå.")
    if not support_level_reason.strip():
        errors["support_level_reason"] = _("Ange skälet för stödnivån.")
    axes = {item.key for item in release_items(release=release, kind=ModelItem.Kind.RESILIENCE_AXIS)}
    resilience = {key: value for key, value in (resilience or {}).items() if value not in (None, "")}
    if set(resilience) - axes or any(value not in range(-2, 3) for value in resilience.values()):
        errors["resilience"] = _("Placera barnet på resiliensmatrisens axlar med ett värde från -2 till 2.")
    sub_areas = {
        sub["key"]
        for item in release_items(release=release, kind=ModelItem.Kind.TRIANGLE_SIDE)
        for sub in item.details.get("sub_areas", [])
    }
    triangle_notes = {key: text.strip() for key, text in (triangle_notes or {}).items() if text and text.strip()}
    if set(triangle_notes) - sub_areas:
        errors["triangle_notes"] = _("Okänt delområde i Min värld-triangeln.")
    if assessed_on > timezone.localdate():
        errors["assessed_on"] = _("Datumet kan inte ligga i framtiden.")
    plan = Plan.objects.filter(child=child).first()
    goal_outcomes = goal_outcomes or {}
    if goal_outcomes:
        goal_ids = set(plan.goals.values_list("pk", flat=True)) if plan else set()
        valid = {Goal.Outcome.REACHED, Goal.Outcome.PARTLY, Goal.Outcome.NOT_REACHED}
        if set(goal_outcomes) - goal_ids or set(goal_outcomes.values()) - valid:
            errors["goal_outcomes"] = _("Ange uppnått, delvis uppnått eller inte uppnått för planens mål.")
    perspective_ratings = list(perspective_ratings or [])
    errors.update(
        perspective_ratings_errors(perspective_ratings, release=release, perspective_keys=list(perspective_keys))
    )
    if errors:
        raise CaseworkError(errors)
    assessment = Assessment.objects.create(
        child=child,
        release=release,
        assessed_on=assessed_on,
        is_follow_up=bool(goal_outcomes) or child.assessments.exists(),
        perspective_keys=list(perspective_keys),
        participants=participants.strip(),
        support_level_key=support_level_key,
        support_level_reason=support_level_reason.strip(),
        resilience=resilience,
        triangle_notes=triangle_notes,
        made_by=acting_user,
    )
    AreaRating.objects.bulk_create(
        AreaRating(
            assessment=assessment,
            area_key=key,
            level_key=by_area[key].level_key,
            level_value=levels.index(by_area[key].level_key) + 1,
            description=by_area[key].description.strip(),
        )
        for key in areas
    )
    perspective_ratings_create(assessment=assessment, ratings=perspective_ratings)
    # The author's draft of it has served its purpose.
    AssessmentDraft.objects.filter(child=child, made_by=acting_user).delete()
    for goal_id, outcome in goal_outcomes.items():
        Goal.objects.filter(pk=goal_id).update(outcome=outcome, outcome_assessment=assessment)
    kind = Event.Kind.FOLLOW_UP_MADE if assessment.is_follow_up else Event.Kind.ASSESSMENT_MADE
    chronology_record(child=child, acting_user=acting_user, kind=kind)
    audit_record(acting_user=acting_user, action="create", child=child, obj=assessment, request=request)
    return assessment


# --- Barnets plan -------------------------------------------------------------------------------------


def _short(text: str, length: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


def content_changed(plan: Plan) -> None:
    """The plan's goals or actions changed: an agreement given before now no longer covers it."""
    plan.content_changed_at = timezone.now()
    plan.save(update_fields=["content_changed_at", "updated_at"])


def _plan_changed(plan: Plan, user: User, obj, request, *, code: str, params: dict, action="update") -> None:
    """One chronology event per change of the plan, saying what changed (a code and its parameters)."""
    chronology_record(child=plan.child, acting_user=user, kind=Event.Kind.PLAN_CHANGED, code=code, params=params)
    audit_record(acting_user=user, action=action, child=plan.child, obj=obj, request=request)


@transaction.atomic
def plan_start(*, child: Child, acting_user: User, next_review_on: date, request=None) -> Plan:
    _require_open(child)
    if Plan.objects.filter(child=child).exists():
        raise CaseworkError(_("Barnet har redan en plan: ett barn, en plan."), code="exists")
    if next_review_on < timezone.localdate():
        raise CaseworkError({"next_review_on": _("Uppföljningsdatumet har redan passerat.")})
    plan = Plan.objects.create(
        child=child, release=_release_or_error(), next_review_on=next_review_on, created_by=acting_user
    )
    _plan_changed(
        plan,
        acting_user,
        plan,
        request,
        code="plan_started",
        params={"next_review_on": next_review_on.isoformat()},
        action="create",
    )
    return plan


@transaction.atomic
def plan_review_set(*, plan: Plan, next_review_on: date, acting_user: User, request=None) -> Plan:
    if next_review_on < timezone.localdate():
        raise CaseworkError({"next_review_on": _("Uppföljningsdatumet har redan passerat.")})
    before = plan.next_review_on
    plan.next_review_on = next_review_on
    plan.review_reminded_on = None
    plan.save(update_fields=["next_review_on", "review_reminded_on", "updated_at"])
    params = {"before": before.isoformat(), "after": next_review_on.isoformat()}
    _plan_changed(plan, acting_user, plan, request, code="plan_review_set", params=params)
    return plan


@transaction.atomic
def goal_add(
    *, plan: Plan, area_key: str, text: str, child_words: str = "", guardian_words: str = "", acting_user, request=None
) -> Goal:
    _require_open(plan.child)
    areas = {item.key: item for item in release_items(release=plan.release, kind=ModelItem.Kind.AREA)}
    errors = {}
    if area_key not in areas:
        errors["area_key"] = _("Välj ett område i Behovskompassen.")
    if not text.strip():
        errors["text"] = _("Skriv målet.")
    if errors:
        raise CaseworkError(errors)
    goal = Goal.objects.create(
        plan=plan,
        area_key=area_key,
        text=text.strip(),
        child_words=child_words.strip(),
        guardian_words=guardian_words.strip(),
    )
    area = {"sv": areas[area_key].name_sv, "en": areas[area_key].name_en}
    params = {"area": area, "text": _short(goal.text)}
    _plan_changed(plan, acting_user, goal, request, code="goal_added", params=params, action="create")
    content_changed(plan)
    return goal


@transaction.atomic
def action_add(
    *,
    plan: Plan,
    what: str,
    responsible: "Responsible",
    due_on: date,
    goal: Goal | None = None,
    acting_user,
    request=None,
) -> Action:
    """An action in the plan: what, who is responsible (a staff member working with the child, a unit, the
    guardians or the child) and by when."""
    from modules.casework.plan_services import responsible_apply, responsible_error, responsible_param

    _require_open(plan.child)
    errors = {}
    if not what.strip():
        errors["what"] = _("Beskriv insatsen.")
    error = responsible_error(child=plan.child, responsible=responsible)
    if error:
        errors["responsible"] = error
    if goal is not None and (goal.plan_id != plan.pk or goal.ended_at is not None):
        errors["goal"] = _("Målet hör inte till planen.")
    if errors:
        raise CaseworkError(errors)
    action = Action(plan=plan, goal=goal, what=what.strip(), due_on=due_on)
    responsible_apply(action, responsible)
    action.save()
    params = {"what": _short(action.what), "responsible": responsible_param(action), "due_on": due_on.isoformat()}
    _plan_changed(plan, acting_user, action, request, code="action_added", params=params, action="create")
    content_changed(plan)
    return action


@transaction.atomic
def action_complete(*, action: Action, acting_user: User, request=None) -> Action:
    if action.done_at is None:
        action.done_at = timezone.now()
        action.save(update_fields=["done_at"])
        _plan_changed(
            action.plan, acting_user, action, request, code="action_done", params={"what": _short(action.what)}
        )
    return action


# --- Closing and gallring -----------------------------------------------------------------------------


@transaction.atomic
def case_close(*, child: Child, acting_user: User, reason: str, request=None) -> CaseClosure:
    _require_open(child)
    if not reason.strip():
        raise CaseworkError({"reason": _("Ange skälet till att ärendet avslutas.")})
    closure = CaseClosure.objects.create(
        child=child, closed_at=timezone.now(), reason=reason.strip(), closed_by=acting_user
    )
    chronology_record(child=child, acting_user=acting_user, kind=Event.Kind.CASE_CLOSED)
    audit_record(acting_user=acting_user, action="update", child=child, obj=closure, request=request)
    return closure


@transaction.atomic
def retention_set(*, months: int, acting_user: User) -> RetentionSetting:
    if months < 1:
        raise CaseworkError({"months": _("Gallringsfristen måste vara minst en månad.")})
    setting = RetentionSetting.objects.first() or RetentionSetting(months=months)
    setting.months = months
    setting.save()
    audit_record(acting_user=acting_user, action="update", obj=setting)
    return setting


def retention_cull(*, batch_size: int = 200, max_batches: int | None = None, now=None) -> dict:
    """Gallring: delete the records of children whose case was closed longer ago than the retention period.

    In batches of ``batch_size`` children, each its own short transaction (issue 17 §4): a batch's rows are
    locked only while it runs, and its audit entries are written last, in one INSERT, so the chain's lock (which
    every read of a child in the tenant waits on) is held for the end of one batch only, never for the whole
    run. A run stopped half-way keeps what its finished batches did, each with its own record. The audit log
    keeps what was removed, as counts per kind, never contents; its entries outlive the child and are culled
    by their own retention (modules/audit/partitions.py). Returns the counts of the whole run."""
    totals = {"children": 0, "concerns": 0, "assessments": 0, "plans": 0, "events": 0}
    batches = 0
    while max_batches is None or batches < max_batches:
        counts = _retention_cull_batch(batch_size=batch_size, now=now)
        batches += 1
        for kind, value in counts.items():
            totals[kind] += value
        if counts["children"] < batch_size:
            break
    return totals


@transaction.atomic
def _retention_cull_batch(*, batch_size: int, now) -> dict:
    # SKIP LOCKED: two runs at once (a retried task) take different children instead of waiting on each other.
    child_ids = list(
        closures_past_retention(now=now)
        .select_for_update(skip_locked=True)
        .order_by("closed_at", "pk")
        .values_list("child_id", flat=True)[:batch_size]
    )
    counts = {"children": len(child_ids), "concerns": 0, "assessments": 0, "plans": 0, "events": 0}
    if not child_ids:
        return counts
    counts["concerns"] = Concern.objects.filter(child_id__in=child_ids).count()
    counts["assessments"] = Assessment.objects.filter(child_id__in=child_ids).count()
    counts["plans"] = Plan.objects.filter(child_id__in=child_ids).count()
    counts["events"] = Event.objects.filter(child_id__in=child_ids).count()
    # Consents are protected while a team membership rests on them, and guardians while a consent names
    # them: remove in that order, then the children with everything else that cascades.
    TeamMember.objects.filter(child_id__in=child_ids).delete()
    Consent.objects.filter(child_id__in=child_ids).delete()
    Child.objects.filter(pk__in=child_ids).delete()
    audit_record_children(acting_user=None, action="retention", child_ids=child_ids)
    # Counts only: "children/concerns/assessments/plans/events" removed by this batch.
    summary = "/".join(str(value) for value in counts.values())
    audit_record(acting_user=None, action="retention", object_type="retention:ch/co/as/pl/ev", object_id=summary)
    return counts
