"""Suspend, reactivate, export and archive: recorded transitions, refused ones with a message."""

import json
from pathlib import Path

import pytest
from django.db import connection
from django_tenants.utils import tenant_context

from modules.accounts.models import User
from modules.accounts.services import user_create
from tenants.models import Tenant, TenantEvent
from tenants.onboarding.services import application_approve, application_submit
from tenants.provisioning.schema import schema_drop
from tenants.provisioning.services import provisioning_job_run
from tenants.services import TenantError, tenant_archive, tenant_export_create, tenant_reactivate, tenant_suspend
from tests.factories import client_for, logged_in_client, make_user


@pytest.fixture
def coordinator(central):
    return make_user(central, email="nc-life@example.se", role=User.Role.NATIONAL_COORDINATOR)


def test_suspended_tenant_shows_a_paused_page_and_api_error_and_keeps_its_data(db, ystad, coordinator):
    tenant_suspend(tenant=ystad, acting_user=coordinator, reason="Avtalet omförhandlas.")

    page = client_for(ystad).get("/")
    api = client_for(ystad).get("/api/me/")
    connection.set_schema_to_public()

    assert page.status_code == 503
    assert "Instansen är pausad" in page.content.decode()
    assert "Inga uppgifter har tagits bort" in page.content.decode()
    assert api.status_code == 503
    assert api.json()["code"] == "tenant_suspended"
    with tenant_context(ystad):
        assert User.objects.filter(email="admin@ystad.example.se").exists()
    event = ystad.events.get(kind=TenantEvent.Kind.SUSPENDED)
    assert (event.actor, event.reason, event.detail["old"]) == (coordinator, "Avtalet omförhandlas.", "active")


def test_reactivated_tenant_returns_to_its_earlier_status_and_answers_again(db, ystad, coordinator):
    tenant_suspend(tenant=ystad, acting_user=coordinator, reason="Paus.")
    tenant_reactivate(tenant=ystad, acting_user=coordinator, reason="Klart.")

    ystad.refresh_from_db()
    assert ystad.status == Tenant.Status.ACTIVE
    assert client_for(ystad).get("/login/").status_code == 200
    assert list(ystad.events.filter(kind__in=["suspended", "reactivated"]).values_list("kind", flat=True)) == [
        "suspended",
        "reactivated",
    ]


@pytest.mark.parametrize(
    ("action", "message"),
    [
        (lambda t, a: tenant_reactivate(tenant=t, acting_user=a, reason="x"), "bara en pausad instans"),
        (
            lambda t, a: tenant_archive(tenant=t, acting_user=a, reason="x", confirmation=t.schema_name),
            "pausa instansen",
        ),
        (lambda t, a: tenant_export_create(tenant=t, acting_user=a), "Pausa Ystads kommun innan"),
        (lambda t, a: tenant_suspend(tenant=t, acting_user=a, reason=""), "Ange ett skäl"),
    ],
)
def test_forbidden_transitions_are_refused_with_a_message_and_change_nothing(db, ystad, coordinator, action, message):
    with pytest.raises(TenantError) as refused:
        action(ystad, coordinator)

    assert message in " ".join(refused.value.messages)
    ystad.refresh_from_db()
    assert ystad.status == Tenant.Status.ACTIVE
    assert not ystad.events.filter(kind__in=["suspended", "reactivated", "archived", "exported"]).exists()


def test_suspending_twice_is_refused(db, ystad, coordinator):
    tenant_suspend(tenant=ystad, acting_user=coordinator, reason="Paus.")

    with pytest.raises(TenantError, match="kan inte pausas"):
        tenant_suspend(tenant=ystad, acting_user=coordinator, reason="Igen.")


