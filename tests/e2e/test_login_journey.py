"""A staff member signs in on their own municipality's site in a real browser, and only there."""

from django_tenants.utils import tenant_context

from modules.accounts.models import User
from tests.factories import TEST_PASSWORD, demo_tenant, make_user


def test_staff_member_signs_in_at_their_municipality_and_not_at_the_region(live_site, page):
    ystad, skane = demo_tenant("ystad"), demo_tenant("skane")
    make_user(ystad, email="e2e.kurator@ystad.se", role=User.Role.STAFF, full_name="Karin Kurator")
    try:
        page.goto(live_site("ystad.localhost") + "/login/")
        assert page.locator("html").get_attribute("lang") == "sv"
        page.get_by_label("E-postadress").fill("e2e.kurator@ystad.se")
        page.get_by_label("Lösenord").fill(TEST_PASSWORD)
        page.get_by_role("button", name="Logga in").click()
        page.wait_for_url(live_site("ystad.localhost") + "/")
        assert page.get_by_role("heading", level=1).inner_text() == "Ystads kommun"
        assert "Välkommen, Karin Kurator" in page.content()

        # The same browser, the same credentials, the region's site: refused, and not signed in there.
        page.goto(live_site("skane.localhost") + "/login/")
        page.get_by_label("E-postadress").fill("e2e.kurator@ystad.se")
        page.get_by_label("Lösenord").fill(TEST_PASSWORD)
        page.get_by_role("button", name="Logga in").click()
        assert page.get_by_role("alert").is_visible()
        assert "Logga in" in page.get_by_role("heading", level=1).inner_text()
    finally:
        with tenant_context(ystad):
            User.objects.filter(email="e2e.kurator@ystad.se").delete()
        del skane
