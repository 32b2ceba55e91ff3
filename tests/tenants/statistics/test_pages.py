"""The statistics pages, their exports and the API: who may read them, that only protected figures reach the
reader, in Swedish and English, and that every view is logged like the console's other national actions."""

import csv
import io
import json

import pytest
from django.utils import timezone

from modules.accounts.models import User
from tenants.models import TenantEvent
from tenants.statistics.models import SnapshotCell, SnapshotRun
from tests.factories import logged_in_client, make_user

COORDINATOR = "nationell@example.se"


@pytest.fixture
def published(ystad, skane):
    """Meetings held this month: Ystad 12 with the guardians, 3 with the child, 6 with both; Skåne 7, 8 and 5.
    Ystad's 3 is hidden, and with it enough others that no sum gives it back; the guardians' column stays."""
    today = timezone.localdate()
    month = today.replace(day=1)
    for tenant, cells in (
        (ystad, {"guardians": 12, "child": 3, "guardians_and_child": 6}),
        (skane, {"guardians": 7, "child": 8, "guardians_and_child": 5}),
    ):
        SnapshotRun.objects.create(snapshot_on=today, tenant=tenant, taken_at=timezone.now(), cells=len(cells))
        for category, value in cells.items():
            SnapshotCell.objects.create(
                snapshot_on=today, tenant=tenant, metric="meetings_held", category=category, month=month, value=value
            )
    return {"year": str(today.year), "month": f"{month:%Y-%m}"}


@pytest.fixture
def coordinator(central):
    make_user(central, email=COORDINATOR, role=User.Role.NATIONAL_COORDINATOR, full_name="Nora Nationell")
    return logged_in_client(central, COORDINATOR)


def _viewed(tenant):
    return list(TenantEvent.objects.filter(tenant=tenant, kind=TenantEvent.Kind.STATISTICS_VIEWED).order_by("pk"))


def test_the_national_page_shows_the_figures_with_small_ones_hidden_and_logs_the_view(central, coordinator, published):
    response = coordinator.get("/konsol/statistik/", {"metric": "meetings_held", "period": published["year"]})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Ystads kommun" in page and "Region Skåne" in page and "Skåne län" in page
    assert "<td>12 <span" in page and "<td>19 <span" in page  # Ystad and the nation, with the guardians
    assert "färre än 5" in page
    assert '<svg role="img"' in page or "Hela landet per månad" in page
    [event] = _viewed(central)
    assert event.actor.email == COORDINATOR and event.detail == {
        "scope": "national", "output": "page", "metric": "meetings_held"
    }  # fmt: skip


def test_the_national_exports_hold_no_count_under_the_threshold(central, coordinator, published):
    csv_text = coordinator.get("/konsol/statistik/export.csv", {"metric": "meetings_held"}).content.decode()
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    as_json = json.loads(coordinator.get("/konsol/statistik/export.json", {"metric": "meetings_held"}).content)

    assert len(rows) == len(as_json) > 0
    # Zero is shown (it points at no child); every other shown count is at least the threshold.
    assert all(row["value"] in ("", "0") or int(row["value"]) >= 5 for row in rows)
    ystad_child = next(
        row
        for row in as_json
        if row["name"] == "Ystads kommun" and row["category"] == "child" and row["period"] == published["month"]
    )
    assert ystad_child == {**ystad_child, "value": None, "mark": "under_threshold"}
    assert [e.detail["output"] for e in _viewed(central)] == ["csv", "json"]


def test_the_page_is_in_english_for_an_english_reader(coordinator, published):
    page = coordinator.get("/konsol/statistik/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "National statistics" in page and "fewer than 5" in page


def test_an_instance_sees_its_own_figures_beside_the_nation_and_no_other_instance(ystad, published):
    make_user(ystad, email="pl@ystad.se", role=User.Role.PROCESS_LEAD, full_name="Pia Process")
    make_user(ystad, email="staff@ystad.se", role=User.Role.STAFF)
    client = logged_in_client(ystad, "pl@ystad.se")

    page = client.get("/statistik/", {"metric": "meetings_held", "period": published["year"]}).content.decode()
    api = client.get("/api/statistics/", {"metric": "meetings_held"}).json()

    assert "<td>12 <span" in page and "<td>19 <span" in page and "Region Skåne" not in page
    assert {(c["level"], c["name"]) for c in api["cells"]} == {("instance", "Ystads kommun"), ("nation", "Hela landet")}
    assert [(e.detail["scope"], e.detail["output"], e.actor_name) for e in _viewed(ystad)] == [
        ("instance", "page", "Pia Process <pl@ystad.se>"),
        ("instance", "api", "Pia Process <pl@ystad.se>"),
    ]
    assert logged_in_client(ystad, "staff@ystad.se").get("/statistik/").status_code == 403


def test_only_national_coordinators_read_the_national_statistics(central, ystad, coordinator, published):
    make_user(central, email="redaktor@example.se", role=User.Role.CONTENT_EDITOR)
    editor = logged_in_client(central, "redaktor@example.se")
    assert editor.get("/konsol/statistik/").status_code == 403
    assert editor.get("/api/statistics/").status_code == 403

    body = coordinator.get("/api/statistics/", {"metric": "meetings_held", "level": "county"}).json()
    assert body["threshold"] == 5 and {c["code"] for c in body["cells"]} == {"M"}
    assert [m["key"] for m in body["metrics"]] == ["meetings_held"]
    refused = coordinator.get("/api/statistics/", {"metric": "okänt"})
    assert refused.status_code == 400 and "metric" in refused.json()["errors"]
