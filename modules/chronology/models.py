"""The child's timeline of significant events, in order, with who and when."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    class Kind(models.TextChoices):
        CHILD_REGISTERED = "child_registered", _("Barnet registrerat")
        CONCERN_RAISED = "concern_raised", _("Oro uppmärksammad")
        CHILD_CONTACT_CHANGED = "child_contact_changed", _("Barnkontakt ändrad")
        TEAM_MEMBER_ADDED = "team_member_added", _("Ny medlem i barnteamet")
        TEAM_MEMBER_ENDED = "team_member_ended", _("Medlem lämnade barnteamet")
        SUPPORT_COORDINATOR_CHANGED = "support_coordinator_changed", _("Stödsamordnare ändrad")
        CONSENT_GIVEN = "consent_given", _("Samtycke lämnat")
        CONSENT_WITHDRAWN = "consent_withdrawn", _("Samtycke återkallat")
        CONSENT_EXPIRED = "consent_expired", _("Samtycke har gått ut")
        CONCERN_ACKNOWLEDGED = "concern_acknowledged", _("Oro kvitterad")
        ASSESSMENT_MADE = "assessment_made", _("Bedömning med Behovskompassen")
        FOLLOW_UP_MADE = "follow_up_made", _("Uppföljning")
        PLAN_CHANGED = "plan_changed", _("Barnets plan ändrad")
        MEETING = "meeting", _("Barnteamsmöte")
        CASE_CLOSED = "case_closed", _("Ärendet avslutat")

    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="chronology")
    kind = models.CharField(max_length=40, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.DO_NOTHING, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    summary = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["child", "at"], name="chronology_child_at_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"
