from celery import shared_task

from tenants.releases.services import rollout_target_run


@shared_task
def rollout_target_install(*, target_id: int) -> None:
    """Install one tenant's release of a rollout. Runs in that tenant's schema (header ``_schema_name``)."""
    rollout_target_run(target_id=target_id)
