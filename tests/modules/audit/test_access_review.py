"""Loggkontroll: local admins and processledare see who accessed a child and when, and can export it."""

import csv
import io
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import formats, timezone
from django_tenants.utils import tenant_context

from modules.audit.models import AuditEntry
from tests.factories import logged_in_client, personnummer


def test_loggkontroll_shows_who_accessed_a_child_and_exports_csv(world):
    logged_in_client(world.tenant, world.team_region.email).get(f"/barn/{world.child.pk}/kronologi/")
    admin = logged_in_client(world.tenant, world.admin.email)

    search = admin.post("/loggkontroll/", {"personnummer": world.number})
    assert search.status_code == 302
    assert search["Location"] == f"/loggkontroll/?child_id={world.child.pk}"  # the number is never in a URL
    page = admin.get(search["Location"])
    assert page.status_code == 200
    body = page.content.decode()
    assert "Bo BUP" in body and "Kronologi" in body
    # The child by name and masked number, never the full number.
    assert "Alva Andersson (20150312-****)" in body and world.number not in body

    export = admin.get("/loggkontroll/export.csv", {"child_id": world.child.pk})
    assert export["Content-Type"].startswith("text/csv") and export.streaming
    rows = list(csv.DictReader(io.StringIO(export.getvalue().decode())))
    assert {"bup.y@ystad.se", "kontakt.y@ystad.se"} <= {row["E-post"] for row in rows}
    assert all(row["Barn-id"] == str(world.child.pk) for row in rows)
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


def _entries_of_child(world):
    with tenant_context(world.tenant):
        return list(AuditEntry.objects.filter(child_id=world.child.pk).order_by("-at", "-pk"))


def test_loggkontroll_reads_in_words_local_time_and_the_readers_language(world):
    logged_in_client(world.tenant, world.team_region.email).get(f"/barn/{world.child.pk}/kronologi/")
    admin = logged_in_client(world.tenant, world.admin.email)
    read = next(e for e in _entries_of_child(world) if e.object_type == "child-chronology")
    local = timezone.localtime(read.at).strftime("%Y-%m-%d %H:%M:%S")
    consent = next(e for e in _entries_of_child(world) if e.object_type == "consent.consent")
    given_on = formats.date_format(timezone.localdate() - timedelta(days=1), "j M Y")

    page = admin.get("/loggkontroll/", {"child_id": world.child.pk}).content.decode()
    rows = list(
        csv.reader(io.StringIO(admin.get("/loggkontroll/export.csv", {"child_id": world.child.pk}).getvalue().decode()))
    )

    assert "child-chronology" not in page and "consent.consent" not in page
    assert (
        f"<td>{local}</td><td>Bo BUP</td><td>Alva Andersson (20150312-****)</td><td>Visade</td><td>Kronologi</td>"
        in page
    )
    assert rows[0][:2] == ["Id", "Tid (Europe/Stockholm)"]
    by_id = {row[0]: row for row in rows[1:]}
    assert by_id[str(read.pk)][1:8] == [
        local,
        "Bo BUP",
        "bup.y@ystad.se",
        "Alva Andersson (20150312-****)",
        str(world.child.pk),
        "Visade",
        "Kronologi",
    ]
    assert by_id[str(consent.pk)][6:8] == ["Skapade", f"Samtycke {given_on}"]

    admin.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = admin.get("/loggkontroll/", {"child_id": world.child.pk}).content.decode()
    english_rows = list(
        csv.reader(io.StringIO(admin.get("/loggkontroll/export.csv", {"child_id": world.child.pk}).getvalue().decode()))
    )
    assert "<td>Chronology</td>" in english
    assert {row[0]: row for row in english_rows[1:]}[str(read.pk)][6:8] == ["Viewed", "Chronology"]
    assert english_rows[0][1] == "Time (Europe/Stockholm)"


def test_a_culled_childs_entries_say_so(world):
    from modules.audit.readable import readable_entries

    with tenant_context(world.tenant):
        entry = AuditEntry(
            at=timezone.now(), child_id=999_999, action="view", object_type="child-detail", object_id="1"
        )
        (row,) = readable_entries([entry])
    assert (row.child, row.action, row.object) == ("Gallrat barn (id 999999)", "Visade", "Barnets akt")


def test_loggkontroll_reads_names_in_a_fixed_number_of_queries_whatever_the_page_holds(world):
    admin = logged_in_client(world.tenant, world.admin.email)
    url = f"/loggkontroll/?child_id={world.child.pk}"
    admin.get(url)
    with CaptureQueriesContext(connection) as few:
        admin.get(url)
    reader = logged_in_client(world.tenant, world.team_region.email)
    for _ in range(20):
        reader.get(f"/barn/{world.child.pk}/kronologi/")
        reader.get(f"/barn/{world.child.pk}/")
    with CaptureQueriesContext(connection) as many:
        page = admin.get(url)
    assert page.content.decode().count("Alva Andersson") > 40
    assert len(many.captured_queries) == len(few.captured_queries)


def test_every_route_that_logs_a_read_of_a_child_has_a_readable_name():
    from django.urls import URLPattern, URLResolver, get_resolver

    from modules.audit.readable import _ROUTES

    def names(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from names(pattern.url_patterns)
            elif isinstance(pattern, URLPattern) and "child_id" in pattern.pattern.regex.groupindex and pattern.name:
                yield pattern.name

    missing = sorted(set(names(get_resolver("backa_platform.urls_tenant").url_patterns)) - set(_ROUTES))
    assert not missing, missing
