"""Need-to-know access as a matrix: roles × relationships × actions, for pages and API alike.

What a user may not see answers exactly like a child that does not exist (same status, same body)."""

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from modules.children.models import ChildContact
from modules.children.services import child_role_hand_over, team_member_end
from tests.factories import logged_in_client

FULL, CONCERN, NONE = "full", "own concern", "none"

# relationship (attribute of the world) -> (what they see, may they manage relationships)
MATRIX = {
    "contact": (FULL, True),  # Barnkontakt, staff role
    "coordinator": (FULL, True),  # Stödsamordnare
    "team_same_org": (FULL, False),  # Barnteam, same organisation as the Barnkontakt
    "team_region": (FULL, False),  # Barnteam, another organisation, under a valid consent
    "raiser": (CONCERN, False),  # raised a concern: their own concern only
    "outsider": (NONE, False),  # staff with no relationship
    "admin": (NONE, False),  # local admin: manages people, not children
    "process_lead": (NONE, False),  # processledare: loggkontroll, not children
}


def _actions(client, child_id):
    """Status of every action, by page and by API."""
    return {
        "page list": client.get("/barn/").content.decode().count(f'href="/barn/{child_id}/"'),
        "api list": sum(row["id"] == child_id for row in client.get("/api/children/").json()["results"]),
        "page detail": client.get(f"/barn/{child_id}/").status_code,
        "api detail": client.get(f"/api/children/{child_id}/").status_code,
        "page chronology": client.get(f"/barn/{child_id}/kronologi/").status_code,
        "api chronology": client.get(f"/api/children/{child_id}/chronology/").status_code,
        "api relationships": client.get(f"/api/children/{child_id}/relationships/").status_code,
        "api consents": client.get(f"/api/children/{child_id}/consents/").status_code,
        "page reveal": client.post(f"/barn/{child_id}/personnummer/").status_code,
        "api reveal": client.post(f"/api/children/{child_id}/reveal-personnummer/").status_code,
        "page manage team": client.get(f"/barn/{child_id}/barnteam/").status_code,
        "page new consent": client.get(f"/barn/{child_id}/samtycken/nytt/").status_code,
        # An empty body: a manager gets 400 (the body is wrong), anyone else 404 before the body is read.
        "api manage team": client.post(f"/api/children/{child_id}/team/", {}).status_code,
        "api set contact": client.post(f"/api/children/{child_id}/child-contact/", {}).status_code,
    }


def _expected(sees, manages):
    listed = 1 if sees in (FULL, CONCERN) else 0
    read_any = 200 if sees in (FULL, CONCERN) else 404
    read_full = 200 if sees == FULL else 404
    return {
        "page list": listed,
        "api list": listed,
        "page detail": read_any,
        "api detail": read_any,
        "page chronology": read_full,
        "api chronology": read_full,
        "api relationships": read_full,
        "api consents": read_full,
        "page reveal": read_full,
        "api reveal": read_full,
        "page manage team": 200 if manages else 404,
        "page new consent": 200 if manages else 404,
        "api manage team": 400 if manages else 404,
        "api set contact": 400 if manages else 404,
    }


@pytest.mark.parametrize("relationship", list(MATRIX))
def test_access_matrix(world, relationship):
    sees, manages = MATRIX[relationship]
    client = logged_in_client(world.tenant, getattr(world, relationship).email)

    assert _actions(client, world.child.pk) == _expected(sees, manages)

    detail = client.get(f"/barn/{world.child.pk}/").content.decode()
    api_detail = client.get(f"/api/children/{world.child.pk}/").json()
    if sees == FULL:
        assert "Maria Andersson" in detail and api_detail["guardians"][0]["name"] == "Maria Andersson"
    if sees == CONCERN:
        assert "Alva Andersson" in detail and "Alva verkar ledsen" in detail
        assert "Maria Andersson" not in detail
        assert api_detail["access"] == "own_concern" and api_detail["guardians"] == []
        assert [c["description"] for c in api_detail["own_concerns"]] == ["Alva verkar ledsen och trött på morgnarna."]


@pytest.mark.parametrize("relationship", ["outsider", "admin", "raiser"])
def test_a_child_one_may_not_see_looks_exactly_like_one_that_does_not_exist(world, relationship):
    client = logged_in_client(world.tenant, getattr(world, relationship).email)
    missing = world.child.pk + 10_000
    for path in ("/barn/{}/kronologi/", "/api/children/{}/chronology/", "/api/children/{}/relationships/"):
        hidden, absent = client.get(path.format(world.child.pk)), client.get(path.format(missing))
        assert (hidden.status_code, hidden.content) == (absent.status_code, absent.content) == (404, absent.content)
    if relationship != "raiser":
        hidden, absent = client.get(f"/api/children/{world.child.pk}/"), client.get(f"/api/children/{missing}/")
        assert (hidden.status_code, hidden.content) == (absent.status_code, absent.content)


def test_a_former_barnkontakt_loses_access_when_the_role_is_handed_over(world):
    with tenant_context(world.tenant):
        child_role_hand_over(
            role=ChildContact, child=world.child, user=world.outsider, acting_user=world.contact, reason="Byter tjänst"
        )
    assert _actions(logged_in_client(world.tenant, world.contact.email), world.child.pk) == _expected(NONE, False)
    assert _actions(logged_in_client(world.tenant, world.outsider.email), world.child.pk) == _expected(FULL, True)


def test_a_team_member_who_left_the_team_loses_access(world):
    with tenant_context(world.tenant):
        member = world.child.team_members.get(user=world.team_same_org)
        team_member_end(member=member, acting_user=world.contact)
    assert _actions(logged_in_client(world.tenant, world.team_same_org.email), world.child.pk) == _expected(NONE, False)


def test_a_deactivated_account_loses_every_access_and_its_token(world):
    client = logged_in_client(world.tenant, world.contact.email)
    token = client.post("/api/token/", {"email": world.contact.email, "password": "Korrekt-häst-batteri-42"}).json()[
        "token"
    ]
    from django.test import Client

    api = Client(HTTP_HOST=world.tenant.primary_domain, HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get(f"/api/children/{world.child.pk}/").status_code == 200
    admin = logged_in_client(world.tenant, world.admin.email)
    assert admin.post(f"/api/staff/{world.contact.pk}/deactivate/").status_code == 204

    assert client.get(f"/barn/{world.child.pk}/").status_code == 302  # the session is gone: to the login page
    assert api.get(f"/api/children/{world.child.pk}/").status_code in (401, 403)
    with tenant_context(world.tenant):
        world.contact.refresh_from_db()
        assert not world.contact.is_active and world.contact.deactivated_at <= timezone.now()
        assert world.child.contacts.filter(user=world.contact).exists()  # history stays


@pytest.mark.parametrize("role_holder", ["admin", "process_lead"])
def test_an_admin_or_processledare_in_a_relationship_sees_the_child_like_anyone_else(world, role_holder):
    """The relationship decides, never the role: an admin who is in the Barnteam sees what a member sees."""
    from modules.children.services import team_member_add

    with tenant_context(world.tenant):
        team_member_add(
            child=world.child, user=getattr(world, role_holder), team_role="Specialpedagog", acting_user=world.contact
        )
    client = logged_in_client(world.tenant, getattr(world, role_holder).email)
    assert _actions(client, world.child.pk) == _expected(FULL, False)
