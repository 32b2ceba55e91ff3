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


def _per_tenant(tenants, *, table: str, select: str) -> dict:
    """One value per tenant from its own schema's ``table``, in one query over every schema (UNION ALL).

    Schemas without the table (archived, half-built) are left out.
    """
    present = _schemas_with_table(table)
    rows = [(tenant.pk, tenant.schema_name) for tenant in tenants if tenant.schema_name in present]
    if not rows:
        return {}
    union = " UNION ALL ".join(
        f"SELECT {int(pk)}, ({select}) FROM {quote_identifier(schema)}.{table}"  # noqa: S608
        for pk, schema in rows  # identifiers checked by quote_identifier; select is a constant of this module
    )
    with connection.cursor() as cursor:
        cursor.execute(union)
        return {pk: value for pk, value in cursor.fetchall() if value is not None}


def tenant_user_counts(tenants) -> dict[int, int]:
    """Active accounts per tenant."""
    return _per_tenant(tenants, table="accounts_user", select="count(*) FILTER (WHERE is_active)")


def tenant_release_versions(tenants) -> dict[int, str]:
    """The model configuration release each tenant runs (its current installed release)."""
    versions = _per_tenant(
        tenants, table="model_config_installedrelease", select="max(version) FILTER (WHERE is_current)"
    )
    return {pk: str(version) for pk, version in versions.items()}
