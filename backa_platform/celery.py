"""The Celery app. Every task runs in the schema of the tenant that enqueued it (tenant-schemas-celery)."""

import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backa_platform.settings")

app = CeleryApp("backa_platform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
