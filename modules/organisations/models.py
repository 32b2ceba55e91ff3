"""Organisations (kommun, region, polis) and their units inside one tenant."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "kommun", _("Kommun")
        REGION = "region", _("Region")
        POLICE = "polis", _("Polis")

    name = models.CharField(_("namn"), max_length=200, unique=True)
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    # Closed, never deleted once it has history (units, consents): the records that name it stay readable.
    closed_at = models.DateTimeField(_("stängd"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisationer")

    def __str__(self):
        return self.name

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class Unit(models.Model):
    class Kind(models.TextChoices):
        PRESCHOOL = "forskola", _("Förskola")
        SCHOOL = "skola", _("Skola")
        STUDENT_HEALTH = "elevhalsa", _("Elevhälsa")
        SOCIAL_SERVICES = "socialtjanst", _("Socialtjänst")
        CHILD_HEALTH = "bhv", _("BHV/BVC")
        MIDWIFE = "barnmorskemottagning", _("Barnmorskemottagning")
        CHILD_PSYCHIATRY = "bup", _("BUP")
        HABILITATION = "habilitering", _("Habilitering")
        POLICE = "polis", _("Polis")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="units", verbose_name=_("organisation")
    )
    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("typ"), max_length=30, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    # Closed, never deleted once it has history (staff, invitations, children): no one is invited into it.
    closed_at = models.DateTimeField(_("stängd"), null=True, blank=True)

    class Meta:
        ordering = ["organisation__name", "name"]
        verbose_name = _("enhet")
        verbose_name_plural = _("enheter")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unit_name_unique_per_organisation")
        ]

    def __str__(self):
        return f"{self.name} ({self.organisation.name})"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None
