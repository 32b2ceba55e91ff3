"""audit_verify cut into ranges of ids (issue 17: a 20-million-entry log walked by two processes): a range cut
between two entries starts from the hash stored in the entry before the cut, and joins the walk before it only
if that walk ended on the same hash. However the log is cut, a break is found and named exactly as one walk
from the start finds it: a link broken right at a cut, an entry deleted at the cut, a wrong MAC in a later range.
And what the fast walk reads from COPY's text (escaped characters, the time rewritten) hashes as the
application wrote it."""

import hashlib
import hmac
import threading

import pytest
from django.db import connection, connections, transaction
from django_tenants.utils import tenant_context

from modules.audit.models import AuditEntry
from modules.audit.selectors import _mac_states, audit_chain_verify
from modules.audit.services import audit_anchor_record, audit_record
from tests.factories import demo_tenant
from tests.modules.audit.test_audit_tamper import _as_attacker, _rechain_from


@pytest.fixture
def log(world):
    """Twelve more entries in the tenant's log (no anchor after them): the ids, oldest first. The walk starts
    at id 0 here and cuts at span, 2 × span, …: ``span=log[4]`` cuts right after the fifth entry."""
    with tenant_context(world.tenant):
        for number in range(12):
            audit_record(acting_user=world.contact, action="view", child=world.child, object_id=str(number))
        return list(AuditEntry.objects.order_by("pk").values_list("pk", flat=True))


def test_an_intact_log_verifies_the_same_however_it_is_cut(world, log):
    with tenant_context(world.tenant):
        audit_anchor_record()  # an anchor inside a later range must be matched there, with the count from the start
        audit_record(acting_user=world.contact, action="view", child=world.child, object_id="after the anchor")
        whole = audit_chain_verify()
        cuts = [audit_chain_verify(span=span) for span in (1, 2, 5, len(log) - 1)]
    assert whole.intact and whole.entries == len(log) + 1 == whole.checked
    for check in cuts:
        assert check.intact and (check.entries, check.head_hash, check.checked) == (
            whole.entries,
            whole.head_hash,
            whole.checked,
        )


def test_a_link_broken_exactly_at_a_cut_is_found(world, log):
    # The first entry of the second range no longer links to the last of the first: its own walk starts from
    # the hash stored before the cut, so the broken link is its very first check.
    first_of_second = log[5]
    with tenant_context(world.tenant):
        _as_attacker(("UPDATE audit_auditentry SET previous_hash = repeat('b', 64) WHERE id = %s", [first_of_second]))
        check = audit_chain_verify(span=log[4])
    assert check.broken_at == first_of_second and "previous_hash does not match" in check.reason
    assert check.entries == 5 and check.checked == 5


def test_an_entry_deleted_at_the_cut_is_found_at_the_next_entry(world, log):
    # The cut falls on a deleted entry: the second range starts from the entry before it, which the first
    # range ended on, so the ranges join, and the next entry's link names the removal as a single walk does.
    victim = log[4]
    with tenant_context(world.tenant):
        _as_attacker(("DELETE FROM audit_auditentry WHERE id = %s", [victim]))
        single = audit_chain_verify()
        check = audit_chain_verify(span=victim)
    assert check.broken_at == log[5] == single.broken_at and "an entry was removed" in check.reason
    assert (check.entries, check.head_hash) == (single.entries, single.head_hash) == (4, single.head_hash)


def test_a_rewritten_hash_before_the_cut_does_not_let_the_next_range_start_from_it(world, log):
    # The attacker rewrites the last entry before the cut (and the next one's link to it): the second range
    # starts from that stored hash, but the first range finds that the entry does not hash to it.
    victim = log[4]
    with tenant_context(world.tenant):
        _as_attacker(
            ("UPDATE audit_auditentry SET hash = repeat('c', 64) WHERE id = %s", [victim]),
            ("UPDATE audit_auditentry SET previous_hash = repeat('c', 64) WHERE id = %s", [log[5]]),
        )
        check = audit_chain_verify(span=victim)
    assert check.broken_at == victim and "hash does not match" in check.reason and check.entries == 4


