"""A rollout under a real Celery worker: every tenant installs, a broken one fails and is retried."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.management import call_command
from django.db import connection
from django_tenants.utils import schema_context

from backa_platform.celery import app
from modules.model_config.models import InstalledRelease, ModelItem
from modules.model_config.services import model_drafts_load_defaults
from modules.training.models import Course
from modules.training.services import course_drafts_load_defaults
from tenants.models import Tenant
from tenants.releases.models import Release, ReleaseEvent, Rollout, RolloutTarget, TenantReleaseChoice
from tenants.releases.selectors import rollout_progress, tenant_held_checksum
from tenants.releases.services import release_publish, rollout_target_retry
from tests.factories import demo_tenant


@pytest.fixture
def worker():
    app.conf.task_always_eager = False
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield


def _wait_until_finished(rollout: Rollout, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        progress = rollout_progress(rollout)
        if progress["finished"]:
            return progress
        time.sleep(0.1)
    raise AssertionError(f"rollout did not finish: {rollout_progress(rollout)}")


@pytest.fixture
def broken_tenant_committed(committed_db):
    tenant = Tenant(
        schema_name="t_trasig_w", name="Trasiga kommun", kind=Tenant.Kind.MUNICIPALITY,
        organisation_number="212000-0142", county="M", status=Tenant.Status.ACTIVE,
    )  # fmt: skip
    tenant.auto_create_schema = False
    tenant.save()
    with connection.cursor() as cursor:
        cursor.execute("CREATE SCHEMA t_trasig_w")
    yield tenant
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA IF EXISTS t_trasig_w CASCADE")
    Tenant.objects.filter(pk=tenant.pk).delete()


@pytest.mark.worker
def test_rollout_under_a_real_worker_installs_everywhere_and_a_failed_tenant_is_retried(
    committed_db, broken_tenant_committed, worker
):
    ystad, skane, broken = demo_tenant("ystad"), demo_tenant("skane"), broken_tenant_committed
    try:
        model_drafts_load_defaults()
        course_drafts_load_defaults()
        release = release_publish(notes="Första releasen")
        rollout = release.rollouts.get()
        progress = _wait_until_finished(rollout)
        assert (progress["installed"], progress["failed"], progress["total"]) == (2, 1, 3)
        for tenant in (ystad, skane):
            assert tenant_held_checksum(tenant=tenant, version=release.version) == release.checksum
        failed = rollout.targets.get(tenant=broken)
        assert failed.state == RolloutTarget.State.FAILED and failed.reason

        call_command("migrate_schemas", schema_name=broken.schema_name, interactive=False, verbosity=0)
        connection.set_schema_to_public()
        rollout_target_retry(target=failed)
        progress = _wait_until_finished(rollout)
        assert (progress["installed"], progress["failed"]) == (3, 0)
        assert tenant_held_checksum(tenant=broken, version=release.version) == release.checksum
    finally:
        connection.set_schema_to_public()
        for tenant in (ystad, skane):
            with schema_context(tenant.schema_name):
                InstalledRelease.objects.all().delete()
        TenantReleaseChoice.objects.all().delete()
        ReleaseEvent.objects.all().delete()
        Rollout.objects.all().delete()
        Release.objects.all().delete()
        ModelItem.objects.filter(release__isnull=True).delete()
        Course.objects.filter(release__isnull=True).delete()
