"""A municipality applies to join, in a real browser: a wrong organisationsnummer is named at its field and tied
to it for screen readers, nothing is saved, the corrected application gives a receipt, and the national
coordinator finds it in the console's queue. Every page is checked with axe-core."""

import re

from stdnum import luhn

from modules.accounts.models import User
from tenants.models import County, Tenant
from tenants.onboarding.models import Application
from tests.e2e.test_casework_journey import axe_serious, sign_in
from tests.factories import make_user

SUBDOMAIN = "e2e-simrishamn"


def test_a_municipality_applies_and_the_coordinator_finds_it_in_the_queue(live_site, page):
    central = Tenant.objects.get(kind=Tenant.Kind.CENTRAL)
    base = live_site(central.primary_domain)
    coordinator = make_user(central, email="e2e.samordnare@backabarnet.se", role=User.Role.NATIONAL_COORDINATOR)
    body = "212000901"  # a municipality's number (2...), not one of the demo tenants'
    valid, wrong = (
        f"{body[:6]}-{body[6:]}{luhn.calc_check_digit(body)}",
        f"{body[:6]}-{body[6:]}{(int(luhn.calc_check_digit(body)) + 1) % 10}",
    )
    violations = {}
    try:
        page.goto(base + "/ansok/")
        violations["form"] = axe_serious(page)
        page.get_by_label("Organisationens namn").fill("E2E Simrishamns kommun")
        page.get_by_label("Organisationsnummer").fill(wrong)
        page.get_by_label("Typ").select_option(Tenant.Kind.MUNICIPALITY.value)
        page.get_by_label("Län").select_option(County.SKANE.value)
        page.get_by_label("Önskad adress (subdomän)").fill(SUBDOMAIN)
        page.get_by_label(re.compile(r"^Kontaktperson\b(?!ens)")).fill("Sara Samordnare")
        page.get_by_label("Kontaktpersonens e-post").fill("sara@e2e-simrishamn.se")
        page.get_by_role("group", name="Samverkansparter").get_by_label("Polisen").check()
        page.get_by_role("button", name="Skicka ansökan").click()

        assert "Rätta uppgifterna" in page.get_by_role("alert").first.inner_text()
        field = page.get_by_label("Organisationsnummer")
        described_by = (field.get_attribute("aria-describedby") or "").split()
        messages = " ".join(page.locator(f"[id='{element_id}']").inner_text() for element_id in described_by)
        assert "Ogiltigt organisationsnummer" in messages, described_by
        assert field.input_value() == wrong  # what was typed is kept
        assert not Application.objects.filter(subdomain=SUBDOMAIN).exists()
        violations["errors"] = axe_serious(page)

        field.fill(valid)
        page.get_by_role("button", name="Skicka ansökan").click()
        page.wait_for_url(f"{base}/ansok/kvitto/**")
        application = Application.objects.get(subdomain=SUBDOMAIN)
        assert application.organisation_number == valid
        assert application.status == Application.Status.SUBMITTED
        violations["receipt"] = axe_serious(page)

        sign_in(page, base, coordinator.email)
        page.goto(base + "/konsol/ansokningar/")
        assert page.get_by_role("link", name="E2E Simrishamns kommun").is_visible()
        violations["queue"] = axe_serious(page)
    finally:
        Application.objects.filter(subdomain=SUBDOMAIN).delete()
        coordinator.delete()
    assert not any(violations.values()), violations
