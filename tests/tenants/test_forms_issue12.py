"""Defects a new user met (issue 12) on the central site: every error of the application at once, a company's
organisationsnummer refused everywhere with the reason, phone numbers and text lengths checked, each error
printed once per place, and the provisioning job's details and durations readable."""

import re
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.template.loader import render_to_string
from django.utils import timezone

from api.onboarding import ApplicationThrottle
from modules.accounts.models import User
from tenants.models import Tenant
from tenants.onboarding.models import Application
from tenants.provisioning.models import ProvisioningJob, ProvisioningStep
from tenants.services import TenantError, tenant_create
from tests.factories import client_for, logged_in_client, make_user
from tests.tenants.test_onboarding_applications import GOOD, _submit

COMPANY = "556677-8899"  # a valid check digit, but group 5: an aktiebolag


@pytest.fixture(autouse=True)
def _application_throttle_reset():
    """These tests post many applications from one address: give the rest of the session its own 20 an hour."""
    yield
    throttle = ApplicationThrottle()
    throttle.cache.delete(throttle.cache_format % {"scope": throttle.scope, "ident": "127.0.0.1"})


def _errors_of(page: str, field: str) -> list[str]:
    match = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', page, re.S)
    return re.findall(r"<li>(.*?)</li>", match.group(1), re.S) if match else []


def test_application_form_shows_every_error_in_one_round(db, central):
    # Before: the required fields were reported first, the service's rules only on the next submit.
    response = client_for(central).post(
        "/ansok/",
        {
            **GOOD,
            "organisation_name": "",
            "organisation_number": "",
            "contact_email": "",
            "subdomain": "www",
            "contact_phone": "abc",
        },
    )

    page = response.content.decode()
    assert response.status_code == 400
    # An empty field is told what to enter, not only that it is required.
    assert _errors_of(page, "organisation_name") == ["Ange organisationens namn, t.ex. Ystads kommun."]
    assert _errors_of(page, "organisation_number") == ["Ange organisationsnumret, tio siffror, t.ex. 212000-1173."]
    assert "Ange en giltig e-postadress" in " ".join(_errors_of(page, "contact_email"))
    assert "är reserverad" in " ".join(_errors_of(page, "subdomain"))
    assert "telefonnummer" in " ".join(_errors_of(page, "contact_phone"))
    summary = re.search(r'<div class="error-summary".*?</div>', page, re.S).group(0)
    for field in ("organisation_name", "contact_email", "subdomain", "contact_phone"):
        assert f'href="#id_{field}"' in summary
    assert not Application.objects.exists()


def test_a_company_number_is_refused_for_a_municipality_with_the_reason_and_holds_no_subdomain(db, central):
    form = client_for(central).post("/ansok/", {**GOOD, "organisation_number": COMPANY})
    api = client_for(central).post(
        "/api/applications/", {**GOOD, "organisation_number": COMPANY}, content_type="application/json"
    )

    assert form.status_code == 400
    assert "Kommuner och regioner har organisationsnummer som börjar på 2" in " ".join(
        _errors_of(form.content.decode(), "organisation_number")
    )
    assert api.status_code == 400
    assert "börjar på 2" in api.json()["errors"]["organisation_number"][0]
    assert not Application.objects.exists()  # the subdomain is not held by a bogus application
    assert _submit(organisation_number="232100-0180").status == Application.Status.SUBMITTED  # a region


def test_tenant_create_uses_the_same_organisation_number_check(db, central):
    with pytest.raises(TenantError, match="börjar på 2"):
        tenant_create(
            name="Bolaget AB", kind="municipality", organisation_number=COMPANY, county="M", subdomain="bolaget"
        )
    with pytest.raises(CommandError, match="börjar på 2"):
        call_command(
            "tenant_create",
            "--name=Bolaget AB",
            "--kind=municipality",
            f"--organisation-number={COMPANY}",
            "--county=M",
            "--subdomain=bolaget",
        )
    assert not Tenant.objects.filter(name="Bolaget AB").exists()


