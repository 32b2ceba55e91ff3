from django.db.models import QuerySet

from modules.chronology.models import Event


def chronology_of(*, child) -> QuerySet[Event]:
    """The child's events in order. Access to ``child`` is decided before (children.permissions)."""
    return Event.objects.filter(child=child).select_related("actor").order_by("at", "pk")
