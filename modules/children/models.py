"""A child's record: identity (personnummer encrypted), guardians, units, and the relationships that decide
who may see it: Barnkontakt, Barnteam, Stödsamordnare and whoever raised a concern."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# Staff accounts are never deleted (deactivated instead), so every reference to one is DO_NOTHING in Django
# and a plain foreign key in the database, which refuses deleting an account that has history. DO_NOTHING
# also keeps Django's delete collector out of these tenant-only tables when an account is deleted in public.
USER = settings.AUTH_USER_MODEL


class Child(models.Model):
    given_name = models.CharField(_("förnamn"), max_length=100)
    family_name = models.CharField(_("efternamn"), max_length=100)
    personnummer_ciphertext = models.TextField(editable=False)
    personnummer_lookup = models.CharField(max_length=64, unique=True, editable=False)
    # The first eight digits (birth date, or day + 60 for a samordningsnummer): what the masked form shows.
    personnummer_prefix = models.CharField(max_length=8, editable=False)
    is_coordination_number = models.BooleanField(_("samordningsnummer"), default=False)
    birth_date = models.DateField(_("födelsedatum"))
    units = models.ManyToManyField("organisations.Unit", blank=True, related_name="children", verbose_name=_("enheter"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.DO_NOTHING, related_name="+")

    class Meta:
        ordering = ["family_name", "given_name", "pk"]
        # The child list's order: a page is a walk of this index from a cursor (children_page), not a sort of
        # every visible child.
        indexes = [models.Index(fields=["family_name", "given_name", "id"], name="child_name_order_idx")]
        verbose_name = _("barn")
        verbose_name_plural = _("barn")

    def __str__(self):
        return f"{self.given_name} {self.family_name}"

    @property
    def full_name(self) -> str:
        return str(self)

    @property
    def personnummer_masked(self) -> str:
        return f"{self.personnummer_prefix}-****"


class Guardian(models.Model):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="guardians")
    name = models.CharField(_("namn"), max_length=200)
    relation = models.CharField(_("relation till barnet"), max_length=60, blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    email = models.EmailField(_("e-postadress"), blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("vårdnadshavare")
        verbose_name_plural = _("vårdnadshavare")

    def __str__(self):
        return self.name


class RoleHolding(models.Model):
    """One staff member holding a role for a child: one holder at a time; earlier ones stay as history
    (ended_at set). Each role sets ``child`` and ``user`` itself, for its own reverse names."""

    child: models.ForeignKey
    user: models.ForeignKey
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    assigned_by = models.ForeignKey(USER, null=True, on_delete=models.DO_NOTHING, related_name="+")
    # Why the role changed hands: a decision by someone entitled to it, kept with the decision. Empty only on
    # holdings from before reasons were recorded.
    reason = models.TextField(_("skäl"), blank=True, default="")

    class Meta:
        abstract = True
        ordering = ["-started_at", "-pk"]

    @staticmethod
    def one_current(name: str) -> models.UniqueConstraint:
        return models.UniqueConstraint(fields=["child"], condition=models.Q(ended_at__isnull=True), name=name)


class ChildContact(RoleHolding):
    """Barnkontakten."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="contacts")
    user = models.ForeignKey(USER, on_delete=models.DO_NOTHING, related_name="child_contact_for")

    class Meta(RoleHolding.Meta):
        constraints = [RoleHolding.one_current("one_current_child_contact")]
        indexes = [models.Index(fields=["user", "child"], name="child_contact_user_idx")]

    def __str__(self):
        return f"Barnkontakt {self.pk}"


