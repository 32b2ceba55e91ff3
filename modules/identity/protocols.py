"""The two protocols, as the libraries do them: SAML 2.0 with pysaml2 (signature, audience, recipient,
InResponseTo and clock skew are checked by its ``parse_authn_request_response``) and OpenID Connect with
Authlib (the ID token's signature against the provider's JWKS, issuer, audience, expiry and nonce).

Each provider's configuration is built per request from the database (``ProviderConfig``), for the host the
request came to: every instance is its own service provider, with its metadata on its own host."""

import logging
import secrets
from dataclasses import dataclass
from urllib.parse import urlencode

import requests
from authlib.jose import JsonWebKey, jwt
from authlib.jose.errors import JoseError
from authlib.oidc.core import CodeIDToken
from django.conf import settings
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAMEID_FORMAT_PERSISTENT

from modules.identity.registry import ProviderConfig

logger = logging.getLogger(__name__)
HTTP_TIMEOUT = 10


class SignInFailed(Exception):
    """The provider's answer is refused. ``code`` names why (for the audit entry and the page); the library's
    own message is logged, never shown."""

    def __init__(self, code: str, detail: str = "", *, provider=None, user=None):
        super().__init__(code)
        self.code = code
        self.detail = detail
        self.provider = provider
        self.user = user


@dataclass(frozen=True)
class Asserted:
    """What a provider asserted about the person, once the library accepted its answer."""

    attributes: dict  # name -> first value (str)
    assurance: str  # AuthnContextClassRef / acr ("" when none)

    def value(self, name: str) -> str:
        return (self.attributes.get(name) or "").strip()


# --- SAML 2.0 ---------------------------------------------------------------------------------------


def sp_urls(base_url: str) -> dict:
    return {"entity_id": f"{base_url}/saml/metadata/", "acs": f"{base_url}/saml/acs/"}


def _sp_config(*, base_url: str, idp_metadata: list[str]) -> SPConfig:
    urls = sp_urls(base_url)
    config = SPConfig()
    config.load(
        {
            "entityid": urls["entity_id"],
            "xmlsec_binary": settings.SAML_XMLSEC_BINARY,
            "service": {
                "sp": {
                    "endpoints": {"assertion_consumer_service": [(urls["acs"], BINDING_HTTP_POST)]},
                    # Only answers to a request this instance sent (InResponseTo), signed assertions only.
                    "allow_unsolicited": False,
                    "want_assertions_signed": True,
                    "want_response_signed": False,
                    "authn_requests_signed": False,
                    "name_id_format": NAMEID_FORMAT_PERSISTENT,
                    "allow_unknown_attributes": True,
                }
            },
            "metadata": {"inline": idp_metadata} if idp_metadata else {},
            "accepted_time_diff": settings.SAML_CLOCK_SKEW_SECONDS,
        }
    )
    return config


def saml_sp_metadata(*, base_url: str) -> str:
    metadata = create_metadata_string(None, config=_sp_config(base_url=base_url, idp_metadata=[]), valid=24 * 7)
    return metadata.decode() if isinstance(metadata, bytes) else metadata


def saml_sign_in_url(*, provider: ProviderConfig, base_url: str, relay_state: str) -> tuple[str, str]:
    """The IdP's address carrying a fresh AuthnRequest, and the request's ID (kept for InResponseTo)."""
    try:
        client = Saml2Client(config=_sp_config(base_url=base_url, idp_metadata=[provider.saml_metadata_xml]))
        request_id, info = client.prepare_for_authenticate(
            entityid=provider.saml_entity_id, relay_state=relay_state, binding=BINDING_HTTP_REDIRECT
        )
    except Exception as error:  # a broken metadata document, an unknown entity id: the admin's to fix
        logger.warning("SAML AuthnRequest not made: %s %s", type(error).__name__, error)
        raise SignInFailed("provider_misconfigured") from error
    location = dict(info["headers"])["Location"]
    return location, request_id


