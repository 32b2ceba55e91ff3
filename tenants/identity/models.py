"""In public: the national federation IdPs (registered once by the national coordinators, enabled by instances
by id), the directory of (subject hash -> instance) the instances write when they bind and unbind, and the
central site's own sign-ins in flight ("Mina instanser")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FederationProvider(models.Model):
    class Protocol(models.TextChoices):
        SAML = "saml", "SAML 2.0"
        OIDC = "oidc", "OpenID Connect"

    name = models.CharField(_("namn"), max_length=200, unique=True)
    protocol = models.CharField(_("protokoll"), max_length=10, choices=Protocol.choices)
    saml_entity_id = models.CharField(max_length=500, blank=True)
    saml_metadata_xml = models.TextField(blank=True)
    oidc_issuer = models.URLField(max_length=500, blank=True)
    oidc_client_id = models.CharField(max_length=200, blank=True)
    # Fernet with the platform's keys (modules/identity/crypto.py).
    oidc_client_secret_encrypted = models.TextField(blank=True)
    # Canonical identifier -> this IdP's attribute or claim, e.g. {"hsa_id": "employeeHsaId", "email": "mail"}.
    # An instance chooses one of the attributes to identify a person; the directory's hashes use the canonical
    # name, so the same person has the same hash through every federation IdP that asserts it.
    identifiers = models.JSONField(default=dict)
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class DirectoryEntry(models.Model):
    """One binding of a person in one instance: the keyed hash of the identifier, the instance and the role."""

    subject_hash = models.CharField(max_length=64)
    tenant = models.ForeignKey("tenants.Tenant", on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=30)
    # The federation IdP the binding is through: the instance's sign-in link from "Mina instanser" uses it.
    federation_id = models.BigIntegerField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subject_hash", "tenant"], name="directory_entry_unique_per_tenant")
        ]
        indexes = [models.Index(fields=["subject_hash"], name="directory_subject_hash_idx")]

    def __str__(self):
        return f"Directory entry {self.pk}"


class CentralSignInRequest(models.Model):
    """The central site's sign-in in flight (as modules.identity.SignInRequest in an instance)."""

    provider = models.ForeignKey(FederationProvider, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=64, unique=True)
    request_id = models.CharField(max_length=100, blank=True)
    nonce = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Central sign-in request {self.pk}"
