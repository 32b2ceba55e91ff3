"""Releases of the model configuration and training material, their rollouts and each tenant's choice.

All in ``public`` (SHARED_APPS only). A release is immutable once published: its bundle, checksum and diff
are frozen. Reachable from a tenant's schema through the ``public`` fallback of search_path.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.models import Tenant


class Release(models.Model):
    version = models.PositiveIntegerField(_("version"), unique=True)
    bundle = models.JSONField(_("paket"))
    checksum = models.CharField(_("kontrollsumma (SHA-256)"), max_length=64)
    notes = models.TextField(_("releaseanteckningar"))
    # bundle_diff(previous, this): what changed against the previous release.
    diff = models.JSONField(_("skillnader"), default=dict)
    published_at = models.DateTimeField(_("publicerad"), auto_now_add=True)
    # Four eyes: the content editor who proposed it and the national coordinator who approved (published) it.
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-version"]

    def __str__(self):
        return f"Release {self.version}"


class ReleaseProposal(models.Model):
    """The drafts frozen for review: an editor proposes, another person (a national coordinator) approves.

    The bundle is frozen when proposed, so what is approved is exactly what was reviewed, whatever happens to
    the drafts meanwhile. Approved with a date in the future, it waits (scheduled) for the beat task.
    """

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Väntar på granskning")
        SCHEDULED = "scheduled", _("Godkänd, schemalagd")
        PUBLISHED = "published", _("Publicerad")
        REJECTED = "rejected", _("Avslagen")

    notes = models.TextField(_("releaseanteckningar"))
    bundle = models.JSONField(_("paket"))
    # The latest release when proposed: approving after another release came out would undo its changes.
    base_version = models.PositiveIntegerField(null=True, blank=True)
    state = models.CharField(_("läge"), max_length=20, choices=State.choices, default=State.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    proposed_at = models.DateTimeField(_("föreslagen"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("beslutad"), null=True, blank=True)
    decision_note = models.TextField(_("kommentar"), blank=True)
    publish_at = models.DateTimeField(_("publiceras"), null=True, blank=True)
    release = models.OneToOneField(Release, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposal")

    class Meta:
        ordering = ["-proposed_at", "-pk"]

    def __str__(self):
        return f"Proposal {self.pk} ({self.state})"


class Rollout(models.Model):
    release = models.ForeignKey(Release, on_delete=models.PROTECT, related_name="rollouts")
    started_at = models.DateTimeField(auto_now_add=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        return f"Rollout {self.pk} of release {self.release.version}"


class RolloutTarget(models.Model):
    """One tenant's state in one rollout."""

    class State(models.TextChoices):
        PENDING = "pending", _("Väntar")
        INSTALLED = "installed", _("Installerad")
        FAILED = "failed", _("Misslyckades")
        PINNED = "pinned", _("Låst till annan release")

    rollout = models.ForeignKey(Rollout, on_delete=models.CASCADE, related_name="targets")
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="rollout_targets")
    state = models.CharField(_("läge"), max_length=20, choices=State.choices, default=State.PENDING)
    reason = models.TextField(_("orsak"), blank=True)
    attempts = models.PositiveIntegerField(default=0)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    installed_at = models.DateTimeField(_("installerad"), null=True, blank=True)
    # Time spent inside the install transaction, for the benchmark's overhead figures.
    install_ms = models.FloatField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["tenant__name"]
        constraints = [models.UniqueConstraint(name="one_target_per_tenant_and_rollout", fields=["rollout", "tenant"])]

    def __str__(self):
        return f"{self.tenant} {self.state}"


class TenantReleaseChoice(models.Model):
    """Whether a tenant follows the latest release or stays on a pinned one. No row: follow the latest."""

    tenant = models.OneToOneField(Tenant, on_delete=models.CASCADE, related_name="release_choice")
    pinned_release = models.ForeignKey(Release, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.tenant}: {'pinned' if self.pinned_release_id else 'latest'}"


class ReleaseEvent(models.Model):
    """What happened to releases and installs: publishing, installing, failing, retrying, pinning."""

    class Kind(models.TextChoices):
        DRAFT_CHANGED = "draft_changed", _("Utkast ändrat")
        PUBLISHED = "published", _("Publicerad")
        PROPOSED = "proposed", _("Föreslagen")
        APPROVED = "approved", _("Godkänd")
        REJECTED = "rejected", _("Avslagen")
        ROLLOUT_STARTED = "rollout_started", _("Utrullning startad")
        INSTALLED = "installed", _("Installerad")
        INSTALL_FAILED = "install_failed", _("Installation misslyckades")
        RETRIED = "retried", _("Nytt försök")
        PINNED = "pinned", _("Låst")
        FOLLOWING = "following", _("Följer senaste")

    release = models.ForeignKey(Release, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    tenant = models.ForeignKey(Tenant, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    # Actors: national users live in public, local admins in their tenant's schema, so keep the id only.
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_schema = models.CharField(max_length=63, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.kind} {self.created_at:%Y-%m-%d %H:%M}"
