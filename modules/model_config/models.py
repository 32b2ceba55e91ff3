"""The Backa barnet model's configuration. The app is in SHARED_APPS and TENANT_APPS.

In ``public`` (the central tenant) the rows with ``release`` unset are the drafts national content editors
work on. In a tenant's schema, every installed release keeps its own rows (so an old assessment still shows
the wording it was made with), exactly one installed release is current, and local resources and contacts
are the tenant's own additions, which no update touches.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class InstalledRelease(models.Model):
    """A release whose definitions are held in this schema (in tenants: every release ever installed)."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    checksum = models.CharField(_("kontrollsumma (SHA-256)"), max_length=64)
    notes = models.TextField(_("releaseanteckningar"), blank=True)
    installed_at = models.DateTimeField(_("installerad"), auto_now_add=True)
    is_current = models.BooleanField(_("gällande"), default=False)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                name="one_current_installed_release", fields=["is_current"], condition=models.Q(is_current=True)
            )
        ]

    def __str__(self):
        return f"Release {self.version}"


class ModelItem(models.Model):
    """One concept of the model: an area, a rating scale, a perspective, a support level, a side of the
    Min värld-triangeln, an axis of the resiliensmatris, a practitioner question or a plan template.

    What each kind carries beyond its names and description (guiding questions, levels, sub-areas,
    poles, sections) is in ``details``, validated against its kind's schema in modules/model_config/bundle.py.
    """

    class Kind(models.TextChoices):
        AREA = "areas", _("Behovskompassens områden")
        RATING_SCALE = "rating_scales", _("Skattningsskalor")
        PERSPECTIVE = "perspectives", _("Perspektiv")
        SUPPORT_LEVEL = "support_levels", _("Stödnivåer")
        TRIANGLE_SIDE = "triangle_sides", _("Min värld-triangelns sidor")
        RESILIENCE_AXIS = "resilience_axes", _("Resiliensmatrisens axlar")
        PRACTITIONER_QUESTION = "practitioner_questions", _("De fem frågorna")
        PLAN_TEMPLATE = "plan_templates", _("Mallar för Barnets plan")

    # Unset: a draft (public) or, never in practice, a tenant-authored item.
    release = models.ForeignKey(
        InstalledRelease, null=True, blank=True, on_delete=models.CASCADE, related_name="model_items"
    )
    kind = models.CharField(_("typ"), max_length=30, choices=Kind.choices)
    key = models.SlugField(_("nyckel"), max_length=60)
    position = models.PositiveIntegerField(_("ordning"), default=0)
    name_sv = models.CharField(_("namn (svenska)"), max_length=200)
    name_en = models.CharField(_("namn (engelska)"), max_length=200)
    description_sv = models.TextField(_("beskrivning (svenska)"), blank=True)
    description_en = models.TextField(_("beskrivning (engelska)"), blank=True)
    details = models.JSONField(_("detaljer"), default=dict, blank=True)

    class Meta:
        ordering = ["kind", "position", "key"]
        constraints = [
            models.UniqueConstraint(name="model_item_key_per_release", fields=["release", "kind", "key"]),
            models.UniqueConstraint(
                name="model_item_key_per_draft", fields=["kind", "key"], condition=models.Q(release__isnull=True)
            ),
        ]

    def __str__(self):
        return f"{self.kind}:{self.key}"

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "sv").startswith("en") else self.name_sv

    @property
    def description(self) -> str:
        return self.description_en if (get_language() or "sv").startswith("en") else self.description_sv


class LocalResource(models.Model):
    """A tenant's own resource or contact (a local service, a phone number): never touched by an update."""

    class Kind(models.TextChoices):
        RESOURCE = "resource", _("Resurs")
        CONTACT = "contact", _("Kontakt")

    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("rubrik"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    url = models.URLField(_("länk"), blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "title"]

    def __str__(self):
        return self.title
