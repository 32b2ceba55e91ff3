"""The Sentry scrubber, on real events through the real SDK and a capturing transport."""

import json

import pytest
import sentry_sdk
from sentry_sdk.transport import Transport

from backa_platform.sentry import sentry_init

PERSONNUMMER = [
    "19121212-1212",  # YYYYMMDD-XXXX
    "121212-1212",  # YYMMDD-XXXX
    "191212121212",  # YYYYMMDDXXXX
    "1212121212",  # YYMMDDXXXX
    "20150372-1238",  # samordningsnummer: day 12 + 60
    "150372+1238",  # over 100 years old
]


class CapturingTransport(Transport):
    def __init__(self, options=None):
        super().__init__(options)
        self.envelopes = []

    def capture_envelope(self, envelope):
        self.envelopes.append(envelope)

    def sent_text(self) -> str:
        return "\n".join(item.get_bytes().decode() for envelope in self.envelopes for item in envelope.items)


@pytest.fixture
def transport():
    transport = CapturingTransport()
    sentry_init(dsn="https://key@sentry.invalid/1", environment="test", transport=transport)
    yield transport
    sentry_sdk.init(dsn=None)


def test_personnummer_are_removed_from_messages_exceptions_breadcrumbs_request_and_extra(transport):
    joined = ", ".join(PERSONNUMMER)
    sentry_sdk.add_breadcrumb(category="query", message=f"SELECT * FROM child WHERE pnr = '{PERSONNUMMER[0]}'")
    with sentry_sdk.new_scope() as scope:
        scope.set_extra("child", {"personnummer": PERSONNUMMER[1], "ids": [PERSONNUMMER[2]]})
        scope.set_context("form", {"pnr": PERSONNUMMER[3]})
        try:
            raise ValueError(f"Ogiltigt barn {joined}")
        except ValueError:
            sentry_sdk.capture_exception()
        sentry_sdk.capture_message(f"Sökte på {PERSONNUMMER[4]} och {PERSONNUMMER[5]}")
        sentry_sdk.capture_event(
            {
                "message": "request",
                "request": {
                    "url": f"https://ystad.example.se/barn/?pnr={PERSONNUMMER[0]}",
                    "query_string": f"pnr={PERSONNUMMER[1]}",
                    "data": {"personnummer": PERSONNUMMER[2], "note": f"barnet {PERSONNUMMER[4]}"},
                },
            }
        )
    sentry_sdk.flush()

    sent = transport.sent_text()
    events = [json.loads(line) for line in sent.splitlines() if line.startswith("{") and '"event_id"' in line]
    assert len(events) >= 3, "the events were not sent at all"
    for number in PERSONNUMMER:
        assert number not in sent
    assert "[personnummer borttaget]" in sent
    assert "Ogiltigt barn" in sent  # the rest of the message survives


def test_ids_and_dates_that_are_not_personnummer_survive(transport):
    sentry_sdk.capture_message("child 4711 assessed on 2026-11-23, release 12")
    sentry_sdk.flush()
    assert "child 4711 assessed on 2026-11-23, release 12" in transport.sent_text()
