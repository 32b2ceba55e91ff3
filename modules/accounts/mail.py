"""E-mail goes out in the recipient's language (DESIGN.md §4), never in the language of whoever's action sent
it: with eager tasks (no broker) a task runs inside the actor's request, with the actor's language active.

    with in_language_of(user):
        send_mail(subject=_("..."), message=_("...") % {...}, ...)

Everything the mail's text is made of is translated inside the block.
"""

from django.conf import settings
from django.utils import translation


def supported_language(code: str | None) -> str:
    """One of LANGUAGES for a code ("en-gb" is "en"), or the site's default (Swedish)."""
    try:
        return translation.get_supported_language_variant(code or "")
    except LookupError:
        return settings.LANGUAGE_CODE


def language_of(recipient) -> str:
    """The recipient's stored language (a user, an application), or the site's default (Swedish)."""
    return supported_language(getattr(recipient, "language", ""))


def in_language_of(recipient) -> translation.override:
    return translation.override(language_of(recipient))