@pytest.fixture
def committed_tenant(committed_db, schema_template, settings, tmp_path):
    """A provisioned tenant with some data, committed: pg_dump and psql run in their own sessions."""
    settings.TENANT_EXPORT_DIR = str(tmp_path)
    settings.PROVISIONING_SPARE_SCHEMAS = 0  # committed spares would outlive this test
    coordinator = User.objects.filter(email="nc-archive@example.se").first() or user_create(
        email="nc-archive@example.se", full_name="Nina", role=User.Role.NATIONAL_COORDINATOR
    )
    application = application_submit(
        organisation_name="Arkivs kommun",
        organisation_number="212000-2064",
        kind="municipality",
        county="T",
        subdomain="arkiv",
        contact_name="Anna",
        contact_email="anna@arkiv.example.se",
        partners=["kommun"],
    )
    tenant = application_approve(application=application, acting_user=coordinator).tenant
    job = provisioning_job_run(job=tenant.provisioning_jobs.get())
    assert job.status == "succeeded", [(s.name, s.state, s.error) for s in job.steps.all()]
    with tenant_context(tenant):
        for n in range(3):
            user_create(email=f"staff{n}@arkiv.example.se", full_name=f"Staff {n}", role=User.Role.STAFF)
    tenant.refresh_from_db()
    yield tenant, coordinator
    connection.set_schema_to_public()
    schema_drop(tenant.schema_name)
    application.refresh_from_db()
    TenantEvent.objects.filter(application=application).delete()
    application.delete()
    tenant.exports.all().delete()
    tenant.delete()
    coordinator.delete()


def test_archive_exports_restorably_then_drops_the_schema_only_when_confirmed(committed_tenant):
    tenant, coordinator = committed_tenant
    tenant_suspend(tenant=tenant, acting_user=coordinator, reason="Kommunen lämnar.")

    with pytest.raises(TenantError, match="Exportera"):
        tenant_archive(tenant=tenant, acting_user=coordinator, reason="Lämnar.", confirmation=tenant.schema_name)
    export = tenant_export_create(tenant=tenant, acting_user=coordinator)

    manifest = json.loads(Path(export.path).with_suffix(".manifest.json").read_text())
    assert manifest["sha256"] == export.sha256
    assert manifest["row_counts"]["accounts_user"] == 3
    assert manifest["row_counts"]["accounts_invitation"] == 1
    assert export.verified_at is not None
    with pytest.raises(TenantError, match="schemanamn"):
        tenant_archive(tenant=tenant, acting_user=coordinator, reason="Lämnar.", confirmation="fel")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [tenant.schema_name])
        assert cursor.fetchone() is not None

    tenant_archive(tenant=tenant, acting_user=coordinator, reason="Lämnar.", confirmation=tenant.schema_name)

    tenant.refresh_from_db()
    assert tenant.status == Tenant.Status.ARCHIVED
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [tenant.schema_name])
        assert cursor.fetchone() is None
    assert client_for(tenant).get("/").status_code == 410
    connection.set_schema_to_public()
    event = tenant.events.get(kind=TenantEvent.Kind.ARCHIVED)
    assert (event.actor, event.reason, event.detail["export_id"]) == (coordinator, "Lämnar.", export.pk)


def test_export_restores_into_a_fresh_schema_with_the_same_row_counts(committed_tenant):
    from tenants.exports import restore_check

    tenant, coordinator = committed_tenant
    tenant_suspend(tenant=tenant, acting_user=coordinator, reason="Kontroll.")
    export = tenant_export_create(tenant=tenant, acting_user=coordinator)

    restored = restore_check(path=Path(export.path), manifest=export.manifest)

    assert restored == export.manifest["row_counts"]
    assert restored["accounts_user"] == 3


def test_console_lifecycle_actions_record_reason_and_refuse_with_a_message(db, central, ystad):
    make_user(central, email="nc-console-life@example.se", role=User.Role.NATIONAL_COORDINATOR)
    client = logged_in_client(central, "nc-console-life@example.se")

    refused = client.post(f"/konsol/instanser/{ystad.pk}/reactivate/", {"reason": "x"}, follow=True)
    client.post(f"/konsol/instanser/{ystad.pk}/suspend/", {"reason": "Paus i sommar."})

    assert "bara en pausad instans" in refused.content.decode()
    ystad.refresh_from_db()
    assert ystad.status == Tenant.Status.SUSPENDED
    assert ystad.events.get(kind="suspended").reason == "Paus i sommar."
