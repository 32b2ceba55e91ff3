"""The journey from a concern to an evaluated plan in a real browser: an Upptäckare raises a concern, the
Barnkontakt acknowledges it and completes the Behovskompassen assessment with the keyboard only, starts
Barnets plan, and a Barnteam member from the region (there under consent) follows it up, follows the plan up
twice, revises it and records the guardian's agreement. Every page visited is checked with axe-core for serious
or critical violations."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import tenant_context

from modules.accounts.models import User
from modules.audit.models import AuditEntry
from modules.casework.models import Assessment, CaseClosure, Plan
from modules.children.models import Child
from modules.model_config.bundle import install as model_items_install
from modules.model_config.defaults import MODEL
from modules.model_config.models import InstalledRelease
from modules.organisations.models import Organisation
from tests.factories import browser_sign_in, build_world, demo_tenant

AXE = Path(__file__).parent / "vendor" / "axe.min.js"


def axe_serious(page) -> list[str]:
    # Evaluated through DevTools, not added as an inline <script>: the page's Content Security Policy refuses
    # inline scripts (tests/e2e/test_csp.py), and the check must not need the policy loosened.
    page.evaluate(AXE.read_text() + "\n;undefined")
    result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [f"{v['id']}: {v['help']}" for v in result if v["impact"] in ("serious", "critical")]


def sign_in(page, base, email):
    page.context.clear_cookies()
    browser_sign_in(page, base, email)  # password and the authenticator (enrolled at the first sign-in)
    page.wait_for_url(f"{base}/")


@pytest.fixture
def committed_world(committed_db):
    """A world in Ystad with the default model installed, committed for the server thread; removed after,
    audit entries included (the test database only: the append-only trigger is bypassed for the cleanup)."""
    ystad = demo_tenant("ystad")
    with tenant_context(ystad):
        last_entry = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        had_release = InstalledRelease.objects.exists()
        release = None
        if not had_release:
            release = InstalledRelease.objects.create(version=900, checksum="e2e", is_current=True)
            model_items_install(installed_release=release, model=MODEL)
    world = build_world(ystad, prefix="E2E ", child_name=("Ebba", "Ek"))
    try:
        yield world
    finally:
        connection.set_schema_to_public()
        with tenant_context(ystad):
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = replica")
                AuditEntry.objects.filter(pk__gt=last_entry).delete()
                cursor.execute("SET session_replication_role = DEFAULT")
            child = Child.objects.get(pk=world.child.pk)
            CaseClosure.objects.filter(child=child).delete()
            Plan.objects.filter(child=child).delete()
            Assessment.objects.filter(child=child).delete()
            child.team_members.all().delete()
            child.consents.all().delete()
            child.delete()
            users = [world.admin, world.process_lead, world.contact, world.coordinator, world.team_same_org,
                     world.team_region, world.raiser, world.outsider]  # fmt: skip
            User.objects.filter(pk__in=[user.pk for user in users]).delete()
            organisations = [world.municipality, world.region, world.police]
            for organisation in Organisation.objects.filter(pk__in=[o.pk for o in organisations]):
                organisation.units.all().delete()
                organisation.delete()
            if release is not None:
                release.delete()


def test_concern_to_evaluated_plan_by_barnkontakt_and_a_region_team_member(live_site, page, committed_world):
    world = committed_world
    base = live_site("ystad.localhost")
    child = world.child
    violations = {}

    # Uppmärksamma: the teacher raises a concern.
    sign_in(page, base, world.raiser.email)
    page.goto(f"{base}/barn/{child.pk}/oro/")
    violations["oro"] = axe_serious(page)
    page.get_by_label("Vad har du uppmärksammat?").fill("Ebba är ofta trött och hungrig på morgonen.")
    page.get_by_label("Hälsa").check()
    page.get_by_label("Hur brådskande är det?").select_option("high")
    page.get_by_role("button", name="Skicka till barnkontakten").click()
    assert "Din oro är skickad" in page.content()

    # The Barnkontakt sees it on the start page, acknowledges it and assesses with the keyboard only.
    sign_in(page, base, world.contact.email)
    violations["start"] = axe_serious(page)
    row = page.get_by_role("row", name="Ebba Ek")
    assert row.locator(".attention").first.inner_text() == "2"  # this and the registration's concern
    page.goto(f"{base}/barn/{child.pk}/process/")
    page.get_by_role("button", name="Kvittera").first.click()
    assert "Kvitterad av Karin Kontakt" in page.content()
    page.get_by_role("link", name="Beskriv och bedöm med Behovskompassen").click()
    violations["bedomning"] = axe_serious(page)
    keyboard = page.keyboard
    # Step 1 of 5. The date is prefilled with today; Chromium's date input tabs through its own segments, so
    # start after it.
    page.locator("#id_perspective_keys_0").focus()
    keyboard.press("Space")  # perspective: the child
    keyboard.press("Tab")
    keyboard.press("Space")  # the guardians
    keyboard.press("Tab")
    keyboard.press("Tab")
    keyboard.type("Karin Kontakt, Ebba, mamma")
    keyboard.press("Tab")
    keyboard.press("Enter")  # "Spara och gå vidare"
    page.wait_for_url(f"{base}/barn/{child.pk}/bedomning/?steg=2")
    # Step 2: each area beside its guiding questions; its rating, three optional ratings per perspective, a text.
    violations["bedomning omraden"] = axe_serious(page)
    assert page.get_by_role("complementary", name="Stödfrågor: Trygghet").is_visible()
    page.locator("#id_level_trygghet").focus()
    for area in range(8):
        if area:
            keyboard.press("Tab")
        keyboard.type("3")  # type-ahead on the focused select: "3 – Fungerar dåligt"
        keyboard.press("Tab")
        keyboard.type("3")  # the child's own rating of the area
        for _perspective in range(3):
            keyboard.press("Tab")  # the guardians' and the professional's left unrated, then the text
        keyboard.type("Behöver stöd.")
    keyboard.press("Tab")
    keyboard.press("Enter")
    page.wait_for_url(f"{base}/barn/{child.pk}/bedomning/?steg=3")
    page.get_by_role("button", name="Spara och gå vidare").focus()  # Min värld-triangeln: optional
    keyboard.press("Enter")
    page.wait_for_url(f"{base}/barn/{child.pk}/bedomning/?steg=4")
    page.locator("#id_resilience_barnet").focus()
    keyboard.type("-")  # resiliensmatris, the child: "-1" (type-ahead)
    page.get_by_role("button", name="Spara och gå vidare").focus()
    keyboard.press("Enter")
    page.wait_for_url(f"{base}/barn/{child.pk}/bedomning/?steg=5")
    assert "Steg 5 av 5" in page.content()
    page.locator("#id_support_level_key").focus()
    keyboard.type("M")  # "Med Barnkontakt och Barnteam"
    keyboard.press("Tab")
    keyboard.type("Flera områden behöver stöd.")
    keyboard.press("Tab")
    keyboard.press("Enter")  # "Spara bedömningen"
    page.wait_for_url(f"{base}/barn/{child.pk}/process/")
    assert "Bedömningen är sparad" in page.content()
    with tenant_context(world.tenant):
        first = Assessment.objects.get(child_id=child.pk)
        assert first.ratings.filter(level_key="3").count() == 8 and first.perspective_keys == [
            "barnet",
            "vardnadshavare",
        ]
        assert first.support_level_key == "barnkontakt-barnteam" and first.resilience.get("barnet") in (-2, -1)
        assert first.perspective_ratings.filter(perspective_key="barnet", level_key="3").count() == 8

    # Barnets plan: a goal with the child's own words and an action.
    page.get_by_role("link", name="Starta Barnets plan").click()
    page.get_by_label("Första uppföljning").fill((timezone.localdate() + timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Starta").click()
    page.get_by_role("link", name="Lägg till mål").click()
    page.locator("#id_area_key").select_option("halsa")
    page.locator("#id_text").fill("Äter frukost varje dag")
    page.get_by_label("Barnets egna ord").fill("Jag vill orka leka")
    page.get_by_role("button", name="Lägg till målet").click()
    page.get_by_role("link", name="Lägg till insats").click()
    page.get_by_label("Vad ska göras?").fill("Frukost i skolan")
    page.get_by_label("Vem ansvarar?").select_option(label="Sara Samordnare")
    page.get_by_label("Senast").fill((timezone.localdate() + timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Lägg till insatsen").click()
    violations["process"] = axe_serious(page)
    assert "Jag vill orka leka" in page.content()

    # Utvärdera: the region's psychologist (team member under consent) follows up.
    sign_in(page, base, world.team_region.email)
    page.goto(f"{base}/barn/{child.pk}/process/")
    page.get_by_role("link", name="Följ upp med Behovskompassen").click()
    page.get_by_label("Professionell").check()
    page.get_by_label("Vilka deltog?").fill("Bo BUP, Ebba")
    page.get_by_role("button", name="Spara och gå vidare").click()
    for select in page.locator("select[name^=level_]").all():
        select.select_option("2")
    page.locator("select[name=level_halsa]").select_option("1")
    page.get_by_role("button", name="Spara utkast").click()  # a draft, then on another day…
    assert "Utkastet är sparat" in page.content()
    page.goto(f"{base}/barn/{child.pk}/bedomning/")  # …the form opens where it was left
    assert page.locator("select[name=level_halsa]").input_value() == "1"
    page.goto(f"{base}/barn/{child.pk}/bedomning/?steg=5")
    page.locator("#id_support_level_key").select_option("barnkontakt-barnteam")
    page.get_by_label("Skäl för stödnivån").fill("Bättre, men följs upp.")
    page.get_by_label("Mål: Äter frukost varje dag").select_option("reached")
    page.get_by_role("button", name="Spara bedömningen").click()
    page.wait_for_url(f"{base}/barn/{child.pk}/process/")

    chart = page.get_by_role("img", name="Behovskompassen över tid")
    assert chart.is_visible() and chart.locator("polygon[stroke-dasharray]").count() == 2
    table = page.get_by_role("table", name="Skattning per område och bedömning")
    # The first assessment's perspectives side by side: the child's own rating beside the overall one.
    assert page.get_by_role("img", name="Behovskompassen per perspektiv").is_visible()
    perspectives = page.get_by_role("table", name="Skattning per område och perspektiv")
    assert perspectives.get_by_role("row", name="Hälsa").inner_text().split() == ["Hälsa", "3", "3"]
    assert "-2 (bättre)" in table.get_by_role("row", name="Hälsa").inner_text()
    assert "Uppnått" in page.content()
    violations["uppfoljning"] = axe_serious(page)
    page.goto(f"{base}/barn/{child.pk}/")
    violations["barnets sida"] = axe_serious(page)

    # Barnets plan over time: two follow-ups move the review date on, a revision, and the guardian's agreement.
    page.goto(f"{base}/barn/{child.pk}/process/")
    page.get_by_role("link", name="Följ upp planen").click()
    violations["planuppföljning"] = axe_serious(page)
    suggested = (timezone.localdate() + timedelta(weeks=12)).isoformat()  # the support level's review_weeks
    assert page.get_by_label("Nästa uppföljning").input_value() == suggested
    page.get_by_label("Utfall för målet: Äter frukost varje dag").select_option("partly")
    page.get_by_role("button", name="Spara uppföljningen").click()
    page.wait_for_url(f"{base}/barn/{child.pk}/process/")
    page.get_by_role("link", name="Följ upp planen").click()
    page.get_by_label("Utfall för målet: Äter frukost varje dag").select_option("reached")
    second_review = timezone.localdate() + timedelta(days=40)
    page.get_by_label("Nästa uppföljning").fill(second_review.isoformat())
    page.get_by_role("button", name="Spara uppföljningen").click()
    page.wait_for_url(f"{base}/barn/{child.pk}/process/")
    page.get_by_role("link", name="Revidera planen (ny version)").click()
    page.get_by_label("Varför revideras planen?").fill("Ny termin, nya mål.")
    page.get_by_role("button", name="Revidera planen").click()
    assert "Under revidering: inte godkänd ännu" in page.content()
    page.get_by_role("link", name="Registrera godkännande").click()
    violations["godkännande"] = axe_serious(page)
    page.get_by_label("Vem godkänner planen?").select_option(label="Maria Andersson")
    page.get_by_label("Hur").select_option("meeting")
    page.get_by_role("button", name="Registrera godkännandet").click()
    page.wait_for_url(f"{base}/barn/{child.pk}/process/")
    assert "Godkänd av vårdnadshavarna" in page.content() and "Version 2." in page.content()
    violations["planen version 2"] = axe_serious(page)
    page.get_by_role("link", name="Version 1").click()
    assert "Ny termin, nya mål." in page.content()
    violations["planen version 1"] = axe_serious(page)
    with tenant_context(world.tenant):
        plan = Plan.objects.get(child=child)
        assert plan.next_review_on == second_review and plan.follow_ups.count() == 2 and plan.version == 2
    assert not any(violations.values()), violations


def test_a_meeting_from_kallelse_to_minutes(live_site, page, committed_world):
    """The Barnkontakt plans a Barnteam meeting (the team member's calendar gets the event, then its update),
    records who came once it has started, is refused a decision without anybody responsible, and prints the
    minutes; axe-core checks every page visited."""
    from django.core import mail
    from icalendar import Calendar

    from modules.casework.models import Meeting

    world = committed_world
    base = live_site("ystad.localhost")
    child = world.child
    violations = {}
    with tenant_context(world.tenant):
        Plan.objects.create(
            child=child,
            release=InstalledRelease.objects.get(is_current=True),
            next_review_on=timezone.localdate() + timedelta(days=60),
            created_by=world.contact,
        )
    sign_in(page, base, world.contact.email)
    page.goto(f"{base}/barn/{child.pk}/process/")
    page.get_by_role("link", name="Planera barnteamsmöte").click()
    violations["planera"] = axe_serious(page)
    starts = timezone.localtime() + timedelta(days=2)
    page.get_by_label("Börjar").fill(f"{starts:%Y-%m-%dT%H:%M}")
    page.get_by_label("Slutar").fill(f"{starts + timedelta(hours=1):%Y-%m-%dT%H:%M}")
    page.get_by_label("Plats").fill("Förskolan Solrosen")
    page.get_by_label("Dagordning").fill("Hur går det på morgnarna?")
    page.get_by_label("Bo BUP").check()
    page.get_by_label("Maria Andersson").check()
    page.get_by_label("Barnet deltar").check()
    page.get_by_label("Andra deltagare (valfritt)").fill("Kim Berg, tolk")
    mail.outbox.clear()
    page.get_by_role("button", name="Planera").click()
    assert "Mötet är planerat" in page.content()
    violations["mötet"] = axe_serious(page)
    (invitation,) = [message for message in mail.outbox if message.to == [world.team_region.email]]
    event = Calendar.from_ical(invitation.attachments[0][1]).walk("VEVENT")[0]
    uid = str(event["UID"])
    assert event["SEQUENCE"] == 0

    page.get_by_role("link", name="Ändra mötet").click()
    page.get_by_label("Plats").fill("Familjecentralen")
    page.get_by_role("button", name="Spara ändringen").click()
    (update,) = [message for message in mail.outbox[1:] if message.to == [world.team_region.email]]
    event = Calendar.from_ical(update.attachments[0][1]).walk("VEVENT")[0]
    assert (str(event["UID"]), event["SEQUENCE"], str(event["LOCATION"])) == (uid, 1, "Familjecentralen")

    with tenant_context(world.tenant):
        meeting = Meeting.objects.get(child_id=child.pk)
        Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(minutes=10))
    page.reload()
    page.get_by_role("link", name="Registrera närvaro").click()
    violations["närvaro"] = axe_serious(page)
    page.get_by_label("Bo BUP").check()
    page.get_by_label("Maria Andersson (Vårdnadshavare)").check()
    page.get_by_role("button", name="Spara närvaron").click()
    assert "Närvaron är registrerad" in page.content()

    page.get_by_role("link", name="Skriv anteckningar och beslut").click()
    page.get_by_label("Anteckningar").fill("Morgnarna har blivit lugnare.")
    page.get_by_label("Beslut 1", exact=True).fill("Frukost i förskolan")
    page.get_by_role("button", name="Spara protokollet").click()
    violations["protokoll med fel"] = axe_serious(page)
    assert "Ange vem som ansvarar" in page.content()
    page.get_by_label("Beslut 1: vem ansvarar").fill("Förskolan Solrosen")
    page.get_by_role("button", name="Spara protokollet").click()
    assert "Mötet är protokollfört" in page.content()
    assert "insats i planen: Förskolan Solrosen" in page.content()
    violations["protokollfört"] = axe_serious(page)
    status, content_type = page.evaluate(
        "async url => { const r = await fetch(url); return [r.status, r.headers.get('content-type')]; }",
        f"{base}/barn/{child.pk}/moten/{meeting.pk}/anteckningar/sv.pdf",
    )
    assert (status, content_type) == (200, "application/pdf")
    assert not any(violations.values()), violations
