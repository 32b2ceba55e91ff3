"""Writes on accounts: users and one-time invitations."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from modules.accounts.models import Invitation, User

INVITATION_VALIDITY = timedelta(days=7)


class AccountError(ValidationError):
    pass


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def password_generate() -> str:
    return secrets.token_urlsafe(12)


@transaction.atomic
def user_create(*, email: str, full_name: str, role: str, password: str | None = None) -> User:
    email = email.strip().lower()
    if User.objects.filter(email=email).exists():
        raise AccountError(_("Det finns redan ett konto med e-postadressen %(email)s.") % {"email": email})
    return User.objects.create_user(email=email, password=password, full_name=full_name, role=role)


@transaction.atomic
def user_set_password(*, user: User, password: str) -> User:
    validate_password(password, user=user)
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


@transaction.atomic
def invitation_create(
    *, email: str, full_name: str, role: str, invited_by: User | None, site_url: str, send: bool = True
) -> tuple[Invitation, str]:
    """Create an invitation and return it with the raw token, which exists nowhere else afterwards."""
    email = email.strip().lower()
    if User.objects.filter(email=email).exists():
        raise AccountError(_("Det finns redan ett konto med e-postadressen %(email)s.") % {"email": email})
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        email=email,
        full_name=full_name,
        role=role,
        token_hash=_token_hash(token),
        invited_by=invited_by,
        expires_at=timezone.now() + INVITATION_VALIDITY,
    )
    if send:
        link = f"{site_url.rstrip('/')}/invitation/{token}/"
        transaction.on_commit(
            lambda: send_mail(
                subject=_("Inbjudan till Backa barnet"),
                message=_(
                    "Hej!\n\nDu har bjudits in till Backa barnet. Välj ditt lösenord här (länken gäller i sju "
                    "dagar och kan bara användas en gång):\n\n%(link)s\n"
                )
                % {"link": link},
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[email],
            )
        )
    return invitation, token


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
    invitation.accepted_at = timezone.now()
    invitation.user = user
    invitation.save(update_fields=["accepted_at", "user"])
    return user
