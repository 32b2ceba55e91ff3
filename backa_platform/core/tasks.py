"""Enqueueing tasks the one way this platform allows: in the caller's transaction, in its tenant, with ids only."""

import re
import uuid

from celery import shared_task
from django.db import connection, transaction

# A task argument must be an id, a flag or a short code. Free text could carry a name or a personnummer
# into the broker, the worker's log and Sentry (and into the outbox table).
_SAFE_STRING = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
_PERSONNUMMER_LIKE = re.compile(r"\d{6}")


class UnsafeTaskArgument(ValueError):
    pass


def _check_argument(name: str, value) -> None:
    if value is None or isinstance(value, bool | int | uuid.UUID):
        return
    if isinstance(value, str) and _SAFE_STRING.match(value) and not _PERSONNUMMER_LIKE.search(value):
        return
    if isinstance(value, list | tuple) and all(isinstance(item, int) for item in value):
        return
    raise UnsafeTaskArgument(f"Task argument {name!r} must be an id, a flag or a short code, not {type(value)}.")


def enqueue_on_commit(task, *, in_schema: str | None = None, **kwargs) -> None:
    """Have ``task`` run once the current transaction commits, in the schema active now (or ``in_schema``).

    The schema is captured at call time, not at commit time, so a caller that switches tenant before
    the commit still gets its task run where the data was written.

    With a broker (REDIS_URL set) the task is written to the outbox in the caller's transaction and sent
    after the commit; a broker that is down delays it until the relay gets through (backa_platform/core/
    outbox.py). Without one, tasks run eagerly in this process after the commit, as in development.
    """
    for name, value in kwargs.items():
        _check_argument(name, value)
    kwargs = {key: str(value) if isinstance(value, uuid.UUID) else value for key, value in kwargs.items()}
    schema_name = in_schema or connection.schema_name
    if task.app.conf.task_always_eager:
        transaction.on_commit(
            lambda: task.apply_async(kwargs=kwargs, headers={"_schema_name": schema_name}),
            robust=False,
        )
        return
    from backa_platform.core.outbox import outbox_task_record

    outbox_task_record(task=task, kwargs=kwargs, schema_name=schema_name)


@shared_task
def relay_outbox() -> int:
    """From beat every few seconds: send what the outbox still holds (the broker was down), drop old rows."""
    from backa_platform.core.outbox import outbox_purge_done, outbox_relay

    sent = outbox_relay()
    outbox_purge_done()
    return sent
