"""A worker killed with SIGKILL in the middle of provisioning: the job finishes by itself, each effect once.

A real worker process (tests/tenants/paused_worker.py, with embedded beat running the sweep every second and a
2-second lease) is stopped inside a step's uncommitted transaction and killed: the whole worker (main process
and pool, as when a pod is killed) or only the pool process (Celery's WorkerLostError). A new worker is
started and nobody touches the job again.
"""

import email
import email.header
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django_tenants.utils import tenant_context
from stdnum import luhn

from backa_platform.celery import app
from modules.accounts.models import Invitation, User
from modules.accounts.services import user_create
from tenants.models import Domain, Tenant, TenantEvent
from tenants.onboarding.models import Application
from tenants.onboarding.services import application_approve, application_submit
from tenants.provisioning.models import ProvisioningJob, ProvisioningStep
from tenants.provisioning.schema import schema_drop

REPO = Path(__file__).resolve().parents[2]
# A real worker process killed mid-job needs a real broker: `make test-faults` runs this with REDIS_URL set.
pytestmark = [pytest.mark.worker, pytest.mark.faults]


@pytest.fixture(autouse=True)
def _a_real_broker():
    if not settings.REDIS_URL:
        pytest.fail("These tests kill a real worker: run them with REDIS_URL set (`make test-faults`).")


def organisation_number(serial: int) -> str:
    digits = f"212000{serial:03d}"
    digits += luhn.calc_check_digit(digits)
    return f"{digits[:6]}-{digits[6:]}"


class Workers:
    def __init__(self, tmp_path: Path):
        self.pause_dir = tmp_path / "pause"
        self.mail_dir = tmp_path / "mail"
        self.pause_dir.mkdir()
        self.mail_dir.mkdir()
        self.tmp_path = tmp_path
        self.started: list[subprocess.Popen] = []
        db = connection.settings_dict
        self.env = {
            **os.environ,
            "PYTHONPATH": str(REPO),
            "DATABASE_URL": f"postgresql://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "BACKA_TEST_PAUSE_DIR": str(self.pause_dir),
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.mail_dir),
            "PROVISIONING_SPARE_SCHEMAS": "0",
            "WORK_LEASE_SECONDS": "2",
            "WORK_SWEEP_SECONDS": "1",
        }

    def start(self) -> subprocess.Popen:
        schedule = self.tmp_path / f"beat-{len(self.started)}"
        process = subprocess.Popen(  # noqa: S603 - this interpreter, a module of this repository
            [sys.executable, "-m", "tests.tenants.paused_worker", str(schedule)],
            cwd=REPO,
            env=self.env,
            start_new_session=True,  # its own process group: killing it kills pool and beat with it
            stdout=subprocess.DEVNULL,
            stderr=open(self.tmp_path / f"worker-{len(self.started)}.log", "w"),  # noqa: SIM115
        )
        self.started.append(process)
        return process

    def wait_paused(self, step: str, timeout: float = 30) -> int:
        marker = self.pause_dir / f"paused-{step}"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if marker.exists() and marker.read_text().strip():
                return int(marker.read_text())
            time.sleep(0.05)
        raise AssertionError(f"the worker never reached {step}: {self.logs()}")

    def logs(self) -> str:
        return "\n".join(path.read_text()[-2000:] for path in sorted(self.tmp_path.glob("worker-*.log")))

    def mails(self) -> list[tuple[str, str]]:
        """(subject, body) of every message the workers sent."""
        messages = []
        for path in sorted(self.mail_dir.glob("*.log")):
            for chunk in path.read_text().split("-" * 79 + "\n"):
                if chunk.strip():
                    message = email.message_from_string(chunk)
                    subject = str(email.header.make_header(email.header.decode_header(message["Subject"])))
                    messages.append((subject, message.get_payload()))
        return messages

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


