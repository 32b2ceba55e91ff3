"""The audit log over years (issue 17 §3): one partition per year, each closed with a signed checkpoint once
the next year has begun, culled whole after the retention period, and the chain still verifiable from the
checkpoint; a deleted tail or a dropped year without its cull is still found. The years are in the future so
that they follow the entries the tenant already holds (the trigger refuses an entry before the head's year)."""

import io
from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django_tenants.utils import tenant_context

from modules.audit.models import AuditEntry
from modules.audit.partitions import audit_partition_years, audit_partitions_maintain, partition_name
from modules.audit.selectors import audit_anchors, audit_chain_verify
from modules.audit.services import _append, audit_anchor_record


def _entries(world, *moments):
    rows = [
        AuditEntry(at=moment, actor=world.contact, child_id=world.child.pk, action="view", object_id=str(n))
        for n, moment in enumerate(moments)
    ]
    return [row.pk for row in _append(rows)]


def _when(year, month=6, day=1):
    return datetime(year, month, day, 12, tzinfo=UTC)


def _partition_of(pk):
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM audit_auditentry WHERE id = %s", [pk])
        return cursor.fetchone()[0].split(".")[-1]


def _kind(kind):
    return {
        anchor.period.year: anchor
        for anchor in audit_anchors(schema_name=connection.schema_name)
        if anchor.kind == kind
    }


@pytest.fixture
def years(world, settings):
    """Entries in 2031 (three) and 2032 (two) after the tenant's own, their partitions made ahead by the task."""
    settings.AUDIT_PARTITIONS_AHEAD = 2
    with tenant_context(world.tenant):
        made = audit_partitions_maintain(now=_when(2031, 1, 1))
        assert made.created == (2031, 2032, 2033) and made.closed == () and made.culled == ()
        first = _entries(world, _when(2031, 2), _when(2031, 7), datetime(2031, 12, 31, 23, 59, 59, 999999, tzinfo=UTC))
        second = _entries(world, datetime(2032, 1, 1, tzinfo=UTC), _when(2032, 3))
        yield first, second


def test_entries_roll_over_into_the_next_years_partition_and_the_closed_year_chains_on(world, years):
    first, second = years
    with tenant_context(world.tenant):
        assert {_partition_of(pk) for pk in first} == {partition_name(2031)}
        assert {_partition_of(pk) for pk in second} == {partition_name(2032)}
        done = audit_partitions_maintain(now=_when(2032, 1, 2))
        assert 2031 in done.closed and 2032 not in done.closed
        checkpoint = _kind("checkpoint")[2031]
        assert checkpoint.signed and checkpoint.last_id == first[-1]
        assert checkpoint.entries == AuditEntry.objects.filter(pk__lte=first[-1]).count()
        assert checkpoint.head_hash == AuditEntry.objects.get(pk=first[-1]).hash
        # The next year's first entry chains from the checkpoint.
        assert AuditEntry.objects.get(pk=second[0]).previous_hash == checkpoint.head_hash
        # Closed means closed: an entry dated in 2031, written inside a change's transaction, is refused.
        with pytest.raises(IntegrityError, match="later year"), transaction.atomic():
            _entries(world, datetime(2031, 12, 31, 23, 59, 59, tzinfo=UTC))
        # Running the task again closes nothing twice.
        assert audit_partitions_maintain(now=_when(2032, 1, 3)).closed == ()
        assert audit_chain_verify().intact


def test_culling_drops_whole_years_and_the_log_verifies_from_the_checkpoint(world, years, settings):
    first, second = years
    with tenant_context(world.tenant):
        total = AuditEntry.objects.count()
        older = AuditEntry.objects.filter(pk__lte=first[-1]).count()
        settings.AUDIT_RETENTION_YEARS = 1
        done = audit_partitions_maintain(now=_when(2033, 3))
        assert done.culled and max(done.culled) == 2031 and min(audit_partition_years()) == 2032
        assert list(AuditEntry.objects.order_by("pk").values_list("pk", flat=True)) == second
        cull = _kind("cull")[2031]
        assert cull.signed and (cull.last_id, cull.entries) == (first[-1], older)
        check = audit_chain_verify()
        assert check.intact and check.started_after == first[-1]
        assert (check.entries, check.checked) == (total, len(second))
        # Cut into ranges of one id each, the first from the cull's checkpoint: the same walk.
        assert audit_chain_verify(span=1) == check
        # The count of a new head anchor continues from the checkpoint, and verifies.
        assert audit_anchor_record()["entries"] == total
        assert audit_chain_verify().intact


def test_a_tail_deleted_after_a_cull_is_found(world, years, settings):
    first, second = years
    with tenant_context(world.tenant):
        settings.AUDIT_RETENTION_YEARS = 1
        audit_partitions_maintain(now=_when(2033, 3))
        later = _entries(world, _when(2033, 4), _when(2033, 5))
        audit_anchor_record()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [later[-1]])
            cursor.execute("SET LOCAL session_replication_role = origin")
        check = audit_chain_verify()
        assert audit_chain_verify(span=1) == check  # cut after every id, the tail's range empty: the same
    first_missing, last_missing = check.missing
    assert later[0] < first_missing <= later[-1] == last_missing and "missing" in check.reason


def test_a_year_dropped_without_its_cull_is_found(world, years):
    first, second = years
    with tenant_context(world.tenant):
        audit_partitions_maintain(now=_when(2032, 1, 2))
        # The owner drops the oldest years at a prompt, leaving no signed cull behind.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for year in audit_partition_years(cursor):
                if year < 2032:
                    cursor.execute(f"DROP TABLE {partition_name(year)}")
        check = audit_chain_verify()
        assert audit_chain_verify(span=2) == check
    # Their checkpoints name entries no longer there: the range from the start of the log is reported.
    assert not check.intact and check.missing[0] == 1 and check.missing[1] <= first[-1]
    assert "removed" in check.reason


def test_incremental_verification_starts_at_the_last_verified_head(world, years):
    first, second = years
    with tenant_context(world.tenant):
        out = io.StringIO()
        call_command("audit_verify", schema=world.tenant.schema_name, stdout=out)
        assert "intact" in out.getvalue()
        verified = max(
            (a for a in audit_anchors(schema_name=connection.schema_name) if a.kind == "verified"),
            key=lambda a: a.last_id,
        )
        assert verified.signed and verified.last_id == second[-1]
        later = _entries(world, _when(2032, 8), _when(2032, 9))
        check = audit_chain_verify(incremental=True)
        assert check.intact and check.started_after == second[-1] and check.checked == 2
        out = io.StringIO()
        call_command("audit_verify", "--incremental", schema=world.tenant.schema_name, stdout=out)
        assert f"2 checked after entry {second[-1]}" in out.getvalue()
        # The entry where the last verification ended is rewritten: the incremental run says so.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute("UPDATE audit_auditentry SET hash = repeat('a', 64) WHERE id = %s", [later[-1]])
            cursor.execute("SET LOCAL session_replication_role = origin")
        check = audit_chain_verify(incremental=True)
        assert not check.intact and check.missing == (later[-1], later[-1])
