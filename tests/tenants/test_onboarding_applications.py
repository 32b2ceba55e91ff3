"""Applying to join: every validation rule with its precise Swedish message, receipt, decisions as events."""

import pytest
from django.core import mail

from modules.accounts.models import User
from tenants.models import Tenant, TenantEvent
from tenants.onboarding.models import Application
from tenants.onboarding.services import ApplicationError, application_approve, application_reject, application_submit
from tenants.services import TenantError
from tests.factories import client_for, logged_in_client, make_user

GOOD = {
    "organisation_name": "Hällefors kommun",
    "organisation_number": "212000-1918",
    "kind": "municipality",
    "county": "T",
    "subdomain": "hallefors",
    "contact_name": "Hanna Hällström",
    "contact_email": "hanna@hallefors.example.se",
    "contact_phone": "0591-640 00",
    "partners": ["kommun", "region", "polis"],
}


def _submit(**overrides):
    return application_submit(**{**GOOD, **overrides})


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"organisation_number": "212000-1919"}, "organisation_number", "rätt kontrollsiffra"),
        ({"organisation_number": "21200"}, "organisation_number", "Ogiltigt organisationsnummer"),
        ({"organisation_number": "212000-1173"}, "organisation_number", "redan anslutet"),
        ({"subdomain": "Hallefors"}, "subdomain", "bara innehålla gemener: skriv hallefors"),
        ({"subdomain": "-hallefors"}, "subdomain", "Ogiltig subdomän"),
        ({"subdomain": "hälle"}, "subdomain", "Ogiltig subdomän"),
        ({"subdomain": "a" * 62}, "subdomain", "högst 61 tecken lång (den är 62)"),
        ({"subdomain": "www"}, "subdomain", "är reserverad"),
        ({"subdomain": "api"}, "subdomain", "är reserverad"),
        ({"subdomain": "admin"}, "subdomain", "är reserverad"),
        ({"subdomain": "static"}, "subdomain", "är reserverad"),
        ({"subdomain": "ystad"}, "subdomain", "är redan tagen"),
        ({"kind": "central"}, "kind", "kommun eller region"),
        ({"county": "QQ"}, "county", "21 län"),
        ({"contact_email": "inte-en-adress"}, "contact_email", "giltig e-postadress"),
        ({"partners": []}, "partners", "minst en samverkanspart"),
        ({"contact_name": " "}, "contact_name", "kontaktpersonens namn"),
    ],
)
def test_each_bad_input_is_refused_beside_its_field_and_nothing_is_stored(db, overrides, field, message):
    with pytest.raises(ApplicationError) as refused:
        _submit(**overrides)

    assert message in " ".join(refused.value.message_dict[field])
    assert not Application.objects.filter(organisation_name="Hällefors kommun").exists()


def test_second_application_for_the_same_organisation_is_refused_with_the_date_of_the_first(db):
    _submit()

    with pytest.raises(ApplicationError) as refused:
        _submit(subdomain="hallefors2", organisation_number="2120001918")

    assert "Det finns redan en ansökan för organisationsnummer 212000-1918, inkommen" in " ".join(
        refused.value.message_dict["organisation_number"]
    )


def test_subdomain_already_applied_for_by_another_organisation_is_refused(db):
    _submit()

    with pytest.raises(ApplicationError) as refused:
        _submit(organisation_number="212000-2411", organisation_name="Nora kommun")

    assert "redan sökt" in " ".join(refused.value.message_dict["subdomain"])


def test_rejected_organisation_may_apply_again(db, central):
    coordinator = make_user(central, email="nc-again@example.se", role=User.Role.NATIONAL_COORDINATOR)
    application_reject(application=_submit(), acting_user=coordinator, reason="Överenskommelsen saknas.")

    assert _submit().status == Application.Status.SUBMITTED


def test_applicant_gets_a_receipt_page_and_an_email(db, central, django_capture_on_commit_callbacks):
    client = client_for(central)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/ansok/", {**GOOD}, follow=True)

    assert response.status_code == 200
    assert "Tack, ansökan är mottagen" in response.content.decode()
    assert "hallefors" in response.content.decode()
    assert [message.to for message in mail.outbox] == [["hanna@hallefors.example.se"]]
    assert "Ärendenummer" in mail.outbox[0].body


