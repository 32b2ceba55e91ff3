"""Approve → a real Celery worker provisions the tenant → it answers on its domain with a working invitation."""

import re
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import connection
from django.test import Client

from backa_platform.celery import app
from modules.accounts.models import User
from modules.accounts.services import user_create
from tenants.models import Tenant, TenantEvent
from tenants.onboarding.models import Application
from tenants.onboarding.services import application_approve, application_submit
from tenants.provisioning.models import ProvisioningJob
from tenants.provisioning.schema import schema_drop
from tests.factories import TEST_PASSWORD


@pytest.fixture
def worker():
    app.conf.task_always_eager = False
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield


@pytest.mark.worker
def test_approved_application_is_provisioned_by_the_worker_and_answers_on_its_domain(
    committed_db, schema_template, worker, settings
):
    settings.PROVISIONING_SPARE_SCHEMAS = 0  # committed spares would outlive this test
    coordinator = user_create(email="nc-worker@example.se", full_name="W", role=User.Role.NATIONAL_COORDINATOR)
    application = application_submit(
        organisation_name="Degerfors kommun",
        organisation_number="212000-1918",
        kind="municipality",
        county="T",
        subdomain="degerfors",
        contact_name="Dag",
        contact_email="dag@degerfors.example.se",
        partners=["kommun", "polis"],
    )
    tenant = None
    try:
        started = time.monotonic()
        tenant = application_approve(application=application, acting_user=coordinator).tenant
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            job = ProvisioningJob.objects.get(tenant=tenant)
            if job.status in (ProvisioningJob.Status.SUCCEEDED, ProvisioningJob.Status.FAILED):
                break
            time.sleep(0.05)
        elapsed = time.monotonic() - started
        assert job.status == ProvisioningJob.Status.SUCCEEDED, job.error
        assert elapsed < 10

        while time.monotonic() < deadline and not any("invitation" in m.body for m in mail.outbox):
            time.sleep(0.05)
        body = next(m.body for m in mail.outbox if "invitation" in m.body)
        path = re.search(r"http://degerfors\.localhost(/invitation/[^/\s]+/)", body).group(1)
        client = Client(HTTP_HOST="degerfors.localhost")
        assert client.get("/login/").status_code == 200
        assert client.post(path, {"password": TEST_PASSWORD, "password_again": TEST_PASSWORD}).status_code == 302
        connection.set_schema_to_public()
    finally:
        connection.set_schema_to_public()
        if tenant is not None:
            schema_drop(tenant.schema_name)
            TenantEvent.objects.filter(application=application).delete()
            Application.objects.filter(pk=application.pk).delete()
            Tenant.objects.filter(pk=tenant.pk).delete()
        else:
            TenantEvent.objects.filter(application=application).delete()
            application.delete()
        coordinator.delete()
