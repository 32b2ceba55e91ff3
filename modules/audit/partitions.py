"""The audit log over years (issue 17 §3): one PostgreSQL partition per calendar year (UTC).

Why yearly and not monthly: retention is counted in years (patient data practice), a year of Stockholm's log
(~4 million entries) is a comfortable partition, and 311 tenants × a handful of partitions keeps the catalogue
small (monthly would be ~20,000 tables for ten years' retention) and the chain trigger's head lookup short.

The chain stays one chain, in the order of ids. The trigger (migration 0007) refuses an entry dated before the
year of the current head, so ids never cross a year boundary backwards: every entry of year Y precedes every
entry of year Y+1. Once the head is in a later year, year Y can receive nothing more and is **closed** with a
signed ``checkpoint`` anchor in ``public.audit_anchor`` (its last id, that entry's hash, the entries counted from
the start of the log up to it). Once the year ended more than ``AUDIT_RETENTION_YEARS`` ago its partition is
**culled**: a signed ``cull`` anchor repeats the checkpoint, then the partition is dropped whole. Verification
then starts from the last cull's checkpoint: the first entry left must link to its hash.

Everything here is DDL or a write to the anchors, so it runs as the owner role: in migrate, or in the daily
task on ``CELERY_OWNER_QUEUE`` (``modules.audit.tasks.audit_partitions_maintain_here``).
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

PARENT = "audit_auditentry"
PREFIX = "audit_auditentry_y"


def partition_name(year: int) -> str:
    return f"{PREFIX}{year:04d}"


def _bound(year: int) -> str:
    return f"{year:04d}-01-01 00:00:00+00"


def audit_partition_years(cursor=None) -> list[int]:
    """The years that have a partition in the active schema, oldest first."""

    def run(cur):
        cur.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
            " JOIN pg_class p ON p.oid = i.inhparent"
            " WHERE p.relname = %s AND p.relnamespace = current_schema()::regnamespace",
            [PARENT],
        )
        return sorted(int(name[len(PREFIX) :]) for (name,) in cur.fetchall() if name.startswith(PREFIX))

    if cursor is not None:
        return run(cursor)
    with connection.cursor() as cur:
        return run(cur)


def audit_partition_create(cursor, *, year: int, parent: str = PARENT) -> bool:
    """Make year's partition with the append-only guard of its own (row triggers are inherited from the parent;
    a TRUNCATE of the partition itself is not, so it gets its trigger) and nothing granted to the runtime role
    (it reads and appends through the parent only). True when it was made."""
    name = partition_name(year)
    cursor.execute("SELECT to_regclass(%s)", [name])
    if cursor.fetchone()[0]:
        return False
    cursor.execute(
        f"CREATE TABLE {name} PARTITION OF {parent} FOR VALUES FROM ('{_bound(year)}') TO ('{_bound(year + 1)}')"
    )
    cursor.execute(
        f"CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON {name}"
        " FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_refuse_change()"
    )
    _revoke_from_runtime_role(cursor, name)
    return True


def _revoke_from_runtime_role(cursor, table: str) -> None:
    role = settings.DATABASE_RUNTIME_ROLE
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
    if cursor.fetchone():
        cursor.execute(f"REVOKE ALL ON {table} FROM {connection.ops.quote_name(role)}")


@dataclass(frozen=True)
class Maintenance:
    created: tuple[int, ...]
    closed: tuple[int, ...]
    culled: tuple[int, ...]


def audit_partitions_maintain(*, now: datetime | None = None) -> Maintenance:
    """In the active tenant schema, as the owner: partitions made through AUDIT_PARTITIONS_AHEAD years ahead,
    finished years closed with a checkpoint, years past AUDIT_RETENTION_YEARS culled. Idempotent."""
    now = now or timezone.now()
    year = now.astimezone(UTC).year
    created, closed, culled = [], [], []
    with transaction.atomic(), connection.cursor() as cursor:
        existing = audit_partition_years(cursor)
        for wanted in range(year, year + settings.AUDIT_PARTITIONS_AHEAD + 1):
            if wanted not in existing and audit_partition_create(cursor, year=wanted):
                created.append(wanted)
        closed = _close_finished_years(cursor)
        if settings.AUDIT_RETENTION_YEARS > 0:
            culled = _cull_expired_years(cursor, before_year=year - settings.AUDIT_RETENTION_YEARS)
    return Maintenance(tuple(created), tuple(closed), tuple(culled))


def _head(cursor) -> tuple[int, datetime] | None:
    cursor.execute(f"SELECT id, at FROM {PARENT} ORDER BY id DESC LIMIT 1")  # noqa: S608 - fixed name
    return cursor.fetchone()


def _checkpoints(cursor, schema_name: str, kind: str) -> dict[int, tuple[int, str, int]]:
    """year -> (last_id, head_hash, entries) of the signed anchors of that kind (the MAC is checked by verify)."""
    cursor.execute(
        "SELECT period, last_id, head_hash, entries FROM public.audit_anchor WHERE schema_name = %s AND kind = %s",
        [schema_name, kind],
    )
    return {period.year: (last_id, head_hash, entries) for period, last_id, head_hash, entries in cursor.fetchall()}


def _close_finished_years(cursor) -> list[int]:
    """A year is finished when the head lies in a later year: the trigger lets nothing more into it."""
    from modules.audit.services import anchor_write

    head = _head(cursor)
    if head is None:
        return []
    head_year = head[1].astimezone(UTC).year
    schema_name = connection.schema_name
    done = _checkpoints(cursor, schema_name, "checkpoint")
    closed = []
    for year in audit_partition_years(cursor):
        if year >= head_year:
            break
        if year in done:
            continue
        # The genesis (no entry, the zero hash, none counted) or the checkpoint of the year before this one.
        earlier = [done[y] for y in sorted(done) if y < year]
        previous = earlier[-1] if earlier else (0, "0" * 64, 0)
        name = partition_name(year)
        cursor.execute(f"SELECT id, hash FROM {name} ORDER BY id DESC LIMIT 1")  # noqa: S608 - our name
        last = cursor.fetchone()
        cursor.execute(f"SELECT count(*) FROM {name}")  # noqa: S608 - our name
        (count,) = cursor.fetchone()
        checkpoint = previous if last is None else (last[0], last[1], previous[2] + count)
        anchor_write(
            cursor,
            kind="checkpoint",
            last_id=checkpoint[0],
            head_hash=checkpoint[1],
            entries=checkpoint[2],
            period=date(year, 1, 1),
        )
        done[year] = checkpoint
        closed.append(year)
    return closed


def _cull_expired_years(cursor, *, before_year: int) -> list[int]:
    """Drop the closed partitions of years before ``before_year``, oldest first, each after its cull anchor."""
    from modules.audit.services import anchor_write

    schema_name = connection.schema_name
    done = _checkpoints(cursor, schema_name, "checkpoint")
    culled = []
    for year in audit_partition_years(cursor):
        if year >= before_year or year not in done:
            break  # the oldest partition left is not due (or not closed): nothing later may go before it
        last_id, head_hash, entries = done[year]
        anchor_write(
            cursor, kind="cull", last_id=last_id, head_hash=head_hash, entries=entries, period=date(year, 1, 1)
        )
        name = partition_name(year)
        # A deferred foreign key check still pending on the partition (an entry of this transaction) would
        # keep it from being dropped: check them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"ALTER TABLE {PARENT} DETACH PARTITION {name}")
        cursor.execute(f"DROP TABLE {name}")
        culled.append(year)
    return culled
