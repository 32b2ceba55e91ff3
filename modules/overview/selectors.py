"""Översikt: the caseload of a processledare or a local admin, and what needs a Barnkontakt or Stödsamordnare
today. No new access: every row is a child from ``children_visible_to`` (the one decision, ``_access_rule``),
and the pages log each child they show as a list read."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from modules.accounts.models import User
from modules.casework.models import Action, Assessment, Meeting, Plan
from modules.children.models import Child, ChildContact, Concern, SupportCoordinator
from modules.children.selectors import children_visible_to
from modules.consent.models import Consent

CONSENT_EXPIRING_DAYS = 30
SORTS = {
    "name": ("family_name", "given_name", "pk"),
    "review": ("next_review_on", "family_name", "pk"),
    "overdue": ("-overdue_actions", "family_name", "pk"),
    "concerns": ("-open_concerns", "family_name", "pk"),
}
NEEDS = ("overdue", "concerns", "consents", "review")


@dataclass
class CaseloadFilter:
    unit_id: int | None = None
    support_level_key: str = ""
    needs: list[str] = field(default_factory=list)  # of NEEDS: rows with any of them
    sort: str = "name"


def _count(queryset):
    return Coalesce(Subquery(queryset.order_by().values("child_id").annotate(n=Count("pk")).values("n")[:1]), 0)


def caseload(*, user: User, filters: CaseloadFilter, today: date | None = None) -> QuerySet[Child]:
    """Children with an open process (a concern, an assessment or a plan, and not closed) that ``user`` may see,
    each annotated with its support level, Barnkontakt, Stödsamordnare, next review and what is outstanding."""
    today = today or timezone.localdate()
    child = OuterRef("pk")
    children = (
        children_visible_to(user=user)
        .filter(closure__isnull=True)
        .filter(
            Exists(Concern.objects.filter(child_id=child))
            | Exists(Assessment.objects.filter(child_id=child))
            | Exists(Plan.objects.filter(child_id=child))
        )
        .annotate(
            support_level_key=Subquery(
                Assessment.objects.filter(child=child).order_by("-assessed_on", "-pk").values("support_level_key")[:1]
            ),
            child_contact_name=Subquery(
                ChildContact.objects.filter(child=child, ended_at__isnull=True).values("user__full_name")[:1]
            ),
            support_coordinator_name=Subquery(
                SupportCoordinator.objects.filter(child=child, ended_at__isnull=True).values("user__full_name")[:1]
            ),
            next_review_on=Subquery(Plan.objects.filter(child=child).values("next_review_on")[:1]),
        )
    )
    children = children.annotate(
        overdue_actions=Coalesce(
            Subquery(
                Action.objects.filter(plan__child_id=child, done_at__isnull=True, due_on__lt=today)
                .order_by()
                .values("plan__child_id")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
            0,
        ),
        open_concerns=_count(Concern.objects.filter(child_id=child, acknowledged_at__isnull=True)),
        consents_expiring=_count(
            Consent.objects.filter(
                child_id=child,
                withdrawn_at__isnull=True,
                valid_until__gte=today,
                valid_until__lte=today + timedelta(days=CONSENT_EXPIRING_DAYS),
            )
        ),
    )
    if filters.unit_id:
        children = children.filter(units__id=filters.unit_id)
    if filters.support_level_key:
        children = children.filter(support_level_key=filters.support_level_key)
    needs = Q()
    if "overdue" in filters.needs:
        needs |= Q(overdue_actions__gt=0)
    if "concerns" in filters.needs:
        needs |= Q(open_concerns__gt=0)
    if "consents" in filters.needs:
        needs |= Q(consents_expiring__gt=0)
    if "review" in filters.needs:
        needs |= Q(next_review_on__lte=today + timedelta(days=14))
    if needs:
        children = children.filter(needs)
    return children.order_by(*SORTS.get(filters.sort, SORTS["name"]))


def today_for(*, user: User, today: date | None = None) -> list[dict]:
    """What needs the user today as the Barnkontakt or Stödsamordnare of a child: concerns to acknowledge,
    meetings today or held without minutes, actions overdue or due today, reviews due, consents running out.
    Each item names its child, a kind and the date it is about."""
    today = today or timezone.localdate()
    children = {
        child.pk: child
        for child in children_visible_to(user=user)
        .filter(closure__isnull=True)
        .filter(Q(is_child_contact=True) | Q(is_support_coordinator=True))[:500]
    }
    ids = list(children)
    items = []
    for concern in Concern.objects.filter(child_id__in=ids, acknowledged_at__isnull=True):
        items.append({"child": children[concern.child_id], "kind": "concern", "on": concern.raised_at.date()})
    now = timezone.now()
    tomorrow = timezone.make_aware(datetime.combine(today + timedelta(days=1), time.min))
    for meeting in Meeting.objects.filter(
        child_id__in=ids, cancelled_at__isnull=True, held_at__isnull=True, starts_at__lt=tomorrow
    ):
        kind = "meeting_minutes" if meeting.starts_at <= now else "meeting_today"
        items.append({"child": children[meeting.child_id], "kind": kind, "on": meeting.starts_at, "meeting": meeting})
    for action in Action.objects.filter(plan__child_id__in=ids, done_at__isnull=True, due_on__lte=today).select_related(
        "plan"
    ):
        kind = "action_overdue" if action.due_on < today else "action_due"
        items.append({"child": children[action.plan.child_id], "kind": kind, "on": action.due_on, "action": action})
    for plan in Plan.objects.filter(child_id__in=ids, next_review_on__lte=today):
        items.append({"child": children[plan.child_id], "kind": "review", "on": plan.next_review_on})
    for consent in Consent.objects.filter(
        child_id__in=ids, withdrawn_at__isnull=True, valid_until__gte=today, valid_until__lte=today + timedelta(days=7)
    ):
        items.append({"child": children[consent.child_id], "kind": "consent", "on": consent.valid_until})
    order = ["concern", "meeting_today", "meeting_minutes", "action_overdue", "action_due", "review", "consent"]
    items.sort(key=lambda item: (order.index(item["kind"]), item["child"].family_name, item["child"].pk))
    return items
