"""Provisioning: a job of recorded steps, identical to a migrated schema, resumable after an interruption."""

import re

import pytest
from django.core import mail
from django.db import connection

from modules.accounts.models import User
from tenants.models import Tenant
from tenants.onboarding.services import application_approve, application_submit
from tenants.provisioning import hooks
from tenants.provisioning.models import ProvisioningJob, ProvisioningStep
from tenants.provisioning.schema import schema_create_from_template, schema_drop, schema_fingerprint, schema_migrate
from tenants.provisioning.services import StepInterrupted, provisioning_job_retry, provisioning_job_run
from tests.factories import TEST_PASSWORD, client_for, make_user


def _approved(central, *, subdomain="hallefors", number="212000-1918"):
    coordinator = make_user(central, email=f"nc-{subdomain}@example.se", role=User.Role.NATIONAL_COORDINATOR)
    application = application_submit(
        organisation_name=f"{subdomain.title()} kommun",
        organisation_number=number,
        kind="municipality",
        county="T",
        subdomain=subdomain,
        contact_name="Hanna Hällström",
        contact_email=f"hanna@{subdomain}.example.se",
        partners=["kommun", "polis"],
    )
    return application_approve(application=application, acting_user=coordinator).tenant


def test_schema_replayed_from_the_template_is_identical_to_a_migrated_one(db, schema_template):
    with connection.cursor() as cursor:
        cursor.execute('CREATE SCHEMA "t_by_migrations"')
    schema_migrate("t_by_migrations")
    schema_create_from_template(schema_name="t_by_template", template=schema_template)

    migrated, replayed = schema_fingerprint("t_by_migrations"), schema_fingerprint("t_by_template")

    for part in ("tables", "columns", "constraints", "indexes", "sequences", "migrations", "content_types"):
        assert replayed[part] == migrated[part], part
        assert migrated[part], f"{part} should not be empty"
    assert replayed["permissions"] == migrated["permissions"]


