from celery import shared_task

from modules.audit.services import audit_anchor_record


@shared_task
def audit_anchor_head() -> int:
    """In one tenant (sent by tenants.tasks.audit_anchor_everywhere): anchor its audit chain head."""
    return audit_anchor_record()["id"]
