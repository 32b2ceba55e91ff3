"""The plan PDF prints every letter of a name: the font is embedded, not one of the PDF's Latin-1 fonts."""

import io

from django.utils import timezone
from django_tenants.utils import tenant_context
from pypdf import PdfReader

from modules.casework.services import goal_add, plan_start
from tests.factories import logged_in_client

NAME = ("Łukasz", "Øberg-Çelik Nguyễn")


def test_a_name_beyond_latin_1_prints_as_written(world, installed):
    with tenant_context(world.tenant):
        world.child.given_name, world.child.family_name = NAME
        world.child.save(update_fields=["given_name", "family_name"])
        plan = plan_start(child=world.child, acting_user=world.coordinator, next_review_on=timezone.localdate())
        # Typed with combining accents (e + U+0302 + U+0303) and typographic punctuation: printed as written.
        goal_add(
            plan=plan,
            area_key="halsa",
            text="Nguye\u0302\u0303n läser – „varje dag”",
            child_words="Jag vill orka",
            acting_user=world.coordinator,
        )
    response = logged_in_client(world.tenant, world.coordinator.email).get(f"/barn/{world.child.pk}/plan/pdf/")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Barnets plan för Łukasz Øberg-Çelik Nguyễn" in text
    assert "Nguyễn läser – „varje dag”" in text, ascii(text)
    assert "?" not in text
    fonts = {font["/BaseFont"] for page in reader.pages for font in page["/Resources"]["/Font"].values()}
    assert all("DejaVuSans" in str(font) for font in fonts), fonts
    assert reader.metadata.title == "Barnets plan - Łukasz Øberg-Çelik Nguyễn"
