"""Creating tenants: precise refusals, and nothing half-made when refused."""

import pytest
from django.db import connection

from tenants.models import Domain, Tenant, TenantEvent
from tenants.services import TenantError, tenant_create


def _create(**overrides):
    values = {
        "name": "Hällefors kommun",
        "kind": Tenant.Kind.MUNICIPALITY,
        "organisation_number": "212000-1918",
        "county": "T",
        "subdomain": "hallefors",
    }
    values.update(overrides)
    return tenant_create(**values)


def _schema_exists(name):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM information_schema.schemata WHERE schema_name = %s", [name])
        return cursor.fetchone() is not None


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"organisation_number": "212000-1919"}, "Ogiltigt organisationsnummer"),
        ({"organisation_number": "12345"}, "Ogiltigt organisationsnummer"),
        ({"subdomain": "Hallefors"}, "Ogiltig subdomän"),
        ({"subdomain": "-hallefors"}, "Ogiltig subdomän"),
        ({"subdomain": "www"}, "är reserverad"),
        ({"subdomain": "ystad"}, "är redan tagen"),
        ({"organisation_number": "212000-1173"}, "Det finns redan en instans"),
    ],
)
def test_bad_tenant_input_is_refused_precisely_and_writes_nothing(db, overrides, message):
    tenants_before = Tenant.objects.count()

    with pytest.raises(TenantError) as refused:
        _create(**overrides)

    assert message in " ".join(refused.value.messages)
    assert Tenant.objects.count() == tenants_before
    assert not Domain.objects.filter(domain="hallefors.localhost").exists()
    assert not _schema_exists("t_hallefors")


def test_created_tenant_has_schema_domain_and_events(db):
    tenant = _create()

    assert tenant.schema_name == "t_hallefors"
    assert tenant.primary_domain == "hallefors.localhost"
    assert tenant.organisation_number == "212000-1918"
    assert _schema_exists("t_hallefors")
    assert list(TenantEvent.objects.filter(tenant=tenant).values_list("kind", flat=True)) == [
        TenantEvent.Kind.CREATED,
        TenantEvent.Kind.DOMAIN_ADDED,
    ]
