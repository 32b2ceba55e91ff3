"""No lost work when the broker is down: tasks are written with the change, relayed later, and run once."""

import shutil
import socket
import subprocess
import time
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import transaction
from django.test import Client
from django.utils import timezone
from django_tenants.utils import tenant_context

from backa_platform.celery import app
from backa_platform.core.models import OutboxTask
from backa_platform.core.outbox import outbox_relay
from backa_platform.core.tasks import UnsafeTaskArgument, enqueue_on_commit, relay_outbox
from modules.accounts.models import Invitation, User
from modules.accounts.services import invitation_create
from modules.accounts.tasks import send_invitation
from tenants.onboarding.models import Application
from tests.factories import demo_tenant, logged_in_client, make_user
from tests.tenants.test_onboarding_applications import GOOD


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _use_broker(url: str) -> None:
    """Point the Celery app at ``url`` and forget the connections it holds to the previous broker."""
    app.conf.broker_url = url
    # Not closed: kombu keeps one pool per broker URL for the whole process and would hand the closed one back.
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker_down(settings):
    """A broker URL on a port where nothing listens (a real closed port, no mock), and tasks not eager."""
    previous = app.conf.broker_url
    port = _free_port()
    url = f"redis://127.0.0.1:{port}/0"
    settings.REDIS_URL = url
    app.conf.task_always_eager = False
    _use_broker(url)
    yield port
    _use_broker(previous)


