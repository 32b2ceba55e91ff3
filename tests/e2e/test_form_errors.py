"""Issue 12 in a real browser: a long form that comes back with errors shows all of them at once in an error
summary that receives focus (GOV.UK's pattern), on the central application form and on the assessment form
inside a tenant; and the local admin's header is at most two rows at 1280 px."""

import re

from tenants.models import County, Tenant
from tenants.onboarding.models import Application
from tests.e2e.test_casework_journey import axe_serious, committed_world, sign_in  # noqa: F401 - fixture

FOCUSED_SUMMARY = "() => document.activeElement && document.activeElement.hasAttribute('data-error-summary')"


def _summary_links(page) -> list[str]:
    return page.locator("[data-error-summary] a").evaluate_all("links => links.map(a => a.getAttribute('href'))")


def test_the_application_form_lists_every_error_at_once_and_focuses_the_summary(live_site, page):
    central = Tenant.objects.get(kind=Tenant.Kind.CENTRAL)
    base = live_site(central.primary_domain)
    page.goto(base + "/ansok/")
    # Required fields left empty, and fields only the service checks: all must come back in one round.
    page.get_by_label("Organisationsnummer").fill("556677-8899")
    page.get_by_label("Län").select_option(County.SKANE.value)
    page.get_by_label("Önskad adress (subdomän)").fill("www")
    page.get_by_label("Kontaktpersonens telefon").fill("abc")
    page.get_by_role("button", name="Skicka ansökan").click()
    page.wait_for_load_state("load")

    page.wait_for_function(FOCUSED_SUMMARY)
    summary = page.locator("[data-error-summary]")
    assert summary.is_visible()
    links = _summary_links(page)
    for field in ("organisation_name", "organisation_number", "subdomain", "contact_name", "contact_phone"):
        assert f"#id_{field}" in links, links
    assert "börjar på 2" in summary.inner_text()
    # A link in the summary takes the keyboard to its field.
    summary.get_by_role("link", name=re.compile("^Kontaktpersonens telefon")).click()
    assert page.evaluate("() => document.activeElement.id") == "id_contact_phone"
    assert not Application.objects.filter(subdomain="www").exists()
    assert not axe_serious(page)


def test_the_assessment_form_focuses_its_error_summary(live_site, page, committed_world):  # noqa: F811
    world = committed_world
    base = live_site(world.tenant.primary_domain)
    sign_in(page, base, world.contact.email)
    page.goto(f"{base}/barn/{world.child.pk}/bedomning/?steg=5")
    page.get_by_role("button", name="Spara bedömningen").click()
    page.wait_for_load_state("load")

    page.wait_for_function(FOCUSED_SUMMARY)  # before: focus stayed on the page body
    links = _summary_links(page)
    # The first step with something to correct is shown; the errors of the other steps lead to their step.
    assert "#id_participants" in links
    assert any(link.startswith("#id_perspective_keys_") for link in links)  # a group links to its first box
    assert any(link.endswith("?steg=5#id_support_level_reason") for link in links)
    assert any("?steg=2#id_level_" in link for link in links)


def test_the_local_admins_header_is_at_most_two_rows_at_1280px(live_site, page, committed_world):  # noqa: F811
    world = committed_world
    base = live_site(world.tenant.primary_domain)
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, base, world.admin.email)
    page.goto(f"{base}/personal/")

    rows = page.evaluate(
        """() => {
          const selector = '.site-header .brand, .site-header .account > *, .site-header nav li';
          const items = document.querySelectorAll(selector);
          const tops = [...items].map(e => Math.round(e.getBoundingClientRect().top));
          return [...new Set(tops.map(t => Math.round(t / 12)))].length;
        }"""
    )
    height = page.locator(".site-header").bounding_box()["height"]
    assert page.get_by_role("link", name="Loggkontroll").is_visible()
    assert rows <= 2 and height <= 110, (rows, height)
