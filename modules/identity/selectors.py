"""Reads of federated sign-in: the providers an instance offers, and each provider's effective settings."""

from modules.identity import registry
from modules.identity.crypto import secret_decrypt
from modules.identity.models import Binding, IdentityProvider, IdentitySettings
from modules.identity.registry import ProviderConfig


def provider_config(provider: IdentityProvider) -> ProviderConfig:
    """The provider's settings: the instance's own, or the national registry's for a federation IdP, with the
    instance's choice of identifying attribute and assurance level."""
    if provider.federation_id:
        federation = registry.federation_lookup(provider.federation_id)
        if federation is not None:
            return ProviderConfig(
                key=str(provider.pk),
                name=provider.name,
                protocol=federation.protocol,
                saml_entity_id=federation.saml_entity_id,
                saml_metadata_xml=federation.saml_metadata_xml,
                oidc_issuer=federation.oidc_issuer,
                oidc_client_id=federation.oidc_client_id,
                oidc_client_secret=federation.oidc_client_secret,
                subject_attribute=provider.subject_attribute,
                required_assurance=provider.required_assurance,
                identifiers=federation.identifiers,
                federation_id=federation.id,
            )
    return ProviderConfig(
        key=str(provider.pk),
        name=provider.name,
        protocol=provider.protocol,
        saml_entity_id=provider.saml_entity_id,
        saml_metadata_xml=provider.saml_metadata_xml,
        oidc_issuer=provider.oidc_issuer,
        oidc_client_id=provider.oidc_client_id,
        oidc_client_secret=secret_decrypt(provider.oidc_client_secret_encrypted),
        subject_attribute=provider.subject_attribute,
        required_assurance=provider.required_assurance,
    )


def providers_enabled() -> list[IdentityProvider]:
    return list(IdentityProvider.objects.filter(enabled=True))


def password_login_allowed() -> bool:
    row = IdentitySettings.objects.first()
    return row is None or row.password_login_allowed


def bindings_by_user() -> dict[int, Binding]:
    return {binding.user_id: binding for binding in Binding.objects.select_related("provider")}
