"""Writes for Barnets plan over time: goals and actions edited and ended (never deleted) with who, when, why
and what changed; who is responsible for an action; follow-ups that record each goal's outcome and move the
review date on; revisions as new versions; the family's agreement; the documents' settings.

Each write records the change (PlanChange, PlanFollowUp, PlanVersion, PlanAgreement), one chronology event
saying what changed, and the audit log, in one transaction."""

import io
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from modules.accounts.models import User
from modules.casework.models import (
    Action,
    DocumentSetting,
    Goal,
    Plan,
    PlanAgreement,
    PlanChange,
    PlanFollowUp,
    PlanVersion,
)
from modules.casework.plan_selectors import plan_snapshot, team_users
from modules.casework.responsible import responsible_match
from modules.casework.selectors import release_items
from modules.casework.services import CaseworkError, _plan_changed, _require_open, _short, content_changed
from modules.children.models import Child, Guardian
from modules.chronology.models import Event
from modules.chronology.services import chronology_record
from modules.model_config.models import ModelItem
from modules.organisations.models import Unit


def in_both_languages(text) -> dict:
    """A lazy text (a field's label, a choice) as {"sv", "en"}: a chronology param shown in the reader's language."""
    values = {}
    for language in ("sv", "en"):
        with translation.override(language):
            values[language] = str(text)
    return values


# --- who is responsible -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Responsible:
    kind: str  # Action.ResponsibleKind
    user: User | None = None
    unit: Unit | None = None


def _can_carry(user: User, child: Child) -> bool:
    """A staff member responsible for an action must work with the child (full access), or they could not
    see the action they are reminded of."""
    from modules.children.selectors import child_visible, has_full_access

    if not user.is_active:
        return False
    seen = child_visible(user=user, child_id=child.pk)
    return seen is not None and has_full_access(seen)


def responsible_error(*, child: Child, responsible: Responsible | None) -> str | None:
    kinds = Action.ResponsibleKind
    if responsible is None or responsible.kind not in kinds.values:
        return _("Välj vem som ansvarar: en person i barnteamet, en enhet, vårdnadshavarna eller barnet.")
    if responsible.kind == kinds.STAFF and (responsible.user is None or not _can_carry(responsible.user, child)):
        return _("Den ansvariga personen måste arbeta med barnet (barnkontakt, stödsamordnare eller barnteamet).")
    if responsible.kind == kinds.UNIT and responsible.unit is None:
        return _("Välj enheten som ansvarar.")
    return None


def responsible_apply(action: Action, responsible: Responsible) -> None:
    action.responsible_kind = responsible.kind
    action.responsible_user = responsible.user if responsible.kind == Action.ResponsibleKind.STAFF else None
    action.responsible_unit = responsible.unit if responsible.kind == Action.ResponsibleKind.UNIT else None
    action.responsible = ""


def responsible_param(action: Action):
    """Who is responsible as a chronology param: a name as it is, a kind in both languages."""
    if action.responsible_kind in (Action.ResponsibleKind.GUARDIANS, Action.ResponsibleKind.CHILD):
        return in_both_languages(action.get_responsible_kind_display())
    return action.responsible_name


def responsible_from_text(*, child: Child, text: str) -> Responsible | None:
    """A typed "vem ansvarar" (a meeting decision) as a responsible party, when it names exactly one."""
    found = responsible_match(
        text,
        staff=list(team_users(child=child).values_list("pk", "full_name")),
        units=list(Unit.objects.values_list("pk", "name")),
        child_names=[child.given_name, child.full_name],
        guardian_names=list(child.guardians.values_list("name", flat=True)),
    )
    if found is None:
        return None
    kind, pk = found
    if kind == Action.ResponsibleKind.STAFF:
        return Responsible(kind=kind, user=User.objects.get(pk=pk))
    if kind == Action.ResponsibleKind.UNIT:
        return Responsible(kind=kind, unit=Unit.objects.get(pk=pk))
    return Responsible(kind=kind)


# --- changes to goals and actions ---------------------------------------------------------------------


def _record(plan, *, user, code, reason, changes=(), goal=None, action=None, params, request) -> PlanChange:
    change = PlanChange.objects.create(
        plan=plan,
        goal=goal,
        action=action,
        version=plan.version,
        code=code,
        changes=list(changes),
        reason=reason,
        changed_by=user,
    )
    _plan_changed(plan, user, goal or action, request, code=code, params={**params, "reason": _short(reason)})
    return change


def _fields_param(model, changes) -> dict:
    labels = [model._meta.get_field(change["field"]).verbose_name for change in changes]
    both = [in_both_languages(label) for label in labels]
    return {language: ", ".join(label[language] for label in both) for language in ("sv", "en")}


