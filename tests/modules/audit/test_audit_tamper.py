"""The audit log against someone with database access: a superuser switches the triggers off and deletes,
truncates or rewrites entries, recomputing the unkeyed chain as anyone can. Each is found, naming the first bad
entry or the range of ids that went missing, thanks to the keyed MAC and the signed anchors in public."""

import io
import json

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django_tenants.utils import tenant_context

from modules.audit.models import AuditEntry
from modules.audit.selectors import audit_anchors, audit_chain_verify
from modules.audit.services import GENESIS_HASH, audit_anchor_record, audit_record


@pytest.fixture
def log(world):
    """Ten more entries in the tenant's log, then its head anchored: the ids, oldest first."""
    with tenant_context(world.tenant):
        for number in range(10):
            audit_record(acting_user=world.contact, action="view", child=world.child, object_id=str(number))
        audit_anchor_record()
        assert audit_chain_verify().intact
        return list(AuditEntry.objects.order_by("pk").values_list("pk", flat=True))


def _as_attacker(*statements):
    """As a superuser would: triggers off for the session, then the statements."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        for statement, params in statements:
            cursor.execute(statement, params)
        cursor.execute("SET LOCAL session_replication_role = origin")


def _rechain_from(pk):
    """Recompute the unkeyed chain from entry ``pk`` on, as the attacker can: the hash needs no key."""
    previous = AuditEntry.objects.filter(pk__lt=pk).order_by("-pk").values_list("hash", flat=True).first()
    previous = previous or GENESIS_HASH
    for entry in AuditEntry.objects.filter(pk__gte=pk).order_by("pk"):
        entry.previous_hash = previous
        entry.hash = entry.compute_hash()
        _as_attacker(
            (
                "UPDATE audit_auditentry SET previous_hash = %s, hash = %s WHERE id = %s",
                [entry.previous_hash, entry.hash, entry.pk],
            )
        )
        previous = entry.hash


def test_deleting_the_last_entry_is_found_by_the_anchor(world, log):
    with tenant_context(world.tenant):
        _as_attacker(("DELETE FROM audit_auditentry WHERE id = %s", [log[-1]]))
        check = audit_chain_verify()
    first, last = check.missing
    assert log[-2] < first <= log[-1] == last and "missing" in check.reason


def test_deleting_the_last_five_entries_is_found_by_the_anchor(world, log):
    with tenant_context(world.tenant):
        _as_attacker(("DELETE FROM audit_auditentry WHERE id >= %s", [log[-5]]))
        check = audit_chain_verify()
    first, last = check.missing
    assert log[-6] < first <= log[-5] and last == log[-1]
    assert f"counted {len(log)} entries up to {log[-1]}, the log holds {len(log) - 5}" in check.reason


def test_truncating_the_log_is_found_by_the_anchor(world, log):
    with tenant_context(world.tenant):
        # The owner's way: switch the table's own triggers off, which the runtime role cannot (test_runtime_role).
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            # Every yearly partition has its own TRUNCATE guard (not inherited from the parent's).
            cursor.execute("SELECT relid::regclass::text FROM pg_partition_tree('audit_auditentry')")
            tables = [table for (table,) in cursor.fetchall()]
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            cursor.execute("TRUNCATE audit_auditentry")
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        check = audit_chain_verify()
    assert check.entries == 0 and check.missing == (1, log[-1])
    out = io.StringIO()
    with pytest.raises(CommandError, match="tampered"):
        call_command("audit_verify", schema=world.tenant.schema_name, stdout=out)
    assert f"BROKEN: entries 1–{log[-1]}" in out.getvalue()


def test_altering_an_entry_and_recomputing_the_chain_is_found_by_its_mac(world, log):
    victim = log[3]
    with tenant_context(world.tenant):
        _as_attacker(("UPDATE audit_auditentry SET action = 'list', object_id = 'x' WHERE id = %s", [victim]))
        _rechain_from(victim)
        entries = list(AuditEntry.objects.order_by("pk"))
        check = audit_chain_verify()
    # The unkeyed chain is whole again: only the key tells.
    assert all(entry.hash == entry.compute_hash() for entry in entries)
    assert check.broken_at == victim and "MAC does not match" in check.reason


def test_deleting_an_entry_and_relinking_the_chain_is_found_by_the_anchor(world, log):
    victim = log[4]
    with tenant_context(world.tenant):
        _as_attacker(("DELETE FROM audit_auditentry WHERE id = %s", [victim]))
        _rechain_from(log[5])
        check = audit_chain_verify()
    first, last = check.missing
    assert first <= victim <= last == log[-1]
    assert "re-linked" in check.reason and check.broken_at is None


def test_a_forged_anchor_is_refused_by_verification(world, log):
    with tenant_context(world.tenant):
        _as_attacker()
        with connection.cursor() as cursor:
            # A superuser can write the anchors table directly, but not sign what they write.
            cursor.execute(
                "INSERT INTO public.audit_anchor (schema_name, last_id, head_hash, entries, at, mac)"
                " VALUES (%s, %s, %s, %s, now(), %s)",
                [world.tenant.schema_name, log[-1], "0" * 64, len(log), "f" * 64],
            )
        check = audit_chain_verify()
    assert not check.intact and "forged" in check.reason


def test_the_anchor_function_refuses_a_head_the_log_does_not_hold(world, log):
    with (
        tenant_context(world.tenant),
        connection.cursor() as cursor,
        pytest.raises(DatabaseError, match="anchor refused"),
        transaction.atomic(),
    ):
        cursor.execute(
            "SELECT public.audit_anchor_take(%s, %s, %s, %s, now(), %s)",
            [world.tenant.schema_name, log[-1], "a" * 64, len(log), "b" * 64],
        )


def test_verify_anchors_an_intact_log_and_the_anchors_export_as_json(world, log):
    before = len(audit_anchors(schema_name=world.tenant.schema_name))
    out = io.StringIO()
    call_command("audit_verify", schema=world.tenant.schema_name, stdout=out)
    assert "intact" in out.getvalue() and "anchored as" in out.getvalue()
    assert len(audit_anchors(schema_name=world.tenant.schema_name)) == before + 1
    out = io.StringIO()
    call_command("audit_anchors_export", schema=world.tenant.schema_name, stdout=out)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert records[-1]["last_id"] == log[-1] and records[-1]["entries"] == len(log)
    assert set(records[-1]) == {"id", "schema", "last_id", "head_hash", "entries", "at", "mac"}


def test_the_hourly_task_anchors_the_tenant_it_runs_in(world, log):
    from modules.audit.tasks import audit_anchor_head

    with tenant_context(world.tenant):
        anchor_id = audit_anchor_head()
    (anchor,) = [anchor for anchor in audit_anchors(schema_name=world.tenant.schema_name) if anchor.id == anchor_id]
    assert anchor.signed and anchor.last_id == log[-1] and anchor.entries == len(log)
    assert settings.CELERY_BEAT_SCHEDULE["audit-anchor"]["task"] == "tenants.tasks.audit_anchor_everywhere"
