from celery import shared_task
from django.conf import settings

from modules.accounts.models import User
from modules.audit.tasks import audit_anchor_head, audit_partitions_maintain_here
from modules.casework.tasks import cull_closed_cases, send_reminders
from modules.consent.tasks import handle_expired_consents
from modules.training.tasks import send_training_reminders
from tenants.models import Tenant
from tenants.selectors import tenants_ready
from tenants.services import tenant_export_job_run, tenant_export_jobs_resume, tenant_export_request

# Tenants per batch of a periodic fan-out, and the seconds between batches: beat sending work to every
# tenant at once is a thundering herd on the workers and the database (DESIGN.md §7).
FAN_OUT_BATCH = 20
FAN_OUT_SPACING_SECONDS = 5


# Late acknowledgement, handed back when the pool process dies: an export killed half-way is started again
# (its half-written file is overwritten by the next dump). The job's advisory lock makes a second delivery of a
# running export leave, and its status one of a finished export; the sweep resends a job whose worker died.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def export_tenant(*, job_id: int | None = None, tenant_id: int | None = None, actor_id: int | None = None) -> None:
    if job_id is None:  # a message sent before export jobs existed: make its job now
        tenant = Tenant.objects.filter(pk=tenant_id).first()
        if tenant is None:
            return
        job_id = tenant_export_request(tenant=tenant, acting_user=User.objects.filter(pk=actor_id).first()).pk
    tenant_export_job_run(job_id=job_id)


def tenants_fan_out(task) -> int:
    """Send ``task`` (no arguments) to run in every tenant in service, in small batches spaced apart.

    Only tenants ``tenants_ready`` names: one without a schema, being provisioned, paused or archived gets
    nothing. Returns how many tasks were sent.
    """
    schemas = list(tenants_ready(in_service=True).order_by("pk").values_list("schema_name", flat=True))
    for index, schema in enumerate(schemas):
        task.apply_async(headers={"_schema_name": schema}, countdown=(index // FAN_OUT_BATCH) * FAN_OUT_SPACING_SECONDS)
    return len(schemas)


@shared_task
def handle_expired_consents_everywhere() -> int:
    """Daily from beat: record and notify the consents that ran out, in every tenant in service."""
    return tenants_fan_out(handle_expired_consents)


@shared_task
def send_reminders_everywhere() -> int:
    """Daily from beat: review-date and overdue-action reminders, in every tenant in service."""
    return tenants_fan_out(send_reminders)


@shared_task
def send_training_reminders_everywhere() -> int:
    """Daily from beat: reminders of required training not completed, in every tenant in service."""
    return tenants_fan_out(send_training_reminders)


@shared_task
def cull_closed_cases_everywhere() -> int:
    """Daily from beat: gallring of closed cases past their retention period, in every tenant in service."""
    return tenants_fan_out(cull_closed_cases)


@shared_task
def audit_anchor_everywhere() -> int:
    """Hourly from beat: anchor every tenant's audit chain head in public, so a deleted tail shows."""
    return tenants_fan_out(audit_anchor_head)


@shared_task
def audit_partitions_maintain_everywhere() -> int:
    """Daily from beat: every tenant's audit partitions made ahead, closed and culled (owner queue)."""
    return tenants_fan_out(audit_partitions_maintain_here)


@shared_task
def resume_lost_work() -> dict:
    """From beat, every WORK_SWEEP_SECONDS: send again the work whose worker died (DESIGN.md §9)."""
    from tenants.onboarding.services import application_decisions_resend
    from tenants.provisioning.services import provisioning_jobs_resume
    from tenants.releases.services import rollout_targets_resume

    lease = settings.WORK_LEASE_SECONDS
    return {
        "provisioning_jobs": len(provisioning_jobs_resume(lease_seconds=lease, max_resumes=settings.WORK_MAX_RESUMES)),
        "rollout_targets": len(rollout_targets_resume(lease_seconds=lease)),
        "decision_mails": len(application_decisions_resend(lease_seconds=lease)),
        "export_jobs": len(tenant_export_jobs_resume(lease_seconds=lease, max_resumes=settings.WORK_MAX_RESUMES)),
    }