def test_receipt_is_shown_only_to_the_browser_that_applied(db, central):
    application = _submit()

    response = client_for(central).get(f"/ansok/kvitto/{application.pk}/")

    assert response.status_code == 403


def test_form_shows_errors_tied_to_their_fields(db, central):
    response = client_for(central).post("/ansok/", {**GOOD, "organisation_number": "212000-1919", "subdomain": "www"})

    page = response.content.decode()
    assert response.status_code == 400
    # The error's id is the one the input names in aria-describedby (checked in a browser in tests/e2e).
    assert 'id="id_organisation_number_error"' in page
    assert 'aria-describedby="id_organisation_number_helptext id_organisation_number_error"' in page
    assert "rätt kontrollsiffra" in page
    assert "är reserverad" in page


def test_api_application_gets_precise_field_errors_and_201_when_valid(db, central):
    client = client_for(central)

    bad = client.post("/api/applications/", {**GOOD, "subdomain": "admin"}, content_type="application/json")
    good = client.post("/api/applications/", GOOD, content_type="application/json")

    assert bad.status_code == 400
    assert "är reserverad" in bad.json()["errors"]["subdomain"][0]
    assert good.status_code == 201
    assert good.json()["organisation_number"] == "212000-1918"


def test_rejection_needs_a_reason_and_is_recorded_as_an_event_with_who_and_why(db, central):
    coordinator = make_user(central, email="nc-reject@example.se", role=User.Role.NATIONAL_COORDINATOR)
    application = _submit()

    with pytest.raises(TenantError, match="Ange ett skäl"):
        application_reject(application=application, acting_user=coordinator, reason=" ")
    application_reject(application=application, acting_user=coordinator, reason="Ingen samverkan med polisen ännu.")

    event = TenantEvent.objects.get(application=application, kind=TenantEvent.Kind.APPLICATION_REJECTED)
    assert event.actor == coordinator
    assert event.reason == "Ingen samverkan med polisen ännu."
    assert event.tenant is None
    assert not Tenant.objects.filter(organisation_number="212000-1918").exists()


def test_decided_application_cannot_be_decided_again(db, central):
    coordinator = make_user(central, email="nc-twice@example.se", role=User.Role.NATIONAL_COORDINATOR)
    application = application_reject(application=_submit(), acting_user=coordinator, reason="Nej.")

    with pytest.raises(TenantError, match="redan beslutad"):
        application_approve(application=application, acting_user=coordinator)


def test_approval_registers_an_unreachable_tenant_and_queues_provisioning(db, central):
    coordinator = make_user(central, email="nc-approve@example.se", role=User.Role.NATIONAL_COORDINATOR)

    application = application_approve(application=_submit(), acting_user=coordinator, reason="Allt på plats.")

    tenant = application.tenant
    assert tenant.status == Tenant.Status.PROVISIONING
    assert tenant.provisioning_jobs.get().status == "pending"
    event = TenantEvent.objects.get(kind=TenantEvent.Kind.APPLICATION_APPROVED)
    assert (event.tenant, event.application, event.actor, event.reason) == (
        tenant,
        application,
        coordinator,
        "Allt på plats.",
    )


def test_coordinator_decides_in_the_console(db, central):
    make_user(central, email="nc-console@example.se", role=User.Role.NATIONAL_COORDINATOR)
    application = _submit()
    client = logged_in_client(central, "nc-console@example.se")

    queue = client.get("/konsol/ansokningar/")
    refused = client.post(f"/konsol/ansokningar/{application.pk}/", {"decision": "reject", "reason": ""})
    decided = client.post(f"/konsol/ansokningar/{application.pk}/", {"decision": "reject", "reason": "För tidigt."})

    assert "Hällefors kommun" in queue.content.decode()
    assert refused.status_code == 400
    assert "Ange ett skäl" in refused.content.decode()
    assert decided.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.REJECTED
