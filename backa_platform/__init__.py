"""The wiring of the Backa barnet platform: settings, URL confs, Celery app, middleware, Sentry.

Named ``backa_platform`` rather than ``platform``, which would shadow Python's standard library module.
"""

from backa_platform.celery import app as celery_app

__all__ = ["celery_app"]
