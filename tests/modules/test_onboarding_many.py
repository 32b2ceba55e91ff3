"""A local admin onboards many people at once and keeps the organisation in order: the import pages (template in
both formats, preview, confirm, progress), files refused with a precise message, units closed rather than deleted
once they have history, and role and unit changes recorded and readable in loggkontroll."""

import io

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import tenant_context
from openpyxl import Workbook

from modules.accounts.models import Invitation, StaffChange, User
from modules.audit.models import AuditEntry
from modules.organisations.models import Organisation, Unit
from tests.factories import logged_in_client

CSV_CONTENT_TYPE = "text/csv"


def _upload(client, data: bytes, name: str):
    return client.post("/personal/import/", {"file": SimpleUploadedFile(name, data, content_type=CSV_CONTENT_TYPE)})


def test_template_in_both_formats_reads_back_as_a_valid_preview(world, django_capture_on_commit_callbacks):
    admin = logged_in_client(world.tenant, world.admin.email)
    for file_format in ("csv", "xlsx"):
        template = admin.get(f"/personal/import/mall.{file_format}")
        assert template.status_code == 200
        assert template["Content-Disposition"] == f'attachment; filename="personal-mall.{file_format}"'
        response = _upload(admin, template.content, f"mall.{file_format}")
        assert response.status_code == 302, response.content.decode()[:2000]
        preview = admin.get(response["Location"]).content.decode()
        # The template's two example rows: one sets up a unit, one invites Karin Exempel into it.
        assert "2 rader i filen" in preview and "2 giltiga rader importeras" in preview
        assert "karin.exempel@example.se" in preview
    with tenant_context(world.tenant):  # nothing saved before the admin confirms
        assert not Organisation.objects.filter(name="Ystads kommun").exists()
        assert not Invitation.objects.filter(email="karin.exempel@example.se").exists()
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = admin.post(response["Location"])
    assert confirmed.status_code == 302
    page = admin.get(response["Location"]).content.decode()
    assert 'aria-live="polite"' in page and "Klar" in page
    progress = admin.get(response["Location"] + "progress.json").json()
    assert (progress["finished"], progress["invitations_sent"], progress["units_created"]) == (True, 1, 1)
    assert [m.to for m in mail.outbox] == [["karin.exempel@example.se"]]


def test_xlsx_with_english_columns_and_precise_errors(world):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Organisation", "Unit", "Name", "E-mail", "Role", "Phone"])
    sheet.append([world.municipality.name, "Förskolan Solrosen", "Nils Ny", "nils@ystad.se", "Process lead", ""])
    sheet.append([world.municipality.name, "Förskolan Okänd", "Olga Ok", "olga@ystad.se", "medarbetare", ""])
    sheet.append([world.municipality.name, "Elevhälsan", "Kurt Igen", world.team_same_org.email, "processledare", ""])
    sheet.append([world.municipality.name, "Elevhälsan", "Sara Samordnare", world.coordinator.email, "Medarbetare", ""])
    data = io.BytesIO()
    workbook.save(data)
    admin = logged_in_client(world.tenant, world.admin.email)
    response = _upload(admin, data.getvalue(), "personal.xlsx")
    assert response.status_code == 302
    body = admin.get(response["Location"] + "?visa=fel").content.decode()
    assert "Okänd enhet «Förskolan Okänd» i Ystads kommun – Barn- och utbildningsförvaltningen." in body
    assert "kurator.y@ystad.se har redan ett konto (Medarbetare, Elevhälsan)." in body
    assert "nils@ystad.se" not in body  # only the rows in error are listed
    full = admin.get(response["Location"]).content.decode()
    assert "1 giltig rad importeras" in full and "1 rad finns redan och ändras inte" in full


def test_oversized_and_malformed_files_are_refused_at_the_field(world, settings):
    admin = logged_in_client(world.tenant, world.admin.email)
    settings.STAFF_IMPORT_MAX_BYTES = 1000
    response = _upload(admin, b"Organisation;Enhet\n" + b"x" * 2000, "stor.csv")
    body = response.content.decode()
    assert response.status_code == 400 and 'id="id_file_error"' in body
    assert "Filen är för stor (0.0 MB). Högst 0.001 MB är tillåtet; dela upp den." in body
    settings.STAFF_IMPORT_MAX_BYTES = 5_000_000
    for data, name, message in (
        (b"\x00\x01\x02garbage", "trasig.xlsx", "trasig.xlsx kunde inte läsas som en Excel-fil (XLSX)."),
        (b"%PDF-1.4", "personal.pdf", "Välj en fil av typen CSV eller XLSX (Excel)."),
        (b"", "tom.csv", "Den skickade filen var tom."),
        (b"# bara en hj\xc3\xa4lprad\n", "tom.csv", "Filen tom.csv är tom."),
        (b"Namn;E-post\n", "fel.csv", "Kolumnerna Organisation, Enhet, Roll saknas i fel.csv."),
    ):
        response = _upload(admin, data, name)
        assert response.status_code == 400 and message in response.content.decode(), name


