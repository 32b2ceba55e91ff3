"""A read's audit entry is written and committed before the answer is built, outside any transaction of the
request: the entry's INSERT takes the tenant's audit chain lock (migration 0004), and a transaction around
the read would keep every other reader of the tenant waiting until the page was rendered.

The tests run inside pytest-django's own transaction, so "outside any transaction of the request" is measured
as the depth of atomic blocks while the page is built: the same as the test's own, not one more."""

import pytest
from django.db import DatabaseError, connection
from django.test.signals import template_rendered
from django_tenants.utils import tenant_context

import api.children
from modules.audit.models import AuditEntry
from tests.factories import logged_in_client


class _Seen:
    """What the request looked like when ``template`` started rendering (the test client's signal)."""

    def __init__(self, template: str, probe):
        self.template, self.probe, self.values = template, probe, []

    def __call__(self, sender, template, context, **kwargs):
        if template.name == self.template:
            self.values.append(self.probe())

    def __enter__(self):
        template_rendered.connect(self)
        return self

    def __exit__(self, *exc):
        template_rendered.disconnect(self)


def _reads_of(child_id, action="view") -> int:
    return AuditEntry.objects.filter(child_id=child_id, action=action).count()


def test_the_childs_page_is_rendered_outside_a_transaction_after_its_entry(world):
    client = logged_in_client(world.tenant, world.contact.email)
    depth = len(connection.atomic_blocks)  # the test's own transaction
    with tenant_context(world.tenant):
        before = _reads_of(world.child.pk)
    with _Seen("children/detail.html", lambda: (len(connection.atomic_blocks), _reads_of(world.child.pk))) as seen:
        assert client.get(f"/barn/{world.child.pk}/").status_code == 200
    assert seen.values == [(depth, before + 1)]


def test_a_change_through_a_childs_page_is_still_one_transaction(world, monkeypatch):
    import modules.children.views as views

    client = logged_in_client(world.tenant, world.contact.email)
    depth = len(connection.atomic_blocks)
    member = world.child.team_members.first()
    seen = []
    real = views.team_member_end

    def spy(**kwargs):
        seen.append(len(connection.atomic_blocks))
        return real(**kwargs)

    monkeypatch.setattr(views, "team_member_end", spy)
    assert client.post(f"/barn/{world.child.pk}/barnteam/{member.pk}/avsluta/").status_code == 302
    assert seen == [depth + 1]  # the permission, the change and its entry: one transaction


def test_the_start_page_logs_the_children_it_names_before_it_is_rendered(world):
    client = logged_in_client(world.tenant, world.contact.email)
    with tenant_context(world.tenant):
        before = _reads_of(world.child.pk, "list")
    with _Seen("tenant/home.html", lambda: _reads_of(world.child.pk, "list")) as seen:
        page = client.get("/").content.decode()
    assert "Alva Andersson" in page
    assert seen.values == [before + 1]  # written by the view, not by a tag while the page renders


@pytest.mark.parametrize(
    ("path", "patched"),
    [
        # The child's own answer: its access decision, entry, guardians and units are one statement, then the
        # serializer builds the answer.
        ("/api/children/{id}/", "ChildDetailSerializer.to_representation"),
        ("/api/children/{id}/chronology/", "chronology_of"),
        ("/api/children/{id}/relationships/", "team_with_access"),
    ],
)
def test_an_api_read_is_answered_outside_a_transaction_after_its_entry(world, monkeypatch, path, patched):
    client = logged_in_client(world.tenant, world.contact.email)
    depth = len(connection.atomic_blocks)
    with tenant_context(world.tenant):
        before = _reads_of(world.child.pk)
    seen = []
    owner, _, name = patched.rpartition(".")
    target = getattr(api.children, owner) if owner else api.children
    real = getattr(target, name)

    def spy(*args, **kwargs):
        seen.append((len(connection.atomic_blocks), _reads_of(world.child.pk)))
        return real(*args, **kwargs)

    monkeypatch.setattr(target, name, spy)
    assert client.get(path.format(id=world.child.pk)).status_code == 200
    assert seen == [(depth, before + 1)]


@pytest.mark.parametrize("path", ["/barn/{id}/", "/api/children/{id}/"])
def test_no_child_data_is_answered_when_its_entry_cannot_be_written(world, monkeypatch, path):
    import modules.children.permissions as permissions

    real = permissions.audit_entry

    def unwritable(**kwargs):
        # An entry the database refuses (its action is longer than the column): the statement that decides
        # access and writes the entry fails as a whole, and the request with it.
        entry = real(**kwargs)
        entry.action = "x" * 31
        return entry

    monkeypatch.setattr(permissions, "audit_entry", unwritable)
    client = logged_in_client(world.tenant, world.contact.email)
    with pytest.raises(DatabaseError, match="too long"):
        client.get(path.format(id=world.child.pk))
