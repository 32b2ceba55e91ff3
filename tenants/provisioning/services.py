"""Provisioning a tenant as a job of recorded steps, run by a worker, resumable after any interruption.

Each step runs in its own transaction together with the record that it is done: a worker killed or a
database restarted mid-step rolls the step back and leaves it "pending" (or "running" from an earlier
attempt) for the retry. A tenant stays in status ``provisioning`` — which the status middleware never
serves — until the last step opens it.
"""

import os
import socket
import time
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from backa_platform.core.db import session_lock_held_elsewhere, session_lock_release, session_lock_try
from backa_platform.core.tasks import enqueue_on_commit
from modules.accounts.models import Invitation, User
from modules.accounts.services import invitation_create
from tenants.models import Domain, Tenant, TenantEvent
from tenants.provisioning import hooks
from tenants.provisioning.models import ProvisioningJob, ProvisioningStep
from tenants.provisioning.schema import (
    schema_create_from_template,
    schema_drop,
    schema_is_complete,
    spare_claim,
    template_current,
)
from tenants.services import TenantError, record_event, tenant_domain_for

STEP_ORDER = [
    ProvisioningStep.Name.CREATE_SCHEMA,
    ProvisioningStep.Name.CREATE_DOMAIN,
    ProvisioningStep.Name.INSTALL_RELEASE,
    ProvisioningStep.Name.INVITE_ADMIN,
    ProvisioningStep.Name.OPEN,
]
# Advisory locks for jobs live in their own key space.
_JOB_LOCK_BASE = 4_004_100_000


class StepInterrupted(RuntimeError):
    """Raised by tests (and only tests) to stand for a worker killed in the middle of a step."""


@transaction.atomic
def provisioning_job_create(*, tenant: Tenant, subdomain: str, admin_email: str, admin_name: str, acting_user=None):
    from tenants.provisioning.tasks import run_provisioning_job

    job = ProvisioningJob.objects.create(
        tenant=tenant, subdomain=subdomain, admin_email=admin_email, admin_name=admin_name
    )
    ProvisioningStep.objects.bulk_create(
        ProvisioningStep(job=job, position=position, name=name) for position, name in enumerate(STEP_ORDER)
    )
    record_event(tenant=tenant, kind=TenantEvent.Kind.PROVISIONING_STARTED, acting_user=acting_user, job_id=job.pk)
    enqueue_on_commit(run_provisioning_job, job_id=job.pk)
    return job


@transaction.atomic
def provisioning_job_retry(*, job: ProvisioningJob, acting_user=None) -> ProvisioningJob:
    """Queue a failed job again; steps already done are not repeated."""
    from tenants.provisioning.tasks import run_provisioning_job

    job = ProvisioningJob.objects.select_for_update().get(pk=job.pk)
    if job.status == ProvisioningJob.Status.SUCCEEDED:
        raise TenantError(_("Etableringen är redan klar."), code="job_done")
    job.status = ProvisioningJob.Status.PENDING
    job.error = ""
    # A person asked again: the sweep may resume it as often as a new job.
    job.resumes = 0
    job.heartbeat_at = timezone.now()
    job.save(update_fields=["status", "error", "resumes", "heartbeat_at"])
    job.steps.filter(state=ProvisioningStep.State.FAILED).update(state=ProvisioningStep.State.PENDING)
    record_event(
        tenant=job.tenant,
        kind=TenantEvent.Kind.PROVISIONING_STARTED,
        acting_user=acting_user,
        job_id=job.pk,
        retry=True,
    )
    enqueue_on_commit(run_provisioning_job, job_id=job.pk)
    return job


# --- the steps: each returns (state, detail) and is safe to run again -----------------------------


def _step_create_schema(job: ProvisioningJob) -> tuple[str, dict]:
    schema_name = job.tenant.schema_name
    if schema_is_complete(schema_name):
        return ProvisioningStep.State.DONE, {"schema": schema_name, "already_present": True}
    from tenants.provisioning.tasks import refill_spare_schemas

    # Only a schema of this very tenant, which no user could reach yet, is ever replaced.
    schema_drop(schema_name)
    spare = spare_claim(schema_name=schema_name)
    if spare is not None:
        enqueue_on_commit(refill_spare_schemas)
        return ProvisioningStep.State.DONE, {"schema": schema_name, "method": "spare", "spare": spare}
    template = template_current()
    schema_create_from_template(schema_name=schema_name, template=template)
    enqueue_on_commit(refill_spare_schemas)
    return ProvisioningStep.State.DONE, {
        "schema": schema_name,
        "method": "template",
        "migrations": template.migrations_count,
    }