def test_a_wrong_mac_in_the_second_range_is_found_and_named(world, log):
    victim = log[8]
    with tenant_context(world.tenant):
        _as_attacker(("UPDATE audit_auditentry SET object_id = 'rewritten' WHERE id = %s", [victim]))
        _rechain_from(victim)  # the unkeyed chain is whole again: only the MAC tells
        check = audit_chain_verify(span=log[4])
        before = AuditEntry.objects.filter(pk__lt=victim).order_by("-pk").values_list("hash", flat=True).first()
    assert check.broken_at == victim and "MAC does not match" in check.reason
    assert check.entries == 8 and check.head_hash == before


def test_characters_copy_escapes_and_every_fraction_of_a_second_verify(world, log):
    # COPY's text escapes a backslash, tab and newline: the walk reads them back as the application wrote them.
    # PostgreSQL trims a time's trailing zeros: every length of fraction is padded back to six digits.
    from datetime import UTC, datetime

    from modules.audit.services import _append

    with tenant_context(world.tenant):
        escaped = audit_record(acting_user=world.contact, action="view", child=world.child, object_id="a\\b\tc\nd\\N\r")
        now = datetime.now(UTC)
        rows = [
            AuditEntry(at=now.replace(microsecond=micro), action="view", object_type="t", object_id=str(micro))
            for micro in (0, 100_000, 120_000, 123_000, 123_400, 123_450, 123_456, 5)
        ]
        _append(rows)
        assert audit_chain_verify().intact
        assert audit_chain_verify(span=2).intact
        _as_attacker(("UPDATE audit_auditentry SET object_id = 'a\\b\tc\nd\\N' WHERE id = %s", [escaped.pk]))
        check = audit_chain_verify(span=2)
    assert check.broken_at == escaped.pk and "hash does not match" in check.reason


@pytest.mark.parametrize("length", [0, 16, 44, 64, 65, 200])
def test_the_mac_continued_from_its_prepared_states_is_the_hmac(length):
    key = bytes(range(256))[:length] or b""
    inner, outer = _mac_states(key, b"t_ystad\x1f")
    for text in (b"", b"2026-01-01T00:00:00.000000Z\x1f1\x1f2\x1fview", "å".encode() * 100):
        keyed = inner.copy()
        keyed.update(text)
        signed = outer.copy()
        signed.update(keyed.digest())
        assert signed.hexdigest() == hmac.new(key, b"t_ystad\x1f" + text, hashlib.sha256).hexdigest()


def test_two_processes_walk_the_ranges_and_find_a_wrong_mac_in_a_later_one(db):
    # Real processes see only what is committed: the entries are written, altered and put back by a thread
    # with its own connection (as test_audit_chain_concurrency), and verified from one outside a transaction.
    skane = demo_tenant("skane")
    results, errors = {}, []

    def run():
        try:
            with tenant_context(skane):
                for number in range(30):
                    audit_record(acting_user=None, action="view", object_type="ranges", object_id=str(number))
                ids = list(AuditEntry.objects.order_by("pk").values_list("pk", flat=True))
                results["single"] = audit_chain_verify()
                results["parallel"] = audit_chain_verify(workers=2, span=7)
                victim = ids[-5]
                with connection.cursor() as cursor:
                    cursor.execute("SELECT object_id FROM audit_auditentry WHERE id = %s", [victim])
                    (original,) = cursor.fetchone()
                try:
                    with transaction.atomic():
                        _as_attacker(("UPDATE audit_auditentry SET object_id = 'x' WHERE id = %s", [victim]))
                        _rechain_from(victim)
                    results["victim"] = victim
                    results["broken"] = audit_chain_verify(workers=2, span=7)
                finally:
                    with transaction.atomic():
                        _as_attacker(("UPDATE audit_auditentry SET object_id = %s WHERE id = %s", [original, victim]))
                        _rechain_from(victim)
                results["restored"] = audit_chain_verify(workers=2, span=7)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=120)
    assert not errors, errors
    single, parallel = results["single"], results["parallel"]
    assert single.intact and parallel.intact
    assert (parallel.entries, parallel.head_hash, parallel.checked) == (
        single.entries,
        single.head_hash,
        single.checked,
    )
    broken = results["broken"]
    assert broken.broken_at == results["victim"] and "MAC does not match" in broken.reason
    assert results["restored"].intact
