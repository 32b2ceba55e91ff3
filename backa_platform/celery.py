"""The Celery app. Every task runs in the schema of the tenant that enqueued it (tenant-schemas-celery), and a
task relayed from the outbox runs once however often the broker delivers it (backa_platform/core/outbox.py)."""

import os

from celery.signals import task_prerun
from django.db import connections
from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backa_platform.settings")

app = CeleryApp("backa_platform", task_cls="backa_platform.core.outbox:OutboxAwareTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
def _database_connections_checked_before_each_task(sender=None, **kwargs):
    """A worker reuses its database connection across tasks (CELERY_DB_REUSE_MAX), and Celery's Django fixup
    then never asks Django whether it still works: after a PostgreSQL restart every task failed on the dead
    connection until the fixup recycled it, hundreds of tasks later. This does what Django does at the start
    of every request: drop a connection that had an error and is unusable, or is older than CONN_MAX_AGE, and
    re-arm CONN_HEALTH_CHECKS so the task's first query tests a reused connection and reconnects."""
    if getattr(getattr(sender, "request", None), "is_eager", False):
        return  # an eager task runs inside its caller's request and transaction
    for connection in connections.all(initialized_only=True):
        connection.close_if_unusable_or_obsolete()
