"""User accounts. The app is in SHARED_APPS and TENANT_APPS: national users live in public, each
municipality's staff in its own schema, so an account of one tenant cannot exist in another."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    class Role(models.TextChoices):
        # In the central tenant (public schema).
        NATIONAL_COORDINATOR = "national_coordinator", _("Nationell samordnare")
        CONTENT_EDITOR = "content_editor", _("Nationell innehållsredaktör")
        # In a municipality's or region's schema.
        LOCAL_ADMIN = "local_admin", _("Lokal administratör")
        PROCESS_LEAD = "process_lead", _("Processledare")
        STAFF = "staff", _("Medarbetare")

    email = models.EmailField(_("e-postadress"), unique=True)
    full_name = models.CharField(_("namn"), max_length=200)
    role = models.CharField(_("roll"), max_length=30, choices=Role.choices, default=Role.STAFF)
    is_active = models.BooleanField(_("aktiv"), default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # The unit a tenant's staff member works in. No database constraint: this app is also in public, where
    # the organisations tables do not exist (national users have no unit).
    unit = models.ForeignKey(
        "organisations.Unit",
        verbose_name=_("enhet"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        db_constraint=False,
        related_name="staff",
    )
    # Accounts are deactivated, never deleted: their history (audit log, chronology) refers to them.
    deactivated_at = models.DateTimeField(_("inaktiverad"), null=True, blank=True)
    # The language chosen in the UI, kept so that mail to this person is written in it (modules/accounts/mail.py),
    # whoever's action sends it.
    language = models.CharField(_("språk"), max_length=10, choices=settings.LANGUAGES, default="sv")
    # The work phone families see on Barnets plan (modules/casework/plan_documents.py); set by the person.
    phone = models.CharField(_("telefon i tjänsten"), max_length=30, blank=True)
    # Part of every session's authentication hash: raising it ends all of this person's sessions ("Logga ut
    # överallt"), as a new password does.
    session_generation = models.PositiveIntegerField(default=0)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]
        verbose_name = _("användare")
        verbose_name_plural = _("användare")

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def _get_session_auth_hash(self, secret=None):
        # Django's hash of the password, with the session generation: a session made before the generation was
        # raised no longer matches and is flushed on its next request.
        return salted_hmac(
            "modules.accounts.User.session_auth_hash",
            f"{self.password}\x1f{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


# The roles of a tenant's staff, as choices (forms, the API and its schema's StaffRoleEnum).
STAFF_ROLE_CHOICES = [
    (role.value, role.label) for role in (User.Role.LOCAL_ADMIN, User.Role.PROCESS_LEAD, User.Role.STAFF)
]


class Invitation(models.Model):
    """A one-time, expiring link to set a password. Only the token's SHA-256 is stored."""

    email = models.EmailField()
    full_name = models.CharField(max_length=200)
    role = models.CharField(max_length=30, choices=User.Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations")
    unit = models.ForeignKey(
        "organisations.Unit", null=True, blank=True, on_delete=models.PROTECT, db_constraint=False, related_name="+"
    )
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    # The import row it was sent for (created with it, so a batch of an import is one INSERT): a row with its
    # invitation is done.
    staff_import_row = models.OneToOneField(
        "StaffImportRow", null=True, blank=True, on_delete=models.SET_NULL, related_name="invitation"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["email"], name="invitation_email_idx")]

    def __str__(self):
        return f"Invitation {self.pk}"

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()


class ApiToken(models.Model):
    """A bearer token for the API (``Authorization: Token <key>``). Only the key's SHA-256 is stored; a
    deactivated account's tokens stop working with it, and every token API_TOKEN_LIFETIME_HOURS after it
    was issued."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"API token {self.pk}"

    @staticmethod
    def expiry_of(created_at):
        return created_at + timedelta(hours=settings.API_TOKEN_LIFETIME_HOURS)


class StaffChange(models.Model):
    """A staff member's role or unit changed by a local admin: who, when, from what to what. The audit log
    names this row (``accounts.staffchange``), so loggkontroll reads the change in words."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="staff_changes")
    changed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)
    old_role = models.CharField(max_length=30, choices=User.Role.choices)
    new_role = models.CharField(max_length=30, choices=User.Role.choices)
    old_unit = models.ForeignKey(
        "organisations.Unit", null=True, blank=True, on_delete=models.PROTECT, db_constraint=False, related_name="+"
    )
    new_unit = models.ForeignKey(
        "organisations.Unit", null=True, blank=True, on_delete=models.PROTECT, db_constraint=False, related_name="+"
    )

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"Staff change {self.pk}"


class StaffImport(models.Model):
    """An uploaded file of units and staff (CSV or XLSX), kept here with its rows as validated: nothing else is
    written until a local admin confirms; then a worker creates the units and invitations and mails the links,
    counting as it goes (the page polls the counts)."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Förhandsgranskning")
        CONFIRMED = "confirmed", _("Bekräftad, väntar på att starta")
        RUNNING = "running", _("Inbjudningar skickas")
        DONE = "done", _("Klar")

    file_name = models.CharField(max_length=200)
    file_format = models.CharField(max_length=10)
    data = models.BinaryField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PREVIEW)
    rows_total = models.PositiveIntegerField(default=0)
    rows_valid = models.PositiveIntegerField(default=0)
    rows_unchanged = models.PositiveIntegerField(default=0)
    rows_error = models.PositiveIntegerField(default=0)
    confirmed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    organisations_created = models.PositiveIntegerField(default=0)
    units_created = models.PositiveIntegerField(default=0)
    invitations_total = models.PositiveIntegerField(default=0)  # valid rows naming a person, known once running
    invitations_created = models.PositiveIntegerField(default=0)
    invitations_sent = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Staff import {self.pk}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return round(100 * self.invitations_sent / self.invitations_total) if self.invitations_total else 0


class StaffImportRow(models.Model):
    """One row of an import as read and validated (the file's own line number kept for the messages)."""

    class Status(models.TextChoices):
        VALID = "valid", _("Giltig")
        UNCHANGED = "unchanged", _("Finns redan, ändras inte")
        ERROR = "error", _("Fel")

    staff_import = models.ForeignKey(StaffImport, on_delete=models.CASCADE, related_name="rows")
    line = models.PositiveIntegerField()
    organisation = models.CharField(max_length=300, blank=True)
    organisation_kind = models.CharField(max_length=100, blank=True)
    unit_name = models.CharField(max_length=300, blank=True)
    unit_kind = models.CharField(max_length=100, blank=True)
    full_name = models.CharField(max_length=300, blank=True)
    email = models.CharField(max_length=300, blank=True)
    role = models.CharField(max_length=100, blank=True)
    phone = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices)
    # [{"field": "email", "message": "…"}], in Swedish as validated (the page shows them as they are).
    errors = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["staff_import", "line"]
        indexes = [models.Index(fields=["staff_import", "status", "line"], name="import_row_status_idx")]

    def __str__(self):
        return f"Import row {self.staff_import_id}:{self.line}"
