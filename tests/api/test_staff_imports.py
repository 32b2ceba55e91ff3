"""Onboarding many people at once through the API: a file of 10,000 rows (some invalid) is read and checked in
one request, its preview names every error exactly, confirming creates exactly the valid invitations (the
worker's task run in-process after the commit), and the same file again creates none."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django_tenants.utils import tenant_context

from modules.accounts.models import Invitation, StaffImport, User
from modules.organisations.models import Organisation, Unit
from tests.factories import logged_in_client, make_user, staff_in_unit

ROWS = 10_000
HEADER = "Organisation;Organisationstyp;Enhet;Enhetstyp;Namn;E-post;Roll;Telefon"


def _file() -> tuple[bytes, dict[int, str]]:
    """10,000 data rows (lines 2–10001): units set up in the file, staff spread over them, and the broken rows
    with the error each must show, by line."""
    lines, expected = [HEADER], {}
    for number in range(ROWS):
        line = number + 2
        unit = f"Skolan {number % 40}"
        kinds = ("kommun", "skola") if number < 40 else ("", "")  # the first row for each unit sets it up
        email, role, phone = f"person{number}@skolor.example.se", "medarbetare", "0411-57 70 00"
        if number % 1000 == 999:
            unit, kinds = "Skolan som inte finns", ("", "")
            expected[line] = (
                "Okänd enhet «Skolan som inte finns» i Ystads skolor. Ange enhetstyp på en rad för att lägga till den."
            )
        elif number % 1000 == 998:
            role = "rektor"
            expected[line] = "Okänd roll «rektor». Ange medarbetare, processledare eller lokal administratör."
        elif number % 1000 == 997:
            email = "person0@skolor.example.se"
            expected[line] = "E-postadressen person0@skolor.example.se finns redan på rad 2 i filen."
        elif number % 1000 == 996:
            email = f"person{number}.skolor.example.se"
            expected[line] = f"Ogiltig e-postadress «{email}»."
        elif number % 1000 == 995:
            phone = "ring mig"
            expected[line] = "Ange ett telefonnummer med siffror"
        elif number == 500:
            email = "befintlig@ystad.se"
            expected[line] = "befintlig@ystad.se har redan ett konto (Processledare, Förskolan Solrosen)."
        lines.append(f"Ystads skolor;{kinds[0]};{unit};{kinds[1]};Person {number};{email};{role};{phone}")
    return "\n".join(lines).encode(), expected


@pytest.fixture
def invitation_ids_kept(ystad):
    """Sequences ignore the test's rollback: give Ystad's invitation ids back after 10,000 of them, so a test that
    expects the two demo tenants' ids to overlap (tests/deploy/test_pgbouncer.py) still finds them overlapping."""
    query = "SELECT pg_get_serial_sequence('accounts_invitation', 'id')"
    with tenant_context(ystad), connection.cursor() as cursor:
        cursor.execute(query)
        (sequence,) = cursor.fetchone()
        cursor.execute(f"SELECT last_value, is_called FROM {sequence}")  # noqa: S608 - PostgreSQL's own name
        last_value, is_called = cursor.fetchone()
    yield
    with tenant_context(ystad), connection.cursor() as cursor:
        cursor.execute("SELECT setval(%s, %s, %s)", [sequence, last_value, is_called])


def _upload(client, data, name="personal.csv"):
    return client.post("/api/staff/imports/", {"file": SimpleUploadedFile(name, data, content_type="text/csv")})


