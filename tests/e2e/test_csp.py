"""The Content Security Policy in a real browser (issue 14 §7): the main pages load, run their scripts and
show their styles with `default-src 'self'` and no inline allowance, and Chromium reports no violation. The
error summary's focus (static/js/forms.js) still works under the policy."""

import pytest

from tenants.models import Tenant
from tests.e2e.test_casework_journey import axe_serious, committed_world, sign_in  # noqa: F401 - fixture
from tests.e2e.test_form_errors import FOCUSED_SUMMARY

# Init scripts are the browser's own (DevTools), not the page's: the policy does not apply to this listener.
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sourceFile || ""));
});
"""


@pytest.fixture
def watched(page):
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(RECORD_VIOLATIONS)

    def violations():
        reported = page.evaluate("() => window.__csp || []")
        return reported + [text for text in console if "Content Security Policy" in text]

    return page, violations


def test_the_main_pages_run_under_the_csp_without_a_violation(live_site, watched, committed_world):  # noqa: F811
    page, violations = watched
    world = committed_world

    central = live_site(Tenant.objects.get(kind=Tenant.Kind.CENTRAL).primary_domain)
    response = page.goto(central + "/login/")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert violations() == []
    # The stylesheet applied (not blocked): the header has the accent colour from static/css/site.css.
    assert page.locator(".site-header").evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(0, 87, 122)"

    base = live_site(world.tenant.primary_domain)
    sign_in(page, base, world.contact.email)
    assert violations() == []  # the tenant's start page

    page.goto(f"{base}/barn/{world.child.pk}/")
    page.wait_for_load_state("load")
    assert violations() == []

    page.goto(f"{base}/barn/{world.child.pk}/bedomning/?steg=5")
    page.get_by_role("button", name="Spara bedömningen").click()
    page.wait_for_load_state("load")
    page.wait_for_function(FOCUSED_SUMMARY)  # static/js/forms.js ran under the policy
    assert violations() == []
    assert not axe_serious(page)  # the accessibility check itself is injected without loosening the policy
    assert violations() == []


def test_an_inline_script_would_be_reported(live_site, watched):
    # The watcher sees a violation when there is one: an inline script added to a page is refused.
    page, violations = watched
    central = live_site(Tenant.objects.get(kind=Tenant.Kind.CENTRAL).primary_domain)
    page.goto(central + "/login/")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1'; "
        "document.body.appendChild(s); }"
    )
    page.wait_for_timeout(100)
    assert page.evaluate("() => window.__ran") is None
    assert any("script-src" in violation for violation in violations()), violations()