def _start_redis(port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [shutil.which("redis-server"), "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return server
        time.sleep(0.05)
    server.kill()
    raise RuntimeError("redis-server did not start")


def test_with_the_broker_down_the_task_is_kept_and_the_request_answers_as_usual(ystad, broker_down, run_on_commit):
    started = time.monotonic()
    with tenant_context(ystad), run_on_commit():
        invitation = invitation_create(email="eva@ystad.se", full_name="Eva", role=User.Role.STAFF, acting_user=None)
    elapsed = time.monotonic() - started

    row = OutboxTask.objects.get()
    assert (row.task_name, row.kwargs, row.schema_name) == (
        send_invitation.name,
        {"invitation_id": invitation.pk},
        ystad.schema_name,
    )
    assert row.sent_at is None
    assert row.last_error  # the broker's error class, e.g. OperationalError
    assert row.send_attempts == 1
    # A closed port is refused at once: the request is not held up by retries.
    assert elapsed < 1


def test_every_request_that_sends_a_task_answers_as_usual_with_the_broker_down(
    world, installed, central, broker_down, run_on_commit
):
    """Applying, approving, inviting, raising a concern, planning a meeting, withdrawing a consent: each
    answered 500 after committing its write; now each answers as with the broker up and keeps its task."""
    from modules.casework.meetings import MeetingData, meeting_plan
    from modules.casework.services import concern_raise
    from tenants.onboarding.services import application_approve

    coordinator = make_user(central, email="nc-outbox@example.se", role=User.Role.NATIONAL_COORDINATOR)
    with run_on_commit():
        applied = Client(HTTP_HOST="localhost").post(
            "/api/applications/", {**GOOD, "subdomain": "outbox-all"}, content_type="application/json"
        )
    assert applied.status_code == 201, applied.content
    with run_on_commit():
        application_approve(application=Application.objects.get(subdomain="outbox-all"), acting_user=coordinator)
    with tenant_context(world.tenant), run_on_commit():
        invitation_create(email="ny@ystad.se", full_name="Ny", role=User.Role.STAFF, acting_user=world.admin)
        concern_raise(
            child=world.child,
            raised_by=world.raiser,
            description="Kommer ofta utan frukost.",
            area_keys=["omsorg"],
            urgency="high",
            guardians_informed=False,
        )
        starts_at = timezone.now() + timedelta(days=3)
        meeting_plan(
            child=world.child,
            acting_user=world.contact,
            data=MeetingData(
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=1),
                place="Skolan",
                agenda="Läget i skolan",
                staff=[world.team_region],
            ),
        )
        consent = world.child.consents.get()
    with run_on_commit():
        withdrawn = logged_in_client(world.tenant, world.contact.email).post(
            f"/barn/{world.child.pk}/samtycken/{consent.pk}/aterkalla/", {"reason": "Vårdnadshavaren ångrade sig"}
        )
    assert withdrawn.status_code == 302

    waiting = {row.task_name.rsplit(".", 1)[-1] for row in OutboxTask.objects.filter(sent_at__isnull=True)}
    assert {
        "send_application_receipt",
        "send_application_decision",
        "run_provisioning_job",
        "send_invitation",
        "notify_concern_raised",
        "send_meeting_kallelse",
        "notify_consent_ended",
    } <= waiting
    assert mail.outbox == []


def test_readyz_names_the_broker_as_down(db, broker_down):
    response = Client(HTTP_HOST="localhost").get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"]["ok"] is False
    assert "ConnectionError" in response.json()["checks"]["redis"]["detail"]


def test_the_api_answers_201_to_an_application_with_the_broker_down(central, broker_down, run_on_commit):
    # Before the outbox: the application was committed, then the send failed and the answer was a 500.
    with run_on_commit():
        response = Client(HTTP_HOST="localhost").post(
            "/api/applications/", {**GOOD, "subdomain": "hallefors-outbox"}, content_type="application/json"
        )
    assert response.status_code == 201, response.content
    application = Application.objects.get(subdomain="hallefors-outbox")
    assert OutboxTask.objects.get().kwargs == {"application_id": application.pk}


def test_a_change_rolled_back_leaves_no_task(ystad, broker_down):
    with tenant_context(ystad), pytest.raises(RuntimeError), transaction.atomic():
        invitation_create(email="ola@ystad.se", full_name="Ola", role=User.Role.STAFF, acting_user=None)
        raise RuntimeError("the rest of the change failed")
    assert not OutboxTask.objects.exists()


def test_without_a_broker_tasks_run_eagerly_as_before_and_leave_no_row(ystad, run_on_commit):
    with tenant_context(ystad), run_on_commit():
        invitation_create(email="pia@ystad.se", full_name="Pia", role=User.Role.STAFF, acting_user=None)
    assert [message.to for message in mail.outbox] == [["pia@ystad.se"]]
    assert not OutboxTask.objects.exists()


def test_the_outbox_refuses_arguments_that_could_carry_personal_data(db, broker_down):
    with pytest.raises(UnsafeTaskArgument):
        enqueue_on_commit(send_invitation, invitation_id="19121212-1212")
    assert not OutboxTask.objects.exists()


@pytest.mark.worker
def test_broker_down_then_back_every_task_runs_exactly_once(committed_db, broker_down):
    """Requests while the port is closed; then a redis-server starts on it, the beat relay sends, a worker runs."""
    ystad, skane = demo_tenant("ystad"), demo_tenant("skane")
    made: list[tuple] = []
    server = None
    # Other committed-database tests with a worker leave their finished rows behind; this test counts its own.
    before = OutboxTask.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    assert not OutboxTask.objects.filter(sent_at__isnull=True).exists()
    mine = OutboxTask.objects.filter(pk__gt=before)
    try:
        # Applying (through the API, on the central host) and inviting staff in two tenants, with the broker down.
        response = Client(HTTP_HOST="localhost").post(
            "/api/applications/", {**GOOD, "subdomain": "outbox-worker"}, content_type="application/json"
        )
        assert response.status_code == 201, response.content
        made.append((None, Application, Application.objects.get(subdomain="outbox-worker").pk))
        # As many in each tenant: tests/deploy/test_pgbouncer.py needs the two schemas' id sequences close.
        for tenant, email in ((ystad, "anna@ystad.se"), (skane, "bo@skane.se"), (skane, "cia@skane.se")):
            with tenant_context(tenant):
                invitation = invitation_create(email=email, full_name="X", role=User.Role.STAFF, acting_user=None)
                made.append((tenant, Invitation, invitation.pk))
        rows = list(mine.order_by("pk"))
        assert len(rows) == 4 and all(row.sent_at is None for row in rows)
        assert mail.outbox == []
        # The beat relay with the broker still down: nothing sent, nothing raised.
        assert outbox_relay() == 0

        server = _start_redis(broker_down)
        _use_broker(f"redis://127.0.0.1:{broker_down}/0")
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            assert relay_outbox() == 4
            assert mine.filter(sent_at__isnull=True).count() == 0

            deadline = time.monotonic() + 30
            while mine.filter(done_at__isnull=True).exists() and time.monotonic() < deadline:
                time.sleep(0.05)
            assert not mine.filter(done_at__isnull=True).exists()

            # The broker took a message whose sent mark was lost (a crash between send and commit): the same
            # row is delivered again, twice, and the worker skips both copies.
            OutboxTask.objects.filter(pk__in=[rows[1].pk, rows[2].pk]).update(sent_at=None)
            assert outbox_relay() == 2
            assert outbox_relay() == 0
            # One more task behind them (the broker is up now: sent at once); the solo worker takes messages
            # in order, so when its mail is there the two copies have been handled.
            with tenant_context(ystad):
                invitation = invitation_create(
                    email="dan@ystad.se", full_name="X", role=User.Role.STAFF, acting_user=None
                )
                made.append((ystad, Invitation, invitation.pk))
            while not any(message.to == ["dan@ystad.se"] for message in mail.outbox) and time.monotonic() < deadline:
                time.sleep(0.05)

        recipients = sorted(message.to[0] for message in mail.outbox)
        assert recipients == sorted(
            ["hanna@hallefors.example.se", "anna@ystad.se", "bo@skane.se", "cia@skane.se", "dan@ystad.se"]
        )
        assert all(row.done_at is not None for row in mine)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        mine.delete()
        for tenant, model, pk in made:
            if tenant is None:
                model.objects.filter(pk=pk).delete()
            else:
                with tenant_context(tenant):
                    model.objects.filter(pk=pk).delete()


def test_finished_rows_are_dropped_after_a_week_and_unsent_ones_kept(db, broker_down):
    old = timezone.now() - timedelta(days=8)
    done = OutboxTask.objects.create(schema_name="public", task_name=send_invitation.name, done_at=old)
    waiting = OutboxTask.objects.create(schema_name="public", task_name=send_invitation.name)
    relay_outbox()
    assert not OutboxTask.objects.filter(pk=done.pk).exists()
    assert OutboxTask.objects.filter(pk=waiting.pk).exists()


def test_a_rollout_with_the_broker_down_keeps_one_install_per_tenant_in_its_schema(drafts, broker_down, run_on_commit):
    from tenants.releases.models import RolloutTarget
    from tenants.releases.services import release_publish
    from tenants.releases.tasks import rollout_target_install

    with run_on_commit():
        release = release_publish(notes="Första utgåvan")
    pending = RolloutTarget.objects.filter(rollout__release=release, state=RolloutTarget.State.PENDING)
    expected = {(target.tenant.schema_name, target.pk) for target in pending.select_related("tenant")}
    rows = OutboxTask.objects.filter(task_name=rollout_target_install.name, sent_at__isnull=True)
    assert expected and {(row.schema_name, row.kwargs["target_id"]) for row in rows} == expected
    # One relay for the whole transaction: every row was tried once, not once per row.
    assert {row.send_attempts for row in rows} <= {0, 1}
