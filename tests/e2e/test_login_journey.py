"""A staff member signs in on their own municipality's site in a real browser, and only there: the password, then
at the first sign-in the authenticator's enrolment (its key read from the page as a person types it into an app),
the recovery codes, and a later sign-in with a code."""

from django_tenants.utils import tenant_context

from modules.accounts.models import User
from tests.factories import (
    TEST_PASSWORD,
    audit_last_id,
    audit_tail_delete,
    browser_sign_in,
    demo_tenant,
    make_user,
    totp_code,
    totp_key_remember,
)


def test_staff_member_enrols_an_authenticator_signs_in_at_their_municipality_and_not_at_the_region(live_site, page):
    ystad, skane = demo_tenant("ystad"), demo_tenant("skane")
    base = live_site("ystad.localhost")
    last_entry = audit_last_id(ystad)
    make_user(ystad, email="e2e.kurator@ystad.se", role=User.Role.STAFF, full_name="Karin Kurator")
    try:
        page.goto(base + "/login/")
        assert page.locator("html").get_attribute("lang") == "sv"
        page.get_by_label("E-postadress").fill("e2e.kurator@ystad.se")
        page.get_by_label("Lösenord").fill(TEST_PASSWORD)
        page.get_by_role("button", name="Logga in").click()

        # The password alone reaches nothing but the enrolment: the start page sends back to it.
        page.wait_for_url("**/login/registrera-app/**")
        assert page.get_by_role("heading", level=1).inner_text() == "Lägg till tvåstegsverifiering"
        assert page.get_by_role("img", name="QR-kod för autentiseringsappen").is_visible()
        page.goto(base + "/")
        assert "/login/" in page.url
        page.wait_for_url("**/login/registrera-app/**")

        totp_key_remember(base, "e2e.kurator@ystad.se", page.locator("#totp-key").get_attribute("data-key"))
        page.get_by_label("Kod från appen").fill(totp_code(base, "e2e.kurator@ystad.se"))
        page.get_by_role("button", name="Bekräfta och fortsätt").click()
        assert page.get_by_role("heading", level=1).inner_text() == "Dina reservkoder"
        assert page.locator("#recovery-codes li").count() == 10
        page.get_by_role("link", name="Jag har sparat koderna – fortsätt").click()
        page.wait_for_url(base + "/")
        assert page.get_by_role("heading", level=1).inner_text() == "Ystads kommun"
        assert "Välkommen, Karin Kurator" in page.content()

        # Signed out and in again: now the code from the app.
        page.get_by_role("button", name="Logga ut").click()
        browser_sign_in(page, base, "e2e.kurator@ystad.se")
        page.wait_for_url(base + "/")
        assert "Välkommen, Karin Kurator" in page.content()

        # The same browser, the same credentials, the region's site: refused, and not signed in there.
        page.goto(live_site("skane.localhost") + "/login/")
        page.get_by_label("E-postadress").fill("e2e.kurator@ystad.se")
        page.get_by_label("Lösenord").fill(TEST_PASSWORD)
        page.get_by_role("button", name="Logga in").click()
        assert page.get_by_role("alert").is_visible()
        assert "Logga in" in page.get_by_role("heading", level=1).inner_text()
    finally:
        audit_tail_delete(ystad, after=last_entry)  # the sign-ins' entries name the account
        with tenant_context(ystad):
            User.objects.filter(email="e2e.kurator@ystad.se").delete()
        del skane
