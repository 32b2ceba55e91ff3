"""Strong authentication for password sign-in: a second factor (TOTP in an authenticator app, single-use recovery
codes; django-otp), the session's mark, signing out everywhere, and the audit entries of every step.

A session is strongly authenticated when ``request.session["strong_auth"] is True``: set here after password and
second factor, and by an identity provider's sign-in whose assurance level meets the instance's setting
(modules/identity). modules/accounts/middleware.py lets a signed-in session without it reach only the sign-in
steps; API tokens are issued only to a strongly authenticated person (api/staff.py)."""

import time

from django.conf import settings
from django.contrib.auth import user_login_failed
from django.db import connection, transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from modules.accounts.lockout import failures_reset
from modules.accounts.models import User
from modules.accounts.services import AccountError

STRONG_AUTH_SESSION_KEY = "strong_auth"
LAST_SEEN_SESSION_KEY = "last_seen"
RECOVERY_DEVICE_NAME = "Reservkoder"
TOTP_DEVICE_NAME = "Autentiseringsapp"

# What the audit entry's object names (object_type, at most 40 characters; modules/audit/readable.py words them).
PASSWORD_STEP = "sign-in:password"
SECOND_FACTOR_STEP = "sign-in:second-factor"
TOTP_FACTOR = "factor:totp"
RECOVERY_CODES = "factor:recovery-codes"
API_TOKEN = "sign-in:api-token"


def _audit(*, request, user, action: str, object_type: str, object_id="") -> None:
    """An entry in the instance's audit log; the central site (public) has no audit log."""
    if connection.schema_name == "public":
        return
    from modules.audit.services import audit_record

    audit_record(acting_user=user, action=action, object_type=object_type, object_id=object_id, request=request)


def is_strong(request) -> bool:
    return request.session.get(STRONG_AUTH_SESSION_KEY) is True


def confirmed_totp(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_second_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def totp_enrolment_start(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator being enrolled (the same one on every visit until it is confirmed)."""
    if has_second_factor(user):
        raise AccountError(_("Du har redan en autentiseringsapp registrerad."), code="enrolled")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)


def _normalised(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def totp_enrolment_confirm(*, request, user: User, code: str) -> list[str]:
    """Confirm the authenticator with a code it shows; returns the new recovery codes (shown once). The session
    is then strongly authenticated."""
    device = totp_enrolment_start(user=user)
    if not device.verify_token(_normalised(code)):  # its own throttling is saved: outside any transaction
        raise AccountError(_("Koden stämmer inte. Skriv de sex siffror som appen visar just nu."), code="code")
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _recovery_codes_make(user=user)
        _audit(request=request, user=user, action="factor_enrolled", object_type=TOTP_FACTOR)
    strong_session_start(request=request, user=user, device=device)
    return codes


def _recovery_codes_make(*, user: User) -> list[str]:
    device = StaticDevice.objects.filter(user=user, name=RECOVERY_DEVICE_NAME).first()
    if device is None:
        device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def recovery_codes_renew(*, request, user: User) -> list[str]:
    """New recovery codes; the old ones stop working."""
    codes = _recovery_codes_make(user=user)
    _audit(request=request, user=user, action="recovery_codes_renewed", object_type=RECOVERY_CODES)
    return codes


@transaction.atomic
def second_factor_remove(*, request, user: User, acting_user: User) -> None:
    """Remove the authenticator and the recovery codes (a lost phone): the next sign-in enrols a new one."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    _audit(request=request, user=acting_user, action="factor_removed", object_type=TOTP_FACTOR, object_id=user.pk)


def second_factor_verify(*, request, user: User, code: str, step: str = SECOND_FACTOR_STEP):
    """The device that accepts ``code`` (six digits: the authenticator; otherwise a recovery code, used up), or
    None: the failure is recorded (audit log, and it counts towards the lockout)."""
    code = _normalised(code)
    device = None
    if code.isdigit() and len(code) == 6:
        candidate = confirmed_totp(user)
        device = candidate if candidate is not None and candidate.verify_token(code) else None
    elif code:
        candidate = StaticDevice.objects.filter(user=user, confirmed=True).first()
        device = candidate if candidate is not None and candidate.verify_token(code) else None
    if device is None:
        # Axes counts it (per account and per address); the receiver below writes the audit entry.
        user_login_failed.send(sender=__name__, credentials={"username": user.email, "step": step}, request=request)
        return None
    if isinstance(device, StaticDevice):
        _audit(request=request, user=user, action="recovery_code_used", object_type=RECOVERY_CODES)
    return device


def strong_session_start(*, request, user: User, device) -> None:
    """Password and second factor done: a new session key, marked strongly authenticated."""
    otp_login(request, device)
    request.session.cycle_key()
    request.session[STRONG_AUTH_SESSION_KEY] = True
    request.session[LAST_SEEN_SESSION_KEY] = int(time.time())
    failures_reset(email=user.email)
    step = RECOVERY_CODES if isinstance(device, StaticDevice) else TOTP_FACTOR
    _audit(request=request, user=user, action="sign_in", object_type=step.replace("factor:", "sign-in:"))


@transaction.atomic
def sign_out_everywhere(*, request, user: User, acting_user: User | None = None) -> None:
    """End every session of ``user`` (the authentication hash of each no longer matches) and their API tokens."""
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.api_tokens.all().delete()
    _audit(
        request=request,
        user=acting_user or user,
        action="sign_out_everywhere",
        object_type="accounts.user",
        object_id=user.pk,
    )


def api_token_sign_in_record(*, request, user: User) -> None:
    failures_reset(email=user.email)
    _audit(request=request, user=user, action="sign_in", object_type=API_TOKEN)


def password_reset_record(*, request, user: User) -> None:
    """A new password by the e-mailed link: the person's API tokens end too (the sessions end with the password)."""
    user.api_tokens.all().delete()
    _audit(request=request, user=user, action="password_reset", object_type="accounts.user")


# --- Audit entries of failures and lockouts (signals sent by Django's authenticate, this module and axes) -------


def _account(email) -> User | None:
    return User.objects.filter(email=str(email or "").strip().lower()).first() if email else None


def record_sign_in_failure(sender, credentials, request=None, **kwargs):
    if request is None or connection.schema_name == "public":
        return
    step = credentials.get("step") or PASSWORD_STEP
    _audit(request=request, user=_account(credentials.get("username")), action="sign_in_failed", object_type=step)


def record_lockout(sender, request=None, username=None, **kwargs):
    if request is None or connection.schema_name == "public":
        return
    _audit(request=request, user=_account(username), action="locked_out", object_type="sign-in:lockout")
