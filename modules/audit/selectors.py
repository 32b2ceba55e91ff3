"""Reading the audit log: loggkontroll, the tamper check and the chain's anchors."""

import hashlib
import hmac
import multiprocessing
import re
from collections.abc import Generator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from psycopg import sql

from modules.audit.models import AuditEntry
from modules.audit.services import GENESIS_HASH, anchor_mac

_ID_MAX = 2**63 - 1


def access_review_entries(*, child_id=None, actor=None, since=None, until=None) -> QuerySet[AuditEntry]:
    """Who accessed a given child and when, or who accessed what during a period."""
    entries = AuditEntry.objects.select_related("actor").order_by("-at", "-pk")
    if child_id is not None:
        entries = entries.filter(child_id=child_id)
    if actor is not None:
        entries = entries.filter(actor=actor)
    # Local days as a range of instants, not ``at__date`` (a cast per row): the (child, at), (actor, at) and
    # (at) indexes then bound the scan, and only the partitions of those years are read.
    if since is not None:
        entries = entries.filter(at__gte=_local_midnight(since))
    if until is not None:
        entries = entries.filter(at__lt=_local_midnight(until + timedelta(days=1)))
    return entries


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass(frozen=True)
class Anchor:
    id: int
    schema_name: str
    last_id: int
    head_hash: str
    entries: int
    at: datetime
    mac: str
    kind: str = "head"
    period: date | None = None

    @property
    def signed(self) -> bool:
        expected = anchor_mac(
            schema_name=self.schema_name,
            last_id=self.last_id,
            head_hash=self.head_hash,
            entries=self.entries,
            at=self.at,
            kind=self.kind,
            period=self.period,
        )
        return hmac.compare_digest(expected, self.mac)


def audit_anchors(*, schema_name: str | None = None) -> list[Anchor]:
    """The anchors kept in public (tenants.anchors) for one schema, or for all, oldest first."""
    query = "SELECT id, schema_name, last_id, head_hash, entries, at, mac, kind, period FROM public.audit_anchor"
    params = []
    if schema_name is not None:
        query += " WHERE schema_name = %s"
        params.append(schema_name)
    with connection.cursor() as cursor:
        cursor.execute(query + " ORDER BY schema_name, last_id, id", params)
        return [Anchor(*row) for row in cursor.fetchall()]


@dataclass(frozen=True)
class ChainCheck:
    entries: int  # counted from the start of the log (culled years included, from their checkpoint)
    head_hash: str
    broken_at: int | None  # the id of the first entry that does not fit the chain
    reason: str = ""
    missing: tuple[int, int] | None = None  # the ids (first, last) among which anchored entries are gone
    checked: int = 0  # entries walked by this verification
    started_after: int = 0  # the id it started after: 0, a culled year's checkpoint or the last verified head

    @property
    def intact(self) -> bool:
        return self.broken_at is None and self.missing is None


