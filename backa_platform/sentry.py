"""Sentry for Django and Celery, with personnummer scrubbed from every event before it leaves.

sentry-sdk's own scrubber (EventScrubber) removes values by key name (password, token, ...), not
by content, so a personnummer inside a message or an exception text needs this pass of our own.
"""

import re

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration

# YYYYMMDD-XXXX, YYMMDD-XXXX, with -, + or nothing between; samordningsnummer add 60 to the day, so the
# day digits run 01-91. Not anchored to a word boundary on the left: "pnr:197001011234" must go too.
PERSONNUMMER_PATTERN = re.compile(
    r"(?<!\d)(?:(?:18|19|20)\d{2}|\d{2})(?:0[1-9]|1[0-2])(?:[0-8]\d|9[01])[-+ ]?\d{4}(?!\d)"
)
REDACTED = "[personnummer borttaget]"


def redact_personnummer(value):
    """Return ``value`` with every personnummer-like string replaced, walking dicts, lists and tuples."""
    if isinstance(value, str):
        return PERSONNUMMER_PATTERN.sub(REDACTED, value)
    if isinstance(value, dict):
        return {redact_personnummer(key): redact_personnummer(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(redact_personnummer(item) for item in value)
    return value


def before_send(event, hint):
    # The whole event: message, exception values, stack frame variables, breadcrumbs, request, extra.
    return redact_personnummer(event)


def before_breadcrumb(breadcrumb, hint):
    return redact_personnummer(breadcrumb)


def sentry_init(*, dsn: str, environment: str, transport=None) -> None:
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        before_send=before_send,
        before_send_transaction=before_send,
        before_breadcrumb=before_breadcrumb,
        traces_sample_rate=0.0,
        transport=transport,
    )
