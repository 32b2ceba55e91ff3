"""Writing the audit log. A change's entries are appended inside its transaction, so the change and its entry
commit together or not at all; a read's entry, written outside a transaction, is one INSERT that commits
before the read is answered. The database extends the hash chain (a trigger, migration 0005): this module
computes each entry's keyed MAC and inserts; and it anchors the chain's head outside the tenant's schema."""

import hashlib
import hmac
from datetime import UTC

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backa_platform.core.errors import ServiceError
from modules.audit.models import AuditEntry

GENESIS_HASH = "0" * 64
AUDIT_WRITTEN = ("at", "actor_id", "child_id", "action", "object_type", "object_id", "ip_address", "mac")


def _client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


def _append(rows: list[AuditEntry]) -> list[AuditEntry]:
    """One INSERT for all rows; the trigger fills id, previous_hash and hash, which are read back."""
    written = audit_year_retry(lambda: _insert(rows), rows)
    for row, (pk, previous_hash, digest) in zip(rows, written, strict=True):
        row.pk, row.previous_hash, row.hash = pk, previous_hash, digest
        row._state.adding = False
    return rows


def audit_year_retry(run, rows: list[AuditEntry]):
    """``run()``, which inserts ``rows``; if they were dated a moment before a new year another writer has
    already begun (partitions.py), a read, outside any transaction, is written again with the time now; a
    change's transaction is already aborted."""
    try:
        return run()
    except IntegrityError as error:
        diag = getattr(error.__cause__, "diag", None)
        if connection.in_atomic_block or getattr(diag, "message_hint", None) != "audit_year_closed":
            raise
        now = timezone.now()
        for row in rows:
            row.at = now
        return run()


def audit_insert_values(row: AuditEntry) -> list:
    """The values of ``AUDIT_WRITTEN`` for ``row``, its MAC computed now (after any re-dating)."""
    row.mac = row.compute_mac(schema_name=connection.schema_name)
    return [getattr(row, column) for column in AUDIT_WRITTEN]


def _insert(rows: list[AuditEntry]) -> list[tuple]:
    placeholders = ", ".join(["(" + ", ".join(["%s"] * len(AUDIT_WRITTEN)) + ", '', '')"] * len(rows))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO audit_auditentry ({', '.join(AUDIT_WRITTEN)}, previous_hash, hash)"  # noqa: S608 - fixed names
            f" VALUES {placeholders} RETURNING id, previous_hash, hash",
            [value for row in rows for value in audit_insert_values(row)],
        )
        return cursor.fetchall()


def audit_entry(
    *, acting_user, action: str, child=None, obj=None, object_type: str = "", object_id: str = "", request=None
) -> AuditEntry:
    """The entry ``audit_record`` writes, not yet written: for a statement that writes it along with the read
    it records (``modules.children.selectors.child_visible``)."""
    return AuditEntry(
        at=timezone.now(),
        actor=acting_user if getattr(acting_user, "pk", None) else None,
        child_id=getattr(child, "pk", child),
        action=action,
        object_type=(obj._meta.label_lower if obj is not None else object_type)[:40],
        object_id=(str(obj.pk) if obj is not None else str(object_id))[:40],
        ip_address=_client_ip(request),
    )


def audit_record(
    *, acting_user, action: str, child=None, obj=None, object_type: str = "", object_id: str = "", request=None
) -> AuditEntry:
    """One entry: who (actor), when (now), which child, what action, which object, from which address."""
    (entry,) = _append(
        [
            audit_entry(
                acting_user=acting_user,
                action=action,
                child=child,
                obj=obj,
                object_type=object_type,
                object_id=object_id,
                request=request,
            )
        ]
    )
    return entry


def audit_record_children(*, acting_user, action: str, child_ids, request=None) -> None:
    """One entry per child shown (a list, a search hit, an export row), in one insert."""
    now = timezone.now()
    ip = _client_ip(request)
    rows = [
        AuditEntry(
            at=now,
            actor=acting_user,
            child_id=child_id,
            action=action,
            object_type="children.child",
            object_id=str(child_id),
            ip_address=ip,
        )
        for child_id in child_ids
    ]
    if rows:
        _append(rows)


class AccessReviewError(ServiceError):
    pass


