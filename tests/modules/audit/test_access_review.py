"""Loggkontroll: local admins and processledare see who accessed a child and when, and can export it."""

import csv
import io

from django_tenants.utils import tenant_context

from modules.audit.models import AuditEntry
from tests.conftest import logged_in_client
from tests.modules.conftest import personnummer


def test_loggkontroll_shows_who_accessed_a_child_and_exports_csv(world):
    logged_in_client(world.tenant, world.team_region.email).get(f"/barn/{world.child.pk}/kronologi/")
    admin = logged_in_client(world.tenant, world.admin.email)

    search = admin.post("/loggkontroll/", {"personnummer": world.number})
    assert search.status_code == 302
    assert search["Location"] == f"/loggkontroll/?child_id={world.child.pk}"  # the number is never in a URL
    page = admin.get(search["Location"])
    assert page.status_code == 200
    body = page.content.decode()
    assert "Bo BUP" in body and "child-chronology" in body
    assert world.number not in body and "Alva" not in body  # loggkontroll shows who and when, not the child

    export = admin.get("/loggkontroll/export.csv", {"child_id": world.child.pk})
    assert export["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(export.content.decode())))
    assert {"bup.y@ystad.se", "kontakt.y@ystad.se"} <= {row["e-post"] for row in rows}
    assert all(row["barn-id"] == str(world.child.pk) for row in rows)
    with tenant_context(world.tenant):
        assert AuditEntry.objects.filter(action="access_review", actor=world.admin).count() == 2  # reviews are logged


def test_loggkontroll_by_user_and_period_through_the_api(world):
    client = logged_in_client(world.tenant, world.process_lead.email)
    response = client.get("/api/access-review/", {"actor_id": world.contact.pk})
    assert response.status_code == 200
    assert {row["actor_email"] for row in response.json()["results"]} == {world.contact.email}
    assert client.get("/api/access-review/").status_code == 400  # a filter is required


def test_staff_cannot_open_loggkontroll(world):
    client = logged_in_client(world.tenant, world.contact.email)
    assert client.get("/loggkontroll/").status_code == 403
    assert client.get("/api/access-review/", {"actor_id": world.contact.pk}).status_code == 403


def test_searching_an_unknown_number_says_so_at_the_field(world):
    response = logged_in_client(world.tenant, world.admin.email).post(
        "/loggkontroll/", {"personnummer": personnummer("20180704")}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_personnummer_error"' in body and "Inget barn med det numret" in body
