from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, QuerySet

from tenants.models import Tenant, TenantEvent
from tenants.provisioning.schema import quote_identifier


def tenants_local() -> QuerySet[Tenant]:
    """Municipalities and regions, without the central tenant."""
    return Tenant.objects.exclude(kind=Tenant.Kind.CENTRAL)


def tenant_by_domain(domain: str) -> Tenant | None:
    return Tenant.objects.filter(domains__domain=domain).first()


def tenants_for_console(*, kind: str = "", county: str = "", status: str = "", query: str = "") -> QuerySet[Tenant]:
    tenants = tenants_local().prefetch_related("domains")
    if kind:
        tenants = tenants.filter(kind=kind)
    if county:
        tenants = tenants.filter(county=county)
    if status:
        tenants = tenants.filter(status=status)
    if query:
        tenants = tenants.filter(Q(name__icontains=query) | Q(organisation_number__icontains=query))
    return tenants.order_by("name")


def tenant_events(*, tenant: Tenant) -> QuerySet[TenantEvent]:
    return (
        TenantEvent.objects.filter(Q(tenant=tenant) | Q(application__tenant=tenant))
        .distinct()
        .order_by("-created_at", "-pk")
    )


@dataclass(frozen=True)
class TenantFigures:
    users: int | None
    release: str | None


def _schemas_with_table(table: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT table_schema FROM information_schema.tables WHERE table_name = %s", [table])
        return {row[0] for row in cursor.fetchall()}


def tenant_user_counts(tenants) -> dict[int, int]:
    """Active accounts per tenant, in one query over every tenant schema (UNION ALL)."""
    with_users = _schemas_with_table("accounts_user")
    rows = [(tenant.pk, tenant.schema_name) for tenant in tenants if tenant.schema_name in with_users]
    if not rows:
        return {}
    union = " UNION ALL ".join(
        f"SELECT {int(pk)}, count(*) FROM {quote_identifier(schema)}.accounts_user WHERE is_active"  # noqa: S608
        for pk, schema in rows  # noqa: S608 - identifiers checked by quote_identifier
    )
    with connection.cursor() as cursor:
        cursor.execute(union)
        return dict(cursor.fetchall())


def tenant_release_versions(tenants) -> dict[int, str]:
    """The model configuration release each tenant runs.

    Issue 5 (tenants/releases) owns releases: wire its selector here (tenant id → version). Until then
    every tenant shows none.
    """
    return {}
