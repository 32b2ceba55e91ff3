"""Every page the child's record adds: each form control has a label tied to it, the page has one h1 and
declares its language. Walked over every routed page, as the people who see the most."""

from html.parser import HTMLParser

from tests.factories import logged_in_client
from tests.modules.audit.test_audit_log import _fill, _parameter_values, routed_paths


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.controls, self.labels, self.h1, self.lang = [], set(), 0, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag == "h1":
            self.h1 += 1
        if tag == "label" and attrs.get("for"):
            self.labels.add(attrs["for"])
        if tag in ("input", "select", "textarea") and attrs.get("type") not in ("hidden", "submit"):
            self.controls.append(attrs)


def test_every_page_has_labelled_controls_one_heading_and_a_language(world):
    values = _parameter_values(world)
    checked = 0
    for who in (world.contact, world.admin):
        client = logged_in_client(world.tenant, who.email)
        for route, _names in routed_paths():
            if route.startswith("api/"):
                continue
            response = client.get(_fill(route, values))
            if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
                continue
            page = _Page()
            page.feed(response.content.decode())
            path = _fill(route, values)
            assert page.lang in ("sv", "en"), path
            assert page.h1 == 1, f"{path}: {page.h1} h1 headings"
            for control in page.controls:
                labelled = control.get("id") in page.labels or control.get("aria-label")
                assert labelled, f"{path}: a control without a label: {control}"
            checked += 1
    assert checked >= 10
