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

    class Meta:
        ordering = ["-created_at"]

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
