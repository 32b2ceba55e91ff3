"""The Backa barnet process for one child after a concern: Behovskompassen assessments (and follow-ups),
Barnets plan with goals and actions, closing the case, and the tenant's retention period.

Every assessment and plan keeps the installed release it was made with (PROTECT: a release that records
point at is never removed), so its areas, scale and support levels show that release's wording forever.
Model content is referred to by key; nothing here knows the words.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class Assessment(models.Model):
    """One description and assessment with Behovskompassen (a first one, or a follow-up)."""

    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="assessments")
    release = models.ForeignKey("model_config.InstalledRelease", on_delete=models.PROTECT, related_name="+")
    assessed_on = models.DateField(_("datum"))
    is_follow_up = models.BooleanField(_("uppföljning"), default=False)
    perspective_keys = models.JSONField(_("perspektiv"), default=list)
    participants = models.TextField(_("vilka deltog"))
    support_level_key = models.CharField(_("stödnivå"), max_length=60)
    support_level_reason = models.TextField(_("skäl för stödnivån"))
    resilience = models.JSONField(_("resiliensmatris"), default=dict, blank=True)
    triangle_notes = models.JSONField(_("Min värld-triangeln"), default=dict, blank=True)
    made_by = models.ForeignKey(USER, on_delete=models.DO_NOTHING, related_name="+")
    made_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assessed_on", "pk"]
        indexes = [models.Index(fields=["child", "assessed_on"], name="assessment_child_idx")]

    def __str__(self):
        return f"Bedömning {self.pk}"


class AreaRating(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    area_key = models.CharField(max_length=60)
    level_key = models.CharField(max_length=20)
    level_value = models.PositiveSmallIntegerField()  # position on the scale, 1 = best; what the chart draws
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["assessment", "area_key"], name="one_rating_per_area")]

    def __str__(self):
        return f"{self.area_key}: {self.level_key}"


class Plan(models.Model):
    """Barnets plan: one living plan per child."""

    child = models.OneToOneField("children.Child", on_delete=models.CASCADE, related_name="plan")
    release = models.ForeignKey("model_config.InstalledRelease", on_delete=models.PROTECT, related_name="+")
    next_review_on = models.DateField(_("nästa uppföljning"))
    created_by = models.ForeignKey(USER, on_delete=models.DO_NOTHING, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    review_reminded_on = models.DateField(null=True, blank=True)
    # The version being worked on; earlier ones are frozen in PlanVersion. ``content_changed_at`` is the last
    # change to the goals or actions: an agreement recorded before it no longer covers the plan.
    version = models.PositiveIntegerField(_("version"), default=1)
    content_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["next_review_on"], name="plan_review_idx")]

    def __str__(self):
        return f"Plan {self.pk}"


class Goal(models.Model):
    class Outcome(models.TextChoices):
        OPEN = "", _("Pågår")
        REACHED = "reached", _("Uppnått")
        PARTLY = "partly", _("Delvis uppnått")
        NOT_REACHED = "not_reached", _("Inte uppnått")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    area_key = models.CharField(_("område"), max_length=60)
    text = models.TextField(_("mål"))
    child_words = models.TextField(_("barnets egna ord"), blank=True)
    guardian_words = models.TextField(_("vårdnadshavarnas ord"), blank=True)
    outcome = models.CharField(_("utfall"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_assessment = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.SET_NULL, related_name="goal_outcomes"
    )
    # Ended, never deleted: the goal stays readable in the plan's history with why it ended.
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_reason = models.TextField(_("skäl till att målet avslutades"), blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"Mål {self.pk}"


class Action(models.Model):
    class ResponsibleKind(models.TextChoices):
        STAFF = "staff", _("En person i barnteamet")
        UNIT = "unit", _("En enhet")
        GUARDIANS = "guardians", _("Vårdnadshavarna")
        CHILD = "child", _("Barnet")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    goal = models.ForeignKey(Goal, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions")
    what = models.TextField(_("vad"))
    # Who is responsible is a choice (kind, and the user or unit it names). ``responsible`` holds the free
    # text of actions written before that, when it named none of them (kind left empty: "set who").
    responsible_kind = models.CharField(_("vem ansvarar"), max_length=20, choices=ResponsibleKind.choices, blank=True)
    responsible = models.CharField(_("tidigare angiven ansvarig"), max_length=200, blank=True)
    responsible_user = models.ForeignKey(USER, null=True, blank=True, on_delete=models.DO_NOTHING, related_name="+")
    responsible_unit = models.ForeignKey(
        "organisations.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("senast"))
    done_at = models.DateTimeField(null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True)
    # Ended without being done (no longer needed, replaced): kept with why.
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_reason = models.TextField(_("skäl till att insatsen avslutades"), blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["due_on"], condition=models.Q(done_at__isnull=True), name="action_open_idx"),
            models.Index(
                fields=["responsible_user", "due_on"],
                condition=models.Q(done_at__isnull=True, ended_at__isnull=True),
                name="action_responsible_open_idx",
            ),
        ]

    def __str__(self):
        return f"Insats {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.done_at is None and self.ended_at is None

    @property
    def responsible_name(self) -> str:
        """Who is responsible, as the family and the team read it (the kind's label for guardians and child)."""
        if self.responsible_kind == self.ResponsibleKind.STAFF and self.responsible_user_id:
            return self.responsible_user.full_name
        if self.responsible_kind == self.ResponsibleKind.UNIT and self.responsible_unit_id:
            return self.responsible_unit.name
        if self.responsible_kind:
            return str(self.get_responsible_kind_display())
        return self.responsible


class CaseClosure(models.Model):
    """A closed case: culled (gallring) when the tenant's retention period has passed since ``closed_at``."""

    child = models.OneToOneField("children.Child", on_delete=models.CASCADE, related_name="closure")
    closed_at = models.DateTimeField()
    reason = models.TextField(_("skäl"))
    closed_by = models.ForeignKey(USER, on_delete=models.DO_NOTHING, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["closed_at"], name="closure_at_idx")]

    def __str__(self):
        return f"Avslutat {self.closed_at:%Y-%m-%d}"


