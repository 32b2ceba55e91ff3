"""Reading the audit log: loggkontroll, the tamper check and the chain's anchors."""

import hmac
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import QuerySet

from modules.audit.models import AuditEntry
from modules.audit.services import GENESIS_HASH, anchor_mac


def access_review_entries(*, child_id=None, actor=None, since=None, until=None) -> QuerySet[AuditEntry]:
    """Who accessed a given child and when, or who accessed what during a period."""
    entries = AuditEntry.objects.select_related("actor").order_by("-at", "-pk")
    if child_id is not None:
        entries = entries.filter(child_id=child_id)
    if actor is not None:
        entries = entries.filter(actor=actor)
    if since is not None:
        entries = entries.filter(at__date__gte=since)
    if until is not None:
        entries = entries.filter(at__date__lte=until)
    return entries


@dataclass(frozen=True)
class Anchor:
    id: int
    schema_name: str
    last_id: int
    head_hash: str
    entries: int
    at: datetime
    mac: str

    @property
    def signed(self) -> bool:
        expected = anchor_mac(
            schema_name=self.schema_name,
            last_id=self.last_id,
            head_hash=self.head_hash,
            entries=self.entries,
            at=self.at,
        )
        return hmac.compare_digest(expected, self.mac)


def audit_anchors(*, schema_name: str | None = None) -> list[Anchor]:
    """The anchors kept in public (tenants.anchors) for one schema, or for all, oldest first."""
    query = "SELECT id, schema_name, last_id, head_hash, entries, at, mac FROM public.audit_anchor"
    params = []
    if schema_name is not None:
        query += " WHERE schema_name = %s"
        params.append(schema_name)
    with connection.cursor() as cursor:
        cursor.execute(query + " ORDER BY schema_name, last_id, id", params)
        return [Anchor(*row) for row in cursor.fetchall()]


@dataclass(frozen=True)
class ChainCheck:
    entries: int
    head_hash: str
    broken_at: int | None  # the id of the first entry that does not fit the chain
    reason: str = ""
    missing: tuple[int, int] | None = None  # the ids (first, last) among which anchored entries are gone

    @property
    def intact(self) -> bool:
        return self.broken_at is None and self.missing is None


def audit_chain_verify(*, batch_size: int = 5000) -> ChainCheck:
    """Walk the active schema's log in order: every entry must link to the one before, hash to its own hash
    and carry the MAC only the application can make (the first that does not is named). Then every signed
    anchor must name an entry still there, with the anchored hash and as many entries up to it: that finds
    removed entries whose chain was re-linked, a deleted tail and an emptied log (the range of ids is named)."""
    schema_name = connection.schema_name
    anchors = audit_anchors(schema_name=schema_name)
    for anchor in anchors:
        if not anchor.signed:
            reason = f"anchor {anchor.id} is not signed with the chain key (forged)"
            return ChainCheck(0, GENESIS_HASH, None, reason, (anchor.last_id, anchor.last_id))
    anchored = {anchor.last_id for anchor in anchors}
    seen: dict[int, tuple[str, int]] = {}  # anchored id -> (its hash, entries up to it)
    previous, count, last_pk = GENESIS_HASH, 0, 0
    for entry in _in_order(batch_size):
        if entry.previous_hash != previous:
            return ChainCheck(count, previous, entry.pk, "previous_hash does not match (an entry was removed)")
        if entry.compute_hash() != entry.hash:
            return ChainCheck(count, previous, entry.pk, "hash does not match the entry's content (altered)")
        if not entry.mac:
            return ChainCheck(count, previous, entry.pk, "no MAC: not written by the application")
        if not hmac.compare_digest(entry.compute_mac(schema_name=schema_name), entry.mac):
            return ChainCheck(count, previous, entry.pk, "MAC does not match the entry's content (altered)")
        previous, count, last_pk = entry.hash, count + 1, entry.pk
        if entry.pk in anchored:
            seen[entry.pk] = (entry.hash, count)
    # Ids have gaps of their own (a rolled-back insert uses one up), so a removal is named as the range of ids
    # between the last anchor that still matches (or the last entry left) and the first that does not.
    verified_up_to = 0
    for anchor in anchors:
        if anchor.last_id == 0 or seen.get(anchor.last_id) == (anchor.head_hash, anchor.entries):
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
        return ChainCheck(count, previous, None, reason, (first, anchor.last_id))
    return ChainCheck(count, previous, None)


def _in_order(batch_size: int) -> Iterator[AuditEntry]:
    last_pk = 0
    while True:
        batch = list(AuditEntry.objects.filter(pk__gt=last_pk).order_by("pk")[:batch_size])
        if not batch:
            return
        yield from batch
        last_pk = batch[-1].pk
