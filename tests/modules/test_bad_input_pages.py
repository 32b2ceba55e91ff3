"""Bad input on the pages (issue 14 §5): the same refusals as the API, said beside the field, never a 500."""

import pytest
from django_tenants.utils import tenant_context

from modules.audit.models import AuditEntry
from modules.children.models import Child
from tests.factories import logged_in_client


def test_registering_the_childs_number_in_fullwidth_digits_on_the_page_finds_the_same_child(world):
    fullwidth = world.number.translate({ord(str(digit)): chr(0xFF10 + digit) for digit in range(10)})
    assert fullwidth != world.number
    response = logged_in_client(world.tenant, world.outsider.email).post(
        "/barn/registrera/",
        {"personnummer": fullwidth, "given_name": "Alva", "family_name": "Andersson", "concern": "Oro"},
    )
    assert response.status_code in (200, 302)
    with tenant_context(world.tenant):
        assert Child.objects.count() == 1


@pytest.mark.parametrize("child_id", ["123456789", "99999999999999999999"])
def test_loggkontroll_of_a_child_id_that_does_not_exist_says_so_and_logs_no_review(world, child_id):
    client = logged_in_client(world.tenant, world.admin.email)
    with tenant_context(world.tenant):
        reviews = AuditEntry.objects.filter(action="access_review").count()
    response = client.get("/loggkontroll/", {"child_id": child_id})
    assert response.status_code == 200
    assert f"Det finns inget barn med id {child_id}." in response.content.decode()
    assert client.get("/loggkontroll/export.csv", {"child_id": child_id}).status_code == 400
    with tenant_context(world.tenant):
        assert AuditEntry.objects.filter(action="access_review").count() == reviews
