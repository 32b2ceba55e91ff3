"""Writes in public for federated sign-in: the national registry, the directory, the central site's sign-in."""

import secrets

from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from modules.identity import protocols
from modules.identity.crypto import secret_encrypt, subject_hash
from modules.identity.protocols import SignInFailed
from modules.identity.registry import ProviderConfig
from modules.identity.services import SIGN_IN_REQUEST_VALIDITY_SECONDS
from tenants.identity.models import CentralSignInRequest, DirectoryEntry, FederationProvider
from tenants.identity.selectors import _info


@transaction.atomic
def federation_register(
    *,
    name: str,
    protocol: str,
    identifiers: dict,
    saml_entity_id: str = "",
    saml_metadata_xml: str = "",
    oidc_issuer: str = "",
    oidc_client_id: str = "",
    oidc_client_secret: str = "",
) -> FederationProvider:
    """Register (or update, by name) a national federation IdP; every instance that enabled it uses the new
    settings at its next sign-in."""
    with schema_context("public"):
        provider, _created = FederationProvider.objects.update_or_create(
            name=name,
            defaults={
                "protocol": protocol,
                "identifiers": identifiers,
                "saml_entity_id": saml_entity_id,
                "saml_metadata_xml": saml_metadata_xml,
                "oidc_issuer": oidc_issuer.rstrip("/"),
                "oidc_client_id": oidc_client_id,
                "oidc_client_secret_encrypted": secret_encrypt(oidc_client_secret),
            },
        )
    return provider


def directory_publish(*, subject_hash: str, role: str, federation_id: int, bound: bool) -> None:
    """Called by an instance (its schema active) inside the binding's transaction."""
    tenant = connection.tenant
    if bound:
        DirectoryEntry.objects.update_or_create(
            subject_hash=subject_hash, tenant_id=tenant.pk, defaults={"role": role, "federation_id": federation_id}
        )
    else:
        DirectoryEntry.objects.filter(subject_hash=subject_hash, tenant_id=tenant.pk).delete()


def _config(provider: FederationProvider) -> ProviderConfig:
    info = _info(provider)
    return ProviderConfig(
        key=f"f{provider.pk}",
        name=info.name,
        protocol=info.protocol,
        saml_entity_id=info.saml_entity_id,
        saml_metadata_xml=info.saml_metadata_xml,
        oidc_issuer=info.oidc_issuer,
        oidc_client_id=info.oidc_client_id,
        oidc_client_secret=info.oidc_client_secret,
        identifiers=info.identifiers,
        federation_id=info.id,
    )


@transaction.atomic
def central_sign_in_start(*, provider: FederationProvider, base_url: str) -> str:
    config = _config(provider)
    row = CentralSignInRequest(provider=provider, state=secrets.token_urlsafe(32))
    if config.protocol == FederationProvider.Protocol.SAML:
        url, row.request_id = protocols.saml_sign_in_url(provider=config, base_url=base_url, relay_state=row.state)
    else:
        url, row.nonce = protocols.oidc_sign_in_url(provider=config, base_url=base_url, state=row.state)
    row.save()
    return url


def central_sign_in_complete(*, base_url: str, state: str, saml_response: str = "", code: str = "") -> list[str]:
    """The person's identifier hashes (one per canonical identifier the IdP asserted), for "Mina instanser"."""
    with transaction.atomic():
        row = CentralSignInRequest.objects.select_for_update().select_related("provider").filter(state=state).first()
        if row is None:
            raise SignInFailed("unsolicited")
        if row.used_at is not None:
            raise SignInFailed("replayed")
        row.used_at = timezone.now()
        row.save(update_fields=["used_at"])
    if (row.used_at - row.created_at).total_seconds() > SIGN_IN_REQUEST_VALIDITY_SECONDS:
        raise SignInFailed("expired")
    config = _config(row.provider)
    if config.protocol == FederationProvider.Protocol.SAML:
        asserted, _name_id = protocols.saml_response_accept(
            provider=config, base_url=base_url, saml_response=saml_response, request_id=row.request_id
        )
    else:
        asserted = protocols.oidc_code_accept(provider=config, base_url=base_url, code=code, nonce=row.nonce)
    hashes = [
        subject_hash(kind, asserted.value(attribute))
        for kind, attribute in config.identifiers.items()
        if asserted.value(attribute)
    ]
    for attribute in ("nameid", "sub"):
        if asserted.value(attribute):
            hashes.append(subject_hash(f"{attribute}@f{row.provider_id}", asserted.value(attribute)))
    if not hashes:
        raise SignInFailed("no_subject")
    return hashes
