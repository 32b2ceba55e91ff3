from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The ground floor as an app only for its one table, the task outbox (backa_platform/core/outbox.py)."""

    name = "backa_platform.core"
    label = "core"
    default_auto_field = "django.db.models.BigAutoField"
