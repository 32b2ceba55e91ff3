"""Writes of federated sign-in: providers configured, sign-ins started and completed, persons bound and unbound.

A sign-in is completed in three steps: the request it answers is consumed (its own transaction, so a replay
finds it used even when the answer is then refused), the library validates the answer, and then the person is
found by their binding (or bound, accepting an invitation) and signed in, with an audit entry either way."""

import re
import secrets
from dataclasses import dataclass

from django.contrib.auth import login
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backa_platform.core.errors import ServiceError
from modules.accounts.models import Invitation, User
from modules.accounts.services import token_hash, user_create
from modules.audit.services import audit_record
from modules.identity import protocols, registry
from modules.identity.crypto import secret_encrypt, subject_hash
from modules.identity.models import Binding, IdentityProvider, IdentitySettings, Protocol, SignInRequest
from modules.identity.protocols import Asserted, SignInFailed
from modules.identity.registry import ProviderConfig
from modules.identity.selectors import provider_config

PASSWORD_BACKEND = "django.contrib.auth.backends.ModelBackend"
SIGN_IN_REQUEST_VALIDITY_SECONDS = 15 * 60
_LOA = re.compile(r"^(?P<base>.*/loa)(?P<level>[0-9]+)$")

# Audit actions (modules.audit.models.AuditEntry.Action): one per kind of event, shown in loggkontroll.
AUDIT_SIGN_IN = "idp_sign_in"
AUDIT_SIGN_IN_FAILED = "idp_sign_in_failed"
AUDIT_BIND = "idp_bind"
AUDIT_UNBIND = "idp_unbind"


class IdentityError(ServiceError):
    pass


def federated_login_completed(request, user, *, provider, assurance_met: bool) -> None:
    """The one place a successful IdP sign-in ends: the session is the user's, and counts as strongly
    authenticated only when the asserted assurance met the instance's requirement. Password + second factor
    sets the same session key (``strong_auth``)."""
    login(request, user, backend=PASSWORD_BACKEND)
    request.session["strong_auth"] = bool(assurance_met)
    request.session["identity_provider"] = getattr(provider, "key", str(provider))


def assurance_meets(asserted: str, required: str) -> bool:
    """Exact match, or a higher level of the same framework (``…/loa4`` meets ``…/loa3``)."""
    if not required:
        return True
    if asserted == required:
        return True
    have, want = _LOA.match(asserted or ""), _LOA.match(required)
    return bool(have and want and have["base"] == want["base"] and int(have["level"]) >= int(want["level"]))


def identity_settings() -> IdentitySettings:
    return IdentitySettings.objects.first() or IdentitySettings.objects.create()


@transaction.atomic
def password_login_set(*, allowed: bool, acting_user: User) -> IdentitySettings:
    settings_row = identity_settings()
    if not allowed and not IdentityProvider.objects.filter(enabled=True).exists():
        raise IdentityError(_("Aktivera en identitetsleverantör innan lösenordsinloggning stängs av."), code="none")
    settings_row.password_login_allowed = allowed
    settings_row.save(update_fields=["password_login_allowed"])
    audit_record(acting_user=acting_user, action="update", obj=settings_row)
    return settings_row


@transaction.atomic
def provider_create_saml(
    *, name: str, entity_id: str, metadata_xml: str, subject_attribute: str, required_assurance: str, acting_user
) -> IdentityProvider:
    if entity_id not in metadata_xml:
        raise IdentityError({"entity_id": [_("Entitets-id:t finns inte i metadata.")]}, code="entity_id")
    provider = IdentityProvider.objects.create(
        name=name,
        protocol=Protocol.SAML,
        saml_entity_id=entity_id,
        saml_metadata_xml=metadata_xml,
        subject_attribute=subject_attribute or "nameid",
        required_assurance=required_assurance,
    )
    audit_record(acting_user=acting_user, action="create", obj=provider)
    return provider


@transaction.atomic
def provider_create_oidc(
    *,
    name: str,
    issuer: str,
    client_id: str,
    client_secret: str,
    subject_attribute: str,
    required_assurance: str,
    acting_user,
) -> IdentityProvider:
    provider = IdentityProvider.objects.create(
        name=name,
        protocol=Protocol.OIDC,
        oidc_issuer=issuer.rstrip("/"),
        oidc_client_id=client_id,
        oidc_client_secret_encrypted=secret_encrypt(client_secret),
        subject_attribute=subject_attribute or "sub",
        required_assurance=required_assurance,
    )
    audit_record(acting_user=acting_user, action="create", obj=provider)
    return provider


