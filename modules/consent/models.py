"""Samtycke: who gave it, when, for which organisations and purpose, until when, how, and its withdrawal."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Consent(models.Model):
    class Method(models.TextChoices):
        WRITTEN = "written", _("Skriftligt")
        ORAL = "oral", _("Muntligt")

    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="consents")
    given_by_guardian = models.ForeignKey(
        "children.Guardian",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consents",
        verbose_name=_("vårdnadshavare som gav samtycket"),
    )
    given_by_child = models.BooleanField(_("barnet har själv samtyckt"), default=False)
    given_on = models.DateField(_("datum då samtycket gavs"))
    organisations = models.ManyToManyField(
        "organisations.Organisation", related_name="consents", verbose_name=_("organisationer som omfattas")
    )
    purpose = models.TextField(_("syfte"))
    valid_until = models.DateField(_("gäller till och med"))
    method = models.CharField(_("hur samtycket gavs"), max_length=10, choices=Method.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING, related_name="+"
    )
    withdrawal_reason = models.TextField(blank=True)
    # Set when the expiry has been recorded in the chronology and the people affected were told.
    expiry_handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-given_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="consent_given_by_someone",
                condition=models.Q(given_by_guardian__isnull=False) | models.Q(given_by_child=True),
            ),
            models.CheckConstraint(
                name="consent_ends_after_it_starts", condition=models.Q(valid_until__gte=models.F("given_on"))
            ),
        ]

    def __str__(self):
        return f"Samtycke {self.pk}"

    def is_valid_on(self, day) -> bool:
        return self.withdrawn_at is None and self.given_on <= day <= self.valid_until