def _step_create_domain(job: ProvisioningJob) -> tuple[str, dict]:
    domain_name = tenant_domain_for(job.subdomain)
    domain = Domain.objects.filter(domain=domain_name).first()
    if domain is not None and domain.tenant_id != job.tenant_id:
        raise TenantError(_("Domänen %(domain)s används redan av en annan instans.") % {"domain": domain_name})
    if domain is None:
        Domain.objects.create(tenant=job.tenant, domain=domain_name, is_primary=True)
        record_event(tenant=job.tenant, kind=TenantEvent.Kind.DOMAIN_ADDED, domain=domain_name)
    return ProvisioningStep.State.DONE, {"domain": domain_name}


def _step_install_release(job: ProvisioningJob) -> tuple[str, dict]:
    installer = hooks.release_installer()
    if installer is None:
        return ProvisioningStep.State.SKIPPED, {"message": "no release published yet (no installer registered)"}
    with tenant_context(job.tenant):
        installed = installer(tenant=job.tenant)
    if installed is None:
        return ProvisioningStep.State.SKIPPED, {"message": "no release published yet"}
    return ProvisioningStep.State.DONE, dict(installed)


def _step_invite_admin(job: ProvisioningJob) -> tuple[str, dict]:
    if not job.admin_email:
        return ProvisioningStep.State.SKIPPED, {"message": "no admin e-mail given"}
    with tenant_context(job.tenant):
        existing = Invitation.objects.filter(email=job.admin_email.lower()).first()
        if existing is not None or User.objects.filter(email=job.admin_email.lower()).exists():
            return ProvisioningStep.State.DONE, {"already_invited": True}
        invitation = invitation_create(
            email=job.admin_email, full_name=job.admin_name, role=User.Role.LOCAL_ADMIN, acting_user=None
        )
    return ProvisioningStep.State.DONE, {"invitation_id": invitation.pk}


def _step_open(job: ProvisioningJob) -> tuple[str, dict]:
    from tenants.onboarding.services import checklist_ensure

    tenant = Tenant.objects.select_for_update().get(pk=job.tenant_id)
    if tenant.status == Tenant.Status.PROVISIONING:
        tenant.status = Tenant.Status.ONBOARDING
        tenant.status_changed_at = timezone.now()
        tenant.auto_create_schema = False  # a save must never run migrations for a tenant
        tenant.save(update_fields=["status", "status_changed_at", "updated_at"])
        record_event(
            tenant=tenant, kind=TenantEvent.Kind.STATUS_CHANGED, old=Tenant.Status.PROVISIONING, new=tenant.status
        )
    checklist_ensure(tenant=tenant)
    return ProvisioningStep.State.DONE, {"status": tenant.status}


STEPS = {
    ProvisioningStep.Name.CREATE_SCHEMA: _step_create_schema,
    ProvisioningStep.Name.CREATE_DOMAIN: _step_create_domain,
    ProvisioningStep.Name.INSTALL_RELEASE: _step_install_release,
    ProvisioningStep.Name.INVITE_ADMIN: _step_invite_admin,
    ProvisioningStep.Name.OPEN: _step_open,
}


def _lock(job_id: int) -> bool:
    return session_lock_try(_JOB_LOCK_BASE + job_id)


def _unlock(job_id: int) -> None:
    session_lock_release(_JOB_LOCK_BASE + job_id)


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:200]


def _heartbeat(job: ProvisioningJob) -> None:
    """Renew the job's lease (in the caller's transaction, so it commits with the step that advanced)."""
    job.heartbeat_at = timezone.now()
    ProvisioningJob.objects.filter(pk=job.pk).update(heartbeat_at=job.heartbeat_at)


