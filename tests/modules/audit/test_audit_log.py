"""The audit log: written for every read of a child by every route the project has, append-only in the
database itself, and tamper-evident through its hash chain."""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver
from django_tenants.utils import tenant_context

from backa_platform.core.db import search_path_forget
from modules.audit.models import AuditEntry
from modules.audit.selectors import audit_chain_verify
from modules.audit.services import audit_record, audit_record_children
from tests.factories import build_world, logged_in_client


def routed_paths(resolver=None, prefix=""):
    """Every route of the tenant URL conf, as (route pattern, parameter names), walked from the resolver."""
    resolver = resolver or get_resolver("backa_platform.urls_tenant")
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from routed_paths(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, sorted(entry.pattern.regex.groupindex)


def _fill(route: str, values: dict) -> str:
    def replace(match):
        name = match.group(1).split(":")[-1]
        assert name in values, f"route {route!r} has a parameter {name!r} this test does not know: add it"
        return str(values[name])

    path = re.sub(r"<([^>]+)>", replace, route)
    assert not path.startswith("^"), f"regex route {route!r}: teach this test to fill it"
    return "/" + path


def _parameter_values(world):
    with tenant_context(world.tenant):
        return {
            "child_id": world.child.pk,
            "member_id": world.child.team_members.first().pk,
            "consent_id": world.child.consents.first().pk,
            "user_id": world.outsider.pk,
            "token": "not-a-token",
            "uidb64": "MQ",  # a password reset link's account id (base64 of 1), with the token above
            # Routes of other capabilities (model configuration, training): ids that need not exist.
            "version": 1,
            "key": "introduktion",
            "lesson_key": "lektion-1",
            "course_pk": 1,
            "pk": 1,
            "target_id": 1,
            # The process for one child (casework).
            "concern_id": world.child.concerns.first().pk,
            "action_id": 1,
            "meeting_id": 1,
            "goal_id": 1,
            "number": 1,
            "language": "sv",  # a meeting's documents
            # Nödåtkomst (loggkontroll): an id that need not exist.
            "grant_id": 1,
            # Federated sign-in (modules/identity): providers that need not exist.
            "provider_id": 1,
            "federation_id": 1,
        }


def _shows_child(body: str, world) -> bool:
    return world.child.given_name in body or world.child.personnummer_masked in body or "Maria Andersson" in body


def test_every_routed_read_that_shows_a_child_writes_an_audit_entry(world):
    client = logged_in_client(world.tenant, world.contact.email)
    values = _parameter_values(world)
    showed_child = []
    for route, _names in routed_paths():
        path = _fill(route, values)
        with tenant_context(world.tenant):
            before = AuditEntry.objects.filter(child_id=world.child.pk).count()
        response = client.get(path)
        body = response.content.decode(errors="replace") if not getattr(response, "streaming", False) else ""
        with tenant_context(world.tenant):
            after = AuditEntry.objects.filter(child_id=world.child.pk).count()
        if _shows_child(body, world):
            showed_child.append(path)
            assert after > before, f"GET {path} showed the child but wrote no audit entry"
    # The walk is real: list, detail, chronology, relationships, consents, forms... all showed the child.
    assert len(showed_child) >= 10, showed_child


def test_no_route_shows_the_child_to_someone_without_a_relationship(world):
    values = _parameter_values(world)
    for who in (world.outsider, world.admin, world.process_lead):
        client = logged_in_client(world.tenant, who.email)
        for route, _names in routed_paths():
            path = _fill(route, values)
            for response in (client.get(path), client.post(path, {})):
                body = response.content.decode(errors="replace")
                assert not _shows_child(body, world), f"{who.email}: {path} showed the child"


def test_no_child_data_from_one_tenant_is_reachable_from_another_by_any_route(world, skane):
    other = build_world(skane, prefix="S ", child_name=("Bertil", "Berg"))
    values = _parameter_values(world)  # Ystad's ids, tried on Skåne's host
    for who in (other.contact, other.admin):
        client = logged_in_client(skane, who.email)
        for route, _names in routed_paths():
            path = _fill(route, values)
            for response in (client.get(path), client.post(path, {})):
                body = response.content.decode(errors="replace")
                assert "Alva" not in body and "Maria Andersson" not in body, f"{path} on Skåne showed Ystad's child"
    # A token from Ystad is no token at Skåne.
    token = (
        logged_in_client(world.tenant, world.contact.email)
        .post("/api/token/", {"email": world.contact.email, "password": "Korrekt-häst-batteri-42"})
        .json()["token"]
    )
    from django.test import Client

    assert Client(HTTP_HOST=skane.primary_domain, HTTP_AUTHORIZATION=f"Token {token}").get(
        "/api/children/"
    ).status_code in (401, 403)


def test_list_search_and_reveal_are_logged_with_who_what_and_from_where(world):
    client = logged_in_client(world.tenant, world.contact.email)
    client.get("/api/children/", REMOTE_ADDR="10.1.2.3")
    client.post(f"/api/children/{world.child.pk}/reveal-personnummer/", REMOTE_ADDR="10.1.2.3")
    with tenant_context(world.tenant):
        listed = AuditEntry.objects.get(action="list", actor=world.contact)
        revealed = AuditEntry.objects.get(action="reveal_personnummer")
    assert (listed.child_id, str(listed.ip_address)) == (world.child.pk, "10.1.2.3")
    assert (revealed.actor, revealed.child_id, revealed.object_type) == (
        world.contact,
        world.child.pk,
        "children.child",
    )


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_auditentry SET action = 'view'", "DELETE FROM audit_auditentry", "TRUNCATE audit_auditentry"],
)
def test_the_database_refuses_to_change_or_remove_audit_entries(world, statement):
    with tenant_context(world.tenant):
        assert AuditEntry.objects.exists()
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending foreign key checks to hide behind
            cursor.execute(statement)
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            AuditEntry.objects.all().delete()


