"""Check every ready tenant's audit log (or one schema's) and fail if an entry was altered or removed; an intact
log's head is then anchored as verified, so what was verified stays verifiable and the next ``--incremental``
run starts there (--no-anchor leaves public untouched)."""

import os
import time

from modules.audit.selectors import audit_chain_verify
from modules.audit.services import audit_anchor_record
from tenants.per_tenant import PerTenantCommand


class Command(PerTenantCommand):
    help = "Verify the audit log of every ready tenant (or --schema NAME) against its MACs and its last anchors."
    failed_message = "Could not be verified in: {schemas}"
    atomic = False  # reads, and an atomic anchor: ranges of the log may then be walked by several processes

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--no-anchor", action="store_true", help="do not anchor an intact log's head")
        parser.add_argument(
            "--incremental",
            action="store_true",
            help="start at the head the last intact verification anchored, not at the start of the log",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=os.cpu_count() or 1,
            help="processes walking ranges of ids side by side (default: the machine's cores)",
        )

    def handle(self, *args, no_anchor=False, incremental=False, workers=1, **options):
        self._anchor = not no_anchor
        self._incremental = incremental
        self._workers = workers
        return super().handle(*args, **options)

    def tenant_handle(self, tenant) -> str:
        started = time.perf_counter()
        check = audit_chain_verify(incremental=self._incremental, workers=self._workers)
        seconds = time.perf_counter() - started
        walked = (
            f"{check.checked} checked after entry {check.started_after} in {seconds:.2f} s"
            f" ({check.checked / seconds if seconds else 0:,.0f}/s)"
        )
        if check.intact:
            anchored = ""
            if self._anchor:
                anchored = f", anchored as {audit_anchor_record(kind='verified')['id']}"
            return f"intact, {check.entries} entries, head {check.head_hash}; {walked}{anchored}"
        self.problem(f"Audit log tampered with in: {tenant.schema_name}")
        if check.broken_at is not None:
            return f"BROKEN at entry {check.broken_at} ({check.reason}); {check.entries} entries before it are intact"
        first, last = check.missing
        return f"BROKEN: entries {first}–{last} ({check.reason})"