def provisioning_job_run(*, job: ProvisioningJob, interrupt_in: str | None = None) -> ProvisioningJob:
    """Run the job's remaining steps. Not atomic on purpose: every finished step stays finished.

    The job's advisory lock is held by this database session for the whole run: a second delivery of the same
    job (a redelivered message, a resume by the sweep) finds it taken and leaves, and when the worker dies its
    session ends and the lock with it, which is how the sweep tells a lost job from a slow one.

    ``interrupt_in`` (tests only) makes the named step die after doing its work, before it commits.
    """
    if not _lock(job.pk):
        return job  # another worker runs it right now
    # Asynchronous commit for this job's transactions: a database crash can lose only the last few
    # hundred milliseconds of them, all together and in order, and every step is idempotent, so the
    # retry redoes exactly what was lost. It saves a WAL flush per commit (about 20 per job).
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    try:
        job = ProvisioningJob.objects.select_related("tenant").get(pk=job.pk)
        if job.status not in (ProvisioningJob.Status.PENDING, ProvisioningJob.Status.RUNNING):
            return job  # done, or failed and waiting for a person's retry (which makes it pending again)
        job.status = ProvisioningJob.Status.RUNNING
        job.attempts += 1
        # The latest attempt's start: a retry hours later must not count the wait as provisioning time.
        job.started_at, job.finished_at = timezone.now(), None
        job.heartbeat_at, job.worker = timezone.now(), _worker_name()
        job.save(update_fields=["status", "attempts", "started_at", "finished_at", "heartbeat_at", "worker"])
        for step in job.steps.order_by("position"):
            if step.state in (ProvisioningStep.State.DONE, ProvisioningStep.State.SKIPPED):
                continue
            step.state = ProvisioningStep.State.RUNNING
            step.attempts += 1
            step.started_at = timezone.now()
            step.error = ""
            step.save(update_fields=["state", "attempts", "started_at", "error"])
            _heartbeat(job)
            started = time.monotonic()
            try:
                if step.name == ProvisioningStep.Name.CREATE_SCHEMA:
                    # Built (rarely: once per migration state) outside the step's transaction: pg_dump
                    # reads the scratch schema from its own session.
                    template_current()
                with transaction.atomic():
                    state, detail = STEPS[step.name](job)
                    if interrupt_in == step.name:
                        raise StepInterrupted(step.name)
                    step.state = state
                    step.detail = detail
                    step.finished_at = timezone.now()
                    step.duration_ms = int((time.monotonic() - started) * 1000)
                    step.save(update_fields=["state", "detail", "finished_at", "duration_ms"])
                    _heartbeat(job)
            except StepInterrupted:
                raise
            except Exception as error:  # noqa: BLE001 - every failure is recorded on the step, then the job fails
                message = f"{type(error).__name__}: {error}"[:1000]
                step.state = ProvisioningStep.State.FAILED
                step.error = message
                step.finished_at = timezone.now()
                step.duration_ms = int((time.monotonic() - started) * 1000)
                step.save(update_fields=["state", "error", "finished_at", "duration_ms"])
                job.status = ProvisioningJob.Status.FAILED
                job.error = f"{step.name}: {message}"[:1000]
                job.finished_at = timezone.now()
                job.save(update_fields=["status", "error", "finished_at"])
                record_event(
                    tenant=job.tenant, kind=TenantEvent.Kind.PROVISIONING_FAILED, job_id=job.pk, step=step.name
                )
                return job
        job.status = ProvisioningJob.Status.SUCCEEDED
        job.finished_at = timezone.now()
        job.error = ""
        job.save(update_fields=["status", "finished_at", "error"])
        record_event(
            tenant=job.tenant, kind=TenantEvent.Kind.PROVISIONING_SUCCEEDED, job_id=job.pk, duration_ms=job.duration_ms
        )
        return job
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")
        _unlock(job.pk)


def _held_by_a_live_session(job_id: int) -> bool:
    return session_lock_held_elsewhere(_JOB_LOCK_BASE + job_id)


def provisioning_jobs_resume(*, lease_seconds: int, max_resumes: int) -> list[int]:
    """Send again every job pending or running whose worker is gone; return their ids.

    Gone means: its lease is older than ``lease_seconds`` and no database session holds its advisory lock (a
    worker alive in a long step holds it). The lock is only tested, then released before the job is queued, so
    the worker that picks the message up can take it. A job resumed ``max_resumes`` times is recorded as failed
    instead, for a person to retry from the console.
    """
    cutoff = timezone.now() - timedelta(seconds=lease_seconds)
    open_states = [ProvisioningJob.Status.PENDING, ProvisioningJob.Status.RUNNING]
    candidates = ProvisioningJob.objects.filter(status__in=open_states).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, created_at__lt=cutoff)
    )
    resumed = []
    for job_id in candidates.order_by("pk").values_list("pk", flat=True):
        if _held_by_a_live_session(job_id):
            continue
        if _job_resume(job_id=job_id, cutoff=cutoff, max_resumes=max_resumes):
            resumed.append(job_id)
    return resumed


@transaction.atomic
def _job_resume(*, job_id: int, cutoff, max_resumes: int) -> bool:
    from tenants.provisioning.tasks import run_provisioning_job

    job = ProvisioningJob.objects.select_for_update(skip_locked=True).select_related("tenant").filter(pk=job_id).first()
    if job is None or job.status not in (ProvisioningJob.Status.PENDING, ProvisioningJob.Status.RUNNING):
        return False
    if (job.heartbeat_at or job.created_at) >= cutoff:
        return False  # renewed since the sweep looked
    if job.resumes >= max_resumes:
        job.status = ProvisioningJob.Status.FAILED
        job.error = f"worker lost {job.resumes + 1} times; retry when the cause is known"
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        record_event(tenant=job.tenant, kind=TenantEvent.Kind.PROVISIONING_FAILED, job_id=job.pk, step="worker_lost")
        return False
    job.resumes += 1
    job.heartbeat_at = timezone.now()  # one resend per lease, however long the queue
    job.save(update_fields=["resumes", "heartbeat_at"])
    record_event(tenant=job.tenant, kind=TenantEvent.Kind.PROVISIONING_STARTED, job_id=job.pk, resumed=job.resumes)
    enqueue_on_commit(run_provisioning_job, job_id=job.pk)
    return True