def audit_chain_verify(*, incremental: bool = False, workers: int = 1, span: int | None = None) -> ChainCheck:
    """Walk the active schema's log in order: every entry must link to the one before, hash to its own hash
    and carry the MAC only the application can make (the first that does not is named). Then every signed
    anchor must name an entry still there, with the anchored hash and as many entries up to it: that finds
    removed entries whose chain was re-linked, a deleted tail and an emptied log (the range of ids is named).

    The walk starts at the genesis or, once years were culled, at the last cull's checkpoint: the first entry
    left must link to its hash. ``incremental`` starts instead at the head the last intact verification
    anchored (``verified``), whose entry must still hold that hash; what lies before it was verified then.
    The entries stream with COPY: memory stays constant whatever the size of the log.
    ``workers`` > 1 walks ranges of ids in that many processes (outside a transaction only: they see only what
    is committed); ``span`` ids per range (default: a quarter of each worker's share, or one range per closed
    year with one worker)."""
    schema_name = connection.schema_name
    anchors = audit_anchors(schema_name=schema_name)
    for anchor in anchors:
        if not anchor.signed:
            reason = f"anchor {anchor.id} is not signed with the chain key (forged)"
            return ChainCheck(0, GENESIS_HASH, None, reason, (anchor.last_id, anchor.last_id))
    start_id, previous, count = 0, GENESIS_HASH, 0
    culls = [anchor for anchor in anchors if anchor.kind == "cull"]
    if culls:
        cull = max(culls, key=lambda anchor: anchor.last_id)
        start_id, previous, count = cull.last_id, cull.head_hash, cull.entries
    if incremental:
        verified = [anchor for anchor in anchors if anchor.kind == "verified" and anchor.last_id > start_id]
        if verified:
            last = max(verified, key=lambda anchor: anchor.last_id)
            with connection.cursor() as cursor:
                cursor.execute("SELECT hash FROM audit_auditentry WHERE id = %s", [last.last_id])
                row = cursor.fetchone()
            if row is None or row[0] != last.head_hash:
                ended = f"{last.at:%Y-%m-%d %H:%M}"
                reason = f"entry {last.last_id}, where the verification of {ended} ended, is gone or altered"
                return ChainCheck(0, GENESIS_HASH, None, reason, (last.last_id, last.last_id))
            start_id, previous, count = last.last_id, last.head_hash, last.entries
    anchors = [anchor for anchor in anchors if anchor.last_id > start_id]
    anchored = frozenset(anchor.last_id for anchor in anchors)
    parallel = workers > 1 and not connection.in_atomic_block
    segments = _segments(schema_name, anchors, (start_id, previous, count), anchored, parallel, workers, span)
    if parallel and len(segments) > 1:
        connection.close()  # each process opens its own connection
        with multiprocessing.get_context("fork").Pool(min(workers, len(segments))) as pool:
            walks = pool.map(_walk, [segment for segment, _start in segments], chunksize=1)
    else:
        walks = [_walk(segment) for segment, _start in segments]
    # The walks joined in the order of the chain. A range that starts at a signed checkpoint counts from it (one
    # that does not end on the next checkpoint is found below, as that checkpoint's anchor not matching). A
    # range cut between two entries started from the hash stored in the entry before the cut: it joins only
    # if that is the hash the walk before it ended on (whose own content it was checked against), otherwise it
    # is walked again from there, as a single walk would have, so the result is the same however it is cut.
    seen: dict[int, tuple[str, int]] = {}  # anchored id -> (its hash, entries up to it)
    last_pk, checked = start_id, 0
    for (segment, start), walk in zip(segments, walks, strict=True):
        if start is not None:
            last_pk, previous, count = start
        elif walk[0] != previous:
            walk = _walk((*segment[:2], previous, *segment[3:]))
        _opened, previous, walk_last, walked, walk_seen, broken = walk
        checked += walked
        seen.update({pk: (digest, count + counted) for pk, (digest, counted) in walk_seen.items()})
        count += walked
        last_pk = walk_last if walked else last_pk
        if broken is not None:
            return ChainCheck(count, previous, broken[0], broken[1], checked=checked, started_after=start_id)
    # Ids have gaps of their own (a rolled-back insert uses one up), so a removal is named as the range of ids
    # between the last anchor that still matches (or the last entry left) and the first that does not.
    verified_up_to = start_id
    for anchor in anchors:
        if seen.get(anchor.last_id) == (anchor.head_hash, anchor.entries):
            verified_up_to = anchor.last_id
            continue
        if anchor.last_id > last_pk:
            first = max(last_pk, verified_up_to) + 1
            reason = (
                f"entries {first}–{anchor.last_id} are missing: anchor {anchor.id} of {anchor.at:%Y-%m-%d %H:%M} "
                f"counted {anchor.entries} entries up to {anchor.last_id}, the log holds {count} in all"
            )
        else:
            first = verified_up_to + 1
            reason = (
                f"entries among {first}–{anchor.last_id} were removed or rewritten and the chain re-linked "
                f"(anchor {anchor.id} of {anchor.at:%Y-%m-%d %H:%M} does not match)"
            )
        return ChainCheck(count, previous, None, reason, (first, anchor.last_id), checked, start_id)
    return ChainCheck(count, previous, None, checked=checked, started_after=start_id)


