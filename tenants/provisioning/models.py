"""Provisioning jobs and their recorded steps (public schema)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.models import Tenant


class ProvisioningJob(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Väntar")
        RUNNING = "running", _("Pågår")
        SUCCEEDED = "succeeded", _("Klar")
        FAILED = "failed", _("Misslyckades")

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="provisioning_jobs")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    subdomain = models.CharField(max_length=63)
    admin_email = models.EmailField(blank=True)
    admin_name = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The lease: the worker running the job renews it as steps advance; a job pending or running whose lease
    # is older than WORK_LEASE_SECONDS, and whose advisory lock no live session holds, is resumed by the sweep.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=200, blank=True)  # host and process id, for the operator
    resumes = models.PositiveIntegerField(default=0)  # times the sweep sent it again since it was (re)queued

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                name="provisioning_job_open",
                fields=["heartbeat_at"],
                condition=models.Q(status__in=["pending", "running"]),
            )
        ]

    def __str__(self):
        return f"Provisioning {self.pk} of {self.tenant}"

    @property
    def duration_ms(self) -> int | None:
        if self.started_at and self.finished_at:
            return int((self.finished_at - self.started_at).total_seconds() * 1000)
        return None


class ProvisioningStep(models.Model):
    class Name(models.TextChoices):
        CREATE_SCHEMA = "create_schema", _("Skapa schema")
        CREATE_DOMAIN = "create_domain", _("Skapa domän")
        INSTALL_RELEASE = "install_release", _("Installera modellens aktuella konfiguration")
        INVITE_ADMIN = "invite_admin", _("Bjud in första lokala administratören")
        OPEN = "open", _("Öppna instansen")

    class State(models.TextChoices):
        PENDING = "pending", _("Väntar")
        RUNNING = "running", _("Pågår")
        DONE = "done", _("Klar")
        SKIPPED = "skipped", _("Hoppades över")
        FAILED = "failed", _("Misslyckades")

    job = models.ForeignKey(ProvisioningJob, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=30, choices=Name.choices)
    state = models.CharField(max_length=20, choices=State.choices, default=State.PENDING)
    detail = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["job", "position"]
        constraints = [models.UniqueConstraint(name="one_step_per_name", fields=["job", "name"])]

    def __str__(self):
        return f"{self.job_id}:{self.name}"


class SchemaTemplate(models.Model):
    """The DDL and seed rows of a fully migrated tenant schema, captured once per migration state.

    Provisioning replays this script instead of running migrations. The key is a hash of every tenant
    migration on disk, so a new migration makes a new template (migrate_all builds it ahead of time).
    """

    migration_key = models.CharField(max_length=64, unique=True)
    placeholder = models.CharField(max_length=63)
    script = models.TextField()
    migrations_count = models.PositiveIntegerField()
    build_ms = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"SchemaTemplate {self.migration_key[:12]}"
