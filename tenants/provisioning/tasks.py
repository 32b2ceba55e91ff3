from celery import shared_task
from django.db import InterfaceError, OperationalError

from tenants.provisioning.models import ProvisioningJob
from tenants.provisioning.schema import spare_schemas_refill
from tenants.provisioning.services import provisioning_job_run


# Acknowledged late and handed back when the pool process dies: a killed worker leaves the message on the
# broker (and the sweep, tenants.tasks.resume_lost_work, resumes the job sooner); the job's advisory lock and
# recorded steps make a second delivery harmless. A database that went away is retried with backoff.
@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=8,
)
def run_provisioning_job(*, job_id: int) -> None:
    job = ProvisioningJob.objects.filter(pk=job_id).first()
    if job is not None:
        provisioning_job_run(job=job)


@shared_task
def refill_spare_schemas() -> None:
    """Keep PROVISIONING_SPARE_SCHEMAS migrated schemas ready for the next provisioning jobs."""
    spare_schemas_refill()
