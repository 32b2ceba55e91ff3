"""Federated sign-in inside one instance: the identity providers it trusts, the persons bound to them and the
sign-ins in flight. A provider is either the instance's own (all its settings here) or a national federation
IdP registered once in the central tenant and enabled here by id (``federation_id``): its metadata, issuer and
secret stay in public and are read through ``modules.identity.registry``, never copied into the instance."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Protocol(models.TextChoices):
    SAML = "saml", "SAML 2.0"
    OIDC = "oidc", "OpenID Connect"


class IdentityProvider(models.Model):
    name = models.CharField(_("namn"), max_length=200)
    protocol = models.CharField(_("protokoll"), max_length=10, choices=Protocol.choices)
    # A national federation IdP (tenants.identity.FederationProvider in public) enabled here; no database
    # constraint across schemas.
    federation_id = models.BigIntegerField(null=True, blank=True, unique=True)
    # SAML (the instance's own IdP): the IdP's entity id and its metadata XML.
    saml_entity_id = models.CharField(_("entitets-id"), max_length=500, blank=True)
    saml_metadata_xml = models.TextField(_("metadata (XML)"), blank=True)
    # OpenID Connect (the instance's own provider): issuer (discovery), client id, client secret encrypted.
    oidc_issuer = models.URLField(_("utfärdare (issuer)"), max_length=500, blank=True)
    oidc_client_id = models.CharField(_("klient-id"), max_length=200, blank=True)
    oidc_client_secret_encrypted = models.TextField(blank=True)
    # The attribute (SAML) or claim (OIDC) that identifies a person: e-mail, HSA-id, NameID/sub.
    subject_attribute = models.CharField(_("identifierande attribut"), max_length=200, default="sub")
    # AuthnContextClassRef / acr the instance requires for a sign-in to count as strong (empty: none).
    required_assurance = models.CharField(_("krävd tillitsnivå"), max_length=300, blank=True)
    enabled = models.BooleanField(_("aktiverad"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class IdentitySettings(models.Model):
    """One row per instance: whether password sign-in is still allowed beside the identity providers."""

    password_login_allowed = models.BooleanField(_("inloggning med lösenord tillåten"), default=True)

    def __str__(self):
        return "Identity settings"


class Binding(models.Model):
    """A staff account bound to (provider, subject): made when an invitation is accepted by IdP sign-in; every
    later sign-in through that provider must carry the same subject. ``subject_hash`` is what the central
    directory receives (``modules.identity.crypto.subject_hash``), never the subject itself."""

    # DO_NOTHING: accounts are in public too, where this table does not exist, so deleting a national user must
    # not look for bindings there. Accounts are deactivated, never deleted; deactivation ends the binding.
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, related_name="identity_binding")
    provider = models.ForeignKey(IdentityProvider, on_delete=models.PROTECT, related_name="bindings")
    subject = models.CharField(max_length=500)
    subject_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider", "subject"], name="identity_binding_unique_subject")]

    def __str__(self):
        return f"Binding {self.pk}"


class SignInRequest(models.Model):
    """A sign-in sent to a provider and not yet answered. SAML: ``request_id`` is the AuthnRequest's ID, which
    the answer must name in InResponseTo; OIDC: ``state`` and ``nonce``. Kept in the database rather than the
    session because the IdP's answer arrives as a cross-site POST, which carries no SameSite=Lax cookie. Used
    once (``used_at``): a replayed answer finds it used and is refused."""

    class Purpose(models.TextChoices):
        LOGIN = "login"
        INVITATION = "invitation"

    provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=64, unique=True)
    request_id = models.CharField(max_length=100, blank=True, db_index=True)
    nonce = models.CharField(max_length=64, blank=True)
    purpose = models.CharField(max_length=20, choices=Purpose.choices, default=Purpose.LOGIN)
    # The invitation being accepted (its token's hash, as accounts keeps it).
    invitation_token_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Sign-in request {self.pk}"
