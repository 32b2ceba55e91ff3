"""E-mail goes out in the recipient's language, whoever's action sends it (a consent withdrawal once went to
Swedish staff in English because the Barnkontakt used the English UI)."""

from django.core import mail
from django.utils import translation
from django_tenants.utils import tenant_context

from modules.accounts.models import User
from tenants.onboarding.models import Application
from tenants.onboarding.services import application_reject, application_submit
from tests.factories import logged_in_client, make_user

SWEDISH_SUBJECT = "Ett samtycke har återkallats"
ENGLISH_SUBJECT = "A consent has been withdrawn"


def _withdraw_consent_as(world, client, django_capture_on_commit_callbacks):
    with tenant_context(world.tenant):
        consent = world.child.consents.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/barn/{world.child.pk}/samtycken/{consent.pk}/aterkalla/", {"reason": "Ångrat"})
    assert response.status_code == 302
    return {message.to[0]: message for message in mail.outbox}


def _choose_language(client, language: str) -> None:
    assert client.post("/i18n/setlang/", {"language": language, "next": "/"}).status_code == 302


def test_an_english_speaking_actor_sends_swedish_mail_to_swedish_recipients(world, django_capture_on_commit_callbacks):
    actor = logged_in_client(world.tenant, world.contact.email)
    _choose_language(actor, "en")
    assert "Children you work with" in actor.get("/barn/").content.decode()  # the actor's UI is English

    sent = _withdraw_consent_as(world, actor, django_capture_on_commit_callbacks)

    told = sent[world.team_region.email]
    assert told.subject == SWEDISH_SUBJECT
    assert "Åtkomst som vilade på samtycket har upphört" in told.body
    # The actor chose English, so their own copy is English.
    assert sent[world.contact.email].subject == ENGLISH_SUBJECT


def test_a_swedish_speaking_actor_sends_english_mail_to_a_recipient_who_chose_english(
    world, django_capture_on_commit_callbacks
):
    _choose_language(logged_in_client(world.tenant, world.team_region.email), "en")
    with tenant_context(world.tenant):
        assert User.objects.get(pk=world.team_region.pk).language == "en"

    sent = _withdraw_consent_as(
        world, logged_in_client(world.tenant, world.contact.email), django_capture_on_commit_callbacks
    )

    assert sent[world.team_region.email].subject == ENGLISH_SUBJECT
    assert "Access that rested on the consent has ended" in sent[world.team_region.email].body
    assert sent[world.contact.email].subject == SWEDISH_SUBJECT


def test_choosing_a_language_signed_out_sets_the_cookie_and_stores_nothing(world):
    client = logged_in_client(world.tenant, world.contact.email)
    client.post("/logout/")
    _choose_language(client, "en")
    assert client.cookies["django_language"].value == "en"
    with tenant_context(world.tenant):
        assert User.objects.get(pk=world.contact.pk).language == "sv"


def test_an_applicant_gets_the_decision_in_the_language_they_applied_in(central, django_capture_on_commit_callbacks):
    coordinator = make_user(central, email="nc-mail@example.se", role=User.Role.NATIONAL_COORDINATOR)
    application = {
        "organisation_name": "Hällefors kommun",
        "organisation_number": "212000-1918",
        "kind": "municipality",
        "county": "T",
        "subdomain": "hallefors",
        "contact_name": "Hanna Hällström",
        "contact_email": "hanna@hallefors.example.se",
        "partners": ["kommun"],
    }
    with django_capture_on_commit_callbacks(execute=True):
        submitted = application_submit(**application)  # in Swedish
    assert Application.objects.get(pk=submitted.pk).language == "sv"
    assert "Ärendenummer" in mail.outbox[-1].body

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        application_reject(application=submitted, acting_user=coordinator, reason="Ofullständig")
    assert mail.outbox[-1].subject == "Besked om er ansökan till Backa barnet"

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        english = application_submit(**application)
    assert english.language == "en"
    assert mail.outbox[-1].subject == "We have received your application to Backa barnet"
    assert "Reference number" in mail.outbox[-1].body
