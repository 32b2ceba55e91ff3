"""Reading the audit log: loggkontroll and the tamper check."""

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import QuerySet

from modules.audit.models import AuditEntry
from modules.audit.services import GENESIS_HASH


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
class ChainCheck:
    entries: int
    head_hash: str
    broken_at: int | None  # the id of the first entry that does not fit the chain
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def audit_chain_verify(*, batch_size: int = 5000) -> ChainCheck:
    """Walk the active schema's log in order and recompute every hash."""
    previous = GENESIS_HASH
    count = 0
    for entry in _in_order(batch_size):
        if entry.previous_hash != previous:
            return ChainCheck(count, previous, entry.pk, "previous_hash does not match (an entry was removed)")
        if entry.compute_hash() != entry.hash:
            return ChainCheck(count, previous, entry.pk, "hash does not match the entry's content (altered)")
        previous = entry.hash
        count += 1
    return ChainCheck(count, previous, None)


def _in_order(batch_size: int) -> Iterator[AuditEntry]:
    last_pk = 0
    while True:
        batch = list(AuditEntry.objects.filter(pk__gt=last_pk).order_by("pk")[:batch_size])
        if not batch:
            return
        yield from batch
        last_pk = batch[-1].pk