@transaction.atomic
def access_review(*, acting_user, child_id=None, actor=None, since=None, until=None, request=None):
    """Loggkontroll: who accessed a child, or what a user accessed, or everything in a period. The review is
    itself an audit entry. Who may review (local admin, processledare) is decided by the caller."""
    from modules.audit.selectors import access_review_entries

    if child_id is None and actor is None and not (since or until):
        raise AccessReviewError(_("Ange ett barn, en användare eller en period."), code="filter")
    if child_id is not None and not _child_known(child_id):
        # Said, not logged: a review of nobody would read in the log as if someone's record had been examined.
        raise AccessReviewError({"child_id": [_("Det finns inget barn med id %(id)s.") % {"id": child_id}]})
    audit_record(acting_user=acting_user, action="access_review", child=child_id, request=request)
    return access_review_entries(child_id=child_id, actor=actor, since=since, until=until)


def anchor_mac(
    *, schema_name: str, last_id: int, head_hash: str, entries: int, at, kind: str = "head", period=None
) -> str:
    """The MAC of an anchor. A ``head`` anchor's text is what it was before anchors had kinds (issue 17), so the
    anchors taken then still verify; every other kind also signs its kind and its year."""
    fields = [schema_name, str(last_id), head_hash, str(entries), at.astimezone(UTC).isoformat()]
    if kind != "head":
        fields += [kind, period.isoformat() if period else ""]
    return hmac.new(settings.AUDIT_CHAIN_KEY.encode(), "\x1f".join(fields).encode(), hashlib.sha256).hexdigest()


def anchor_write(cursor, *, kind: str, last_id: int, head_hash: str, entries: int, period=None) -> int:
    """As the owner (partitions.py): a checkpoint or a cull, straight into public.audit_anchor."""
    schema_name = connection.schema_name
    at = timezone.now()
    mac = anchor_mac(
        schema_name=schema_name, last_id=last_id, head_hash=head_hash, entries=entries, at=at, kind=kind, period=period
    )
    cursor.execute(
        "INSERT INTO public.audit_anchor (schema_name, last_id, head_hash, entries, at, mac, kind, period)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s) RETURNING id",
        [schema_name, last_id, head_hash, entries, at, mac, kind, period],
    )
    return cursor.fetchone()[0]


@transaction.atomic
def audit_anchor_record(*, kind: str = "head") -> dict:
    """Anchor the active schema's chain head in public (tenants.anchors), signed with the chain key; ``kind``
    is ``head`` (hourly) or ``verified`` (after an intact verification, where the next incremental one starts).

    The entries up to the head are counted from the last checkpoint (a closed year), not from the start of a
    log of millions: the checkpoint's signed count plus the entries after it. One statement reads the head and
    that count, so both come from one snapshot; entries are numbered under the chain's lock and committed in
    that order, so no entry below the head can appear later."""
    schema_name = connection.schema_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT last_id, entries FROM public.audit_anchor WHERE schema_name = %s"
            " AND kind IN ('checkpoint', 'cull') ORDER BY last_id DESC LIMIT 1",
            [schema_name],
        )
        base_id, base_entries = cursor.fetchone() or (0, 0)
        cursor.execute(
            "SELECT e.id, e.hash, (SELECT count(*) FROM audit_auditentry WHERE id > %s AND id <= e.id)"
            " FROM audit_auditentry e ORDER BY e.id DESC LIMIT 1",
            [base_id],
        )
        last_id, head_hash, after = cursor.fetchone() or (0, GENESIS_HASH, 0)
        entries = base_entries + after if last_id else 0
        at = timezone.now()
        mac = anchor_mac(
            schema_name=schema_name, last_id=last_id, head_hash=head_hash, entries=entries, at=at, kind=kind
        )
        cursor.execute(
            "SELECT public.audit_anchor_take(%s, %s, %s, %s, %s, %s, %s)",
            [schema_name, last_id, head_hash, entries, at, mac, kind],
        )
        (anchor_id,) = cursor.fetchone()
    return {
        "id": anchor_id,
        "schema_name": schema_name,
        "last_id": last_id,
        "head_hash": head_hash,
        "entries": entries,
        "at": at,
        "mac": mac,
        "kind": kind,
    }


def _child_known(child_id: int) -> bool:
    """A child on record, or one whose record is culled (gallring) but whose accesses are still in the log."""
    from modules.children.models import Child

    return Child.objects.filter(pk=child_id).exists() or AuditEntry.objects.filter(child_id=child_id).exists()
