"""The child's timeline of significant events, in order, with who and when."""

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# What an event's ``code`` says, filled with its ``params`` when it is read, in the reader's language. A param
# may itself be {"sv": …, "en": …} (a name from the model configuration). Codes are never renamed: old
# events keep theirs; an event without a known code shows its stored ``summary``.
DETAILS = {
    "plan_started": _("Planen startad, nästa uppföljning %(next_review_on)s"),
    "plan_review_set": _("Nästa uppföljning ändrad: %(before)s → %(after)s"),
    "goal_added": _("Mål tillagt (%(area)s): %(text)s"),
    "action_added": _("Insats tillagd: %(what)s, ansvarig %(responsible)s, senast %(due_on)s"),
    "action_done": _("Insats klar: %(what)s"),
    "goal_changed": _("Mål ändrat (%(fields)s): %(text)s. Skäl: %(reason)s"),
    "goal_ended": _("Mål avslutat: %(text)s. Skäl: %(reason)s"),
    "action_changed": _("Insats ändrad (%(fields)s): %(what)s. Skäl: %(reason)s"),
    "action_ended": _("Insats avslutad utan att vara klar: %(what)s. Skäl: %(reason)s"),
    "plan_followed_up": _(
        "Planen följd upp %(held_on)s: %(reached)s mål uppnådda, %(partly)s delvis, %(not_reached)s inte; "
        "nästa uppföljning %(next_review_on)s"
    ),
    "plan_revised": _("Planen reviderad till version %(version)s. Skäl: %(reason)s"),
    "plan_agreed": _("%(name)s godkände planen (version %(version)s). Hur: %(method)s"),
    "meeting_planned": _("Möte planerat till %(starts_at)s"),
    "meeting_held": _("Möte hållet"),
    "meeting_changed": _("Mötet ändrat, nu %(starts_at)s"),
    "meeting_cancelled": _("Mötet %(starts_at)s inställt"),
    "meeting_attendance": _("Närvaro vid mötet: %(present)s av %(invited)s kallade"),
    "child_contact_set": _("Barnkontakt: %(name)s"),
    "support_coordinator_set": _("Stödsamordnare: %(name)s"),
    "support_coordinator_none": _("Ingen stödsamordnare"),
    "team_member_added": _("%(name)s (%(role)s, %(organisation)s)"),
    "team_member_ended": "%(name)s",  # a name says it all, in any language
    "consent_given": _("%(method)s samtycke för %(organisations)s, till och med %(until)s"),
}
# Params stored as a choice's value (language-neutral), shown as its label: (model, field) per code and param.
CHOICE_PARAMS = {
    "consent_given": {"method": ("consent.Consent", "method")},
    "plan_agreed": {"method": ("casework.PlanAgreement", "method")},
}


def _choice_label(model: str, field: str, value):
    choices = dict(apps.get_model(model)._meta.get_field(field).flatchoices)
    return choices.get(value, value)


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
    # Older events only: prose in the writer's language, shown as it is. New events store ``code`` and ``params``.
    summary = models.CharField(max_length=300, blank=True)
    code = models.CharField(max_length=40, blank=True)
    params = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["child", "at"], name="chronology_child_at_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"

    @property
    def detail(self) -> str:
        """What happened beyond the kind, in the active language."""
        template = DETAILS.get(self.code)
        if template is None:
            return self.summary
        english = (get_language() or "sv").startswith("en")
        params = {
            key: (value.get("en" if english else "sv") or value.get("sv", "")) if isinstance(value, dict) else value
            for key, value in self.params.items()
        }
        for key, (model, field) in CHOICE_PARAMS.get(self.code, {}).items():
            if key in params:
                params[key] = _choice_label(model, field, params[key])
        try:
            return str(template) % params
        except (KeyError, TypeError, ValueError):
            return self.summary
