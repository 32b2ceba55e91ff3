"""Authoring the model in a real browser, with no JSON: a content editor adds a guiding question with the row
editor (its script adds and moves the row), writes a lesson with a quiz, previews both, and proposes a release;
a national coordinator (another person) approves and publishes it; a Barnkontakt in Ystad meets the question in
an assessment and a colleague passes the quiz. Every editor page is checked with axe-core."""

from django.db import connection
from django_tenants.utils import schema_context

from modules.accounts.models import User
from modules.model_config.models import InstalledRelease, ModelItem
from modules.model_config.services import model_drafts_load_defaults
from modules.training.models import Course, LessonProgress
from modules.training.services import course_drafts_load_defaults
from tenants.releases import services as release_services
from tenants.releases.models import Release, ReleaseEvent, ReleaseProposal, Rollout
from tenants.releases.services import release_install, release_publish
from tests.e2e.test_casework_journey import axe_serious, committed_world, sign_in  # noqa: F401 - committed_world is a fixture
from tests.factories import TEST_PASSWORD, demo_tenant

QUESTION_SV = "Har barnet någon att leka med efter skolan?"
QUESTION_EN = "Does the child have someone to play with after school?"


def test_editor_authors_a_question_and_a_quiz_a_coordinator_publishes_and_staff_use_them(
    live_site, page, monkeypatch, request
):
    world = request.getfixturevalue("committed_world")  # the casework journey's Ystad, imported above
    central, ystad_site = live_site("localhost"), live_site("ystad.localhost")
    ystad = demo_tenant("ystad")
    # The rollout's installs are done by hand below, into Ystad only (the other demo tenants stay as they are).
    monkeypatch.setattr(release_services, "_send_install_tasks", lambda pairs: None)
    connection.set_schema_to_public()
    editor = User.objects.create_user(
        email="e2e-forfattare@backabarnet.example.se", password=TEST_PASSWORD, full_name="Rita Redaktör",
        role=User.Role.CONTENT_EDITOR,
    )  # fmt: skip
    coordinator = User.objects.create_user(
        email="e2e-granskare@backabarnet.example.se", password=TEST_PASSWORD, full_name="Sam Samordnare",
        role=User.Role.NATIONAL_COORDINATOR,
    )  # fmt: skip
    versions_before = set(Release.objects.values_list("version", flat=True))
    violations = {}
    try:
        model_drafts_load_defaults()
        course_drafts_load_defaults()
        release_publish(notes="Utgångsläget", start_rollout=False)  # what the diff is read against
        area = ModelItem.objects.get(release__isnull=True, kind="areas", key="fritid")

        # The editor adds a third guiding question and moves it to the top, both languages in one row.
        sign_in(page, central, editor.email)
        page.goto(f"{central}/content/items/{area.pk}/")
        violations["område"] = axe_serious(page)
        page.get_by_role("button", name="Lägg till fråga").click()
        # The page holds two questions and one blank row to fill without scripts; the script adds a fourth.
        page.locator("#id_guiding_questions-2-question_sv").fill(QUESTION_SV)
        page.locator("#id_guiding_questions-2-question_en").fill(QUESTION_EN)
        row = page.locator("[data-row]").nth(2)
        row.get_by_role("button", name="Flytta upp").click()
        page.locator("[data-row]").nth(1).get_by_role("button", name="Flytta upp").click()
        page.get_by_role("button", name="Spara utkast").click()
        assert "Utkastet är sparat" in page.content()
        area.refresh_from_db()
        assert area.details["guiding_questions"][0] == {"sv": QUESTION_SV, "en": QUESTION_EN}
        assert len(area.details["guiding_questions"]) == 3
        english_preview = page.locator('section[lang="en"]').inner_text()
        assert QUESTION_EN in english_preview and "Active: rating" in english_preview

        # A lesson with a quiz: the question, its options, the right answer and an explanation.
        course = Course.objects.get(release__isnull=True, key="introduktion")
        page.goto(f"{central}/content/courses/{course.pk}/lessons/new/")
        page.get_by_label("Nyckel").fill("lek")
        page.get_by_label("Titel (svenska)").fill("Lek och fritid")
        page.get_by_label("Titel (engelska)").fill("Play and free time")
        page.get_by_label("Innehåll (svenska, Markdown)").fill("Leken är barnets arbete.")
        page.get_by_label("Innehåll (engelska, Markdown)").fill("Play is the child's work.")
        page.get_by_label("Godkäntgräns (antal rätta svar)").fill("1")
        page.locator("#id_questions-0-text_sv").fill("Varför frågar vi om fritiden?")
        page.locator("#id_questions-0-text_en").fill("Why do we ask about free time?")
        page.locator("#id_questions-0-option_1_sv").fill("Den säger mycket om barnets vardag")
        page.locator("#id_questions-0-option_1_en").fill("It tells a lot about the child's everyday life")
        page.locator("#id_questions-0-option_2_sv").fill("Den spelar ingen roll")
        page.locator("#id_questions-0-option_2_en").fill("It does not matter")
        page.locator("#id_questions-0-correct_0").check()
        page.locator("#id_questions-0-explanation_sv").fill("Fritiden visar tillhörighet och hälsa.")
        page.locator("#id_questions-0-explanation_en").fill("Free time shows belonging and health.")
        page.get_by_role("button", name="Spara lektionen").click()
        assert "Lektionen är sparad" in page.content()
        violations["lektion"] = axe_serious(page)
        assert "Why do we ask about free time?" in page.locator('section[lang="en"]').inner_text()

        # The diff in words, then the proposal.
        page.goto(f"{central}/content/preview/")
        assert "Fritid › Vägledande frågor › fråga 1 (svenska): ändrad" in page.content()
        violations["förhandsgranskning"] = axe_serious(page)
        page.get_by_label("Releaseanteckningar").fill("En ny fråga om fritiden och en lektion om lek.")
        page.get_by_role("button", name="Föreslå release för granskning").click()
        proposal_url = page.url
        assert "Du föreslog releasen själv" in page.content()

        # Another person, a national coordinator, approves and publishes.
        sign_in(page, central, coordinator.email)
        page.goto(proposal_url)
        violations["granskning"] = axe_serious(page)
        page.get_by_role("button", name="Godkänn").click()
        assert "Förslaget är godkänt" in page.content()
        release = Release.objects.exclude(version__in=versions_before).order_by("-version").first()
        assert (release.proposed_by_id, release.published_by_id) == (editor.pk, coordinator.pk)
        release_install(tenant=ystad, release=release, make_current=True)

        # In Ystad: the Barnkontakt meets the new question in an assessment; a colleague passes the quiz.
        sign_in(page, ystad_site, world.contact.email)
        # The assessment is in steps; the area's guiding questions are shown beside it on its step.
        beside_fritid = []
        for step in range(1, 6):
            page.goto(f"{ystad_site}/barn/{world.child.pk}/bedomning/?steg={step}")
            aside = page.locator('aside[aria-labelledby="questions-fritid"]')
            if aside.count():
                beside_fritid.append(aside.inner_text())
        assert any(QUESTION_SV in text for text in beside_fritid)
        page.goto(f"{ystad_site}/training/introduktion/lek/")
        page.get_by_label("Den säger mycket om barnets vardag").check()
        page.get_by_role("button", name="Skicka svar").click()
        assert "Godkänt! Lektionen är klar." in page.content()
        assert "Fritiden visar tillhörighet och hälsa." in page.content()
        assert violations == {name: [] for name in violations}, violations
    finally:
        connection.set_schema_to_public()
        with schema_context(ystad.schema_name):
            LessonProgress.objects.filter(user=world.contact).delete()
            InstalledRelease.objects.exclude(version=900).delete()
            InstalledRelease.objects.filter(version=900).update(is_current=True)
        ReleaseEvent.objects.all().delete()
        ReleaseProposal.objects.all().delete()
        Rollout.objects.exclude(release__version__in=versions_before).delete()
        Release.objects.exclude(version__in=versions_before).delete()
        ModelItem.objects.filter(release__isnull=True).delete()
        Course.objects.filter(release__isnull=True).delete()
        User.objects.filter(pk__in=[editor.pk, coordinator.pk]).delete()
