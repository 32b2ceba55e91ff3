"""Settings for the load benchmark only: the platform's settings plus a constant-JSON view on every site.

The bare view lives in benchmark-only URL confs, never in the production routes.
"""

from backa_platform.settings import *  # noqa: F403

ROOT_URLCONF = "tests.benchmarks.urls_tenant"
PUBLIC_SCHEMA_URLCONF = "tests.benchmarks.urls_central"
