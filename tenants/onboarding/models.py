"""Applications to join Backa barnet, and each tenant's onboarding checklist (public schema only).

A tenant's local admin reads its own rows from the tenant site: these tables exist only in public, which
is on every tenant's search_path.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.models import County, Tenant


class Partner(models.TextChoices):
    KOMMUN = "kommun", _("Kommun")
    REGION = "region", _("Region")
    POLIS = "polis", _("Polisen")


class Application(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Inkommen")
        APPROVED = "approved", _("Beviljad")
        REJECTED = "rejected", _("Avslagen")

    organisation_name = models.CharField(_("organisationens namn"), max_length=200)
    organisation_number = models.CharField(_("organisationsnummer"), max_length=11)
    kind = models.CharField(
        _("typ"),
        max_length=20,
        choices=[(Tenant.Kind.MUNICIPALITY, _("Kommun")), (Tenant.Kind.REGION, _("Region"))],
    )
    county = models.CharField(_("län"), max_length=2, choices=County.choices)
    subdomain = models.CharField(_("önskad subdomän"), max_length=63)
    contact_name = models.CharField(_("kontaktperson"), max_length=200)
    contact_email = models.EmailField(_("kontaktpersonens e-post"))
    contact_phone = models.CharField(_("kontaktpersonens telefon"), max_length=40, blank=True)
    partners = models.JSONField(_("samverkansparter"), default=list)
    # The language the application was written in: the receipt and the decision are mailed in it.
    language = models.CharField(_("språk"), max_length=10, choices=settings.LANGUAGES, default="sv")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # Set by the task once the decision e-mail went out; a decision without it is mailed again by the sweep, so
    # a worker killed before or while sending loses nothing (at least once: a kill between the send and this
    # record mails twice, never zero times).
    decision_sent_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    tenant = models.OneToOneField(Tenant, null=True, blank=True, on_delete=models.SET_NULL, related_name="application")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # One open or granted application per organisation; a rejected one may be followed by a new one.
            models.UniqueConstraint(
                name="one_live_application_per_organisation",
                fields=["organisation_number"],
                condition=~models.Q(status="rejected"),
            ),
            models.UniqueConstraint(
                name="one_live_application_per_subdomain",
                fields=["subdomain"],
                condition=~models.Q(status="rejected"),
            ),
        ]

    def __str__(self):
        return self.organisation_name

    def get_partners_display(self) -> str:
        labels = dict(Partner.choices)
        return ", ".join(str(labels.get(partner, partner)) for partner in self.partners)


class Checklist(models.Model):
    """A tenant's way from provisioned to live: dates here, items below."""

    tenant = models.OneToOneField(Tenant, on_delete=models.CASCADE, related_name="checklist")
    planned_go_live = models.DateField(_("planerad driftstart"), null=True, blank=True)
    actual_go_live = models.DateField(_("faktisk driftstart"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Checklist {self.tenant}"


class ChecklistItem(models.Model):
    class Key(models.TextChoices):
        AGREEMENT = "agreement", _("Undertecknad överenskommelse")
        ORGANISATIONS = "organisations", _("Organisationer och enheter upplagda")
        STAFF = "staff", _("Medarbetare inbjudna")
        TRAINING = "training", _("Utbildning genomförd")
        RELEASE = "release", _("Modellens konfiguration införd")
        GO_LIVE = "go_live", _("Driftstart")

    class State(models.TextChoices):
        TODO = "todo", _("Ej påbörjad")
        IN_PROGRESS = "in_progress", _("Pågår")
        DONE = "done", _("Klar")

    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="items")
    key = models.CharField(max_length=30, choices=Key.choices)
    state = models.CharField(_("status"), max_length=20, choices=State.choices, default=State.TODO)
    note = models.CharField(_("kommentar"), max_length=500, blank=True)
    updated_by_name = models.CharField(max_length=250, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(name="one_item_per_key", fields=["checklist", "key"])]

    def __str__(self):
        return f"{self.checklist.tenant} {self.key}"


def agreement_upload_to(instance, filename):
    # Never the uploader's file name: it may carry a person's name.
    return f"agreements/{instance.tenant_id}/{instance.document_sha256}.pdf"


class Agreement(models.Model):
    """The signed överenskommelse between kommun, region and polis."""

    tenant = models.OneToOneField(Tenant, on_delete=models.CASCADE, related_name="agreement")
    parties = models.JSONField(_("parter"), default=list)
    signed_on = models.DateField(_("undertecknad den"))
    document = models.FileField(_("undertecknat dokument"), upload_to=agreement_upload_to, blank=True)
    document_size = models.PositiveIntegerField(null=True, blank=True)
    document_content_type = models.CharField(max_length=100, blank=True)
    document_sha256 = models.CharField(max_length=64, blank=True)
    updated_by_name = models.CharField(max_length=250, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Agreement {self.tenant}"


class Signatory(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signatories")
    name = models.CharField(_("namn"), max_length=200)
    role = models.CharField(_("roll"), max_length=200)
    party = models.CharField(_("part"), max_length=20, choices=Partner.choices)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.name
