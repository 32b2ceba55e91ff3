"""The Celery app. Every task runs in the schema of the tenant that enqueued it (tenant-schemas-celery), and a
task relayed from the outbox runs once however often the broker delivers it (backa_platform/core/outbox.py)."""

import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backa_platform.settings")

app = CeleryApp("backa_platform", task_cls="backa_platform.core.outbox:OutboxAwareTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