def _reason_or_error(reason: str, errors: dict, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = message
    return reason


@transaction.atomic
def goal_edit(
    *,
    goal: Goal,
    acting_user: User,
    reason: str,
    area_key: str | None = None,
    text: str | None = None,
    child_words: str | None = None,
    guardian_words: str | None = None,
    request=None,
) -> Goal:
    """Change a goal's area, wording or the child's and guardians' words; the reason is required."""
    plan = goal.plan
    _require_open(plan.child)
    if goal.ended_at is not None:
        raise CaseworkError(_("Målet är avslutat och kan inte ändras."), code="ended")
    errors = {}
    reason = _reason_or_error(reason, errors, _("Ange varför målet ändras."))
    new = {
        field: value.strip()
        for field, value in (
            ("area_key", area_key),
            ("text", text),
            ("child_words", child_words),
            ("guardian_words", guardian_words),
        )
        if value is not None
    }
    if "area_key" in new and new["area_key"] not in {
        item.key for item in release_items(release=plan.release, kind=ModelItem.Kind.AREA)
    }:
        errors["area_key"] = _("Välj ett område i Behovskompassen.")
    if "text" in new and not new["text"]:
        errors["text"] = _("Skriv målet.")
    changes = [
        {"field": field, "before": getattr(goal, field), "after": value}
        for field, value in new.items()
        if getattr(goal, field) != value
    ]
    if not changes and not errors:
        errors["text"] = _("Inget är ändrat i målet.")
    if errors:
        raise CaseworkError(errors)
    for change in changes:
        setattr(goal, change["field"], change["after"])
    goal.save(update_fields=[change["field"] for change in changes])
    content_changed(plan)
    _record(
        plan,
        user=acting_user,
        code="goal_changed",
        reason=reason,
        changes=changes,
        goal=goal,
        params={"text": _short(goal.text), "fields": _fields_param(Goal, changes)},
        request=request,
    )
    return goal


def _end(item, *, is_open: bool, acting_user: User, reason: str, request, messages: tuple, code: str, params: dict):
    """End a goal or an action (never deleted): it stays in the plan's history with when and why."""
    plan = item.plan
    _require_open(plan.child)
    already, reason_missing = messages
    if not is_open:
        raise CaseworkError(already, code="ended")
    errors = {}
    reason = _reason_or_error(reason, errors, reason_missing)
    if errors:
        raise CaseworkError(errors)
    item.ended_at = timezone.now()
    item.ended_reason = reason
    item.save(update_fields=["ended_at", "ended_reason"])
    content_changed(plan)
    target = {"goal": item} if isinstance(item, Goal) else {"action": item}
    _record(plan, user=acting_user, code=code, reason=reason, params=params, request=request, **target)
    return item


@transaction.atomic
def goal_end(*, goal: Goal, acting_user: User, reason: str, request=None) -> Goal:
    """End a goal (reached, no longer relevant): it stays in the plan's history with why."""
    return _end(
        goal,
        is_open=goal.ended_at is None,
        acting_user=acting_user,
        reason=reason,
        request=request,
        messages=(_("Målet är redan avslutat."), _("Ange varför målet avslutas.")),
        code="goal_ended",
        params={"text": _short(goal.text)},
    )


def _action_value(field: str, action: Action) -> str:
    """An action's field as the history shows it: names and dates, not ids."""
    if field == "responsible":
        return action.responsible_name
    if field == "due_on":
        return action.due_on.isoformat()
    if field == "goal":
        return _short(action.goal.text, 60) if action.goal_id else ""
    return getattr(action, field)


@transaction.atomic
def action_edit(
    *,
    action: Action,
    acting_user: User,
    reason: str,
    what: str | None = None,
    responsible: Responsible | None = None,
    due_on: date | None = None,
    goal: Goal | None | bool = False,  # False: unchanged; None: no goal
    request=None,
) -> Action:
    """Change what an action is, who is responsible, its date or its goal; the reason is required."""
    plan = action.plan
    _require_open(plan.child)
    if not action.is_open:
        raise CaseworkError(_("Insatsen är klar eller avslutad och kan inte ändras."), code="ended")
    errors = {}
    reason = _reason_or_error(reason, errors, _("Ange varför insatsen ändras."))
    if what is not None and not what.strip():
        errors["what"] = _("Beskriv insatsen.")
    if responsible is not None:
        error = responsible_error(child=plan.child, responsible=responsible)
        if error:
            errors["responsible"] = error
    if goal not in (False, None) and (goal.plan_id != plan.pk or goal.ended_at is not None):
        errors["goal"] = _("Välj ett pågående mål i planen.")
    if errors:
        raise CaseworkError(errors)
    before = {field: _action_value(field, action) for field in ("what", "responsible", "due_on", "goal")}
    if what is not None:
        action.what = what.strip()
    if responsible is not None:
        responsible_apply(action, responsible)
    if due_on is not None:
        action.due_on = due_on
    if goal is not False:
        action.goal = goal
    changes = [
        {"field": field, "before": value, "after": _action_value(field, action)}
        for field, value in before.items()
        if _action_value(field, action) != value
    ]
    if not changes:
        raise CaseworkError({"what": _("Inget är ändrat i insatsen.")})
    if any(change["field"] == "due_on" for change in changes):
        action.reminded_on = None
    action.save()
    content_changed(plan)
    field_names = {"responsible": "responsible_kind"}
    labelled = [{**change, "field": field_names.get(change["field"], change["field"])} for change in changes]
    _record(
        plan,
        user=acting_user,
        code="action_changed",
        reason=reason,
        changes=changes,
        action=action,
        params={"what": _short(action.what), "fields": _fields_param(Action, labelled)},
        request=request,
    )
    return action


@transaction.atomic
def action_end(*, action: Action, acting_user: User, reason: str, request=None) -> Action:
    """End an action that will not be done (no longer needed, replaced): kept with why."""
    return _end(
        action,
        is_open=action.is_open,
        acting_user=acting_user,
        reason=reason,
        request=request,
        messages=(_("Insatsen är redan klar eller avslutad."), _("Ange varför insatsen avslutas.")),
        code="action_ended",
        params={"what": _short(action.what)},
    )


# --- follow-up, revision, agreement -------------------------------------------------------------------


@transaction.atomic
def plan_follow_up(
    *,
    plan: Plan,
    acting_user: User,
    held_on: date,
    outcomes: dict[int, str],
    next_review_on: date,
    note: str = "",
    request=None,
) -> PlanFollowUp:
    """Follow the plan up: an outcome for every goal still pursued, and the next review date moved on."""
    _require_open(plan.child)
    today = timezone.localdate()
    errors = {}
    goals = {goal.pk: goal for goal in plan.goals.filter(ended_at__isnull=True)}
    valid = {Goal.Outcome.REACHED, Goal.Outcome.PARTLY, Goal.Outcome.NOT_REACHED}
    outcomes = {int(goal_id): outcome for goal_id, outcome in (outcomes or {}).items()}
    if set(outcomes) != set(goals) or set(outcomes.values()) - valid:
        errors["outcomes"] = _("Ange för varje pågående mål om det är uppnått, delvis uppnått eller inte uppnått.")
    if held_on > today:
        errors["held_on"] = _("Datumet kan inte ligga i framtiden.")
    if next_review_on <= today or next_review_on <= held_on:
        errors["next_review_on"] = _("Nästa uppföljning måste ligga efter i dag.")
    if errors:
        raise CaseworkError(errors)
    follow_up = PlanFollowUp.objects.create(
        plan=plan,
        version=plan.version,
        held_on=held_on,
        outcomes={str(goal_id): outcome for goal_id, outcome in outcomes.items()},
        review_before=plan.next_review_on,
        review_after=next_review_on,
        note=(note or "").strip(),
        made_by=acting_user,
    )
    for goal_id, outcome in outcomes.items():
        Goal.objects.filter(pk=goal_id).update(outcome=outcome)
    plan.next_review_on = next_review_on
    plan.review_reminded_on = None
    plan.save(update_fields=["next_review_on", "review_reminded_on", "updated_at"])
    counted = {value: sum(outcome == value for outcome in outcomes.values()) for value in valid}
    chronology_record(
        child=plan.child,
        acting_user=acting_user,
        kind=Event.Kind.FOLLOW_UP_MADE,
        code="plan_followed_up",
        params={
            "held_on": held_on.isoformat(),
            "next_review_on": next_review_on.isoformat(),
            "reached": counted[Goal.Outcome.REACHED],
            "partly": counted[Goal.Outcome.PARTLY],
            "not_reached": counted[Goal.Outcome.NOT_REACHED],
        },
    )
    from modules.audit.services import audit_record

    audit_record(acting_user=acting_user, action="create", child=plan.child, obj=follow_up, request=request)
    return follow_up


@transaction.atomic
def plan_revise(*, plan: Plan, acting_user: User, reason: str, request=None) -> Plan:
    """Freeze the plan as it stands as a version, readable later, and go on with the next one, which needs the
    family's agreement anew."""
    _require_open(plan.child)
    errors = {}
    reason = _reason_or_error(reason, errors, _("Ange varför planen revideras."))
    if errors:
        raise CaseworkError(errors)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    PlanVersion.objects.create(
        plan=plan,
        number=plan.version,
        content=plan_snapshot(plan),
        superseded_by=acting_user,
        revision_reason=reason,
    )
    plan.version += 1
    plan.content_changed_at = timezone.now()
    plan.save(update_fields=["version", "content_changed_at", "updated_at"])
    _plan_changed(
        plan,
        acting_user,
        plan,
        request,
        code="plan_revised",
        params={"version": plan.version, "reason": _short(reason)},
    )
    return plan


@transaction.atomic
def plan_agreement_record(
    *,
    plan: Plan,
    acting_user: User,
    party: str,
    agreed_on: date,
    method: str,
    guardian: Guardian | None = None,
    request=None,
) -> PlanAgreement:
    """Record that a guardian (or the child, by age and maturity) agreed to the plan as it now stands."""
    _require_open(plan.child)
    errors = {}
    if party == PlanAgreement.Party.GUARDIAN:
        if guardian is None or guardian.child_id != plan.child_id:
            errors["guardian"] = _("Välj en av barnets vårdnadshavare.")
    elif party == PlanAgreement.Party.CHILD:
        guardian = None
    else:
        errors["party"] = _("Välj vem som godkänner planen.")
    if method not in PlanAgreement.Method.values:
        errors["method"] = _("Välj hur godkännandet gavs.")
    if agreed_on > timezone.localdate():
        errors["agreed_on"] = _("Datumet kan inte ligga i framtiden.")
    if plan.content_changed_at and agreed_on < timezone.localtime(plan.content_changed_at).date():
        errors["agreed_on"] = _("Planen har ändrats sedan dess: godkännandet måste gälla planen som den är nu.")
    if not plan.goals.filter(ended_at__isnull=True).exists():
        errors["party"] = _("Planen har inga mål att godkänna ännu.")
    if errors:
        raise CaseworkError(errors)
    agreement = PlanAgreement.objects.create(
        plan=plan,
        version=plan.version,
        party=party,
        guardian=guardian,
        name=guardian.name if guardian else plan.child.full_name,
        agreed_on=agreed_on,
        method=method,
        recorded_by=acting_user,
    )
    _plan_changed(
        plan,
        acting_user,
        agreement,
        request,
        code="plan_agreed",
        params={"name": agreement.name, "method": method, "version": plan.version},
        action="create",
    )
    return agreement


# --- documents' settings ------------------------------------------------------------------------------

LOGO_MAX_BYTES = 1024 * 1024
LOGO_MAX_SIDE = 2000


def _logo_png(data: bytes) -> bytes:
    """The uploaded logo checked (a PNG or JPEG image within bounds) and re-encoded as a PNG: what is stored
    and printed is an image Pillow drew, not the uploaded file's bytes (nor its metadata)."""
    from PIL import Image, UnidentifiedImageError

    if len(data) > LOGO_MAX_BYTES:
        raise CaseworkError({"logo": _("Logotypen får vara högst 1 MB.")})
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in {"PNG", "JPEG"}:
                raise CaseworkError({"logo": _("Logotypen ska vara en PNG- eller JPEG-bild.")})
            if max(image.size) > LOGO_MAX_SIDE:
                raise CaseworkError({"logo": _("Logotypen får vara högst 2000 bildpunkter bred och hög.")})
            image.load()
            output = io.BytesIO()
            image.convert("RGBA").save(output, format="PNG")
    except (UnidentifiedImageError, OSError, ValueError) as error:
        raise CaseworkError({"logo": _("Logotypen ska vara en PNG- eller JPEG-bild.")}) from error
    return output.getvalue()


@transaction.atomic
def document_setting_set(
    *,
    municipality_name: str,
    acting_user: User,
    phone: str = "",
    logo: bytes | None = None,
    remove_logo: bool = False,
) -> DocumentSetting:
    from backa_platform.core.validators import validate_phone_number
    from modules.audit.services import audit_record

    if not municipality_name.strip():
        raise CaseworkError({"municipality_name": _("Ange kommunens namn.")})
    try:
        validate_phone_number(phone)
    except ValidationError as error:
        raise CaseworkError({"phone": error.messages}) from error
    setting = DocumentSetting.objects.first() or DocumentSetting()
    setting.municipality_name = municipality_name.strip()
    setting.phone = (phone or "").strip()
    if logo:
        setting.logo_png = _logo_png(logo)
    elif remove_logo:
        setting.logo_png = None
    setting.save()
    audit_record(acting_user=acting_user, action="update", obj=setting)
    return setting