class SupportCoordinator(RoleHolding):
    """Stödsamordnaren, when support is coordinated."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="support_coordinators")
    user = models.ForeignKey(USER, on_delete=models.DO_NOTHING, related_name="support_coordinator_for")

    class Meta(RoleHolding.Meta):
        constraints = [RoleHolding.one_current("one_current_support_coordinator")]
        indexes = [models.Index(fields=["user", "child"], name="support_coord_user_idx")]

    def __str__(self):
        return f"Stödsamordnare {self.pk}"


class LegalGround(models.TextChoices):
    """Grounds other than consent on which information about a child may be shared across organisations."""

    NONE = "", _("Ingen (samtycke eller samma organisation)")
    SOL_14_1 = "sol_14_1", _("14 kap. 1 § SoL (anmälningsplikt)")
    OSL_10_2 = "osl_10_2", _("10 kap. 2 § OSL (nödvändigt för verksamheten)")
    OSL_10_28 = "osl_10_28", _("10 kap. 28 § OSL (uppgiftsskyldighet)")


class TeamMember(models.Model):
    """A member of the child's Barnteam. A member from another organisation than the Barnkontakt's is there
    under a consent (access ends the moment it is withdrawn or expires) or a recorded legal ground."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="team_members")
    user = models.ForeignKey(USER, on_delete=models.DO_NOTHING, related_name="team_memberships")
    team_role = models.CharField(_("roll i barnteamet"), max_length=100)
    started_on = models.DateField(_("från"))
    ends_on = models.DateField(_("till"), null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    consent = models.ForeignKey(
        "consent.Consent", null=True, blank=True, on_delete=models.PROTECT, related_name="team_members"
    )
    legal_ground = models.CharField(_("rättslig grund"), max_length=20, choices=LegalGround.choices, blank=True)
    added_by = models.ForeignKey(USER, null=True, on_delete=models.DO_NOTHING, related_name="+")

    class Meta:
        ordering = ["started_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "user"], condition=models.Q(ended_at__isnull=True), name="one_current_team_membership"
            )
        ]
        indexes = [
            models.Index(fields=["user", "child"], name="team_member_user_idx"),
            # The access rule's Barnteam part (_access_rule) from the index alone: current places, with the
            # consent id to tell whether a consent must be looked at.
            models.Index(
                fields=["user", "child"],
                include=["consent"],
                condition=models.Q(ended_at__isnull=True),
                name="team_member_current_idx",
            ),
        ]

    def __str__(self):
        return f"Barnteam {self.pk}"


class Concern(models.Model):
    """An adult in the child's everyday setting noticed something (Upptäckaren). Whoever raised a concern
    sees the child's name and their own concern, nothing else. Casework builds on this."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="concerns")
    raised_by = models.ForeignKey(USER, on_delete=models.DO_NOTHING, related_name="concerns_raised")
    raised_at = models.DateTimeField(auto_now_add=True)
    description = models.TextField(_("vad har du uppmärksammat?"))
    # Casework (modules/casework): which Behovskompassen areas it touches (keys of the installed release's
    # areas), how urgent, whether the guardians know, whom it went to and when it was acknowledged.
    area_keys = models.JSONField(_("områden"), default=list, blank=True)
    urgency = models.CharField(
        _("hur brådskande"),
        max_length=10,
        choices=[("low", _("Kan vänta")), ("normal", _("Inom några dagar")), ("high", _("Brådskande"))],
        default="normal",
    )
    guardians_informed = models.BooleanField(_("vårdnadshavarna vet om oron"), null=True, blank=True)
    routed_to = models.ForeignKey(USER, null=True, blank=True, on_delete=models.DO_NOTHING, related_name="+")
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.DO_NOTHING, related_name="+")

    class Meta:
        ordering = ["-raised_at", "-pk"]
        indexes = [
            models.Index(fields=["raised_by", "child"], name="concern_raised_by_idx"),
            models.Index(
                fields=["routed_to"], condition=models.Q(acknowledged_at__isnull=True), name="concern_open_idx"
            ),
        ]

    def __str__(self):
        return f"Oro {self.pk}"


class EmergencyAccess(models.Model):
    """Nödåtkomst: a staff member opened a child's record outside their relationships, with a reason, for a
    limited time (``settings.EMERGENCY_ACCESS_HOURS``), read-only. Each grant waits for the local admin's
    review (loggkontroll) until ``reviewed_at`` is set."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="emergency_accesses")
    user = models.ForeignKey(USER, on_delete=models.DO_NOTHING, related_name="emergency_accesses")
    reason = models.TextField(_("skäl"))
    granted_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.DO_NOTHING, related_name="+")

    class Meta:
        ordering = ["-granted_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "child", "expires_at"], name="emergency_access_user_idx"),
            models.Index(
                fields=["granted_at"], condition=models.Q(reviewed_at__isnull=True), name="emergency_access_open_idx"
            ),
        ]
        verbose_name = _("nödåtkomst")
        verbose_name_plural = _("nödåtkomster")

    def __str__(self):
        return f"Nödåtkomst {self.pk}"
