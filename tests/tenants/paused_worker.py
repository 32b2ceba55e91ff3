"""A real Celery worker (with embedded beat) whose provisioning steps can be made to stop, for
test_killed_worker.py: a file ``pause-<step>`` in BACKA_TEST_PAUSE_DIR makes that step do its work, rename the
file to ``paused-<step>`` (holding the pool process's pid) and sleep inside its uncommitted transaction until the
test kills the worker. Run as ``python -m tests.tenants.paused_worker <beat schedule file>``."""

import os
import sys
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backa_platform.settings")
django.setup()

from tenants.provisioning import services  # noqa: E402

PAUSE_DIR = Path(os.environ["BACKA_TEST_PAUSE_DIR"])


def pausing(name, step):
    def run(job):
        result = step(job)
        marker = PAUSE_DIR / f"pause-{name}"
        try:
            marker.rename(PAUSE_DIR / f"paused-{name}")
        except FileNotFoundError:
            return result
        (PAUSE_DIR / f"paused-{name}").write_text(str(os.getpid()))
        time.sleep(120)
        return result

    return run


for step_name, step_function in list(services.STEPS.items()):
    services.STEPS[step_name] = pausing(step_name, step_function)

from backa_platform.celery import app  # noqa: E402

app.worker_main(
    [
        "worker",
        "--loglevel=WARNING",
        "--concurrency=1",
        "--pool=prefork",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "-B",
        "--schedule",
        sys.argv[1],
        "-n",
        f"killtest{os.getpid()}@%h",
    ]
)
