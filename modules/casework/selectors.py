"""Reads for the process around one child. Access to the child is decided before (children.permissions);
lists across children start from ``children_visible_to``."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from modules.casework.models import Action, Assessment, CaseClosure, Meeting, Plan, RetentionSetting
from modules.children.models import Child, Concern
from modules.children.selectors import children_visible_to
from modules.model_config.models import InstalledRelease, ModelItem
from modules.model_config.selectors import installed_release_current

DEFAULT_RETENTION_MONTHS = 60


def release_items(*, release: InstalledRelease, kind: str) -> list[ModelItem]:
    return list(ModelItem.objects.filter(release=release, kind=kind).order_by("position", "key"))


def release_scale_levels(*, release: InstalledRelease) -> list[dict]:
    """The levels of the release's first rating scale, in order (position 1 = best)."""
    scale = ModelItem.objects.filter(release=release, kind=ModelItem.Kind.RATING_SCALE).order_by("position").first()
    return list(scale.details.get("levels", [])) if scale else []


def practitioner_questions() -> list[ModelItem]:
    release = installed_release_current()
    return release_items(release=release, kind=ModelItem.Kind.PRACTITIONER_QUESTION) if release else []


def concerns_of(*, child: Child) -> QuerySet[Concern]:
    return child.concerns.select_related("raised_by", "acknowledged_by", "routed_to").order_by("-raised_at", "-pk")


def assessments_of(*, child: Child) -> QuerySet[Assessment]:
    return (
        child.assessments.select_related("release", "made_by").prefetch_related("ratings").order_by("assessed_on", "pk")
    )


def plan_of(*, child: Child) -> Plan | None:
    return Plan.objects.filter(child=child).select_related("release").first()


def retention_months() -> int:
    setting = RetentionSetting.objects.first()
    if setting is not None:
        return setting.months
    # The default comes from the installed model configuration when its plan template names one.
    release = installed_release_current()
    if release is not None:
        template = ModelItem.objects.filter(release=release, kind=ModelItem.Kind.PLAN_TEMPLATE).first()
        if template and isinstance(template.details.get("retention_months"), int):
            return template.details["retention_months"]
    return DEFAULT_RETENTION_MONTHS


def closures_past_retention(*, now=None) -> QuerySet[CaseClosure]:
    now = now or timezone.now()
    cutoff = now - relativedelta(months=retention_months())
    return CaseClosure.objects.filter(closed_at__lt=cutoff)


def actions_overdue(*, today: date | None = None) -> QuerySet[Action]:
    today = today or timezone.localdate()
    return Action.objects.filter(
        done_at__isnull=True, ended_at__isnull=True, due_on__lt=today, plan__child__closure__isnull=True
    )


def plans_review_due(*, today: date | None = None, within_days: int = 0) -> QuerySet[Plan]:
    today = today or timezone.localdate()
    return Plan.objects.filter(next_review_on__lte=today + timedelta(days=within_days), child__closure__isnull=True)


# --- the compass over time ---------------------------------------------------------------------------


@dataclass
class CompassSeries:
    assessment: Assessment
    label: str
    values: dict[str, int]


@dataclass
class CompassOverTime:
    areas: list[tuple[str, str]]  # (key, name in the wording of the latest assessment's release)
    max_value: int
    series: list[CompassSeries] = field(default_factory=list)
    changes: list[dict] = field(default_factory=list)


def _assessment_label(number: int, assessment: Assessment, assessments: list[Assessment]) -> str:
    """ "Bedömning 2, 2025-12-04": its place in order tells two apart in the legend and the table; when two
    share a date, the time each was recorded is added."""
    when = f"{assessment.assessed_on:%Y-%m-%d}"
    if sum(other.assessed_on == assessment.assessed_on for other in assessments) > 1:
        when = f"{when} {timezone.localtime(assessment.made_at):%H:%M}"
    return _("Bedömning %(number)s, %(when)s") % {"number": number, "when": when}


def compass_over_time(*, child: Child) -> CompassOverTime | None:
    assessments = list(assessments_of(child=child))
    if not assessments:
        return None
    latest = assessments[-1]
    areas = [(item.key, item.name) for item in release_items(release=latest.release, kind=ModelItem.Kind.AREA)]
    max_value = max(len(release_scale_levels(release=latest.release)), 1)
    series = [
        CompassSeries(
            assessment=assessment,
            label=_assessment_label(number, assessment, assessments),
            values={rating.area_key: rating.level_value for rating in assessment.ratings.all()},
        )
        for number, assessment in enumerate(assessments, start=1)
    ]
    first, last = series[0].values, series[-1].values
    changes = []
    for key, name in areas:
        if key in first and key in last:
            delta = last[key] - first[key]
            changes.append({"key": key, "name": name, "first": first[key], "last": last[key], "delta": delta})
        else:
            changes.append({"key": key, "name": name, "first": first.get(key), "last": last.get(key), "delta": None})
    return CompassOverTime(areas=areas, max_value=max_value, series=series, changes=changes)


# --- the start page -----------------------------------------------------------------------------------


def attention_for(*, user, today: date | None = None) -> list[dict]:
    """Per child the user works with: what needs attention (unacknowledged concerns routed to them, overdue
    actions, reviews due and Barnteam meetings within two weeks). Children with nothing to attend to are listed last."""
    today = today or timezone.localdate()
    children = list(children_visible_to(user=user).filter(closure__isnull=True)[:200])
    ids = [child.pk for child in children]
    open_concerns = {}
    for concern in Concern.objects.filter(child_id__in=ids, routed_to=user, acknowledged_at__isnull=True):
        open_concerns[concern.child_id] = open_concerns.get(concern.child_id, 0) + 1
    overdue = {}
    for child_id in Action.objects.filter(
        plan__child_id__in=ids, done_at__isnull=True, ended_at__isnull=True, due_on__lt=today
    ).values_list("plan__child_id", flat=True):
        overdue[child_id] = overdue.get(child_id, 0) + 1
    reviews = dict(
        Plan.objects.filter(child_id__in=ids, next_review_on__lte=today + timedelta(days=14)).values_list(
            "child_id", "next_review_on"
        )
    )
    meetings = {}
    for child_id, starts_at in (
        Meeting.objects.filter(
            child_id__in=ids,
            held_at__isnull=True,
            starts_at__gte=timezone.now(),
            starts_at__lte=timezone.now() + timedelta(days=14),
        )
        .order_by("-starts_at")
        .values_list("child_id", "starts_at")
    ):
        meetings[child_id] = starts_at  # the earliest wins (ordered latest first)
    rows = []
    for child in children:
        row = {
            "child": child,
            "open_concerns": open_concerns.get(child.pk, 0),
            "overdue_actions": overdue.get(child.pk, 0),
            "review_on": reviews.get(child.pk),
            "meeting_at": meetings.get(child.pk),
        }
        row["needs_attention"] = bool(
            row["open_concerns"] or row["overdue_actions"] or row["review_on"] or row["meeting_at"]
        )
        rows.append(row)
    rows.sort(key=lambda row: not row["needs_attention"])
    return rows
