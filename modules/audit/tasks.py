from celery import shared_task

from modules.audit.partitions import audit_partitions_maintain
from modules.audit.services import audit_anchor_record


@shared_task
def audit_anchor_head() -> int:
    """In one tenant (sent by tenants.tasks.audit_anchor_everywhere): anchor its audit chain head."""
    return audit_anchor_record()["id"]


@shared_task
def audit_partitions_maintain_here() -> dict:
    """In one tenant, as the owner (CELERY_OWNER_QUEUE; sent by tenants.tasks.audit_partitions_maintain_everywhere):
    the audit log's partitions made ahead, finished years closed with a checkpoint, expired years culled."""
    done = audit_partitions_maintain()
    return {"created": list(done.created), "closed": list(done.closed), "culled": list(done.culled)}
