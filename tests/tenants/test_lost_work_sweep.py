"""The sweep that resumes work whose worker died (tenants.tasks.resume_lost_work), piece by piece.

The end-to-end proof with real killed workers is test_killed_worker.py; here each rule of the sweep on its own:
a lost job is sent again once per lease, a job a live session still holds is left alone, a job that keeps
losing its worker is failed for a person, a rollout target left pending is installed, a decision e-mail not
recorded as sent goes out again exactly once.
"""

from datetime import timedelta

import psycopg
import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from modules.accounts.models import User
from modules.accounts.services import user_create
from tenants.models import TenantEvent
from tenants.onboarding.models import Application
from tenants.onboarding.services import application_decisions_resend, application_reject, application_submit
from tenants.provisioning import services as provisioning
from tenants.provisioning.models import ProvisioningJob
from tenants.releases import services as release_services
from tenants.releases.models import RolloutTarget
from tenants.releases.services import release_publish, rollout_start, rollout_targets_resume
from tests.factories import central_drafts_load

LONG_AGO = timezone.now() - timedelta(minutes=10)


def lost_job(tenant, **fields) -> ProvisioningJob:
    job = ProvisioningJob.objects.create(tenant=tenant, subdomain=tenant.schema_name, status="running", **fields)
    ProvisioningJob.objects.filter(pk=job.pk).update(created_at=LONG_AGO, heartbeat_at=LONG_AGO)
    return job


@pytest.fixture
def sent(monkeypatch):
    calls = []
    monkeypatch.setattr(provisioning, "enqueue_on_commit", lambda task, **kwargs: calls.append(kwargs["job_id"]))
    return calls


def test_a_job_whose_lease_ran_out_is_sent_again_once_per_lease(ystad, sent):
    job = lost_job(ystad)
    fresh = lost_job(ystad)
    ProvisioningJob.objects.filter(pk=fresh.pk).update(heartbeat_at=timezone.now())

    assert provisioning.provisioning_jobs_resume(lease_seconds=60, max_resumes=5) == [job.pk]
    assert sent == [job.pk]
    job.refresh_from_db()
    assert job.resumes == 1
    assert TenantEvent.objects.filter(tenant=ystad, kind=TenantEvent.Kind.PROVISIONING_STARTED).exists()
    # The resend renewed the lease: the next sweep does not pile a second message behind the first.
    assert provisioning.provisioning_jobs_resume(lease_seconds=60, max_resumes=5) == []


def test_a_job_held_by_a_live_worker_in_a_long_step_is_left_alone(ystad, sent):
    job = lost_job(ystad)
    settings_dict = connection.settings_dict
    with psycopg.connect(
        host=settings_dict["HOST"],
        port=settings_dict["PORT"],
        user=settings_dict["USER"],
        password=settings_dict["PASSWORD"] or None,
        dbname=settings_dict["NAME"],
        autocommit=True,
    ) as live_worker:
        live_worker.execute("SELECT pg_advisory_lock(%s)", [provisioning._JOB_LOCK_BASE + job.pk])
        assert provisioning.provisioning_jobs_resume(lease_seconds=60, max_resumes=5) == []
    assert sent == []


def test_a_job_that_keeps_losing_its_worker_is_failed_for_a_person_to_retry(ystad, sent):
    job = lost_job(ystad, resumes=5)

    assert provisioning.provisioning_jobs_resume(lease_seconds=60, max_resumes=5) == []
    job.refresh_from_db()
    assert job.status == ProvisioningJob.Status.FAILED
    assert "worker lost" in job.error
    assert sent == []
    provisioning.provisioning_job_retry(job=job)
    job.refresh_from_db()
    assert (job.status, job.resumes) == (ProvisioningJob.Status.PENDING, 0)


def test_a_failed_job_is_not_run_again_by_a_late_duplicate_message(ystad):
    job = lost_job(ystad)
    ProvisioningJob.objects.filter(pk=job.pk).update(status=ProvisioningJob.Status.FAILED)
    provisioning.provisioning_job_run(job=job)
    job.refresh_from_db()
    assert (job.status, job.attempts) == (ProvisioningJob.Status.FAILED, 0)


def test_a_rollout_target_left_pending_by_a_dead_worker_is_installed_by_the_sweep(
    ystad, skane, monkeypatch, run_on_commit
):
    central_drafts_load()
    sends = []
    monkeypatch.setattr(release_services, "_send_install_tasks", sends.append)  # the first sends are "lost"
    release = release_publish(notes="Sweep", start_rollout=False)
    rollout = rollout_start(release=release, tenants=[ystad, skane])
    targets = list(rollout.targets.order_by("pk"))
    RolloutTarget.objects.filter(pk=targets[0].pk).update(enqueued_at=LONG_AGO)

    monkeypatch.undo()
    with run_on_commit():
        assert rollout_targets_resume(lease_seconds=60) == [targets[0].pk]
    connection.set_schema_to_public()
    targets[0].refresh_from_db()
    targets[1].refresh_from_db()
    assert targets[0].state == RolloutTarget.State.INSTALLED
    assert targets[1].state == RolloutTarget.State.PENDING  # sent a moment ago: still within its lease
    assert rollout_targets_resume(lease_seconds=60) == []


def test_a_decision_e_mail_not_recorded_as_sent_goes_out_again_exactly_once(db, run_on_commit):
    coordinator = user_create(email="nc-sweep@example.se", full_name="S", role=User.Role.NATIONAL_COORDINATOR)
    application = application_submit(
        organisation_name="Sweden kommun",
        organisation_number="212000-1975",
        kind="municipality",
        county="T",
        subdomain="sweepkommun",
        contact_name="Sam",
        contact_email="sam@sweep.example.se",
        partners=["kommun"],
    )
    with run_on_commit():
        application_reject(application=application, acting_user=coordinator, reason="Ofullständig")
    decisions = [m for m in mail.outbox if "Besked" in m.subject]
    assert len(decisions) == 1
    application.refresh_from_db()
    assert application.decision_sent_at is not None
    assert application_decisions_resend(lease_seconds=60) == []

    # The worker died before recording the send (or before sending): the sweep sends it once more.
    Application.objects.filter(pk=application.pk).update(decision_sent_at=None, decided_at=LONG_AGO)
    with run_on_commit():
        assert application_decisions_resend(lease_seconds=60) == [application.pk]
    with run_on_commit():
        assert application_decisions_resend(lease_seconds=60) == []
    assert len([m for m in mail.outbox if "Besked" in m.subject]) == 2
