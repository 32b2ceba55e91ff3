"""The audit log: every read and change of a child's data. Append-only in the database (a trigger made in
migration 0002 refuses UPDATE, DELETE and TRUNCATE), and each entry's hash covers the previous entry's hash,
so `manage.py audit_verify` detects an altered or removed entry. The application adds a keyed MAC to each
entry (migration 0005 says why), which the database, holding no key, cannot recompute."""

import hashlib
import hmac
from datetime import UTC

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        VIEW = "view", _("Visade")
        LIST = "list", _("Listade")
        SEARCH_HIT = "search_hit", _("Sökträff")
        EXPORT = "export", _("Exporterade")
        REVEAL_PERSONNUMMER = "reveal_personnummer", _("Visade personnummer")
        CREATE = "create", _("Skapade")
        UPDATE = "update", _("Ändrade")
        ACCESS_REVIEW = "access_review", _("Loggkontroll")
        RETENTION = "retention", _("Gallrade")
        EMERGENCY_ACCESS = "emergency_access", _("Nödåtkomst")
        EMERGENCY_ACCESS_REVIEW = "emergency_review", _("Granskade nödåtkomst")
        # Sign-in and its factors (modules/accounts/strong_auth.py); the object names the step or factor.
        SIGN_IN = "sign_in", _("Loggade in")
        SIGN_IN_FAILED = "sign_in_failed", _("Misslyckad inloggning")
        LOCKED_OUT = "locked_out", _("Spärrad efter misslyckade inloggningar")
        SIGN_OUT_EVERYWHERE = "sign_out_everywhere", _("Loggade ut överallt")
        FACTOR_ENROLLED = "factor_enrolled", _("Registrerade tvåstegsverifiering")
        FACTOR_REMOVED = "factor_removed", _("Tog bort tvåstegsverifiering")
        RECOVERY_CODE_USED = "recovery_code_used", _("Använde en reservkod")
        RECOVERY_CODES_RENEWED = "recovery_codes_renewed", _("Skapade nya reservkoder")
        PASSWORD_RESET = "password_reset", _("Återställde lösenordet")
        # Federated sign-in (modules/identity).
        IDP_SIGN_IN = "idp_sign_in", _("Inloggning via identitetsleverantör")
        IDP_SIGN_IN_FAILED = "idp_sign_in_failed", _("Nekad inloggning via identitetsleverantör")
        IDP_BIND = "idp_bind", _("Kopplade till identitetsleverantör")
        IDP_UNBIND = "idp_unbind", _("Kopplade från identitetsleverantör")

    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING, related_name="+"
    )
    # Not a foreign key: the entry outlives the child's record when it is culled (gallring).
    child_id = models.BigIntegerField(null=True, blank=True)
    action = models.CharField(max_length=30, choices=Action.choices)
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    previous_hash = models.CharField(max_length=64)
    # Not unique in the database: a partitioned table's unique keys must include its partition key (0007).
    hash = models.CharField(max_length=64)
    # HMAC-SHA256 (AUDIT_CHAIN_KEY) of the schema and the entry's own fields; empty when written outside the app.
    mac = models.CharField(max_length=64, blank=True, default="", db_default="")

    class Meta:
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["child_id", "at"], name="audit_child_at_idx"),
            models.Index(fields=["actor", "at"], name="audit_actor_at_idx"),
            models.Index(fields=["at"], name="audit_at_idx"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    def _fields(self) -> list[str]:
        return [
            self.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "" if self.actor_id is None else str(self.actor_id),
            "" if self.child_id is None else str(self.child_id),
            self.action,
            self.object_type,
            self.object_id,
            self.ip_address or "",
        ]

    def compute_hash(self) -> str:
        """The same text and digest as the database's trigger (migration 0005), which writes the hash."""
        fields = [self.previous_hash, *self._fields(), *([self.mac] if self.mac else [])]
        return hashlib.sha256("\x1f".join(fields).encode()).hexdigest()

    def compute_mac(self, *, schema_name: str) -> str:
        """The schema is in the MAC so that an entry copied into another tenant's log does not fit there."""
        text = "\x1f".join([schema_name, *self._fields()])
        return hmac.new(settings.AUDIT_CHAIN_KEY.encode(), text.encode(), hashlib.sha256).hexdigest()
