"""Barnkontakt and Stödsamordnare: one kind of role holding, handed over by one service."""

import pytest
from django.core.management import call_command
from django_tenants.utils import tenant_context

from modules.children.models import ChildContact, Concern, SupportCoordinator
from modules.children.services import ChildError, child_role_hand_over
from modules.chronology.models import Event

ROLES = [(ChildContact, "contact", Event.Kind.CHILD_CONTACT_CHANGED), (SupportCoordinator, "coordinator", None)]


def test_the_role_models_keep_their_tables_and_need_no_migration(db):
    assert ChildContact._meta.db_table == "children_childcontact"
    assert SupportCoordinator._meta.db_table == "children_supportcoordinator"
    call_command("makemigrations", "children", "--check", "--dry-run", verbosity=0)


@pytest.mark.parametrize(("role", "holder"), [(role, holder) for role, holder, _kind in ROLES])
def test_handing_over_ends_the_holders_period_and_keeps_it_as_history(world, role, holder):
    with tenant_context(world.tenant):
        previous = role.objects.get(child=world.child, ended_at__isnull=True)
        assert previous.user == getattr(world, holder)
        new = child_role_hand_over(
            role=role, child=world.child, user=world.outsider, acting_user=world.admin, reason="Beslut"
        )
        previous.refresh_from_db()
        assert previous.ended_at == new.started_at
        assert role.objects.get(child=world.child, ended_at__isnull=True) == new
        assert new.user == world.outsider and new.assigned_by == world.admin
        assert list(role.objects.filter(child=world.child)) == [new, previous]
        assert Event.objects.filter(child=world.child, actor=world.admin).latest("pk").detail.endswith("Olle Utanför")


@pytest.mark.parametrize("role", [ChildContact, SupportCoordinator])
def test_the_holder_cannot_be_given_the_role_again(world, role):
    with tenant_context(world.tenant):
        holder = role.objects.get(child=world.child, ended_at__isnull=True).user
        with pytest.raises(ChildError) as refused:
            child_role_hand_over(role=role, child=world.child, user=holder, acting_user=world.admin, reason="Beslut")
        assert refused.value.code == "same"


def test_concerns_waiting_for_the_barnkontakt_follow_the_role_and_others_stay(world):
    with tenant_context(world.tenant):
        waiting = Concern.objects.get(child=world.child, acknowledged_at__isnull=True)
        assert waiting.routed_to == world.contact
        child_role_hand_over(
            role=SupportCoordinator, child=world.child, user=world.outsider, acting_user=world.admin, reason="Beslut"
        )
        waiting.refresh_from_db()
        assert waiting.routed_to == world.contact
        child_role_hand_over(
            role=ChildContact, child=world.child, user=world.outsider, acting_user=world.admin, reason="Beslut"
        )
        waiting.refresh_from_db()
        assert waiting.routed_to == world.outsider


def test_the_stodsamordnare_may_be_left_vacant_but_the_barnkontakt_may_not(world):
    with tenant_context(world.tenant):
        assert (
            child_role_hand_over(
                role=SupportCoordinator, child=world.child, user=None, acting_user=world.admin, reason="Beslut"
            )
            is None
        )
        assert not SupportCoordinator.objects.filter(child=world.child, ended_at__isnull=True).exists()
        assert Event.objects.filter(child=world.child).latest("pk").detail == "Ingen stödsamordnare"
        with pytest.raises(ChildError) as refused:
            child_role_hand_over(
                role=ChildContact, child=world.child, user=None, acting_user=world.admin, reason="Beslut"
            )
        assert refused.value.code == "inactive"
        assert ChildContact.objects.filter(child=world.child, ended_at__isnull=True).exists()
