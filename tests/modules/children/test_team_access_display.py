"""What the child's page and the API show about a Barnteam member's access is the access rule's own answer:
a consent that has run out closes the record to its member the same day, and the page says so (it used to
go on showing "Samtycke till <date>" as if the member still had access)."""

from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import tenant_context

from modules.consent.models import Consent
from tests.factories import logged_in_client


def _consent_ran_out_yesterday(world):
    with tenant_context(world.tenant):
        consent = world.child.consents.get()
        Consent.objects.filter(pk=consent.pk).update(
            given_on=timezone.localdate() - timedelta(days=400), valid_until=timezone.localdate() - timedelta(days=1)
        )
        return Consent.objects.get(pk=consent.pk)


def _bup_row(page: str) -> str:
    return next(row for row in page.split("<tr>") if "Bo BUP" in row)


def test_the_page_shows_a_valid_consent_as_the_members_ground(world):
    page = logged_in_client(world.tenant, world.contact.email).get(f"/barn/{world.child.pk}/").content.decode()
    assert "Samtycke till" in _bup_row(page) and "ingen åtkomst" not in _bup_row(page)


def test_an_expired_consent_is_shown_as_no_access_on_the_page_and_in_the_api(world):
    consent = _consent_ran_out_yesterday(world)
    client = logged_in_client(world.tenant, world.contact.email)
    assert logged_in_client(world.tenant, world.team_region.email).get(f"/barn/{world.child.pk}/").status_code == 404

    row = _bup_row(client.get(f"/barn/{world.child.pk}/").content.decode())
    assert "Samtycke till" not in row
    assert f"Samtycket gällde till {consent.valid_until:%Y-%m-%d} – ingen åtkomst" in row

    team = client.get(f"/api/children/{world.child.pk}/relationships/").json()["team"]
    assert {member["user"]["email"]: member["has_access"] for member in team} == {
        world.team_same_org.email: True,
        world.team_region.email: False,
    }


def test_english_page_says_the_same(world):
    _consent_ran_out_yesterday(world)
    client = logged_in_client(world.tenant, world.contact.email)
    row = _bup_row(client.get(f"/barn/{world.child.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert "no access" in row and "Samtycket" not in row