def test_the_chain_check_passes_on_an_intact_log_and_finds_an_altered_entry(world):
    with tenant_context(world.tenant):
        check = audit_chain_verify()
        assert check.intact and check.entries == AuditEntry.objects.count()
        victim = AuditEntry.objects.order_by("pk")[2]
        # Someone with the database superuser's powers switches the trigger off and edits an entry.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute("UPDATE audit_auditentry SET action = 'export' WHERE id = %s", [victim.pk])
            cursor.execute("SET LOCAL session_replication_role = origin")
    out = io.StringIO()
    with pytest.raises(CommandError, match="tampered"):
        call_command("audit_verify", schema=world.tenant.schema_name, stdout=out)
    assert f"BROKEN at entry {victim.pk}" in out.getvalue()


def test_the_database_chains_every_entry_as_the_chain_check_recomputes_it(world):
    # The trigger writes the hash; `audit_verify` recomputes it in Python. Both must agree for every kind of
    # value an entry holds: no actor, child id 0, an IPv4 and an IPv6 address.
    with tenant_context(world.tenant), transaction.atomic():
        before = AuditEntry.objects.count()
        written = audit_record_children(acting_user=None, action="list", child_ids=[0, world.child.pk])
        audit_record(
            acting_user=world.outsider, action="view", child=world.child, object_id="1", request=_from("127.0.0.1")
        )
        audit_record(acting_user=world.outsider, action="view", child=None, object_id="2", request=_from("2001:db8::1"))
        # A writer that is not this module (a person at a psql prompt) still extends the chain, also with
        # another search_path and a schema-qualified table; without the key it cannot sign its entries.
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO audit_auditentry (at, action, object_type, object_id, previous_hash, hash)"
                " VALUES (now(), 'export', 'psql', 'x', 'forged', 'forged')"
            )
            cursor.execute("SET LOCAL search_path = public")
            cursor.execute(
                f"INSERT INTO {world.tenant.schema_name}.audit_auditentry"  # noqa: S608 - the test's own schema
                " (at, action, object_type, object_id, previous_hash, hash)"
                " VALUES (now(), 'export', 'psql', 'y', 'forged', 'forged')"
            )
        search_path_forget()
        assert written is None
        entries = list(AuditEntry.objects.order_by("pk")[before:])
        check = audit_chain_verify()
    assert len(entries) == 6 and check.broken_at == entries[4].pk and "not written by the application" in check.reason
    assert check.head_hash == entries[3].hash and all(entry.mac for entry in entries[:4])
    assert all(entry.hash == entry.compute_hash() for entry in entries)
    assert [entry.previous_hash for entry in entries[1:]] == [entry.hash for entry in entries[:-1]]
    assert {entry.ip_address for entry in entries} == {None, "127.0.0.1", "2001:db8::1"}


def _from(address):
    return type("Request", (), {"META": {"REMOTE_ADDR": address}})()


def test_the_chain_check_finds_a_removed_entry(world):
    with tenant_context(world.tenant):
        victim = AuditEntry.objects.order_by("pk")[1]
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [victim.pk])
            cursor.execute("SET LOCAL session_replication_role = origin")
        check = audit_chain_verify()
    assert not check.intact and "removed" in check.reason


def test_every_tenant_schema_has_the_append_only_trigger(ystad, skane):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE t.tgname = 'audit_entry_no_update_or_delete'"
        )
        schemas = {row[0] for row in cursor.fetchall()}
    assert {ystad.schema_name, skane.schema_name} <= schemas
