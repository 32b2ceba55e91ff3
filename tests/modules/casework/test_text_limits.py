"""Issue 12: free text has limits (a 20,000-character concern was stored), refused with a message on the page
and a 400 from the API, with nothing written; a guardian's phone number is checked like every other."""

from django_tenants.utils import tenant_context

from modules.children.models import Concern, Guardian
from tests.factories import logged_in_client


def test_a_20000_character_concern_is_refused_on_the_page_and_in_the_api(world, installed):
    raiser = logged_in_client(world.tenant, world.raiser.email)
    text = "Oro. " * 4000

    page = raiser.post(f"/barn/{world.child.pk}/oro/", {"description": text, "area_keys": ["halsa"], "urgency": "high"})
    api = raiser.post(
        f"/api/children/{world.child.pk}/concerns/",
        {"description": text, "area_keys": ["halsa"]},
        content_type="application/json",
    )

    body = page.content.decode()
    assert page.status_code == 200 and 'id="id_description_error"' in body and "5000" in body
    assert api.status_code == 400 and "description" in api.json()["errors"]
    with tenant_context(world.tenant):
        assert not Concern.objects.filter(description=text).exists()


def test_a_guardians_phone_number_must_be_a_phone_number(world, installed):
    contact = logged_in_client(world.tenant, world.contact.email)

    page = contact.post(f"/barn/{world.child.pk}/vardnadshavare/", {"name": "Anna Andersson", "phone": "abc"})
    api = contact.post(
        f"/api/children/{world.child.pk}/guardians/",
        {"name": "Anna Andersson", "phone": "1" * 100},
        content_type="application/json",
    )

    assert 'id="id_phone_error"' in page.content.decode() and "telefonnummer" in page.content.decode()
    assert api.status_code == 400 and "phone" in api.json()["errors"]
    with tenant_context(world.tenant):
        assert not Guardian.objects.filter(name="Anna Andersson").exists()