@pytest.mark.parametrize(
    ("phone", "accepted"),
    [
        ("abc", False),
        ("1" * 100, False),
        ("12345", False),
        ("070-123 45 67; DROP", False),
        ("0591-640 00", True),
        ("+46 (0)70 123 45 67", True),
        ("+47 22 12 34 56", True),
    ],
)
def test_application_phone_numbers_are_checked(db, central, phone, accepted):
    response = client_for(central).post("/ansok/", {**GOOD, "contact_phone": phone})
    api = client_for(central).post(
        "/api/applications/",
        {**GOOD, "subdomain": "hallefors2", "contact_phone": phone},
        content_type="application/json",
    )

    if accepted:
        assert response.status_code == 302, _errors_of(response.content.decode(), "contact_phone")
    else:
        assert response.status_code == 400
        assert "telefonnummer" in " ".join(_errors_of(response.content.decode(), "contact_phone"))
        assert api.status_code == 400 and "contact_phone" in api.json()["errors"]


def test_overlong_text_is_refused_with_a_message(db, central):
    response = client_for(central).post("/ansok/", {**GOOD, "organisation_name": "Å" * 201, "contact_name": "x" * 5000})

    page = response.content.decode()
    assert response.status_code == 400
    assert "högst 200 tecken" in " ".join(_errors_of(page, "organisation_name")) or "som mest 200 tecken" in " ".join(
        _errors_of(page, "organisation_name")
    )
    assert _errors_of(page, "contact_name")
    assert not Application.objects.exists()


def test_reject_without_reason_says_so_once_beside_the_field_and_once_in_the_summary(db, central):
    make_user(central, email="nc-issue12@example.se", role=User.Role.NATIONAL_COORDINATOR)
    application = _submit()

    response = logged_in_client(central, "nc-issue12@example.se").post(
        f"/konsol/ansokningar/{application.pk}/", {"decision": "reject", "reason": ""}
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert _errors_of(page, "reason") == ["Ange ett skäl till avslaget; det skickas till den sökande."]
    assert page.count("Ange ett skäl till avslaget") == 2  # the field's message and its link in the summary


def test_agreement_errors_are_printed_once(db, ystad):
    make_user(ystad, email="admin-issue12@ystad.se", role=User.Role.LOCAL_ADMIN)

    response = logged_in_client(ystad, "admin-issue12@ystad.se").post(
        "/inforande/", {"action": "agreement", "signed_on": "2020-01-01", "parties": ["kommun"]}
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert page.count("Ange minst en undertecknare med namn och roll.") == 1


def test_provisioning_job_shows_readable_details_and_the_latest_attempts_duration(db, central, rf):
    tenant = Tenant.objects.exclude(kind=Tenant.Kind.CENTRAL).first()
    now = timezone.now()
    job = ProvisioningJob.objects.create(
        tenant=tenant,
        subdomain="x",
        status=ProvisioningJob.Status.SUCCEEDED,
        attempts=2,
        started_at=now - timedelta(seconds=3, milliseconds=400),
        finished_at=now,
    )
    ProvisioningStep.objects.create(
        job=job,
        position=1,
        name=ProvisioningStep.Name.CREATE_SCHEMA,
        state=ProvisioningStep.State.DONE,
        detail={"schema": "t_x", "method": "template", "already_present": False},
        duration_ms=731107,
        attempts=2,
    )
    make_user(central, email="nc-job@example.se", role=User.Role.NATIONAL_COORDINATOR)

    page = logged_in_client(central, "nc-job@example.se").get(f"/konsol/instanser/{tenant.pk}/").content.decode()

    assert "{'" not in page and "&#x27;schema&#x27;" not in page  # no Python dict
    assert "<dt>Schema</dt><dd>t_x</dd>" in page and "<dt>Fanns redan</dt><dd>nej</dd>" in page
    assert " ms" not in page
    assert "12 min 11 s" in page  # the step
    assert "3,4 s" in page  # the job's latest attempt


def test_counts_use_singular_and_plural(db):
    one = render_to_string("onboarding/_progress.html", {"view": {"tenant": None, "done": 0, "total": 1, "percent": 0}})
    many = render_to_string(
        "onboarding/_progress.html", {"view": {"tenant": None, "done": 1, "total": 2, "percent": 50}}
    )

    assert "0 av 1 punkt klar" in one and "punkter" not in one
    assert "1 av 2 punkter klara" in many


def test_a_quiz_of_one_question_is_not_called_all_1_questions(db):
    from modules.training.models import Lesson
    from modules.training.services import TrainingError, lesson_quiz_submit

    one = Lesson(quiz={"pass_mark": 1, "questions": [{"text": {}, "options": [{}, {}], "correct": 0}]})
    with pytest.raises(TrainingError) as refused:
        lesson_quiz_submit(user=None, lesson=one, answers=[])

    assert refused.value.messages == ["Svara på frågan."]
