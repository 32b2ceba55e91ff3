from modules.chronology.models import DETAILS, Event


def chronology_record(
    *, child, acting_user, kind: str, summary: str = "", code: str = "", params: dict | None = None
) -> Event:
    """Called inside the service that makes the change, so the event commits with it. ``code`` (a key of
    ``DETAILS``) and ``params`` say what changed and are rendered when read, in the reader's language; params
    are names, dates and choice values, never translated text. ``summary`` (prose) is for events written
    before codes existed and for tests of them."""
    if code and code not in DETAILS:
        raise ValueError(f"Unknown chronology code: {code}")
    return Event.objects.create(
        child=child, actor=acting_user, kind=kind, summary=summary[:300], code=code, params=params or {}
    )
