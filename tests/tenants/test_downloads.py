"""The signed överenskommelse and a verified archive export can be downloaded by those entitled, each download
recorded as a tenant event; everyone else gets 403 or 404."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from modules.accounts.models import User
from tenants.models import TenantEvent, TenantExport
from tenants.onboarding.services import agreement_save
from tests.factories import client_for, logged_in_client, make_user

PDF = b"%PDF-1.4\n% signed agreement\n%%EOF\n"
DUMP = b"-- PostgreSQL database dump\nCREATE TABLE t_ystad.x ();\n"


@pytest.fixture
def signed(ystad, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    agreement_save(
        tenant=ystad,
        parties=["kommun", "polis"],
        signed_on=datetime.date(2026, 10, 1),
        signatories=[{"name": "Karin Kommunsson", "role": "Kommundirektör", "party": "kommun"}],
        document=SimpleUploadedFile("Karin Kommunssons avtal.pdf", PDF, content_type="application/pdf"),
        actor_name="Test",
    )
    return ystad


@pytest.fixture
def admin(ystad):
    return make_user(ystad, email="admin-download@ystad.example.se", role=User.Role.LOCAL_ADMIN)


@pytest.fixture
def coordinator(central):
    return make_user(central, email="nc-download@example.se", role=User.Role.NATIONAL_COORDINATOR)


@pytest.fixture
def export(ystad, settings, tmp_path):
    settings.TENANT_EXPORT_DIR = str(tmp_path / "exports")
    path = tmp_path / "exports" / str(ystad.pk) / "t_ystad-20261204T120000.sql"
    path.parent.mkdir(parents=True)
    path.write_bytes(DUMP)
    return TenantExport.objects.create(
        tenant=ystad, path=str(path), size_bytes=len(DUMP), sha256="0" * 64, verified_at=timezone.now()
    )


def _downloads(tenant, kind):
    connection.set_schema_to_public()
    return list(TenantEvent.objects.filter(tenant=tenant, kind=kind).values_list("actor_name", flat=True))


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_local_admin_downloads_the_agreement_from_the_checklist(signed, admin):
    client = logged_in_client(signed, admin.email)
    page = client.get("/inforande/").content.decode()
    assert 'href="/inforande/overenskommelse/"' in page

    response = client.get("/inforande/overenskommelse/")

    assert response.status_code == 200
    assert _body(response) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="overenskommelse-t_ystad-2026-10-01.pdf"'
    assert response["Cache-Control"] == "no-store"
    (who,) = _downloads(signed, TenantEvent.Kind.AGREEMENT_DOWNLOADED)
    assert admin.email in who


def test_a_national_coordinator_downloads_the_agreement_from_the_console(signed, central, coordinator):
    client = logged_in_client(central, coordinator.email)
    page = client.get(f"/konsol/instanser/{signed.pk}/").content.decode()
    assert f'href="/konsol/instanser/{signed.pk}/overenskommelse/"' in page

    response = client.get(f"/konsol/instanser/{signed.pk}/overenskommelse/")

    assert response.status_code == 200
    assert _body(response) == PDF
    assert response["Content-Type"] == "application/pdf"
    event = TenantEvent.objects.get(tenant=signed, kind=TenantEvent.Kind.AGREEMENT_DOWNLOADED)
    assert event.actor == coordinator


def test_others_cannot_download_the_agreement(signed, admin):
    # A staff member and a process lead of the tenant: 403; signed out: to the login page.
    for role in (User.Role.STAFF, User.Role.PROCESS_LEAD):
        user = make_user(signed, email=f"{role}-download@ystad.example.se", role=role)
        assert logged_in_client(signed, user.email).get("/inforande/overenskommelse/").status_code == 403
    assert client_for(signed).get("/inforande/overenskommelse/").status_code == 302
    # The tenant's local admin is no national coordinator: the console refuses.
    assert logged_in_client(signed, admin.email).get(f"/konsol/instanser/{signed.pk}/overenskommelse/").status_code in (
        403,
        404,
    )
    assert _downloads(signed, TenantEvent.Kind.AGREEMENT_DOWNLOADED) == []


def test_no_uploaded_agreement_is_a_404(ystad, admin, central, coordinator):
    assert logged_in_client(ystad, admin.email).get("/inforande/overenskommelse/").status_code == 404
    assert (
        logged_in_client(central, coordinator.email).get(f"/konsol/instanser/{ystad.pk}/overenskommelse/").status_code
        == 404
    )


def test_a_national_coordinator_downloads_a_verified_export(export, central, coordinator):
    client = logged_in_client(central, coordinator.email)
    page = client.get(f"/konsol/instanser/{export.tenant_id}/").content.decode()
    url = f"/konsol/instanser/{export.tenant_id}/exporter/{export.pk}/"
    assert f'href="{url}"' in page

    response = client.get(url)

    assert response.status_code == 200
    assert _body(response) == DUMP
    assert response["Content-Type"] == "application/sql"
    assert response["Content-Disposition"] == 'attachment; filename="t_ystad-20261204T120000.sql"'
    event = TenantEvent.objects.get(tenant_id=export.tenant_id, kind=TenantEvent.Kind.EXPORT_DOWNLOADED)
    assert (event.actor, event.detail["export_id"]) == (coordinator, export.pk)


def test_an_export_is_refused_to_others_and_when_unverified_or_elsewhere(export, central, coordinator, tmp_path):
    url = f"/konsol/instanser/{export.tenant_id}/exporter/{export.pk}/"
    editor = make_user(central, email="editor-download@example.se", role=User.Role.CONTENT_EDITOR)
    assert logged_in_client(central, editor.email).get(url).status_code == 403
    assert client_for(export.tenant).get(url).status_code in (403, 404)  # not on a tenant's site

    coordinator_client = logged_in_client(central, coordinator.email)
    assert (
        coordinator_client.get(f"/konsol/instanser/{export.tenant_id + 999}/exporter/{export.pk}/").status_code == 404
    )
    TenantExport.objects.filter(pk=export.pk).update(verified_at=None)
    assert coordinator_client.get(url).status_code == 404
    outside = tmp_path / "elsewhere.sql"
    outside.write_bytes(DUMP)
    TenantExport.objects.filter(pk=export.pk).update(verified_at=timezone.now(), path=str(outside))
    assert coordinator_client.get(url).status_code == 404
    assert _downloads(export.tenant, TenantEvent.Kind.EXPORT_DOWNLOADED) == []
