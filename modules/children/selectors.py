"""Reads on children. ``children_visible_to`` is the one place that decides who may see which child."""

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django_tenants.utils import get_public_schema_name

from modules.children.models import Child, ChildContact, Concern, SupportCoordinator, TeamMember


def children_visible_to(*, user) -> QuerySet[Child]:
    """The children ``user`` may see, each annotated with why.

    A staff member sees a child only as its current Barnkontakt, Stödsamordnare, a current member of its
    Barnteam whose ground still holds (no consent needed, a legal ground, or a consent that is neither
    withdrawn nor expired today: access ends the moment it is withdrawn or runs out), or as someone who
    raised a concern about it, and then only their own concern (``has_full_access`` is False). No role sees
    children by role alone; deactivated accounts see nothing; the central schema has no children.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Child.objects.none()
    if connection.schema_name == get_public_schema_name():
        return Child.objects.none()
    today = timezone.localdate()
    is_contact = Exists(ChildContact.objects.filter(child=OuterRef("pk"), user=user, ended_at__isnull=True))
    is_coordinator = Exists(SupportCoordinator.objects.filter(child=OuterRef("pk"), user=user, ended_at__isnull=True))
    in_team = Exists(
        TeamMember.objects.filter(child=OuterRef("pk"), user=user, ended_at__isnull=True).filter(
            Q(consent__isnull=True)
            | Q(consent__withdrawn_at__isnull=True, consent__given_on__lte=today, consent__valid_until__gte=today)
        )
    )
    raised_concern = Exists(Concern.objects.filter(child=OuterRef("pk"), raised_by=user))
    return (
        Child.objects.annotate(
            is_child_contact=is_contact,
            is_support_coordinator=is_coordinator,
            is_team_member=in_team,
            raised_concern=raised_concern,
        )
        .filter(
            Q(is_child_contact=True) | Q(is_support_coordinator=True) | Q(is_team_member=True) | Q(raised_concern=True)
        )
        .order_by("family_name", "given_name", "pk")
    )


def has_full_access(child: Child) -> bool:
    """For a child from ``children_visible_to``: the whole record, not only one's own concern."""
    return bool(child.is_child_contact or child.is_support_coordinator or child.is_team_member)


def may_manage_relationships(child: Child) -> bool:
    """The Barnkontakt and the Stödsamordnare form the team, record consent and hand over their role."""
    return bool(child.is_child_contact or child.is_support_coordinator)


def child_by_personnummer_lookup(*, lookup: str) -> Child | None:
    """For registration (dedup) and loggkontroll only: never shown to a user without access."""
    return Child.objects.filter(personnummer_lookup=lookup).first()


def current_child_contact(*, child: Child) -> ChildContact | None:
    return child.contacts.select_related("user__unit__organisation").filter(ended_at__isnull=True).first()


def current_support_coordinator(*, child: Child) -> SupportCoordinator | None:
    return child.support_coordinators.select_related("user").filter(ended_at__isnull=True).first()


def team_of(*, child: Child) -> QuerySet[TeamMember]:
    return child.team_members.select_related("user__unit__organisation", "consent").order_by("started_on", "pk")


def own_concerns(*, child: Child, user) -> QuerySet[Concern]:
    return child.concerns.filter(raised_by=user)
