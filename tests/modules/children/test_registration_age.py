"""A child is under CHILD_MAX_AGE_YEARS at registration (a mistyped century once registered someone born in
1912): refused in the service, so the page and the API both say why, and nothing is written."""

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from django_tenants.utils import tenant_context

from modules.children.models import Child
from modules.children.services import ChildError, child_register
from tests.factories import logged_in_client, personnummer


def _born(*, years_ago: int, days_later: int = 0) -> str:
    """The number of someone who turns `years_ago` years old today, shifted by some days."""
    return personnummer(
        (timezone.localdate() - relativedelta(years=years_ago) + timedelta(days=days_later)).strftime("%Y%m%d")
    )


def test_a_person_born_in_1912_is_refused_at_the_field_through_the_api(world):
    response = logged_in_client(world.tenant, world.outsider.email).post(
        "/api/children/",
        {"personnummer": personnummer("19120304"), "given_name": "Gammal", "family_name": "Person", "concern": "x"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "Barnet måste vara under 21 år vid registreringen" in response.json()["errors"]["personnummer"][0]
    with tenant_context(world.tenant):
        assert Child.objects.count() == 1


def test_a_person_born_in_1912_is_refused_at_the_field_on_the_page(world):
    response = logged_in_client(world.tenant, world.outsider.email).post(
        "/barn/registrera/",
        {"personnummer": personnummer("19120304"), "given_name": "Gammal", "family_name": "Person", "concern": "x"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="id_personnummer_error"' in body
    assert "Barnet måste vara under 21 år vid registreringen" in body
    with tenant_context(world.tenant):
        assert Child.objects.count() == 1


@pytest.mark.parametrize(("years", "days", "accepted"), [(21, 0, False), (21, 1, True), (20, 0, True)])
def test_the_limit_is_the_21st_birthday(world, years, days, accepted):
    # Turning 21 today is too old; turning 21 tomorrow is still a child.
    number = _born(years_ago=years, days_later=days)
    with tenant_context(world.tenant):
        if accepted:
            assert child_register(
                personnummer=number, given_name="A", family_name="B", acting_user=world.outsider, concern="x"
            ).created
        else:
            with pytest.raises(ChildError, match="under 21 år"):
                child_register(
                    personnummer=number, given_name="A", family_name="B", acting_user=world.outsider, concern="x"
                )


def test_the_limit_is_a_setting(world, settings):
    settings.CHILD_MAX_AGE_YEARS = 18
    with tenant_context(world.tenant), pytest.raises(ChildError, match="under 18 år"):
        child_register(
            personnummer=_born(years_ago=19),
            given_name="A",
            family_name="B",
            acting_user=world.outsider,
            concern="x",
        )