@transaction.atomic
def federation_enable(
    *, federation_id: int, subject_attribute: str, required_assurance: str = "", acting_user
) -> IdentityProvider:
    """One click: a national federation IdP, used here with the attribute chosen to identify a person."""
    federation = registry.federation_lookup(federation_id)
    if federation is None:
        raise IdentityError(_("Den nationella identitetsleverantören finns inte."), code="unknown")
    if subject_attribute not in federation.attributes:
        raise IdentityError({"subject_attribute": [_("Välj ett av leverantörens attribut.")]}, code="subject_attribute")
    provider, created = IdentityProvider.objects.update_or_create(
        federation_id=federation_id,
        defaults={
            "name": federation.name,
            "protocol": federation.protocol,
            "subject_attribute": subject_attribute,
            "required_assurance": required_assurance,
            "enabled": True,
        },
    )
    audit_record(acting_user=acting_user, action="create" if created else "update", obj=provider)
    return provider


@transaction.atomic
def provider_enabled_set(*, provider: IdentityProvider, enabled: bool, acting_user) -> IdentityProvider:
    provider.enabled = enabled
    provider.save(update_fields=["enabled"])
    audit_record(acting_user=acting_user, action="update", obj=provider)
    return provider


# --- sign-in ----------------------------------------------------------------------------------------


@transaction.atomic
def sign_in_start(*, provider: IdentityProvider, base_url: str, invitation_token: str = "") -> str:
    """A new request to ``provider``; returns the address to send the browser to."""
    if not provider.enabled:
        raise SignInFailed("provider_disabled")
    config = provider_config(provider)
    state = secrets.token_urlsafe(32)
    row = SignInRequest(
        provider=provider,
        state=state,
        purpose=SignInRequest.Purpose.INVITATION if invitation_token else SignInRequest.Purpose.LOGIN,
        invitation_token_hash=token_hash(invitation_token) if invitation_token else "",
    )
    if config.protocol == Protocol.SAML:
        url, row.request_id = protocols.saml_sign_in_url(provider=config, base_url=base_url, relay_state=state)
    else:
        url, row.nonce = protocols.oidc_sign_in_url(provider=config, base_url=base_url, state=state)
    row.save()
    return url


def _consume(state: str) -> SignInRequest:
    """The request this answer is for, used once. Committed on its own so a refused answer cannot be replayed."""
    with transaction.atomic():
        row = SignInRequest.objects.select_for_update().select_related("provider").filter(state=state).first()
        if row is None:
            raise SignInFailed("unsolicited")
        if row.used_at is not None:
            raise SignInFailed("replayed", provider=row.provider)
        row.used_at = timezone.now()
        row.save(update_fields=["used_at"])
    if (row.used_at - row.created_at).total_seconds() > SIGN_IN_REQUEST_VALIDITY_SECONDS:
        raise SignInFailed("expired", provider=row.provider)
    return row


@dataclass(frozen=True)
class SignInResult:
    user: User
    provider: IdentityProvider
    assurance_met: bool
    invitation_accepted: bool


def sign_in_complete(*, request, base_url: str, state: str, saml_response: str = "", code: str = "") -> SignInResult:
    """Validate the provider's answer and sign the bound person in (or bind them, accepting an invitation).
    Every refusal is audited and raised as ``SignInFailed`` for the page to explain."""
    row = None
    try:
        row = _consume(state)
        provider = row.provider
        config = provider_config(provider)
        if config.protocol == Protocol.SAML:
            if not saml_response:
                raise SignInFailed("invalid_response")
            asserted, _name_id = protocols.saml_response_accept(
                provider=config, base_url=base_url, saml_response=saml_response, request_id=row.request_id
            )
        else:
            if not code:
                raise SignInFailed("invalid_response")
            asserted = protocols.oidc_code_accept(provider=config, base_url=base_url, code=code, nonce=row.nonce)
        result = _person_sign_in(request=request, row=row, config=config, asserted=asserted)
    except SignInFailed as failure:
        failed_provider = failure.provider or (row.provider if row else None)
        sign_in_failure_record(request=request, provider=failed_provider, code=failure.code, user=failure.user)
        raise
    federated_login_completed(request, result.user, provider=config, assurance_met=result.assurance_met)
    return result


@transaction.atomic
def sign_in_failure_record(*, request, provider, code: str, user=None) -> None:
    audit_record(
        acting_user=user,
        action=AUDIT_SIGN_IN_FAILED,
        object_type=f"identity:{code}"[:40],
        object_id=str(provider.pk) if provider else "",
        request=request,
    )


