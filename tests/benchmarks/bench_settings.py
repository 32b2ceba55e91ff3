"""Settings for the tenant benchmark: the platform's own, plus one tenant app whose second migration
(an AddField) is switched on with BENCH_ADDFIELD=1."""

import os

from backa_platform.settings import *  # noqa: F403
from backa_platform.settings import INSTALLED_APPS, TENANT_APPS

TENANT_APPS = [*TENANT_APPS, "tests.benchmarks.benchapp"]
INSTALLED_APPS = [*INSTALLED_APPS, "tests.benchmarks.benchapp"]
MIGRATION_MODULES = {
    "benchapp": "tests.benchmarks.benchapp."
    + ("migrations_addfield" if os.environ.get("BENCH_ADDFIELD") == "1" else "migrations_base")
}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
