"""Reading the audit log: loggkontroll, the tamper check and the chain's anchors."""

import hashlib
import hmac
import multiprocessing
from collections.abc import Generator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

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


def audit_chain_verify(*, incremental: bool = False, workers: int = 1, itersize: int = 5_000) -> ChainCheck:
    """Walk the active schema's log in order: every entry must link to the one before, hash to its own hash
    and carry the MAC only the application can make (the first that does not is named). Then every signed
    anchor must name an entry still there, with the anchored hash and as many entries up to it: that finds
    removed entries whose chain was re-linked, a deleted tail and an emptied log (the range of ids is named).

    The walk starts at the genesis or, once years were culled, at the last cull's checkpoint: the first entry
    left must link to its hash. ``incremental`` starts instead at the head the last intact verification
    anchored (``verified``), whose entry must still hold that hash; what lies before it was verified then.
    The entries stream from a server-side cursor: memory stays constant whatever the size of the log.
    ``workers`` > 1 walks the closed years in that many processes (outside a transaction only: they see only
    what is committed)."""
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
    # One segment per closed year after the start, each from its signed checkpoint: walked side by side by
    # ``workers`` processes (the walk is bound by one core's hashing), or one after the other. A segment that
    # does not end on the next checkpoint is found below, as that checkpoint's anchor not matching.
    bounds = sorted({a.last_id for a in anchors if a.kind == "checkpoint"})
    starts = [(start_id, previous, count)] + [
        next((a.last_id, a.head_hash, a.entries) for a in anchors if a.kind == "checkpoint" and a.last_id == b)
        for b in bounds
    ]
    segments = [
        (schema_name, after, head, counted, until, anchored, itersize)
        for (after, head, counted), until in zip(starts, [*bounds, None], strict=True)
    ]
    if workers > 1 and len(segments) > 1 and not connection.in_atomic_block:
        connection.close()  # each process opens its own connection
        with multiprocessing.get_context("fork").Pool(min(workers, len(segments))) as pool:
            walks = pool.map(_walk, segments, chunksize=1)
    else:
        walks = [_walk(segment) for segment in segments]
    seen: dict[int, tuple[str, int]] = {}  # anchored id -> (its hash, entries up to it)
    checked = 0
    for walk in walks:
        previous, count, last_pk, walked, walk_seen, broken = walk
        checked += walked
        seen.update(walk_seen)
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


def _walk(segment) -> tuple:
    """One stretch of the chain: the entries after ``after`` up to ``until`` (or the end), from ``previous``
    and ``count``. Returns (previous, count, last id, entries walked, anchored ids seen, (id, reason) or None)."""
    schema_name, after, previous, count, until, anchored, itersize = segment
    key = settings.AUDIT_CHAIN_KEY.encode()
    mac_prefix = schema_name + "\x1f"
    seen: dict[int, tuple[str, int]] = {}
    last_pk, walked = after, 0
    rows = _in_order(schema_name, after=after, until=until, itersize=itersize)
    try:
        for pk, previous_hash, digest, mac, stored in rows:
            at, _sep, rest = stored.partition("\x1f")
            fraction = at[20:-3] if at[19] == "." else ""
            text = f"{at[:10]}T{at[11:19]}.{fraction:0<6}Z\x1f{rest}"
            if previous_hash != previous:
                return (
                    previous,
                    count,
                    last_pk,
                    walked,
                    seen,
                    (pk, "previous_hash does not match (an entry was removed)"),
                )
            hashed = f"{previous}\x1f{text}\x1f{mac}" if mac else f"{previous}\x1f{text}"
            if hashlib.sha256(hashed.encode()).hexdigest() != digest:
                return previous, count, last_pk, walked, seen, (pk, "hash does not match the entry's content (altered)")
            if not mac:
                return previous, count, last_pk, walked, seen, (pk, "no MAC: not written by the application")
            if not hmac.compare_digest(hmac.digest(key, (mac_prefix + text).encode(), "sha256").hex(), mac):
                return previous, count, last_pk, walked, seen, (pk, "MAC does not match the entry's content (altered)")
            previous, count, last_pk, walked = digest, count + 1, pk, walked + 1
            if pk in anchored:
                seen[pk] = (digest, count)
    finally:
        rows.close()
    return previous, count, last_pk, walked, seen, None


# The fields of the MAC and the hash joined as AuditEntry._fields and the trigger join them, by the server (one
# column to decode instead of seven). The time comes as PostgreSQL's own text in UTC ("2021-03-04 05:06:07.89+00",
# fraction trimmed) and is rewritten by ``_iso`` in Python: to_char cost the server three times the row itself.
_STREAMED = (
    "SELECT id, previous_hash, hash, mac, concat_ws(chr(31),"
    " at::text,"
    " coalesce(actor_id::text, ''), coalesce(child_id::text, ''), action, object_type, object_id,"
    " coalesce(host(ip_address), ''))"
    " FROM {table} WHERE id > %s AND id <= %s ORDER BY id"
)


def _in_order(schema_name: str, *, after: int, until: int | None, itersize: int) -> Generator[tuple]:
    """Every entry after ``after`` in the order of the chain, through a server-side cursor (in a transaction,
    which a named cursor needs), ``itersize`` rows at a time."""
    table = f"{connection.ops.quote_name(schema_name)}.audit_auditentry"
    with transaction.atomic(), connection.wrap_database_errors:
        connection.ensure_connection()
        with connection.connection.cursor() as plain:
            plain.execute("SET LOCAL TimeZone = 'UTC'")
        with connection.connection.cursor(name="audit_verify") as cursor:
            cursor.itersize = itersize
            cursor.execute(_STREAMED.format(table=table), [after, _ID_MAX if until is None else until])
            yield from cursor
