"""How an instance reads the national federation IdPs it enabled, without importing the level above.

``tenants.identity`` (which owns the registry in public) installs ``federation_lookup`` when the app registry
is ready; modules never import tenants (DESIGN.md §3)."""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ProviderConfig:
    """Everything the protocol code needs about one provider, wherever it is kept."""

    key: str  # in URLs: the tenant's provider id, or "f<id>" for a federation IdP on the central site
    name: str
    protocol: str
    saml_entity_id: str = ""
    saml_metadata_xml: str = ""
    oidc_issuer: str = ""
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    subject_attribute: str = "sub"
    required_assurance: str = ""
    # Canonical identifier kinds this provider's attributes fill, e.g. {"hsa_id": "employeeHsaId"}: the
    # directory's hashes are made from them.
    identifiers: dict = field(default_factory=dict)
    federation_id: int | None = None


@dataclass(frozen=True)
class FederationInfo:
    id: int
    name: str
    protocol: str
    saml_entity_id: str
    saml_metadata_xml: str
    oidc_issuer: str
    oidc_client_id: str
    oidc_client_secret: str
    identifiers: dict
    attributes: tuple  # the attributes an instance may choose to identify a person


def _no_federation(federation_id: int) -> FederationInfo | None:
    return None


def _no_directory(**kwargs) -> None:
    return None


federation_lookup: Callable[[int], FederationInfo | None] = _no_federation
federation_list: Callable[[], list[FederationInfo]] = list
# Called with (subject_hashes, role, bound) when a binding through a federation IdP is made or ended.
directory_publish: Callable[..., None] = _no_directory
# The central site's "Logga in med …" links: [(name, url)], installed by tenants.identity.
central_sign_in_links: Callable[[], list] = list
