"""Reads for Barnets plan over time: its agreement state, the review date its support level suggests, a
frozen snapshot of a version, the changes to it, and the actions a staff member is responsible for."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modules.casework.models import Action, Goal, Plan, PlanAgreement
from modules.casework.selectors import release_items
from modules.children.selectors import children_visible_to
from modules.model_config.models import ModelItem

# When the support level of the latest assessment names no review interval (release details "review_weeks").
DEFAULT_REVIEW_WEEKS = 12


@dataclass
class AgreementState:
    code: str  # agreed | partly | changed | under_revision | not_agreed
    label: str
    valid: list = field(default_factory=list)  # agreements that cover the plan as it stands
    stale: list = field(default_factory=list)  # given to this version before it last changed
    missing: list = field(default_factory=list)  # guardians whose agreement is still needed

    @property
    def needs_agreement(self) -> bool:
        return self.code != "agreed"


STATE_LABELS = {
    "agreed": _("Godkänd av vårdnadshavarna"),
    "partly": _("Delvis godkänd: alla vårdnadshavare har inte godkänt"),
    "changed": _("Ändrad efter godkännandet: behöver godkännas på nytt"),
    "under_revision": _("Under revidering: inte godkänd ännu"),
    "not_agreed": _("Inte godkänd ännu"),
}


def agreement_state(*, plan: Plan) -> AgreementState:
    """Whether the guardians have agreed to the plan as it stands now: every guardian's agreement to the
    current version, given after its goals and actions last changed. A change after an agreement (or a new
    version) asks for a new one."""
    agreements = list(plan.agreements.filter(version=plan.version).select_related("guardian"))
    changed = plan.content_changed_at
    valid = [a for a in agreements if changed is None or a.recorded_at >= changed]
    stale = [a for a in agreements if a not in valid]
    agreed_guardians = {a.guardian_id for a in valid if a.party == PlanAgreement.Party.GUARDIAN}
    guardians = list(plan.child.guardians.order_by("pk"))
    missing = [guardian.name for guardian in guardians if guardian.pk not in agreed_guardians]
    if guardians and not missing:
        code = "agreed"
    elif stale:
        code = "changed"
    elif valid:
        code = "partly"
    elif plan.version > 1:
        code = "under_revision"
    else:
        code = "not_agreed"
    return AgreementState(code=code, label=str(STATE_LABELS[code]), valid=valid, stale=stale, missing=missing)


def review_weeks(*, child) -> int:
    """The review interval the child's support level suggests (the latest assessment's, in its release)."""
    latest = child.assessments.select_related("release").order_by("-assessed_on", "-pk").first()
    if latest is not None:
        level = ModelItem.objects.filter(
            release=latest.release, kind=ModelItem.Kind.SUPPORT_LEVEL, key=latest.support_level_key
        ).first()
        weeks = (level.details or {}).get("review_weeks") if level else None
        if isinstance(weeks, int) and weeks > 0:
            return weeks
    return DEFAULT_REVIEW_WEEKS


def review_suggestion(*, plan: Plan, from_date: date | None = None) -> date:
    return (from_date or timezone.localdate()) + timedelta(weeks=review_weeks(child=plan.child))


def _area_names(release) -> dict:
    return {
        item.key: {"sv": item.name_sv, "en": item.name_en or item.name_sv}
        for item in release_items(release=release, kind=ModelItem.Kind.AREA)
    }


def plan_snapshot(plan: Plan) -> dict:
    """The plan as it stands, as plain data: what an earlier version shows when read later."""
    from modules.casework.plan_services import responsible_param

    areas = _area_names(plan.release)
    state = agreement_state(plan=plan)
    return {
        "version": plan.version,
        "release_version": plan.release.version,
        "next_review_on": plan.next_review_on.isoformat(),
        "goals": [
            {
                "id": goal.pk,
                "area": areas.get(goal.area_key, {"sv": goal.area_key, "en": goal.area_key}),
                "text": goal.text,
                "child_words": goal.child_words,
                "guardian_words": goal.guardian_words,
                "outcome": goal.outcome,
                "ended_reason": goal.ended_reason if goal.ended_at else None,
            }
            for goal in plan.goals.all()
        ],
        "actions": [
            {
                "id": action.pk,
                "what": action.what,
                "responsible": responsible_param(action),
                "due_on": action.due_on.isoformat(),
                "status": action_status(action),
            }
            for action in plan.actions.select_related("responsible_user", "responsible_unit")
        ],
        "agreement_state": state.code,
        "agreements": [
            {"name": a.name, "party": a.party, "agreed_on": a.agreed_on.isoformat(), "method": a.method}
            for a in state.valid + state.stale
        ],
    }


def action_status(action: Action, today: date | None = None) -> str:
    """done | ended | overdue | open"""
    if action.done_at is not None:
        return "done"
    if action.ended_at is not None:
        return "ended"
    return "overdue" if action.due_on < (today or timezone.localdate()) else "open"


ACTION_STATUS_LABELS = {
    "done": _("Klar"),
    "ended": _("Avslutad"),
    "overdue": _("Försenad"),
    "open": _("Pågår"),
}


def actions_responsible(*, user, today: date | None = None) -> QuerySet[Action]:
    """The open actions ``user`` is responsible for, in children they may see whose case is open; overdue
    first (earliest date first)."""
    return (
        Action.objects.filter(
            responsible_kind=Action.ResponsibleKind.STAFF,
            responsible_user=user,
            done_at__isnull=True,
            ended_at__isnull=True,
            plan__child__in=children_visible_to(user=user).filter(closure__isnull=True).values("pk"),
        )
        .select_related("plan__child")
        .order_by("due_on", "pk")
    )


def goal_is_active(goal: Goal) -> bool:
    return goal.ended_at is None


def team_users(*, child):
    """The active staff working with ``child``: its Barnteam, Barnkontakt and Stödsamordnare."""
    from modules.accounts.models import User
    from modules.children.selectors import current_child_contact, current_support_coordinator, team_of

    ids = {member.user_id for member in team_of(child=child).filter(ended_at__isnull=True)}
    for holder in (current_child_contact(child=child), current_support_coordinator(child=child)):
        if holder is not None:
            ids.add(holder.user_id)
    return User.objects.filter(pk__in=ids, is_active=True).order_by("full_name")


def plan_context(plan: Plan | None) -> dict:
    """What the process page shows of the plan over time: its agreement state, each change with why, the
    follow-ups and the earlier versions."""
    if plan is None:
        return {}
    changes = list(plan.changes.select_related("changed_by", "goal", "action").order_by("-changed_at", "-pk")[:50])
    areas = {item.key: item.name for item in release_items(release=plan.release, kind=ModelItem.Kind.AREA)}
    for change in changes:
        change.rows = [_change_row(change, row, areas) for row in change.changes]
    return {
        "agreement": agreement_state(plan=plan),
        "plan_changes": changes,
        "follow_ups": list(plan.follow_ups.select_related("made_by").order_by("-held_on", "-pk")),
        "versions": list(plan.versions.order_by("-number")),
    }


def _change_row(change, row: dict, areas: dict) -> dict:
    """One changed field as the page shows it: the field's label in the reader's language, area names."""
    model = Goal if change.goal_id else Action
    name = "responsible_kind" if row["field"] == "responsible" else row["field"]
    label = _("hör till mål") if name == "goal" else model._meta.get_field(name).verbose_name
    before, after = row["before"], row["after"]
    if row["field"] == "area_key":
        before, after = areas.get(before, before), areas.get(after, after)
    return {"label": str(label).capitalize(), "before": before, "after": after}
