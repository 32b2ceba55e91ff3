from django.apps import AppConfig


class PlatformConfig(AppConfig):
    """The wiring package as an app only so its system checks are registered at start-up (no models)."""

    name = "backa_platform"
    label = "backa_platform"

    def ready(self):
        from backa_platform import postgres_tools  # noqa: F401 - registers the client programs check
