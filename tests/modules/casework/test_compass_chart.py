"""The Behovskompassen chart in Swedish: numbers an SVG can read, area names as labels, and legend entries that
tell two assessments of the same day apart."""

import re

from django_tenants.utils import tenant_context

from tests.factories import logged_in_client
from tests.modules.casework.test_process import assess, ratings

NUMBER = r"-?\d+(?:\.\d+)?"
POINTS = re.compile(rf"^{NUMBER},{NUMBER}(?: {NUMBER},{NUMBER})*$")


def _two_assessments_today(world):
    with tenant_context(world.tenant):
        assess(world, ratings=ratings("3"))
        assess(world, ratings=ratings("2", halsa="1"))


def _svg(page: str) -> str:
    start = page.index('<figure class="compass">')  # the compass, not the perspectives' chart beside it
    return page[start : page.index("</figure>", start)]


def test_the_chart_in_swedish_writes_coordinates_with_dots_names_areas_and_tells_assessments_apart(world, installed):
    _two_assessments_today(world)
    page = logged_in_client(world.tenant, world.contact.email).get(f"/barn/{world.child.pk}/process/")
    assert page["Content-Language"] == "sv"
    svg = _svg(page.content.decode())
    for name in ("x", "y", "x1", "y1", "x2", "y2"):
        for value in re.findall(rf'\s{name}="([^"]*)"', svg):
            assert re.fullmatch(NUMBER, value), f'{name}="{value}"'
    polygons = re.findall(r'points="([^"]*)"', svg)
    assert polygons and all(POINTS.match(points) for points in polygons), polygons[:2]
    labels = [re.sub(r"<[^>]+>", " ", text).split() for text in re.findall(r"<text[^>]*>(.*?)</text>", svg, re.S)]
    labels = [" ".join(words) for words in labels]
    assert len(labels) == 8 and len(set(labels)) == 8
    assert {"Trygghet", "Tillhörighet", "Att bli respekterad", "Att ta ansvar"} <= set(labels)
    legend = re.findall(r"</svg>\s*([^<]+)</li>", svg)
    assert len(legend) == 2 and legend[0].strip() != legend[1].strip()
    assert legend[0].strip().startswith("Bedömning 1") and legend[1].strip().startswith("Bedömning 2")


def test_the_chart_draws_its_labels_where_they_belong_in_a_browser(world, installed, browser):
    """In Chromium: every area label is drawn as one block near its axis end (a decimal comma in x made the
    browser place each label's first letter alone and the rest at the origin)."""
    _two_assessments_today(world)
    client = logged_in_client(world.tenant, world.contact.email)
    html = client.get(f"/barn/{world.child.pk}/process/").content.decode()
    svg = _svg(html)
    page = browser.new_page()
    try:
        page.set_content(f"<!doctype html><html lang='sv'><body>{svg}</body></html>")
        boxes = page.eval_on_selector_all(
            "svg[role=img] text",
            "els => els.map(e => { const b = e.getBBox(); return [b.x, b.y, b.width, b.height]; })",
        )
    finally:
        page.close()
    assert len(boxes) == 8
    for x, y, width, height in boxes:
        # Inside the viewBox (-70 … 490 wide, -10 … 430 high), and no label starts at the origin.
        assert -70 <= x <= 490 - width and -10 <= y <= 430 - height, (x, y, width, height)
        assert width > 20
