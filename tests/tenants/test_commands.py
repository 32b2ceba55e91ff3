"""The management commands a national operator runs."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_tenants.utils import tenant_context

from modules.accounts.models import User
from tenants.models import Tenant


def test_tenant_create_command_refuses_an_invalid_organisation_number_with_the_reason(db):
    with pytest.raises(CommandError, match="Ogiltigt organisationsnummer"):
        call_command(
            "tenant_create",
            name="Nora kommun",
            kind="municipality",
            organisation_number="212000-0000",
            county="T",
            subdomain="nora",
        )
    assert not Tenant.objects.filter(name="Nora kommun").exists()


def test_tenant_create_command_makes_a_reachable_tenant_with_its_admin(db):
    out = StringIO()
    call_command(
        "tenant_create",
        name="Nora kommun",
        kind="municipality",
        organisation_number="212000-1975",
        county="T",
        subdomain="nora",
        admin_email="admin@nora.se",
        stdout=out,
    )
    tenant = Tenant.objects.get(name="Nora kommun")
    assert tenant.primary_domain == "nora.localhost"
    assert "admin@nora.se / " in out.getvalue()
    with tenant_context(tenant):
        assert User.objects.get(email="admin@nora.se").role == User.Role.LOCAL_ADMIN


def test_bootstrap_central_is_safe_to_run_again_and_prints_a_password_only_once(db):
    first, second = StringIO(), StringIO()
    call_command("bootstrap_central", coordinator_email="ny@backabarnet.se", stdout=first)
    call_command("bootstrap_central", coordinator_email="ny@backabarnet.se", stdout=second)

    assert Tenant.objects.filter(kind=Tenant.Kind.CENTRAL).count() == 1
    assert "ny@backabarnet.se / " in first.getvalue()
    assert "already exists; password unchanged" in second.getvalue()
    assert User.objects.get(email="ny@backabarnet.se").role == User.Role.NATIONAL_COORDINATOR