class RetentionSetting(models.Model):
    """The tenant's retention period; one row at most. Without it the default applies."""

    months = models.PositiveIntegerField(_("gallringsfrist (månader)"))
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.months} månader"


class Meeting(models.Model):
    """A Barnteam meeting: planned (invitations to staff by e-mail), then held with minutes and decisions."""

    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("tid"))
    ends_at = models.DateTimeField(_("slutar"), null=True, blank=True)  # unset only on meetings planned before it
    place = models.CharField(_("plats"), max_length=200, blank=True)
    video_link = models.URLField(_("länk till videomöte"), max_length=500, blank=True)
    agenda = models.TextField(_("dagordning"))
    # Through a model whose user key is DO_NOTHING: deleting an account in public must not make Django's
    # delete collector look for this tenant-only table (see modules/children/models.py).
    staff = models.ManyToManyField(
        USER, through="MeetingParticipant", related_name="+", verbose_name=_("deltagare från barnteamet")
    )
    guardians_take_part = models.BooleanField(_("vårdnadshavare deltar"), default=True)
    child_takes_part = models.BooleanField(_("barnet deltar"), default=False)
    minutes = models.TextField(_("anteckningar"), blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)
    planned_by = models.ForeignKey(USER, on_delete=models.DO_NOTHING, related_name="+")
    # The kallelse as a calendar event: one UID for the meeting's life (modules/casework/meetings.py), SEQUENCE
    # raised by each change and by the cancellation, so a calendar replaces its copy instead of adding another.
    sequence = models.PositiveIntegerField(default=0)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(_("skäl till att mötet ställs in"), blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["child", "starts_at"], name="meeting_child_idx")]

    def __str__(self):
        return f"Möte {self.pk}"


class MeetingParticipant(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(USER, on_delete=models.DO_NOTHING, related_name="+")
    attended = models.BooleanField(null=True)  # unknown until the attendance is recorded after the meeting

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="one_participation_per_meeting")]

    def __str__(self):
        return f"Deltagare {self.pk}"


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("beslut"))
    action = models.OneToOneField(Action, null=True, blank=True, on_delete=models.SET_NULL, related_name="decision")

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"Beslut {self.pk}"


class MeetingGuest(models.Model):
    """Someone at a meeting who is not staff: a guardian, the child, or another person named with their role
    (an interpreter, a grandmother, a social worker from another authority)."""

    class Kind(models.TextChoices):
        GUARDIAN = "guardian", _("Vårdnadshavare")
        CHILD = "child", _("Barnet")
        OTHER = "other", _("Annan")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="guests")
    kind = models.CharField(_("vem"), max_length=20, choices=Kind.choices)
    guardian = models.ForeignKey(
        "children.Guardian", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("namn"), max_length=200)  # as invited: a guardian removed later stays named
    role = models.CharField(_("roll"), max_length=200, blank=True)
    attended = models.BooleanField(null=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"Gäst {self.pk}"


class PerspectiveRating(models.Model):
    """An area rated from one perspective (the child's, the guardians', the professional's) when the release
    defines perspectives; the assessment's own rating (AreaRating) stays the one the plan is built on."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="perspective_ratings")
    perspective_key = models.CharField(max_length=60)
    area_key = models.CharField(max_length=60)
    level_key = models.CharField(max_length=20)
    level_value = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "perspective_key", "area_key"], name="one_rating_per_perspective_area"
            )
        ]

    def __str__(self):
        return f"{self.perspective_key}/{self.area_key}: {self.level_key}"


class AssessmentDraft(models.Model):
    """An assessment being written, step by step: the form's values as posted so far, one draft per child and
    staff member, removed when the assessment is saved."""

    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="assessment_drafts")
    made_by = models.ForeignKey(USER, on_delete=models.DO_NOTHING, related_name="+")
    values = models.JSONField(default=dict)
    step = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["child", "made_by"], name="one_assessment_draft_per_author")]

    def __str__(self):
        return f"Utkast {self.pk}"


# Barnets plan's history, versions, follow-ups and agreements, and the documents' settings (kept apart from
# this file's models so the plan's additions read as one piece).
from modules.casework.plan_models import (  # noqa: E402, F401
    DocumentSetting,
    PlanAgreement,
    PlanChange,
    PlanFollowUp,
    PlanVersion,
)
