"""Enqueueing tasks the one way this platform allows: after commit, in the caller's tenant, with ids only."""

import re
import uuid

from django.db import connection, transaction

# A task argument must be an id, a flag or a short code. Free text could carry a name or a personnummer
# into the broker, the worker's log and Sentry.
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


def enqueue_on_commit(task, **kwargs) -> None:
    """Send ``task`` when the current transaction commits, to run in the schema active now.

    The schema is captured at call time, not at commit time, so a caller that switches tenant before
    the commit still gets its task run where the data was written.
    """
    for name, value in kwargs.items():
        _check_argument(name, value)
    kwargs = {key: str(value) if isinstance(value, uuid.UUID) else value for key, value in kwargs.items()}
    schema_name = connection.schema_name
    transaction.on_commit(
        lambda: task.apply_async(kwargs=kwargs, headers={"_schema_name": schema_name}),
        robust=False,
    )