def _subject_hash_for(config: ProviderConfig, subject: str) -> str:
    kinds = {attribute: kind for kind, attribute in config.identifiers.items()}
    scope = f"f{config.federation_id}" if config.federation_id else f"local{config.key}"
    kind = kinds.get(config.subject_attribute) or f"{config.subject_attribute}@{scope}"
    return subject_hash(kind, subject)


def _person_sign_in(*, request, row: SignInRequest, config: ProviderConfig, asserted: Asserted) -> SignInResult:
    provider = row.provider
    subject = asserted.value(config.subject_attribute)
    if not subject:
        raise SignInFailed("no_subject", provider=provider)
    if not assurance_meets(asserted.assurance, config.required_assurance):
        raise SignInFailed("assurance", provider=provider)
    assurance_met = bool(config.required_assurance)
    with transaction.atomic():
        if row.purpose == SignInRequest.Purpose.INVITATION:
            user = _invitation_accept(row=row, provider=provider, config=config, subject=subject, request=request)
            accepted = True
        else:
            binding = Binding.objects.select_related("user").filter(provider=provider, subject=subject).first()
            if binding is None:
                raise SignInFailed("unbound", provider=provider)
            user = binding.user
            if not user.is_active:
                raise SignInFailed("inactive", provider=provider, user=user)
            accepted = False
        audit_record(
            acting_user=user,
            action=AUDIT_SIGN_IN,
            object_type="identity.identityprovider",
            object_id=str(provider.pk),
            request=request,
        )
    return SignInResult(user=user, provider=provider, assurance_met=assurance_met, invitation_accepted=accepted)


def _invitation_accept(*, row, provider, config, subject, request) -> User:
    invitation = Invitation.objects.select_for_update().filter(token_hash=row.invitation_token_hash).first()
    if invitation is None or not invitation.is_usable:
        raise SignInFailed("invitation_unusable", provider=provider)
    if Binding.objects.filter(provider=provider, subject=subject).exists():
        raise SignInFailed("already_bound", provider=provider)
    user = user_create(email=invitation.email, full_name=invitation.full_name, role=invitation.role, password=None)
    if invitation.unit_id:
        user.unit_id = invitation.unit_id
        user.save(update_fields=["unit"])
    invitation.accepted_at = timezone.now()
    invitation.user = user
    invitation.save(update_fields=["accepted_at", "user"])
    binding = Binding.objects.create(
        user=user, provider=provider, subject=subject, subject_hash=_subject_hash_for(config, subject)
    )
    audit_record(acting_user=user, action=AUDIT_BIND, obj=binding, request=request)
    if provider.federation_id:
        _publish(binding, bound=True)
    return user


@transaction.atomic
def binding_create(*, user: User, provider: IdentityProvider, subject: str, acting_user) -> Binding:
    """Bind an existing account to (provider, subject) without a sign-in: the demo's region nurse, and an
    account moved from passwords to an identity provider by its local admin."""
    if Binding.objects.filter(user=user).exists():
        raise IdentityError(_("Kontot är redan kopplat till en identitetsleverantör."), code="bound")
    if Binding.objects.filter(provider=provider, subject=subject).exists():
        raise IdentityError(_("Identiteten är redan kopplad till ett annat konto här."), code="subject")
    config = provider_config(provider)
    binding = Binding.objects.create(
        user=user, provider=provider, subject=subject, subject_hash=_subject_hash_for(config, subject)
    )
    audit_record(acting_user=acting_user, action=AUDIT_BIND, obj=binding)
    if provider.federation_id:
        _publish(binding, bound=True)
    return binding


def _publish(binding: Binding, *, bound: bool) -> None:
    registry.directory_publish(
        subject_hash=binding.subject_hash,
        role=binding.user.role,
        federation_id=binding.provider.federation_id,
        bound=bound,
    )


@transaction.atomic
def binding_end(*, user: User, acting_user) -> None:
    """Unbind: the account can no longer sign in through the provider (a new invitation binds it again)."""
    binding = Binding.objects.select_related("provider", "user").filter(user=user).first()
    if binding is None:
        raise IdentityError(_("Kontot är inte kopplat till någon identitetsleverantör."), code="unbound")
    audit_record(acting_user=acting_user, action=AUDIT_UNBIND, obj=binding)
    if binding.provider.federation_id:
        _publish(binding, bound=False)
    binding.delete()
