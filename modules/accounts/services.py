"""Writes on accounts: users and one-time invitations."""

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.mail import send_mail
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backa_platform.core.errors import ServiceError
from backa_platform.core.tasks import enqueue_on_commit
from modules.accounts.mail import in_language_of
from modules.accounts.models import Invitation, User

INVITATION_VALIDITY = timedelta(days=7)


class AccountError(ServiceError):
    pass


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


token_hash = _token_hash
STAFF_ROLES = (User.Role.LOCAL_ADMIN, User.Role.PROCESS_LEAD, User.Role.STAFF)


def password_generate() -> str:
    return secrets.token_urlsafe(12)


@transaction.atomic
def user_create(*, email: str, full_name: str, role: str, password: str | None = None) -> User:
    email = email.strip().lower()
    if User.objects.filter(email=email).exists():
        raise AccountError(_("Det finns redan ett konto med e-postadressen %(email)s.") % {"email": email})
    return User.objects.create_user(email=email, password=password, full_name=full_name, role=role)


@transaction.atomic
def invitation_create(*, email: str, full_name: str, role: str, acting_user: User | None, unit=None) -> Invitation:
    """Create an invitation; a worker mails the link once the transaction commits."""
    from modules.accounts.tasks import send_invitation

    email = email.strip().lower()
    if User.objects.filter(email=email).exists():
        raise AccountError(_("Det finns redan ett konto med e-postadressen %(email)s.") % {"email": email})
    invitation = Invitation.objects.create(
        email=email,
        full_name=full_name,
        role=role,
        # A placeholder that matches no token: the real token is made when the mail is sent.
        token_hash=_token_hash(secrets.token_urlsafe(32)),
        invited_by=acting_user,
        unit=unit,
        expires_at=timezone.now() + INVITATION_VALIDITY,
    )
    enqueue_on_commit(send_invitation, invitation_id=invitation.pk)
    return invitation


def site_url() -> str:
    """The address of the site of the tenant whose schema is active."""
    domain = getattr(connection, "tenant", None) and connection.tenant.primary_domain
    port = f":{settings.PUBLIC_URL_PORT}" if settings.PUBLIC_URL_PORT else ""
    return f"{settings.PUBLIC_URL_SCHEME}://{domain or settings.CENTRAL_DOMAIN}{port}"


@transaction.atomic
def invitation_send(*, invitation: Invitation) -> str:
    """Make a fresh one-time token (only its hash is kept), mail the link and return the token.

    The token is made here, in the worker, so it never travels through the broker.
    """
    token = secrets.token_urlsafe(32)
    invitation.token_hash = _token_hash(token)
    invitation.expires_at = timezone.now() + INVITATION_VALIDITY
    invitation.save(update_fields=["token_hash", "expires_at"])
    link = f"{site_url()}/invitation/{token}/"
    # The invitee has no account, so no language of their own yet: the site's default, not the inviter's.
    with in_language_of(None):
        send_mail(
            subject=_("Inbjudan till Backa barnet"),
            message=_(
                "Hej!\n\nDu har bjudits in till Backa barnet. Välj ditt lösenord här (länken gäller i sju "
                "dagar och kan bara användas en gång):\n\n%(link)s\n"
            )
            % {"link": link},
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[invitation.email],
        )
    return token


def invitation_for_token(token: str) -> Invitation | None:
    invitation = Invitation.objects.filter(token_hash=_token_hash(token)).first()
    return invitation if invitation and invitation.is_usable else None


@transaction.atomic
def invitation_accept(*, token: str, password: str) -> User:
    invitation = Invitation.objects.select_for_update().filter(token_hash=_token_hash(token)).first()
    if invitation is None or not invitation.is_usable:
        raise AccountError(_("Länken är ogiltig, har redan använts eller har gått ut. Be om en ny inbjudan."))
    user = User(email=invitation.email, full_name=invitation.full_name, role=invitation.role)
    validate_password(password, user=user)
    user = user_create(email=invitation.email, full_name=invitation.full_name, role=invitation.role, password=password)
    if invitation.unit_id:
        user.unit_id = invitation.unit_id
        user.save(update_fields=["unit"])
    invitation.accepted_at = timezone.now()
    invitation.user = user
    invitation.save(update_fields=["accepted_at", "user"])
    return user


@transaction.atomic
def staff_invite(*, email: str, full_name: str, role: str, unit, acting_user: User) -> Invitation:
    """A local admin invites a staff member into a unit with a role; a worker mails the one-time link."""
    from modules.audit.services import audit_record

    if role not in STAFF_ROLES:
        raise AccountError(_("Välj rollen lokal administratör, processledare eller medarbetare."), code="role")
    if unit is None:
        raise AccountError(_("Välj den enhet medarbetaren arbetar i."), code="unit")
    invitation = invitation_create(email=email, full_name=full_name, role=role, acting_user=acting_user, unit=unit)
    audit_record(acting_user=acting_user, action="create", obj=invitation)
    return invitation


@transaction.atomic
def user_deactivate(*, user: User, acting_user: User) -> User:
    """Deactivate an account: no login, no session, no API token from now on; its history stays."""
    from modules.audit.services import audit_record

    if user.pk == acting_user.pk:
        raise AccountError(_("Du kan inte inaktivera ditt eget konto."), code="self")
    if user.deactivated_at is not None:
        return user
    user.is_active = False
    user.deactivated_at = timezone.now()
    user.save(update_fields=["is_active", "deactivated_at"])
    user.api_tokens.all().delete()
    audit_record(acting_user=acting_user, action="update", obj=user)
    # Deactivation ends IdP sign-in too: the binding goes, and with it the central directory's entry.
    from modules.identity.models import Binding
    from modules.identity.services import binding_end

    if Binding.objects.filter(user=user).exists():
        binding_end(user=user, acting_user=acting_user)
    return user


class IssuedToken(NamedTuple):
    key: str
    expires_at: datetime


@transaction.atomic
def api_token_create(*, user: User) -> IssuedToken:
    """A new API token for ``user``; the key is returned once, only its hash is kept."""
    from modules.accounts.models import ApiToken

    if not user.is_active:
        raise AccountError(_("Kontot är inaktiverat."), code="inactive")
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, key_hash=_token_hash(key))
    return IssuedToken(key, ApiToken.expiry_of(token.created_at))


@transaction.atomic
def user_language_set(*, user: User, language: str) -> User:
    """Keep the language a user chose in the UI, so mail to them is written in it."""
    if language not in dict(settings.LANGUAGES):
        raise AccountError(_("Okänt språk."), code="language")
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user
