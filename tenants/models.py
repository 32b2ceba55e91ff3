from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

from tenants.validators import validate_organisation_number


class County(models.TextChoices):
    """Sveriges 21 län, keyed by their official letter codes."""

    STOCKHOLM = "AB", "Stockholms län"
    UPPSALA = "C", "Uppsala län"
    SODERMANLAND = "D", "Södermanlands län"
    OSTERGOTLAND = "E", "Östergötlands län"
    JONKOPING = "F", "Jönköpings län"
    KRONOBERG = "G", "Kronobergs län"
    KALMAR = "H", "Kalmar län"
    GOTLAND = "I", "Gotlands län"
    BLEKINGE = "K", "Blekinge län"
    SKANE = "M", "Skåne län"
    HALLAND = "N", "Hallands län"
    VASTRA_GOTALAND = "O", "Västra Götalands län"
    VARMLAND = "S", "Värmlands län"
    OREBRO = "T", "Örebro län"
    VASTMANLAND = "U", "Västmanlands län"
    DALARNA = "W", "Dalarnas län"
    GAVLEBORG = "X", "Gävleborgs län"
    VASTERNORRLAND = "Y", "Västernorrlands län"
    JAMTLAND = "Z", "Jämtlands län"
    VASTERBOTTEN = "AC", "Västerbottens län"
    NORRBOTTEN = "BD", "Norrbottens län"


class Tenant(TenantMixin):
    class Kind(models.TextChoices):
        CENTRAL = "central", _("Nationell (central)")
        MUNICIPALITY = "municipality", _("Kommun")
        REGION = "region", _("Region")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Ansökt")
        PROVISIONING = "provisioning", _("Etableras")
        ONBOARDING = "onboarding", _("Införande")
        ACTIVE = "active", _("Aktiv")
        SUSPENDED = "suspended", _("Pausad")
        ARCHIVED = "archived", _("Arkiverad")

    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    organisation_number = models.CharField(
        _("organisationsnummer"),
        max_length=11,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_organisation_number],
    )
    county = models.CharField(_("län"), max_length=2, choices=County.choices, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    # When the tenant's own site last served a signed-in user (national console: last activity).
    last_activity_at = models.DateTimeField(null=True, blank=True)

    auto_create_schema = True
    auto_drop_schema = False

    class Meta:
        ordering = ["name"]
        constraints = [
            # Only the central tenant may lack an organisation number and a county.
            models.CheckConstraint(
                name="tenant_identity_required_for_local_tenants",
                condition=models.Q(kind="central")
                | (models.Q(organisation_number__isnull=False) & ~models.Q(county="")),
            ),
            models.UniqueConstraint(
                name="only_one_central_tenant", fields=["kind"], condition=models.Q(kind="central")
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_central(self) -> bool:
        return self.kind == self.Kind.CENTRAL

    @property
    def primary_domain(self) -> str | None:
        domain = self.domains.filter(is_primary=True).first()
        return domain.domain if domain else None


class Domain(DomainMixin):
    def __str__(self):
        return self.domain


class TenantEvent(models.Model):
    """What happened to a tenant, who did it and why: the lifecycle's own history."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Skapad")
        DOMAIN_ADDED = "domain_added", _("Domän tillagd")
        STATUS_CHANGED = "status_changed", _("Status ändrad")
        APPLICATION_SUBMITTED = "application_submitted", _("Ansökan inkommen")
        APPLICATION_APPROVED = "application_approved", _("Ansökan beviljad")
        APPLICATION_REJECTED = "application_rejected", _("Ansökan avslagen")
        PROVISIONING_STARTED = "provisioning_started", _("Etablering startad")
        PROVISIONING_SUCCEEDED = "provisioning_succeeded", _("Etablering klar")
        PROVISIONING_FAILED = "provisioning_failed", _("Etablering misslyckades")
        SUSPENDED = "suspended", _("Pausad")
        REACTIVATED = "reactivated", _("Återaktiverad")
        EXPORTED = "exported", _("Exporterad")
        ARCHIVED = "archived", _("Arkiverad")
        CHECKLIST_UPDATED = "checklist_updated", _("Checklista uppdaterad")
        WENT_LIVE = "went_live", _("Driftstart")
        AGREEMENT_DOWNLOADED = "agreement_downloaded", _("Överenskommelsen hämtad")
        EXPORT_DOWNLOADED = "export_downloaded", _("Export hämtad")
        STATISTICS_VIEWED = "statistics_viewed", _("Statistik visad")

    # A decision on an application that was rejected concerns no tenant: such events carry the application.
    tenant = models.ForeignKey(Tenant, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    application = models.ForeignKey(
        "onboarding.Application", null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=40, choices=Kind.choices)
    # National users live in public; an event done by a command or the system has no actor.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    # Who did it, in words: a local admin lives in the tenant's schema and cannot be a foreign key here.
    actor_name = models.CharField(max_length=250, blank=True)
    reason = models.TextField(blank=True)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

        constraints = [
            models.CheckConstraint(
                name="tenant_event_concerns_tenant_or_application",
                condition=models.Q(tenant__isnull=False) | models.Q(application__isnull=False),
            )
        ]

    def __str__(self):
        return f"{self.tenant or self.application} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"


class TenantExport(models.Model):
    """A complete export of one tenant's schema (pg_dump), with its manifest, checksum and restore check."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="exports")
    path = models.CharField(max_length=500)
    size_bytes = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    manifest = models.JSONField(default=dict)
    verified_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Export {self.pk} of {self.tenant}"


class TenantExportJob(models.Model):
    """A requested export, from the request until its verified TenantExport: what the sweep resumes when a worker dies.

    Without it a lost export waited in Redis for the broker's visibility timeout (hours) before running again.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Väntar")
        RUNNING = "running", _("Pågår")
        SUCCEEDED = "succeeded", _("Klar")
        FAILED = "failed", _("Misslyckades")

    OPEN = (Status.PENDING, Status.RUNNING)

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="export_jobs")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    export = models.OneToOneField(TenantExport, null=True, blank=True, on_delete=models.SET_NULL, related_name="job")
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    resumes = models.PositiveIntegerField(default=0)  # times the sweep sent it again

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A second request while one runs joins it: two pg_dumps of one schema at once help nobody.
            models.UniqueConstraint(
                fields=["tenant"], condition=models.Q(status__in=["pending", "running"]), name="one_open_export_job"
            )
        ]

    def __str__(self):
        return f"Export job {self.pk} of {self.tenant} ({self.status})"
