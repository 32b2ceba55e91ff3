from celery import shared_task
from django.utils import timezone

from tenants.statistics.services import statistics_publish, statistics_snapshot_take
from tenants.tasks import tenants_fan_out


@shared_task
def statistics_snapshot() -> int:
    """In one tenant (sent with its schema): its figures for today's snapshot."""
    return statistics_snapshot_take()


@shared_task
def statistics_snapshot_everywhere() -> int:
    """Daily from beat: every tenant in service computes its own figures, in small batches."""
    return tenants_fan_out(statistics_snapshot)


@shared_task
def statistics_publish_today() -> None:
    """Daily from beat, after the snapshot: today's national publication, disclosure control applied."""
    statistics_publish(snapshot_on=timezone.localdate())
