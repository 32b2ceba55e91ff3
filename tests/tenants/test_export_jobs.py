"""Export jobs (issue 14): a requested export is a job the sweep resends when its worker dies, not a message
left in Redis for the broker's visibility timeout (hours). The real killed-worker proof for provisioning is
test_killed_worker.py; the export's own dump and restore are tested in test_lifecycle.py."""

from datetime import timedelta

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from backa_platform.core import tasks as core_tasks
from modules.accounts.models import User
from modules.accounts.services import user_create
from tenants.models import TenantExport, TenantExportJob
from tenants.services import (
    _EXPORT_JOB_LOCK_BASE,
    TenantError,
    tenant_export_job_run,
    tenant_export_jobs_resume,
    tenant_export_request,
    tenant_suspend,
)
from tenants.tasks import resume_lost_work

LONG_AGO = timezone.now() - timedelta(minutes=10)


@pytest.fixture
def sent(monkeypatch):
    calls = []
    monkeypatch.setattr(core_tasks, "enqueue_on_commit", lambda task, **kwargs: calls.append(kwargs["job_id"]))
    return calls


@pytest.fixture
def coordinator(db):
    return user_create(email="nc-export-jobs@example.se", full_name="N", role=User.Role.NATIONAL_COORDINATOR)


@pytest.fixture
def paused(ystad, coordinator):
    tenant_suspend(tenant=ystad, acting_user=coordinator, reason="Export före flytt.")
    return ystad


def lost(job: TenantExportJob) -> TenantExportJob:
    TenantExportJob.objects.filter(pk=job.pk).update(status="running", created_at=LONG_AGO, heartbeat_at=LONG_AGO)
    return job


def test_an_export_of_a_tenant_in_service_is_refused_and_nothing_is_queued(ystad, coordinator, sent):
    with pytest.raises(TenantError, match="Pausa Ystads kommun innan den exporteras"):
        tenant_export_request(tenant=ystad, acting_user=coordinator)
    assert not TenantExportJob.objects.filter(tenant=ystad).exists()
    assert sent == []


def test_a_second_request_while_one_is_open_joins_it(paused, coordinator, sent):
    first = tenant_export_request(tenant=paused, acting_user=coordinator)
    second = tenant_export_request(tenant=paused, acting_user=coordinator)

    assert second.pk == first.pk
    assert sent == [first.pk]
    assert (first.status, first.requested_by) == (TenantExportJob.Status.PENDING, coordinator)


def test_a_lost_export_is_sent_again_once_per_lease_by_the_sweep(paused, coordinator, sent, settings):
    settings.WORK_LEASE_SECONDS = 60
    job = lost(tenant_export_request(tenant=paused, acting_user=coordinator))
    sent.clear()

    assert resume_lost_work()["export_jobs"] == 1
    assert sent == [job.pk]
    job.refresh_from_db()
    assert job.resumes == 1
    # The resend renewed the lease: the next sweep does not pile a second message behind the first.
    assert tenant_export_jobs_resume(lease_seconds=60, max_resumes=5) == []


def test_an_export_a_live_worker_is_still_dumping_is_left_alone(paused, coordinator, sent):
    job = lost(tenant_export_request(tenant=paused, acting_user=coordinator))
    sent.clear()
    params = {k: v for k, v in connection.get_connection_params().items() if k not in ("cursor_factory", "context")}
    with psycopg.connect(**params, autocommit=True) as worker:  # the dumping worker's own session
        worker.execute("SELECT pg_advisory_lock(%s)", [_EXPORT_JOB_LOCK_BASE + job.pk])

        assert tenant_export_jobs_resume(lease_seconds=60, max_resumes=5) == []
        # A second delivery of the same message leaves it to that worker too.
        assert tenant_export_job_run(job_id=job.pk) is None
    assert sent == []


def test_an_export_that_keeps_losing_its_worker_is_failed_for_a_person(paused, coordinator, sent):
    job = lost(tenant_export_request(tenant=paused, acting_user=coordinator))
    TenantExportJob.objects.filter(pk=job.pk).update(resumes=5)
    sent.clear()

    assert tenant_export_jobs_resume(lease_seconds=60, max_resumes=5) == []
    job.refresh_from_db()
    assert job.status == TenantExportJob.Status.FAILED
    assert "worker lost 6 times" in job.error
    # Failed is not open: the coordinator can ask again.
    assert tenant_export_request(tenant=paused, acting_user=coordinator).pk != job.pk


def test_a_redelivered_message_of_a_finished_export_does_nothing(paused, coordinator, sent):
    job = tenant_export_request(tenant=paused, acting_user=coordinator)
    TenantExportJob.objects.filter(pk=job.pk).update(status="succeeded", finished_at=timezone.now())

    assert tenant_export_job_run(job_id=job.pk).status == TenantExportJob.Status.SUCCEEDED
    assert not TenantExport.objects.filter(tenant=paused).exists()


def test_an_export_that_fails_is_recorded_with_its_reason(paused, coordinator, sent, settings, tmp_path):
    settings.POSTGRES_BIN_DIR = str(tmp_path)  # no pg_dump here
    job = tenant_export_request(tenant=paused, acting_user=coordinator)

    job = tenant_export_job_run(job_id=job.pk)

    assert job.status == TenantExportJob.Status.FAILED
    assert "pg_dump" in job.error
    assert not TenantExport.objects.filter(tenant=paused).exists()
