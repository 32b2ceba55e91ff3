from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from tenants.models import Tenant, TenantEvent
from tenants.provisioning.schema import quote_identifier


def tenants_local() -> QuerySet[Tenant]:
    """Municipalities and regions, without the central tenant."""
    return Tenant.objects.exclude(kind=Tenant.Kind.CENTRAL)


# Statuses in which a tenant's schema holds its data: set up, in use or paused. Not a tenant that has only
# applied, is being provisioned (or failed to be) or is archived (its schema dropped).
READY_STATUSES = (Tenant.Status.ONBOARDING, Tenant.Status.ACTIVE, Tenant.Status.SUSPENDED)
# Of those, the ones served to their staff. Periodic work skips a paused tenant: what it would do (expired
# consents, gallring) is caught up by the first run after it is reactivated.
IN_SERVICE_STATUSES = (Tenant.Status.ONBOARDING, Tenant.Status.ACTIVE)


def tenants_ready(*, in_service: bool = False, for_migrations: bool = False) -> QuerySet[Tenant]:
    """Local tenants whose schema exists and is theirs to work in: what migrations, every per-tenant command
    and every periodic fan-out go over, and nothing else.

    The status alone is not enough (a provisioning can fail before the schema exists, an operator can drop
    one), and asking PostgreSQL tenant by tenant costs a query each: the existence check is a subquery of
    the same statement. ``in_service``: only tenants served to their staff (periodic work).
    ``for_migrations``: also a schema a provisioning job has already made, so that the job's retry after a
    deploy opens a current schema (whatever stands ready for provisioning is migrated with everything else).
    """
    statuses = IN_SERVICE_STATUSES if in_service else READY_STATUSES
    if for_migrations:
        statuses = (*statuses, Tenant.Status.PROVISIONING)
    return (
        tenants_local()
        .filter(status__in=statuses)
        .filter(schema_name__in=RawSQL("SELECT nspname::text FROM pg_catalog.pg_namespace", ()))
        .order_by("schema_name")
    )


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
