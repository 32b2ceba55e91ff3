from django.db.models import QuerySet

from tenants.models import Tenant


def tenants_local() -> QuerySet[Tenant]:
    """Municipalities and regions, without the central tenant."""
    return Tenant.objects.exclude(kind=Tenant.Kind.CENTRAL)


def tenant_by_domain(domain: str) -> Tenant | None:
    return Tenant.objects.filter(domains__domain=domain).first()