@pytest.fixture
def workers(tmp_path, committed_db, schema_template, settings):
    settings.PROVISIONING_SPARE_SCHEMAS = 0
    app.conf.task_always_eager = False
    started = Workers(tmp_path)
    yield started
    started.stop_all()
    # The killed worker's message stays unacknowledged until the visibility timeout; it would only find its job
    # done, but it must not outlive this test's database.
    with app.connection_for_write() as broker:
        client = broker.default_channel.client
        client.delete("unacked", "unacked_index", "celery")


def wait_for(predicate, timeout: float, what: str, workers: Workers):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"{what} did not happen within {timeout} s: {workers.logs()}")


# (step the worker is stopped in, what is killed): both kinds of death, early, middle and late steps.
CASES = [
    (ProvisioningStep.Name.CREATE_SCHEMA, "worker"),
    (ProvisioningStep.Name.INSTALL_RELEASE, "pool process"),
    (ProvisioningStep.Name.INVITE_ADMIN, "worker"),
]


@pytest.mark.parametrize(("step", "killed"), CASES)
def test_a_killed_worker_s_provisioning_finishes_by_itself_exactly_once(workers, step, killed):
    serial = 300 + CASES.index((step, killed))
    subdomain = f"killed{serial}"
    coordinator = user_create(email=f"nc-kill{serial}@example.se", full_name="K", role=User.Role.NATIONAL_COORDINATOR)
    application = application_submit(
        organisation_name=f"Dödade kommun {serial}",
        organisation_number=organisation_number(serial),
        kind="municipality",
        county="T",
        subdomain=subdomain,
        contact_name="Kim",
        contact_email=f"kim@{subdomain}.example.se",
        partners=["kommun", "polis"],
    )
    tenant = None
    try:
        (workers.pause_dir / f"pause-{step}").touch()
        first = workers.start()
        tenant = application_approve(application=application, acting_user=coordinator).tenant
        pool_pid = workers.wait_paused(step)
        started = time.monotonic()
        if killed == "worker":
            os.killpg(first.pid, signal.SIGKILL)
            first.wait(timeout=10)
            workers.start()
        else:
            os.kill(pool_pid, signal.SIGKILL)

        job = ProvisioningJob.objects.get(tenant=tenant)
        wait_for(
            lambda: ProvisioningJob.objects.get(pk=job.pk).status == ProvisioningJob.Status.SUCCEEDED,
            30,
            "the job's end",
            workers,
        )
        recovered = time.monotonic() - started
        job.refresh_from_db()
        tenant.refresh_from_db()
        assert tenant.status == Tenant.Status.ONBOARDING
        assert [s.state for s in job.steps.order_by("position")] == ["done"] * 2 + [
            job.steps.get(name=ProvisioningStep.Name.INSTALL_RELEASE).state
        ] + ["done"] * 2
        assert job.steps.get(name=step).attempts == 2  # the killed attempt, then the one that finished
        assert Domain.objects.filter(tenant=tenant).count() == 1
        assert TenantEvent.objects.filter(tenant=tenant, kind=TenantEvent.Kind.PROVISIONING_SUCCEEDED).count() == 1
        with tenant_context(tenant):
            assert Invitation.objects.count() == 1
        connection.set_schema_to_public()

        def decision_and_invitation():
            bodies = [body for _subject, body in workers.mails()]
            return any("beviljad" in body for body in bodies) and any("/invitation/" in body for body in bodies)

        wait_for(decision_and_invitation, 15, "the decision and invitation e-mails", workers)
        time.sleep(1.5)  # a duplicate, if any, would come from the next sweeps
        mails = workers.mails()
        assert sum("beviljad" in body for _subject, body in mails) == 1, mails
        assert sum("/invitation/" in body for _subject, body in mails) == 1, mails
        application.refresh_from_db()
        assert application.decision_sent_at is not None
        print(f"{step} / {killed}: finished {recovered:.1f} s after the kill")  # noqa: T201 - reported figure
    finally:
        workers.stop_all()
        connection.set_schema_to_public()
        if tenant is not None:
            schema_drop(tenant.schema_name)
            Tenant.objects.filter(pk=tenant.pk).delete()
        TenantEvent.objects.filter(application=application).delete()
        Application.objects.filter(pk=application.pk).delete()
        coordinator.delete()