def test_approved_tenant_is_provisioned_by_steps_and_answers_on_its_domain_with_a_working_invitation(
    db, central, schema_template, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        tenant = _approved(central)

    tenant.refresh_from_db()
    job = tenant.provisioning_jobs.get()
    assert tenant.status == Tenant.Status.ONBOARDING
    assert job.status == ProvisioningJob.Status.SUCCEEDED
    steps = {step.name: step for step in job.steps.all()}
    assert [s.state for s in job.steps.order_by("position")] == ["done", "done", "skipped", "done", "done"]
    assert steps["install_release"].detail["message"].startswith("no release published yet")
    assert all(step.duration_ms is not None for step in steps.values())

    invitation_mail = next(m for m in mail.outbox if "invitation" in m.body)
    assert invitation_mail.to == ["hanna@hallefors.example.se"]
    path = re.search(r"http://hallefors\.localhost(/invitation/[^/\s]+/)", invitation_mail.body).group(1)
    client = client_for(tenant)
    assert client.get(path).status_code == 200
    accepted = client.post(path, {"password": TEST_PASSWORD, "password_again": TEST_PASSWORD})
    assert accepted.status_code == 302
    # Signed in; the first thing is the authenticator's enrolment (its tables are in the new schema).
    home = client.get("/", follow=True)
    assert "Hanna Hällström" in home.content.decode()
    assert "Lägg till tvåstegsverifiering" in home.content.decode()
    assert client.get(path).status_code == 404  # one-time


def test_tenant_being_provisioned_is_not_reachable(db, central, schema_template):
    tenant = _approved(central)
    job = tenant.provisioning_jobs.get()

    with pytest.raises(StepInterrupted):
        provisioning_job_run(job=job, interrupt_in=ProvisioningStep.Name.INVITE_ADMIN)

    page = client_for(tenant).get("/login/")
    api = client_for(tenant).get("/api/me/")
    assert page.status_code == 503
    assert "sätts upp" in page.content.decode()
    assert api.json()["code"] == "tenant_not_ready"


def test_job_interrupted_at_any_step_and_retried_ends_identical_to_one_that_never_failed(db, central, schema_template):
    clean = _approved(central, subdomain="clean", number="212000-2411")
    provisioning_job_run(job=clean.provisioning_jobs.get())
    expected = schema_fingerprint(clean.schema_name)

    for position, step in enumerate(ProvisioningStep.Name.values):
        tenant = _approved(
            central,
            subdomain=f"broken{position}",
            number=["212000-1918", "212000-2007", "212000-2023", "212000-2056", "212000-2064"][position],
        )
        job = tenant.provisioning_jobs.get()
        with pytest.raises(StepInterrupted):
            provisioning_job_run(job=job, interrupt_in=step)
        tenant.refresh_from_db()
        assert tenant.status == Tenant.Status.PROVISIONING, step

        job = provisioning_job_run(job=job)

        tenant.refresh_from_db()
        assert job.status == ProvisioningJob.Status.SUCCEEDED, step
        assert tenant.status == Tenant.Status.ONBOARDING
        assert tenant.primary_domain == f"broken{position}.localhost"
        assert schema_fingerprint(tenant.schema_name) == expected, step
        interrupted = job.steps.get(name=step)
        assert interrupted.attempts == 2
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT count(*) FROM "{tenant.schema_name}".accounts_invitation')
            assert cursor.fetchone()[0] == 1


def test_failing_step_is_recorded_with_its_error_and_the_job_resumes_from_it(db, central, schema_template):
    def broken_installer(*, tenant):
        raise RuntimeError("release bundle unreadable")

    tenant = _approved(central)
    job = tenant.provisioning_jobs.get()
    registered = hooks.release_installer()
    hooks.release_installer_register(broken_installer)
    try:
        job = provisioning_job_run(job=job)
    finally:
        hooks.release_installer_register(registered)

    step = job.steps.get(name="install_release")
    assert job.status == ProvisioningJob.Status.FAILED
    assert "release bundle unreadable" in step.error
    assert client_for(tenant).get("/login/").status_code == 503

    # A failed job waits for a person: a late duplicate message does not run it again, the retry does.
    assert provisioning_job_run(job=job).status == ProvisioningJob.Status.FAILED
    provisioning_job_retry(job=job)
    job = provisioning_job_run(job=job)

    assert job.status == ProvisioningJob.Status.SUCCEEDED
    assert job.steps.get(name="create_schema").attempts == 1


def test_new_tenant_gets_the_latest_published_release_and_its_checklist_says_so(db, central, schema_template):
    from django_tenants.utils import tenant_context

    from modules.model_config.models import InstalledRelease
    from modules.model_config.services import model_drafts_load_defaults
    from modules.training.services import course_drafts_load_defaults
    from tenants.onboarding.selectors import checklist_view
    from tenants.releases.services import release_publish

    model_drafts_load_defaults()
    course_drafts_load_defaults()
    release = release_publish(notes="Första", start_rollout=False)

    tenant = _approved(central)
    job = provisioning_job_run(job=tenant.provisioning_jobs.get())

    assert job.steps.get(name="install_release").detail == {"version": release.version}
    tenant.refresh_from_db()
    with tenant_context(tenant):
        assert InstalledRelease.objects.get(is_current=True).checksum == release.checksum
    states = {item.key: item.state for item in checklist_view(tenant=tenant).items}
    assert states["release"] == "done"


def test_spare_schema_is_renamed_on_assignment_identical_to_a_migrated_one_and_the_pool_refilled(
    db, central, ystad, schema_template, settings, django_capture_on_commit_callbacks
):
    from tenants.provisioning.schema import spare_schemas, spare_schemas_refill

    settings.PROVISIONING_SPARE_SCHEMAS = 1
    for leftover in spare_schemas():
        schema_drop(leftover)
    spare_schemas_refill()
    (spare,) = spare_schemas()

    with django_capture_on_commit_callbacks(execute=True):
        tenant = _approved(central)

    step = tenant.provisioning_jobs.get().steps.get(name="create_schema")
    assert step.detail == {"schema": tenant.schema_name, "method": "spare", "spare": spare}
    assert schema_fingerprint(tenant.schema_name) == schema_fingerprint(ystad.schema_name)
    assert len(spare_schemas()) == 1 and spare not in spare_schemas()


def test_stale_spare_is_dropped_not_used(db, central, schema_template, settings):
    from tenants.provisioning.schema import spare_schemas, spare_schemas_refill

    settings.PROVISIONING_SPARE_SCHEMAS = 1
    for leftover in spare_schemas():
        schema_drop(leftover)
    spare_schemas_refill()
    (spare,) = spare_schemas()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM \"{spare}\".django_migrations WHERE app = 'sessions'")

    tenant = _approved(central)
    job = provisioning_job_run(job=tenant.provisioning_jobs.get())

    assert job.steps.get(name="create_schema").detail["method"] == "template"
    assert spare not in spare_schemas()