def test_a_unit_with_history_is_closed_not_deleted(world):
    admin = logged_in_client(world.tenant, world.admin.email)
    response = admin.post(f"/organisationer/enheter/{world.bup.pk}/", {"action": "close"}, follow=True)
    assert "1 aktiva medarbetare arbetar i enheten. Flytta dem till en annan enhet först." in response.content.decode()
    response = admin.post(f"/personal/{world.team_region.pk}/", {"role": "staff", "unit": world.student_health.pk})
    assert response.status_code == 302
    response = admin.post(f"/organisationer/enheter/{world.bup.pk}/", {"action": "delete"}, follow=True)
    assert (
        "Enheten har historik (personal, inbjudningar eller barn) och kan inte tas bort." in response.content.decode()
    )
    assert admin.post(f"/organisationer/enheter/{world.bup.pk}/", {"action": "close"}).status_code == 302
    with tenant_context(world.tenant):
        bup = Unit.objects.get(pk=world.bup.pk)
        assert bup.is_closed
    page = admin.get("/organisationer/").content.decode()
    assert "BUP Ystad" in page and "stängd" in page
    # No one is invited into a closed unit; the organisation closes once its units are closed.
    response = admin.post(
        "/api/staff/invitations/", {"email": "ny@ystad.se", "full_name": "Ny", "role": "staff", "unit_id": world.bup.pk}
    )
    assert response.status_code == 400 and response.json()["errors"]["unit"] == ["Enheten BUP Ystad är stängd."]
    assert admin.post(f"/api/organisations/{world.region.pk}/close/").status_code == 200
    assert admin.delete(f"/api/organisations/{world.region.pk}/").status_code == 400
    # A unit made by mistake, without history, can be removed.
    created = admin.post("/api/units/", {"organisation": world.municipality.pk, "name": "Fel", "kind": "skola"}).json()
    assert (
        admin.put(
            f"/api/units/{created['id']}/", {"name": "Fel igen", "kind": "skola"}, content_type="application/json"
        ).json()["name"]
        == "Fel igen"
    )
    assert admin.delete(f"/api/units/{created['id']}/").status_code == 204


def test_role_and_unit_changes_are_recorded_and_readable_in_loggkontroll(world):
    admin = logged_in_client(world.tenant, world.admin.email)
    response = admin.post(f"/personal/{world.team_same_org.pk}/", {"role": "process_lead", "unit": world.bup.pk})
    assert response.status_code == 302
    with tenant_context(world.tenant):
        kurt = User.objects.get(pk=world.team_same_org.pk)
        assert (kurt.role, kurt.unit_id) == ("process_lead", world.bup.pk)
        change = StaffChange.objects.get(user=kurt)
        assert (change.old_role, change.new_role, change.old_unit_id, change.changed_by_id) == (
            "staff",
            "process_lead",
            world.student_health.pk,
            world.admin.pk,
        )
        assert AuditEntry.objects.filter(
            object_type="accounts.staffchange", object_id=str(change.pk), actor=world.admin
        ).exists()
    history = admin.get(f"/personal/{world.team_same_org.pk}/").content.decode()
    assert "Medarbetare → Processledare" in history and "Elevhälsan → BUP Ystad" in history
    review = admin.get("/loggkontroll/", {"actor": world.admin.pk}).content.decode()
    assert "Roll eller enhet för Kurt Kurator: Medarbetare → Processledare, Elevhälsan → BUP Ystad" in review
    # Through the API too; and no one changes their own role.
    response = admin.put(
        f"/api/staff/{world.team_same_org.pk}/",
        {"role": "staff", "unit_id": world.bup.pk},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["role"] == "staff"
    response = admin.post(f"/personal/{world.admin.pk}/", {"role": "staff", "unit": world.preschool.pk})
    assert response.status_code == 200 and "Du kan inte ändra din egen roll." in response.content.decode()
