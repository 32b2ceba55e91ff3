from modules.chronology.models import Event


def chronology_record(*, child, actor, kind: str, summary: str = "") -> Event:
    """Called inside the service that makes the change, so the event commits with it."""
    return Event.objects.create(child=child, actor=actor, kind=kind, summary=summary[:300])
