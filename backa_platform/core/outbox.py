"""The transactional outbox: tasks are rows written with the change that asks for them, then relayed.

A change and its task commit together or not at all; a broker that is down delays the task, never loses it
and never fails the request. The relay sends right after the commit and again from beat
(``relay_outbox`` every few seconds) for whatever is left. Delivery to the broker is at least once (the
broker may have taken a message whose ``sent_at`` was then not committed); the worker makes it run once: the
message carries the row's id, a second copy is skipped while the first runs (an advisory lock) or after it
has finished (``done_at``).
"""

import logging
from contextlib import contextmanager
from datetime import timedelta

from celery import Task, current_app
from django.db import connection, transaction
from django.utils import timezone
from tenant_schemas_celery.task import TenantTask

from backa_platform.core.models import OutboxTask

logger = logging.getLogger(__name__)

# The message header that names the outbox row a task came from.
OUTBOX_HEADER = "backa_outbox_id"
# How long the relay waits for the broker before leaving the rows for its next run.
CONNECT_TIMEOUT_SECONDS = 2
# Rows one relay transaction locks and sends.
RELAY_BATCH = 200
# Finished rows are kept this long (to skip a late duplicate), then deleted by the relay.
KEEP_DONE = timedelta(days=7)
# The class id of the two-key advisory locks that keep two copies of one outbox task from running at once
# ("OBX1"); the two-key space does not overlap the one-key space used elsewhere.
_LOCK_CLASS = 0x4F425831 & 0x7FFFFFFF


def outbox_task_record(*, task: Task, kwargs: dict, schema_name: str) -> OutboxTask:
    """Write the task in the caller's transaction and try to send it once that transaction commits."""
    row = OutboxTask.objects.create(schema_name=schema_name, task_name=task.name, kwargs=kwargs)
    # The rows of one transaction go out together, over one broker connection (a rollout writes one per
    # tenant): the first callback sends them all, the others find nothing left. Ids of rows rolled back with
    # a savepoint stay in the list; they match no row, so no harm.
    waiting = _waiting_ids()
    waiting.append(row.pk)
    transaction.on_commit(_relay_waiting, robust=True)
    return row


def _waiting_ids() -> list[int]:
    if not hasattr(connection, "_outbox_waiting_ids"):
        connection._outbox_waiting_ids = []
    return connection._outbox_waiting_ids


def _relay_waiting() -> None:
    ids = _waiting_ids()
    if ids:
        batch = ids[:]
        ids.clear()
        outbox_relay(ids=batch)


def _send(row: OutboxTask, connection) -> None:
    task = current_app.tasks[row.task_name]
    task.apply_async(
        kwargs=row.kwargs,
        headers={"_schema_name": row.schema_name, OUTBOX_HEADER: row.pk},
        retry=False,
        connection=connection,
    )


def _broker_connection():
    """A connection that gives up after one try: the row stays and the relay tries again, so a broker that is
    down must not hold up the request that just committed (kombu otherwise retries for seconds)."""
    broker = current_app.connection_for_write(connect_timeout=CONNECT_TIMEOUT_SECONDS)
    try:
        broker.ensure_connection(max_retries=0, timeout=CONNECT_TIMEOUT_SECONDS)
    except Exception:
        broker.release()
        raise
    return broker


def outbox_relay(*, ids: list[int] | None = None) -> int:
    """Send the rows not yet sent (only ``ids`` when given) and mark them sent. Returns how many were sent.

    Never raises for a broker that is down: it logs the error class and leaves the rest for the next run.
    Rows are locked with SKIP LOCKED, so relays running at once never send the same row twice.
    """
    sent = 0
    while True:
        with transaction.atomic():
            pending = OutboxTask.objects.select_for_update(skip_locked=True).filter(sent_at__isnull=True)
            if ids is not None:
                pending = pending.filter(pk__in=ids)
            rows = list(pending.order_by("pk")[:RELAY_BATCH])
            if not rows:
                return sent
            done, failure = [], None
            try:
                broker = _broker_connection()
            except Exception as error:  # noqa: BLE001 - any failure to send leaves the rows for the next relay
                failure = (rows[0], error)
            else:
                with broker:
                    for row in rows:
                        try:
                            _send(row, broker)
                        except Exception as error:  # noqa: BLE001
                            failure = (row, error)
                            break
                        row.sent_at = timezone.now()
                        row.send_attempts += 1
                        done.append(row)
            OutboxTask.objects.bulk_update(done, ["sent_at", "send_attempts"])
            if failure is not None:
                row, error = failure
                OutboxTask.objects.filter(pk=row.pk).update(
                    send_attempts=row.send_attempts + 1, last_error=type(error).__name__
                )
        sent += len(done)
        if failure is not None:
            logger.warning("Outbox: broker unavailable (%s); the rest is sent by the next relay", type(error).__name__)
            return sent


def outbox_waiting() -> int:
    return OutboxTask.objects.filter(sent_at__isnull=True).count()


def outbox_purge_done() -> int:
    deleted, _ = OutboxTask.objects.filter(done_at__lt=timezone.now() - KEEP_DONE).delete()
    return deleted


def _outbox_id(request) -> int | None:
    # With the Redis transport custom headers are merged into the request; with others they stay in headers.
    headers = request.headers or {}
    value = headers.get(OUTBOX_HEADER, request.get(OUTBOX_HEADER))
    return int(value) if value is not None else None


@contextmanager
def _run_once(outbox_id: int):
    """Yield whether this copy of the task should run; mark the row done when the block ends without error."""
    key = outbox_id & 0x7FFFFFFF
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [_LOCK_CLASS, key])
        locked = cursor.fetchone()[0]
    if not locked:
        # Another worker runs this row now. Should it die, its copy is redelivered and runs then.
        yield False
        return
    try:
        already_done = OutboxTask.objects.filter(pk=outbox_id, done_at__isnull=False).exists()
        yield not already_done
        if not already_done:
            OutboxTask.objects.filter(pk=outbox_id).update(done_at=timezone.now())
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [_LOCK_CLASS, key])


class OutboxAwareTask(TenantTask):
    """The base of every task (backa_platform/celery.py): a task from the outbox runs once per row."""

    abstract = True

    def __call__(self, *args, **kwargs):
        outbox_id = _outbox_id(self.request)
        if outbox_id is None:
            return super().__call__(*args, **kwargs)
        with _run_once(outbox_id) as should_run:
            if not should_run:
                logger.info("Outbox: %s of row %s already ran or is running; skipped", self.name, outbox_id)
                return None
            return super().__call__(*args, **kwargs)
