"""Registering a child: one record per number, the number encrypted at rest, shown masked, revealed on
request with a log entry, and its key rotatable."""

import io

from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django_tenants.utils import tenant_context

from modules.audit.models import AuditEntry
from modules.children.crypto import personnummer_decrypt
from modules.children.models import Child
from modules.children.services import child_register
from tests.factories import logged_in_client


def _table_text(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT string_agg(t::text, '\n') FROM {table} t")  # noqa: S608 - fixed table names
        return cursor.fetchone()[0] or ""


def test_the_plain_number_is_nowhere_in_the_database(world):
    digits = world.number.replace("-", "")
    with tenant_context(world.tenant):
        stored = "\n".join(
            _table_text(table)
            for table in (
                "children_child",
                "children_concern",
                "chronology_event",
                "audit_auditentry",
                "consent_consent",
            )
        )
        child = Child.objects.get(pk=world.child.pk)
        assert personnummer_decrypt(child.personnummer_ciphertext) == digits
    for fragment in (digits, digits[2:], world.number, world.number[2:], digits[8:] + "'"):
        assert fragment not in stored
    assert "20150312" in stored  # the masked prefix (a birth date) is kept in clear, on purpose


def test_registering_a_child_who_exists_finds_the_existing_record(world):
    with tenant_context(world.tenant):
        again = child_register(
            personnummer=world.number[2:],  # the same number written in the short form
            given_name="Alva",
            family_name="Anderson",
            acting_user=world.outsider,
            concern="Ser ofta Alva ensam på rasten.",
        )
        assert not again.created
        assert again.child.pk == world.child.pk
        assert Child.objects.count() == 1


def test_registration_with_an_invalid_number_explains_at_the_field_and_creates_nothing(world):
    response = logged_in_client(world.tenant, world.outsider.email).post(
        "/barn/registrera/",
        {"personnummer": "20150312-2383", "given_name": "Ny", "family_name": "Person", "concern": "Oro"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="id_personnummer_error"' in body
    assert 'aria-describedby="id_personnummer_helptext id_personnummer_error"' in body
    assert "Kontrollsiffran stämmer inte" in body
    with tenant_context(world.tenant):
        assert Child.objects.count() == 1


def test_the_number_is_masked_and_revealing_it_is_logged(world):
    client = logged_in_client(world.tenant, world.contact.email)
    page = client.get(f"/barn/{world.child.pk}/").content.decode()
    assert "20150312-****" in page
    assert world.number not in page

    revealed = client.post(f"/barn/{world.child.pk}/personnummer/")
    assert world.number in revealed.content.decode()
    assert revealed["Cache-Control"] == "no-store"
    api = client.post(f"/api/children/{world.child.pk}/reveal-personnummer/")
    assert api.json() == {"personnummer": world.number}
    with tenant_context(world.tenant):
        reveals = AuditEntry.objects.filter(child_id=world.child.pk, action="reveal_personnummer", actor=world.contact)
        assert reveals.count() == 2


def test_a_concern_raiser_cannot_reveal_the_number(world):
    client = logged_in_client(world.tenant, world.raiser.email)
    assert client.post(f"/barn/{world.child.pk}/personnummer/").status_code == 404
    assert client.post(f"/api/children/{world.child.pk}/reveal-personnummer/").status_code == 404


def test_key_rotation_reencrypts_every_number_under_the_new_key(world, settings):
    old_key = settings.PERSONNUMMER_ENCRYPTION_KEYS[0]
    new_key = Fernet.generate_key().decode()
    settings.PERSONNUMMER_ENCRYPTION_KEYS = [new_key, old_key]

    call_command("personnummer_rotate_keys", schema=world.tenant.schema_name, stdout=io.StringIO())

    with tenant_context(world.tenant):
        token = Child.objects.get(pk=world.child.pk).personnummer_ciphertext
    assert Fernet(new_key).decrypt(token.encode()).decode() == world.number.replace("-", "")
    settings.PERSONNUMMER_ENCRYPTION_KEYS = [new_key]  # the old key can now be removed
    with tenant_context(world.tenant):
        assert personnummer_decrypt(token) == world.number.replace("-", "")
        # Lookup (dedup) does not depend on the encryption key.
        assert not child_register(
            personnummer=world.number, given_name="A", family_name="B", acting_user=world.outsider, concern="x"
        ).created


def test_pages_are_swedish_first_and_available_in_english(world):
    client = logged_in_client(world.tenant, world.contact.email)
    assert "Barn du arbetar med" in client.get("/barn/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/barn/"})
    english = client.get("/barn/").content.decode()
    assert "Children you work with" in english and 'lang="en"' in english
    assert "Named contact" in client.get(f"/barn/{world.child.pk}/").content.decode()


def test_the_barnkontakt_adds_a_guardian_and_sets_the_units(world):
    client = logged_in_client(world.tenant, world.contact.email)
    response = client.post(f"/barn/{world.child.pk}/vardnadshavare/", {"name": "Johan Andersson", "relation": "pappa"})
    assert response.status_code == 302
    response = client.post(f"/api/children/{world.child.pk}/units/", {"unit_ids": [world.student_health.pk]})
    assert response.status_code == 204
    detail = client.get(f"/api/children/{world.child.pk}/").json()
    assert [g["name"] for g in detail["guardians"]] == ["Maria Andersson", "Johan Andersson"]
    assert [u["name"] for u in detail["units"]] == ["Elevhälsan"]
    team = logged_in_client(world.tenant, world.team_same_org.email)
    assert team.post(f"/api/children/{world.child.pk}/guardians/", {"name": "X"}).status_code == 404
