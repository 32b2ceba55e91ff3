"""A read of one child is one statement (``modules.children.selectors.child_visible`` with its audit entry): the
access decision, the entry and, for the detail, guardians and units. What a user cares about: a granted read is
logged exactly once, with the entry ``audit_record`` would have written (its MAC, on the chain); a read that is
refused writes nothing and answers 404; what each relationship shows is unchanged."""

from django.db import connection
from django_tenants.utils import tenant_context

from api.children import ChildDetailSerializer
from modules.accounts.models import ApiToken, User
from modules.audit.models import AuditEntry
from modules.audit.selectors import audit_chain_verify
from modules.children.services import emergency_access_grant
from tests.factories import build_world, logged_in_client, token_client


def _token_client(world, user):
    return token_client(world.tenant, user)


def _entries(world):
    with tenant_context(world.tenant):
        return list(AuditEntry.objects.filter(child_id=world.child.pk).order_by("pk"))


def test_a_granted_read_writes_exactly_one_entry_as_audit_record_makes_it_on_an_intact_chain(world):
    client = _token_client(world, world.contact)
    before = _entries(world)
    response = client.get(f"/api/children/{world.child.pk}/", REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 200
    body = response.json()
    assert body["access"] == "full"
    assert list(body) == list(ChildDetailSerializer().fields)  # what the schema documents, in its order
    assert body["birth_date"] == world.child.birth_date.isoformat() and body["personnummer"] == "20150312-****"
    assert [guardian["name"] for guardian in body["guardians"]] == ["Maria Andersson"]
    assert [unit["name"] for unit in body["units"]] == ["Förskolan Solrosen"]
    new = _entries(world)[len(before) :]
    assert len(new) == 1
    (entry,) = new
    assert (entry.actor_id, entry.action, entry.object_type, entry.object_id, entry.ip_address) == (
        world.contact.pk,
        "view",
        "api-child",
        str(world.child.pk),
        "192.0.2.7",
    )
    with tenant_context(world.tenant):
        assert entry.mac == entry.compute_mac(schema_name=world.tenant.schema_name)
        assert entry.hash == entry.compute_hash()
        check = audit_chain_verify()
    assert check.intact, check


def test_a_refused_read_answers_404_and_writes_nothing(world):
    before = len(_entries(world))
    outsider = _token_client(world, world.outsider)
    assert outsider.get(f"/api/children/{world.child.pk}/").status_code == 404
    # Whoever raised a concern may see the child's name, not its chronology (the whole record): refused too.
    raiser = _token_client(world, world.raiser)
    assert raiser.get(f"/api/children/{world.child.pk}/chronology/").status_code == 404
    page = logged_in_client(world.tenant, world.raiser.email).get(f"/barn/{world.child.pk}/kronologi/")
    assert page.status_code == 404
    assert len(_entries(world)) == before


def test_a_concern_raiser_sees_the_name_and_only_their_own_concern_and_the_read_is_logged(world):
    before = len(_entries(world))
    body = _token_client(world, world.raiser).get(f"/api/children/{world.child.pk}/").json()
    assert body["access"] == "own_concern"
    assert body["guardians"] == [] and body["units"] == []
    assert [concern["description"] for concern in body["own_concerns"]] == [
        "Alva verkar ledsen och trött på morgnarna."
    ]
    new = _entries(world)[before:]
    assert [(entry.actor_id, entry.action) for entry in new] == [(world.raiser.pk, "view")]


def test_an_emergency_read_is_flagged_shows_the_whole_record_and_is_logged(world):
    with tenant_context(world.tenant):
        emergency_access_grant(personnummer=world.number, reason="Akut skada", acting_user=world.outsider)
    before = len(_entries(world))
    client = _token_client(world, world.outsider)
    body = client.get(f"/api/children/{world.child.pk}/").json()
    assert body["access"] == "emergency"
    assert [guardian["name"] for guardian in body["guardians"]] == ["Maria Andersson"]
    new = _entries(world)[before:]
    assert [(entry.actor_id, entry.action) for entry in new] == [(world.outsider.pk, "view")]
    # Nödåtkomst reads only: a change is refused, as before.
    reveal = client.post(f"/api/children/{world.child.pk}/reveal-personnummer/")
    assert reveal.status_code == 404


def _prepared_schemas(marker: str) -> set[str]:
    """The schemas whose statement containing ``marker`` this connection has prepared and runs on a generic plan."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement FROM pg_prepared_statements WHERE generic_plans > 0 AND statement LIKE %s",
            [f"%{marker}%"],
        )
        return {statement.split(" */", 1)[0].removeprefix("/* ") for (statement,) in cursor.fetchall()}


def test_prepared_reads_stay_in_their_own_tenant_and_see_changes_at_once(world, skane):
    """The child read and the token lookup are prepared once per (connection, schema) and then run on a saved
    plan: a connection that serves tenants in turn must still answer each from its own schema, and a grant,
    a deleted token or a deactivated account must count on the very next request."""
    other = build_world(skane, prefix="R ", child_name=("Rut", "Rosén"))
    here, there = _token_client(world, world.contact), _token_client(other, other.contact)
    for _ in range(12):  # past psycopg's threshold and PostgreSQL's five custom plans, tenants interleaved
        assert here.get(f"/api/children/{world.child.pk}/").json()["given_name"] == "Alva"
        assert there.get(f"/api/children/{other.child.pk}/").json()["given_name"] == "Rut"
    schemas = {world.tenant.schema_name, skane.schema_name}
    assert _prepared_schemas("WITH seen AS MATERIALIZED") >= schemas
    assert _prepared_schemas("FROM accounts_apitoken") >= schemas

    outsider = _token_client(world, world.outsider)
    for _ in range(8):
        assert outsider.get(f"/api/children/{world.child.pk}/").status_code == 404
    with tenant_context(world.tenant):
        emergency_access_grant(personnummer=world.number, reason="Akut skada", acting_user=world.outsider)
    assert outsider.get(f"/api/children/{world.child.pk}/").json()["access"] == "emergency"

    with tenant_context(other.tenant):
        ApiToken.objects.filter(user=other.contact).delete()
    assert there.get(f"/api/children/{other.child.pk}/").status_code == 401
    with tenant_context(world.tenant):
        User.objects.filter(pk=world.contact.pk).update(is_active=False)
    assert here.get(f"/api/children/{world.child.pk}/").status_code == 401