def saml_response_accept(
    *, provider: ProviderConfig, base_url: str, saml_response: str, request_id: str
) -> tuple[Asserted, str]:
    """The assertion, checked by pysaml2 against the IdP's metadata; and the NameID."""
    client = Saml2Client(config=_sp_config(base_url=base_url, idp_metadata=[provider.saml_metadata_xml]))
    try:
        response = client.parse_authn_request_response(saml_response, BINDING_HTTP_POST, outstanding={request_id: "/"})
    except Exception as error:
        # pysaml2 raises many types (SignatureError, ResponseLifetimeExceed, ...): each one a refusal.
        logger.info("SAML response refused: %s", type(error).__name__)
        raise SignInFailed(_saml_failure_code(error), type(error).__name__) from error
    if response is None:
        raise SignInFailed("invalid_response")
    if response.in_response_to != request_id:
        raise SignInFailed("unsolicited")
    assertion = response.assertion
    attributes = {name: values[0] for name, values in (response.ava or {}).items() if values}
    name_id = response.name_id.text if response.name_id is not None else ""
    attributes.setdefault("nameid", name_id)
    attributes.setdefault("sub", name_id)
    assurance = ""
    for statement in assertion.authn_statement or []:
        context = statement.authn_context
        if context is not None and context.authn_context_class_ref is not None:
            assurance = (context.authn_context_class_ref.text or "").strip()
    return Asserted(attributes=attributes, assurance=assurance), name_id


def _saml_failure_code(error: Exception) -> str:
    name = type(error).__name__
    if "Signature" in name or "Signed" in name:
        return "signature"
    if "Lifetime" in name or "TooOld" in name or "ToEarly" in name or "Expired" in name:
        return "expired"
    if "Audience" in str(error) or "audience" in str(error).lower():
        return "audience"
    if "Unsolicited" in name or "InResponseTo" in str(error):
        return "unsolicited"
    if "Destination" in name or "destination" in str(error).lower():
        return "recipient"
    return "invalid_response"


# --- OpenID Connect ---------------------------------------------------------------------------------


def oidc_redirect_uri(base_url: str) -> str:
    return f"{base_url}/oidc/callback/"


def _discovery(issuer: str) -> dict:
    try:
        answer = requests.get(f"{issuer.rstrip('/')}/.well-known/openid-configuration", timeout=HTTP_TIMEOUT)
        answer.raise_for_status()
        return answer.json()
    except (requests.RequestException, ValueError) as error:
        logger.warning("OIDC discovery failed: %s", type(error).__name__)
        raise SignInFailed("provider_unreachable") from error


def oidc_sign_in_url(*, provider: ProviderConfig, base_url: str, state: str) -> tuple[str, str]:
    """The provider's authorisation address, and the nonce the ID token must carry."""
    nonce = secrets.token_urlsafe(24)
    discovery = _discovery(provider.oidc_issuer)
    query = {
        "response_type": "code",
        "client_id": provider.oidc_client_id,
        "redirect_uri": oidc_redirect_uri(base_url),
        "scope": "openid email profile",
        "state": state,
        "nonce": nonce,
    }
    if provider.required_assurance:
        query["acr_values"] = provider.required_assurance
    return f"{discovery['authorization_endpoint']}?{urlencode(query)}", nonce


def oidc_code_accept(*, provider: ProviderConfig, base_url: str, code: str, nonce: str) -> Asserted:
    """Exchange the code (client secret at the token endpoint) and validate the ID token with Authlib."""
    discovery = _discovery(provider.oidc_issuer)
    try:
        answer = requests.post(
            discovery["token_endpoint"],
            data={"grant_type": "authorization_code", "code": code, "redirect_uri": oidc_redirect_uri(base_url)},
            auth=(provider.oidc_client_id, provider.oidc_client_secret),
            timeout=HTTP_TIMEOUT,
        )
        tokens = answer.json()
        jwks = requests.get(discovery["jwks_uri"], timeout=HTTP_TIMEOUT).json()
    except (requests.RequestException, ValueError) as error:
        raise SignInFailed("provider_unreachable") from error
    if answer.status_code != 200 or "id_token" not in tokens:
        raise SignInFailed("invalid_response", str(tokens.get("error", answer.status_code)))
    try:
        claims = jwt.decode(
            tokens["id_token"],
            JsonWebKey.import_key_set(jwks),
            claims_cls=CodeIDToken,
            claims_options={
                "iss": {"essential": True, "value": discovery.get("issuer", provider.oidc_issuer)},
                "aud": {"essential": True, "value": provider.oidc_client_id},
            },
            claims_params={"nonce": nonce, "client_id": provider.oidc_client_id},
        )
        claims.validate(leeway=settings.SAML_CLOCK_SKEW_SECONDS)
    except JoseError as error:
        logger.info("OIDC ID token refused: %s", type(error).__name__)
        code_name = type(error).__name__
        failure = {
            "BadSignatureError": "signature",
            "ExpiredTokenError": "expired",
            "InvalidClaimError": "audience" if "aud" in str(error) else "invalid_response",
        }.get(code_name, "invalid_response")
        raise SignInFailed(failure, code_name) from error
    attributes = {name: str(value) for name, value in claims.items() if isinstance(value, str | int)}
    return Asserted(attributes=attributes, assurance=str(claims.get("acr") or ""))