def test_ten_thousand_rows_preview_confirm_and_again(
    ystad, invitation_ids_kept, django_capture_on_commit_callbacks, settings
):
    # Mails go through Django's dummy backend here: building 9,949 MIME messages for locmem is ~6 s of this test
    # and proves nothing more than the small import in tests/modules/test_onboarding_many.py, which reads its mail.
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    with tenant_context(ystad):
        municipality = Organisation.objects.create(name="Ystads kommun", kind="kommun")
        preschool = Unit.objects.create(organisation=municipality, name="Förskolan Solrosen", kind="forskola")
    make_user(ystad, email="admin.import@ystad.se", role=User.Role.LOCAL_ADMIN)
    staff_in_unit(ystad, "befintlig@ystad.se", User.Role.PROCESS_LEAD, preschool, "Bo Befintlig")
    admin = logged_in_client(ystad, "admin.import@ystad.se")
    data, expected = _file()

    started, cpu = time.perf_counter(), time.process_time()
    response = _upload(admin, data)
    preview_seconds, preview_cpu = time.perf_counter() - started, time.process_time() - cpu
    assert response.status_code == 201, response.content
    staff_import = response.json()
    assert staff_import["rows_total"] == ROWS
    assert staff_import["rows_error"] == len(expected) == 51
    assert staff_import["rows_valid"] == ROWS - 51
    with tenant_context(ystad):  # nothing is saved until the admin confirms
        assert not Invitation.objects.exists() and not Organisation.objects.filter(name="Ystads skolor").exists()

    errors, page = {}, f"/api/staff/imports/{staff_import['id']}/rows/?status=error"
    while page:
        body = admin.get(page).json()
        errors.update({row["line"]: [e["message"] for e in row["errors"]] for row in body["results"]})
        page = body["next"]
    assert errors.keys() == expected.keys()
    for line, message in expected.items():
        assert len(errors[line]) == 1 and errors[line][0].startswith(message), (line, errors[line])
    assert admin.get(f"/api/staff/imports/{staff_import['id']}/progress/").json()["status"] == "preview"

    started, cpu = time.perf_counter(), time.process_time()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(f"/api/staff/imports/{staff_import['id']}/confirm/")
    confirm_seconds, confirm_cpu = time.perf_counter() - started, time.process_time() - cpu
    assert response.status_code == 202, response.content
    progress = admin.get(f"/api/staff/imports/{staff_import['id']}/progress/").json()
    assert progress == {
        "status": "done",
        "status_label": "Klar",
        "organisations_created": 1,
        "units_created": 40,
        "invitations_total": ROWS - 51,
        "invitations_sent": ROWS - 51,
        "percent": 100,
        "finished": True,
    }
    with tenant_context(ystad):
        invited = set(Invitation.objects.values_list("email", flat=True))
        assert len(invited) == Invitation.objects.count() == ROWS - 51
        assert "person0@skolor.example.se" in invited and "befintlig@ystad.se" not in invited
        assert Unit.objects.filter(organisation__name="Ystads skolor").count() == 40
        first = Invitation.objects.get(email="person41@skolor.example.se")
        assert (first.role, first.unit.name, first.phone) == ("staff", "Skolan 1", "0411-57 70 00")
        assert not Invitation.objects.filter(staff_import_row__isnull=True).exists()  # each invitation from its row
    assert admin.post(f"/api/staff/imports/{staff_import['id']}/confirm/").status_code == 400

    again = _upload(admin, data).json()
    assert (again["rows_valid"], again["rows_unchanged"], again["rows_error"]) == (0, ROWS - 51, 51)
    response = admin.post(f"/api/staff/imports/{again['id']}/confirm/")
    assert response.status_code == 400 and response.json()["code"] == "nothing_to_import"
    with tenant_context(ystad):
        assert Invitation.objects.count() == ROWS - 51 and StaffImport.objects.count() == 2
    print(
        f"10,000 rows: preview {preview_seconds:.2f} s ({preview_cpu:.2f} s CPU in this process), confirm with every "
        f"invitation created and sent {confirm_seconds:.2f} s ({confirm_cpu:.2f} s CPU)"
    )


def test_import_api_refuses_other_roles_and_bad_files(world):
    assert _upload(logged_in_client(world.tenant, world.contact.email), b"x").status_code == 403
    admin = logged_in_client(world.tenant, world.admin.email)
    response = _upload(admin, b"Namn;E-post\nA;a@b.se\n")
    assert response.status_code == 400
    assert response.json()["errors"]["file"] == [
        "Kolumnerna Organisation, Enhet, Roll saknas i personal.csv. "
        "Första raden ska vara kolumnernas namn, som i mallen."
    ]
    response = _upload(admin, b"PK\x03\x04 not really a workbook", name="personal.xlsx")
    assert response.status_code == 400
    assert response.json()["errors"]["file"] == ["personal.xlsx kunde inte läsas som en Excel-fil (XLSX)."]
