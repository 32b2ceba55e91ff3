from celery import shared_task

from tenants.releases.services import release_proposals_publish_due, rollout_target_run


# Late acknowledgement, handed back when the pool process dies: the install and the target's state commit
# together, so a second delivery finds the target installed and does nothing.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def rollout_target_install(*, target_id: int) -> None:
    """Install one tenant's release of a rollout. Runs in that tenant's schema (header ``_schema_name``)."""
    rollout_target_run(target_id=target_id)


@shared_task
def release_proposals_publish_due_task() -> list[int]:
    """Beat: publish the approved releases whose date has come (in public; no arguments, ids in the result)."""
    return release_proposals_publish_due()
