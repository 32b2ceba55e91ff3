"""Reads on children. ``children_visible_to`` is the one place that decides who may see which child."""

from django.core.exceptions import ValidationError
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
    contact = ChildContact.objects.filter(user=user, ended_at__isnull=True)
    coordinator = SupportCoordinator.objects.filter(user=user, ended_at__isnull=True)
    team = TeamMember.objects.filter(user=user, ended_at__isnull=True).filter(
        Q(consent__isnull=True)
        | Q(consent__withdrawn_at__isnull=True, consent__given_on__lte=today, consent__valid_until__gte=today)
    )
    concern = Concern.objects.filter(raised_by=user)
    # Which children: one UNION ALL of the four relationships, each answered from its (user, child) index.
    # Why (the flags): evaluated only for the rows found. Repeating the four EXISTS in WHERE doubled the
    # plan and its planning time.
    visible_ids = (
        contact.values("child_id")
        .order_by()
        .union(
            coordinator.values("child_id").order_by(),
            team.values("child_id").order_by(),
            concern.values("child_id").order_by(),
            all=True,
        )
    )
    return (
        Child.objects.filter(pk__in=visible_ids)
        .annotate(
            is_child_contact=Exists(contact.filter(child=OuterRef("pk"))),
            is_support_coordinator=Exists(coordinator.filter(child=OuterRef("pk"))),
            is_team_member=Exists(team.filter(child=OuterRef("pk"))),
            raised_concern=Exists(concern.filter(child=OuterRef("pk"))),
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


def children_search(*, user, query: str) -> QuerySet[Child]:
    """Among the children ``user`` may see: an exact personnummer (via the keyed hash) or a name match."""
    from modules.children.crypto import personnummer_lookup_hash
    from modules.children.personnummer import identity_number_parse

    query = query.strip()
    visible = children_visible_to(user=user)
    if not query:
        return visible.none()
    try:
        number = identity_number_parse(query)
    except ValidationError:
        number = None
    if number is not None:
        return visible.filter(personnummer_lookup=personnummer_lookup_hash(number.digits))
    condition = Q()
    for word in query.split()[:4]:
        condition &= Q(given_name__icontains=word) | Q(family_name__icontains=word)
    return visible.filter(condition)