def _segments(schema_name, anchors, start, anchored, parallel, workers, span) -> list[tuple]:
    """The ranges of ids to walk, in order, each as (the walk's arguments, its signed start or None): one per
    closed year from its checkpoint (and the first from ``start``), cut every ``span`` ids in between. A range
    cut between two entries (start None) is walked from the hash its walk reads in the entry before the cut."""
    bounds = sorted({a.last_id for a in anchors if a.kind == "checkpoint"})
    starts = [start] + [
        next((a.last_id, a.head_hash, a.entries) for a in anchors if a.kind == "checkpoint" and a.last_id == b)
        for b in bounds
    ]
    if span is None and parallel:
        with connection.cursor() as cursor:
            cursor.execute("SELECT max(id) FROM audit_auditentry")
            highest = cursor.fetchone()[0] or 0
        span = max(-(-(highest - start[0]) // (workers * 4)), 10_000)
    highest = None
    segments = []
    for (after, head, counted), until in zip(starts, [*bounds, None], strict=True):
        cuts = []
        if span:
            if until is None and highest is None:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT max(id) FROM audit_auditentry")
                    highest = cursor.fetchone()[0] or 0
            cuts = list(range(after + span, until if until is not None else highest, span))
        ends = [*cuts, until]
        segments.append(((schema_name, after, head, ends[0], anchored), (after, head, counted)))
        segments += [((schema_name, cut, None, end, anchored), None) for cut, end in zip(cuts, ends[1:], strict=True)]
    return segments


# "2021-03-04 05:06:07.89+00" (PostgreSQL's own text in UTC, the fraction's zeros trimmed) becomes the
# application's "2021-03-04T05:06:07.890000Z" by its length: the ending that pads the fraction to six digits.
_ENDINGS = {22: b".000000Z"} | {23 + digits: b"0" * (6 - digits) + b"Z" for digits in range(1, 7)}
_UNESCAPED = {b"b": b"\b", b"f": b"\f", b"n": b"\n", b"r": b"\r", b"t": b"\t", b"v": b"\v"}
_ESCAPE = re.compile(rb"\\(.)", re.DOTALL)


def _walk(segment) -> tuple:
    """One stretch of the chain: the entries after ``after`` up to ``until`` (or the end), from ``previous``
    (None: the hash stored in the last entry up to ``after``, read in the same snapshot). Returns (the hash
    it started from, the last hash, last id, entries walked, {anchored id: (hash, entries walked up to it)},
    (id, reason) or None).

    Per entry only bytes are sliced and joined from COPY's text (no row objects, no datetime), the hash is one
    sha256 and the MAC two sha256 continued from copies made once: HMAC (RFC 2104) as hmac computes it, at
    half the cost of hmac.digest, which prepares the key again for every entry."""
    schema_name, after, previous, until, anchored = segment
    inner, outer = _mac_states(settings.AUDIT_CHAIN_KEY.encode(), f"{schema_name}\x1f".encode())
    anchored = {b"%d" % pk: pk for pk in anchored}
    seen: dict[int, tuple[str, int]] = {}
    sha256, ending, copy_inner, copy_outer = hashlib.sha256, _ENDINGS.get, inner.copy, outer.copy
    walked, last = 0, None
    try:
        with _copy_out(schema_name, after=after, until=until, opened=previous) as (opened, rows):
            head = opened.encode()

            def result(broken=None):
                return opened, head.decode(), after if last is None else int(last), walked, seen, broken

            read = rows.read
            while data := read():
                line = bytes(data)
                if b"\\" in line:
                    pk, previous_hash, digest, mac, at, rest = _copy_fields(line)
                else:
                    pk, previous_hash, digest, mac, at, rest = line.split(b"\t", 5)
                    rest = rest[:-1].replace(b"\t", b"\x1f")
                if b"/" in rest:
                    rest = _host(rest)
                end = ending(len(at))
                text = (at[:-3].replace(b" ", b"T", 1) + end if end else _iso(at)) + b"\x1f" + rest
                if previous_hash != head:
                    raise _Broken(result((int(pk), "previous_hash does not match (an entry was removed)")))
                hashed = b"%s\x1f%s\x1f%s" % (head, text, mac) if mac else b"%s\x1f%s" % (head, text)
                if sha256(hashed).hexdigest().encode() != digest:
                    raise _Broken(result((int(pk), "hash does not match the entry's content (altered)")))
                if not mac:
                    raise _Broken(result((int(pk), "no MAC: not written by the application")))
                keyed = copy_inner()
                keyed.update(text)
                signed = copy_outer()
                signed.update(keyed.digest())
                if signed.hexdigest().encode() != mac:
                    raise _Broken(result((int(pk), "MAC does not match the entry's content (altered)")))
                head, last, walked = digest, pk, walked + 1
                if pk in anchored:
                    seen[anchored[pk]] = (digest.decode(), walked)
    except _Broken as stop:
        return stop.args[0]
    return result()


class _Broken(Exception):  # noqa: N818 - not an error: the walk's result, out through COPY (which it cancels)
    pass


def _mac_states(key: bytes, prefix: bytes) -> tuple:
    """HMAC-SHA256's inner hash, already fed the key's pad and ``prefix``, and its outer hash fed its pad."""
    block = hashlib.sha256().block_size
    key = (hashlib.sha256(key).digest() if len(key) > block else key).ljust(block, b"\0")
    inner = hashlib.sha256(bytes(byte ^ 0x36 for byte in key) + prefix)
    outer = hashlib.sha256(bytes(byte ^ 0x5C for byte in key))
    return inner, outer


def _iso(at: bytes) -> bytes:
    """A time of another length (a year past 9999): rewritten field by field, as the application's text."""
    fraction = at[20:-3] if at[19:20] == b"." else b""
    return at[:10] + b"T" + at[11:19] + b"." + fraction.ljust(6, b"0") + b"Z"


def _copy_fields(line: bytes) -> list[bytes]:
    """A row whose text COPY escaped (a backslash, tab or newline in a field): field by field, the fields
    after the time joined as in ``_walk``."""
    fields = [
        _ESCAPE.sub(lambda match: _UNESCAPED.get(match[1], match[1]), field)
        for field in line.rstrip(b"\n").split(b"\t")
    ]
    return [*fields[:5], b"\x1f".join(fields[5:])]


def _host(rest: bytes) -> bytes:
    """The address without a network mask, as host() gives it (an address with one was not written by the
    application, and its MAC then does not match; a slash elsewhere is kept)."""
    *fields, address = rest.split(b"\x1f")
    return b"\x1f".join([*fields, address.partition(b"/")[0]])


# The fields of the MAC and the hash as the columns' own text: the server only reads the rows in order and
# writes them out (a NULL as an empty field, as the application's text has it), and the walk joins them. Casts,
# coalesce, host() and concat_ws per row cost the server a third more than the row itself; to_char three times.
_COPIED = (
    "COPY (SELECT id, previous_hash, hash, mac, at, actor_id, child_id, action, object_type, object_id, ip_address"
    " FROM {table} WHERE id > {after} AND id <= {until} ORDER BY id) TO STDOUT (NULL '')"
)


@contextmanager
def _copy_out(schema_name: str, *, after: int, until: int | None, opened: str | None) -> Generator[tuple]:
    """The hash the walk starts from (``opened``, or the one stored in the last entry up to ``after``) and
    every entry after ``after`` in the order of the chain as COPY's text rows, in one transaction (one
    snapshot, and the time zone set for it alone)."""
    table = sql.Identifier(schema_name, "audit_auditentry")
    statement = sql.SQL(_COPIED).format(
        table=table, after=sql.Literal(after), until=sql.Literal(_ID_MAX if until is None else until)
    )
    with transaction.atomic(), connection.wrap_database_errors:
        connection.ensure_connection()
        with connection.connection.cursor() as cursor:
            cursor.execute("SET LOCAL TimeZone = 'UTC'")
            cursor.execute("SET LOCAL DateStyle = 'ISO'")
            if opened is None:
                query = sql.SQL("SELECT hash FROM {table} WHERE id <= %s ORDER BY id DESC LIMIT 1")
                cursor.execute(query.format(table=table), [after])
                row = cursor.fetchone()
                opened = GENESIS_HASH if row is None else row[0]
            with cursor.copy(statement) as rows:
                yield opened, rows
