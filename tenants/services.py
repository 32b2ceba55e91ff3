"""Writes on the tenant registry. Keyword-only, atomic, one TenantEvent per change."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name

from tenants.models import Domain, Tenant, TenantEvent
from tenants.validators import normalise_organisation_number

# DNS label: 1-63 characters, lower-case letters, digits and hyphens, not starting or ending with a hyphen.
_SUBDOMAIN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
RESERVED_SUBDOMAINS = frozenset(
    {"www", "api", "admin", "static", "media", "mail", "smtp", "central", "public", "localhost", "test"}
)


class TenantError(ValidationError):
    """A tenant operation refused with a message a national coordinator can act on."""


def tenant_domain_for(subdomain: str) -> str:
    return f"{subdomain}.{settings.CENTRAL_DOMAIN}"


def subdomain_validate(subdomain: str) -> str:
    if not _SUBDOMAIN.match(subdomain or ""):
        raise TenantError(
            _(
                "Ogiltig subdomän %(value)s: använd 1–63 gemena bokstäver a–z, siffror och bindestreck, "
                "inte först eller sist."
            )
            % {"value": repr(subdomain)},
            code="invalid_subdomain",
        )
    if subdomain in RESERVED_SUBDOMAINS:
        raise TenantError(_("Subdomänen %(value)s är reserverad.") % {"value": subdomain}, code="reserved_subdomain")
    if Domain.objects.filter(domain=tenant_domain_for(subdomain)).exists():
        raise TenantError(_("Subdomänen %(value)s är redan tagen.") % {"value": subdomain}, code="subdomain_taken")
    return subdomain


def schema_name_for(subdomain: str) -> str:
    # PostgreSQL identifiers: hyphens would need quoting everywhere; a prefix keeps clear of pg_ and public.
    return "t_" + subdomain.replace("-", "_")


def _event(*, tenant: Tenant, kind: str, actor=None, **detail) -> TenantEvent:
    return TenantEvent.objects.create(tenant=tenant, kind=kind, actor=actor, detail=detail)


def _require_public_schema() -> None:
    if connection.schema_name != get_public_schema_name():
        raise TenantError(_("Tenants can only be managed from the central (public) schema."))


@transaction.atomic
def central_tenant_bootstrap(*, name: str = "Backa barnet – nationellt", domain: str | None = None) -> Tenant:
    """Create the central tenant (schema public) with its domain, or return the existing one."""
    _require_public_schema()
    domain = domain or settings.CENTRAL_DOMAIN
    tenant = Tenant.objects.filter(kind=Tenant.Kind.CENTRAL).first()
    if tenant is None:
        tenant = Tenant(
            schema_name=get_public_schema_name(),
            name=name,
            kind=Tenant.Kind.CENTRAL,
            status=Tenant.Status.ACTIVE,
            status_changed_at=timezone.now(),
        )
        tenant.save()
        _event(tenant=tenant, kind=TenantEvent.Kind.CREATED, name=name)
    if not Domain.objects.filter(domain=domain).exists():
        Domain.objects.create(tenant=tenant, domain=domain, is_primary=True)
        _event(tenant=tenant, kind=TenantEvent.Kind.DOMAIN_ADDED, domain=domain)
    return tenant


@transaction.atomic
def tenant_create(
    *,
    name: str,
    kind: str,
    organisation_number: str,
    county: str,
    subdomain: str,
    status: str = Tenant.Status.ONBOARDING,
    actor=None,
) -> Tenant:
    """Create a municipality or region with its schema and domain.

    The schema is built by running the tenant migrations; the onboarding flow replaces this with
    provisioning in a worker.
    """
    _require_public_schema()
    if kind not in (Tenant.Kind.MUNICIPALITY, Tenant.Kind.REGION):
        raise TenantError(_("Typen måste vara kommun eller region."), code="invalid_kind")
    try:
        organisation_number = normalise_organisation_number(organisation_number)
    except ValidationError as error:
        raise TenantError(error.messages, code="invalid_organisation_number") from error
    if Tenant.objects.filter(organisation_number=organisation_number).exists():
        raise TenantError(
            _("Det finns redan en instans för organisationsnummer %(value)s.") % {"value": organisation_number},
            code="duplicate_organisation",
        )
    subdomain_validate(subdomain)
    tenant = Tenant(
        schema_name=schema_name_for(subdomain),
        name=name,
        kind=kind,
        organisation_number=organisation_number,
        county=county,
        status=status,
        status_changed_at=timezone.now(),
    )
    tenant.full_clean(exclude=["schema_name"])
    tenant.save(verbosity=0)
    domain = Domain.objects.create(tenant=tenant, domain=tenant_domain_for(subdomain), is_primary=True)
    _event(tenant=tenant, kind=TenantEvent.Kind.CREATED, actor=actor, name=name, status=status)
    _event(tenant=tenant, kind=TenantEvent.Kind.DOMAIN_ADDED, actor=actor, domain=domain.domain)
    return tenant
