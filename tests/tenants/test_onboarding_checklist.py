"""The onboarding checklist: item states, the signed agreement upload, progress, go-live moves to active."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django_tenants.utils import tenant_context

from modules.accounts.models import User
from modules.accounts.services import user_create
from tenants.models import Tenant, TenantEvent
from tenants.onboarding.selectors import ITEM_FACTS, checklist_view
from tenants.onboarding.services import (
    ApplicationError,
    agreement_save,
    application_approve,
    application_submit,
    checklist_item_set,
    checklist_plan_go_live,
    tenant_go_live,
)
from tenants.provisioning.services import provisioning_job_run
from tenants.services import TenantError
from tests.factories import logged_in_client, make_user

PDF = b"%PDF-1.4\n% signed agreement\n%%EOF\n"
SIGNATORIES = [
    {"name": "Karin Kommunsson", "role": "Kommundirektör", "party": "kommun"},
    {"name": "Rolf Regionsson", "role": "Regiondirektör", "party": "region"},
    {"name": "Pia Polis", "role": "Lokalpolisområdeschef", "party": "polis"},
]


@pytest.fixture
def onboarding_tenant(db, central, schema_template):
    coordinator = make_user(central, email="nc-check@example.se", role=User.Role.NATIONAL_COORDINATOR)
    application = application_submit(
        organisation_name="Nora kommun",
        organisation_number="212000-1918",
        kind="municipality",
        county="T",
        subdomain="nora",
        contact_name="Nils",
        contact_email="nils@nora.example.se",
        partners=["kommun", "region", "polis"],
    )
    tenant = application_approve(application=application, acting_user=coordinator).tenant
    provisioning_job_run(job=tenant.provisioning_jobs.get())
    tenant.refresh_from_db()
    return tenant


def _pdf(content=PDF, name="avtal.pdf", content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def _sign(tenant, **overrides):
    values = {
        "tenant": tenant,
        "parties": ["kommun", "region", "polis"],
        "signed_on": datetime.date(2026, 10, 1),
        "signatories": SIGNATORIES,
        "document": _pdf(),
        "actor_name": "Nils",
    }
    return agreement_save(**{**values, **overrides})


def test_new_tenant_starts_with_an_empty_checklist_and_progress_rises_item_by_item(
    onboarding_tenant, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    assert checklist_view(tenant=onboarding_tenant).percent == 0

    _sign(onboarding_tenant)
    checklist_item_set(tenant=onboarding_tenant, key="training", state="done", actor_name="Nils")

    view = checklist_view(tenant=onboarding_tenant)
    assert {item.key: item.state for item in view.items}["agreement"] == "done"
    assert (view.done, view.total, view.percent) == (2, 6, 33)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"document": _pdf(b"GIF89a....", "avtal.gif", "image/gif")}, "document", "som PDF"),
        ({"document": _pdf(PDF + b"x" * 2048)}, "document", "för stor"),
        ({"signatories": [{"name": "Karin", "role": "", "party": "kommun"}]}, "signatories", "både namn och roll"),
        ({"signatories": []}, "signatories", "minst en undertecknare"),
        ({"parties": ["kommun"]}, "signatories", "en av överenskommelsens parter"),
        ({"signed_on": datetime.date(2099, 1, 1)}, "signed_on", "framtiden"),
    ],
)
def test_bad_agreement_is_refused_precisely(onboarding_tenant, settings, tmp_path, overrides, field, message):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.AGREEMENT_MAX_BYTES = 1024

    with pytest.raises(ApplicationError) as refused:
        _sign(onboarding_tenant, **overrides)

    assert message in " ".join(refused.value.message_dict[field])


def test_staff_item_follows_the_accounts_in_the_tenant(onboarding_tenant):
    with tenant_context(onboarding_tenant):
        user_create(email="larare@nora.example.se", full_name="Lärare", role=User.Role.STAFF)
    connection.set_schema_to_public()

    states = {item.key: item for item in checklist_view(tenant=onboarding_tenant).items}

    assert states["staff"].state == "done"
    assert states["staff"].automatic
    with pytest.raises(TenantError, match="ändras inte för hand"):
        checklist_item_set(tenant=onboarding_tenant, key="staff", state="todo")


def test_module_facts_decide_an_item(onboarding_tenant, monkeypatch):
    monkeypatch.setitem(ITEM_FACTS, "release", lambda: ("done", "2026.1 införd"))
    item = next(i for i in checklist_view(tenant=onboarding_tenant).items if i.key == "release")

    assert (item.state, item.note, item.automatic) == ("done", "2026.1 införd", True)


def test_go_live_is_refused_until_every_item_is_done_then_the_tenant_is_active(onboarding_tenant, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    with pytest.raises(TenantError, match="Kvar: Undertecknad överenskommelse"):
        tenant_go_live(tenant=onboarding_tenant)

    _sign(onboarding_tenant)
    for key in ("organisations", "training", "release"):
        checklist_item_set(tenant=onboarding_tenant, key=key, state="done", actor_name="Nils")
    with tenant_context(onboarding_tenant):
        user_create(email="s@nora.example.se", full_name="S", role=User.Role.STAFF)
    connection.set_schema_to_public()
    checklist_plan_go_live(tenant=onboarding_tenant, planned_go_live=datetime.date(2026, 12, 1))
    tenant = tenant_go_live(tenant=onboarding_tenant, actual_go_live=datetime.date(2026, 11, 30))

    assert tenant.status == Tenant.Status.ACTIVE
    view = checklist_view(tenant=tenant)
    assert view.percent == 100
    assert view.checklist.actual_go_live == datetime.date(2026, 11, 30)
    assert tenant.events.filter(kind=TenantEvent.Kind.WENT_LIVE).exists()


def test_local_admin_sees_and_updates_the_checklist_on_the_tenant_site(onboarding_tenant):
    make_user(onboarding_tenant, email="admin@nora.example.se", role=User.Role.LOCAL_ADMIN)
    client = logged_in_client(onboarding_tenant, "admin@nora.example.se")

    client.post("/inforande/", {"action": "item", "key": "training", "state": "in_progress", "note": "Hälften klara"})
    page = client.get("/inforande/").content.decode()
    connection.set_schema_to_public()

    assert "<progress" in page
    assert "Hälften klara" in page
    assert "admin@nora.example.se" in onboarding_tenant.events.get(kind="checklist_updated").actor_name


def test_staff_member_may_not_see_the_checklist(onboarding_tenant):
    make_user(onboarding_tenant, email="staff@nora.example.se", role=User.Role.STAFF)
    client = logged_in_client(onboarding_tenant, "staff@nora.example.se")

    assert client.get("/inforande/").status_code == 403


def test_agreement_upload_through_the_page_shows_field_errors(onboarding_tenant, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    make_user(onboarding_tenant, email="admin2@nora.example.se", role=User.Role.LOCAL_ADMIN)
    client = logged_in_client(onboarding_tenant, "admin2@nora.example.se")

    response = client.post(
        "/inforande/",
        {
            "action": "agreement",
            "parties": ["kommun"],
            "signed_on": "2026-10-01",
            "signatory_1_name": "Karin",
            "signatory_1_role": "Kommundirektör",
            "signatory_1_party": "kommun",
            "document": _pdf(b"not a pdf", "avtal.txt", "text/plain"),
        },
    )

    assert response.status_code == 400
    assert "som PDF" in response.content.decode()
