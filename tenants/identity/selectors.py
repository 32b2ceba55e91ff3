from django.urls import reverse
from django_tenants.utils import schema_context

from modules.accounts.models import User
from modules.identity.crypto import secret_decrypt
from modules.identity.registry import FederationInfo
from tenants.identity.models import DirectoryEntry, FederationProvider


def _info(provider: FederationProvider) -> FederationInfo:
    identifiers = dict(provider.identifiers)
    default_subject = "nameid" if provider.protocol == FederationProvider.Protocol.SAML else "sub"
    return FederationInfo(
        id=provider.pk,
        name=provider.name,
        protocol=provider.protocol,
        saml_entity_id=provider.saml_entity_id,
        saml_metadata_xml=provider.saml_metadata_xml,
        oidc_issuer=provider.oidc_issuer,
        oidc_client_id=provider.oidc_client_id,
        oidc_client_secret=secret_decrypt(provider.oidc_client_secret_encrypted),
        identifiers=identifiers,
        attributes=(default_subject, *identifiers.values()),
    )


def federation_info(federation_id: int) -> FederationInfo | None:
    # public-only table: reachable from an instance through search_path's fallback to public.
    provider = FederationProvider.objects.filter(pk=federation_id, enabled=True).first()
    return _info(provider) if provider else None


def federation_infos() -> list[FederationInfo]:
    return [_info(provider) for provider in FederationProvider.objects.filter(enabled=True)]


def central_sign_in_links() -> list[tuple[str, str]]:
    return [
        (provider.name, reverse("central-idp-sign-in", kwargs={"provider_id": provider.pk}))
        for provider in FederationProvider.objects.filter(enabled=True)
    ]


def instances_of(*, subject_hashes) -> list[dict]:
    """ "Mina instanser": every ready instance where one of the person's identifiers is bound, with the role."""
    with schema_context("public"):
        entries = (
            DirectoryEntry.objects.filter(subject_hash__in=list(subject_hashes))
            .exclude(tenant__schema_name="public")
            .select_related("tenant")
            .order_by("tenant__name")
        )
        seen, rows = set(), []
        for entry in entries:
            if entry.tenant_id in seen:
                continue
            seen.add(entry.tenant_id)
            role = User.Role(entry.role).label if entry.role in User.Role.values else entry.role
            rows.append(
                {
                    "tenant": entry.tenant,
                    "role": role,
                    "domain": entry.tenant.primary_domain,
                    "federation_id": entry.federation_id,
                }
            )
    return rows
