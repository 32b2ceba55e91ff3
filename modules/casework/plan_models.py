"""Barnets plan over time: every change to a goal or an action (who, when, why, what), the plan's earlier
versions, its follow-ups with each goal's outcome, the family's agreement, and the instance's settings for
the documents given to families (municipality name and logo)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class PlanChange(models.Model):
    """One change to a goal or an action, with the fields that changed (before and after) and why."""

    plan = models.ForeignKey("casework.Plan", on_delete=models.CASCADE, related_name="changes")
    goal = models.ForeignKey("casework.Goal", null=True, blank=True, on_delete=models.CASCADE, related_name="changes")
    action = models.ForeignKey(
        "casework.Action", null=True, blank=True, on_delete=models.CASCADE, related_name="changes"
    )
    version = models.PositiveIntegerField()
    code = models.CharField(max_length=40)  # the chronology code: goal_changed, goal_ended, action_changed, …
    changes = models.JSONField(default=list, blank=True)  # [{"field": …, "before": …, "after": …}]
    reason = models.TextField(_("skäl"))
    changed_by = models.ForeignKey(USER, on_delete=models.DO_NOTHING, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"Ändring {self.pk}"


class PlanVersion(models.Model):
    """An earlier version of the plan, frozen when the plan was revised: what it said, and who agreed to it."""

    plan = models.ForeignKey("casework.Plan", on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.JSONField()  # goals, actions, next review date and agreements as they stood
    superseded_at = models.DateTimeField(auto_now_add=True)
    superseded_by = models.ForeignKey(USER, on_delete=models.DO_NOTHING, related_name="+")
    revision_reason = models.TextField(_("skäl till revideringen"))

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="one_plan_version_per_number")]

    def __str__(self):
        return f"Version {self.number}"


class PlanFollowUp(models.Model):
    """A follow-up of the plan: each goal's outcome, and the review date moved on."""

    plan = models.ForeignKey("casework.Plan", on_delete=models.CASCADE, related_name="follow_ups")
    version = models.PositiveIntegerField()
    held_on = models.DateField(_("uppföljningens datum"))
    outcomes = models.JSONField(default=dict)  # {goal id: outcome}
    review_before = models.DateField()
    review_after = models.DateField(_("nästa uppföljning"))
    note = models.TextField(_("anteckning"), blank=True)
    made_by = models.ForeignKey(USER, on_delete=models.DO_NOTHING, related_name="+")
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_on", "pk"]

    def __str__(self):
        return f"Uppföljning {self.held_on:%Y-%m-%d}"


class PlanAgreement(models.Model):
    """A guardian's or the child's agreement to one version of the plan, and how it was given."""

    class Party(models.TextChoices):
        GUARDIAN = "guardian", _("Vårdnadshavare")
        CHILD = "child", _("Barnet")

    class Method(models.TextChoices):
        MEETING = "meeting", _("På ett möte")
        PAPER = "paper", _("På papper")
        DIGITAL = "digital", _("Digitalt")

    plan = models.ForeignKey("casework.Plan", on_delete=models.CASCADE, related_name="agreements")
    version = models.PositiveIntegerField()
    party = models.CharField(_("vem"), max_length=20, choices=Party.choices)
    guardian = models.ForeignKey(
        "children.Guardian", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("namn"), max_length=200)  # as it was when given, should the guardian row change
    agreed_on = models.DateField(_("datum"))
    method = models.CharField(_("hur"), max_length=20, choices=Method.choices)
    recorded_by = models.ForeignKey(USER, on_delete=models.DO_NOTHING, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "pk"]
        indexes = [models.Index(fields=["plan", "version"], name="plan_agreement_version_idx")]

    def __str__(self):
        return f"Godkännande {self.pk}"


class DocumentSetting(models.Model):
    """The instance's name and logo on documents for families; one row at most."""

    municipality_name = models.CharField(_("kommunens namn"), max_length=200)
    phone = models.CharField(_("telefon till kommunen"), max_length=40, blank=True)
    logo_png = models.BinaryField(_("logotyp"), null=True, blank=True)  # re-encoded as PNG when uploaded
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return self.municipality_name
