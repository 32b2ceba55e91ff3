"""The family's documents: Barnets plan (municipality name and logo, contacts, goals in the child's and the
guardians' words, actions with status, the compass chart, the agreement) in Swedish and English, and the
registerutdrag as a readable PDF. Rendered to images with PDFium and read back as text: names with letters
outside Latin-1 print as written."""

import io
from datetime import timedelta

import pypdfium2 as pdfium
from django.utils import timezone
from django_tenants.utils import tenant_context
from PIL import Image
from pypdf import PdfReader

from modules.audit.models import AuditEntry
from modules.casework.plan_services import Responsible, plan_agreement_record
from modules.casework.services import action_add, action_complete, assessment_make, goal_add, plan_start
from modules.children.services import GuardianData, guardian_add
from tests.factories import logged_in_client
from tests.modules.casework.test_process import ratings

LOGO_RED = (200, 16, 46)


def _logo() -> bytes:
    image = Image.new("RGB", (120, 60), LOGO_RED)
    data = io.BytesIO()
    image.save(data, format="PNG")
    return data.getvalue()


def _pdfium_text(pdf: pdfium.PdfDocument) -> str:
    return "\n".join(pdf[index].get_textpage().get_text_range() for index in range(len(pdf)))


def _has_colour(image: Image.Image, colour, tolerance=30) -> bool:
    colours = image.convert("RGB").getcolors(maxcolors=1 << 24)  # (count, colour) per colour, counted in C
    return any(all(abs(got - want) <= tolerance for got, want in zip(rgb, colour, strict=True)) for _n, rgb in colours)


def test_the_plan_and_the_registerutdrag_print_for_the_family_in_their_language(world, installed):
    today = timezone.localdate()
    admin = logged_in_client(world.tenant, world.admin.email)
    assert "Dokument" in admin.get("/").content.decode()  # reachable from the local admin's menu
    refused = admin.post("/dokument/", {"municipality_name": "Ystads kommun", "logo": io.BytesIO(b"not an image")})
    assert "PNG- eller JPEG-bild" in refused.content.decode()
    logo = io.BytesIO(_logo())
    logo.name = "logo.png"
    saved = admin.post("/dokument/", {"municipality_name": "Ystads kommun", "phone": "0411-57 70 00", "logo": logo})
    assert saved.status_code == 302
    assert logged_in_client(world.tenant, world.contact.email).get("/dokument/").status_code == 404
    with tenant_context(world.tenant):
        child = world.child
        child.given_name, child.family_name = "Łukasz", "Nguyễn"
        child.save(update_fields=["given_name", "family_name"])
        guardian_add(
            child=child,
            guardian=GuardianData(name="Zofia Wiśniewska", relation="mamma", phone="070-765 43 21"),
            acting_user=world.contact,
        )
        assessment_make(
            child=child,
            acting_user=world.contact,
            assessed_on=today,
            ratings=ratings("3", halsa="4"),
            perspective_keys=["barnet"],
            participants="Karin, Łukasz",
            support_level_key="stodsamordnare",
            support_level_reason="Flera verksamheter",
        )
        plan = plan_start(child=child, acting_user=world.coordinator, next_review_on=today + timedelta(weeks=6))
        goal_add(
            plan=plan,
            area_key="halsa",
            text="Äter frukost varje dag",
            child_words="Jag vill orka spela fotboll",
            guardian_words="Vi äter tillsammans",
            acting_user=world.coordinator,
        )
        done = action_add(
            plan=plan,
            what="Frukost i skolan",
            responsible=Responsible(kind="unit", unit=world.student_health),
            due_on=today,
            acting_user=world.coordinator,
        )
        action_complete(action=done, acting_user=world.coordinator)
        action_add(
            plan=plan,
            what="Samtal med kuratorn",
            responsible=Responsible(kind="staff", user=world.team_same_org),
            due_on=today + timedelta(days=14),
            acting_user=world.coordinator,
        )
        guardian = child.guardians.get(name="Zofia Wiśniewska")
        plan_agreement_record(
            plan=plan,
            acting_user=world.coordinator,
            party="guardian",
            guardian=guardian,
            agreed_on=today,
            method="paper",
        )
    client = logged_in_client(world.tenant, world.coordinator.email)
    assert 'id="id_phone_error"' in client.post("/mitt-telefonnummer/", {"phone": "ring mig"}).content.decode()
    assert client.post("/mitt-telefonnummer/", {"phone": "0411-57 71 23"}).status_code == 302

    swedish = client.get(f"/barn/{world.child.pk}/plan/pdf/?sprak=sv")
    assert swedish.status_code == 200 and swedish["Content-Type"] == "application/pdf"
    pdf = pdfium.PdfDocument(swedish.content)
    text = _pdfium_text(pdf)
    for expected in (
        "Ystads kommun",
        "0411-57 70 00",
        "Barnets plan för Łukasz Nguyễn",
        "Zofia Wiśniewska",
        "070-765 43 21",
        "Kurt Kurator",
        "Sara Samordnare",
        "0411-57 71 23",  # her work phone, set by herself
        "Barnets egna ord: Jag vill orka spela fotboll",
        "Vårdnadshavarnas ord: Vi äter tillsammans",
        "Frukost i skolan",
        "Klar",
        "Pågår",
        "Behovskompassen",
        "Zofia Wiśniewska godkände planen",
        "Godkännande saknas från: Maria Andersson",
    ):
        assert expected in text, (expected, text)
    assert PdfReader(io.BytesIO(swedish.content)).metadata.title == "Barnets plan - Łukasz Nguyễn"
    page = pdf[0].render(scale=1).to_pil()
    assert page.size[0] > 500 and _has_colour(page, LOGO_RED), "the logo is drawn"
    chart_pages = [pdf[index].render(scale=1).to_pil() for index in range(len(pdf))]
    assert any(_has_colour(image, (0, 90, 156), tolerance=10) for image in chart_pages), "the compass chart is drawn"

    english = client.get(f"/barn/{world.child.pk}/plan/pdf/?sprak=en")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(english.content)).pages)
    for expected in (
        "The child's plan for Łukasz Nguyễn",
        "The child's own words: Jag vill orka spela fotboll",
        "Participants and contacts",
        "Healthy",
        "Done",
        "Zofia Wiśniewska agreed to the plan",
        "(on paper)",
    ):
        assert expected in text, (expected, text)

    extract = client.get(f"/barn/{world.child.pk}/registerutdrag/pdf/")
    assert extract.status_code == 200 and extract["Cache-Control"] == "no-store"
    document = pdfium.PdfDocument(extract.content)
    text = _pdfium_text(document)
    for expected in (
        "Registerutdrag för Łukasz Nguyễn",
        "dataskyddsförordningen artikel 15",
        "Samverkan kring",  # the consent's purpose
        "Uppmärksammad oro",
        "Äter frukost varje dag",
        "Samtal med kuratorn",
        "Händelser",
    ):
        assert expected in text, (expected, text)
    assert document[0].render(scale=0.5).to_pil().getbbox() is not None
    with tenant_context(world.tenant):
        exports = set(
            AuditEntry.objects.filter(child_id=world.child.pk, action="export").values_list("object_type", flat=True)
        )
    assert {"casework.plan_pdf", "casework.register_pdf"} <= exports
    assert (
        logged_in_client(world.tenant, world.outsider.email)
        .get(f"/barn/{world.child.pk}/registerutdrag/pdf/")
        .status_code
        == 404
    )
