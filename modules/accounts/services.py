"""Writes on accounts: users and one-time invitations."""

import hashlib
import json
import secrets
from datetime import datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection, send_mail
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from backa_platform.core.db import rows_copy
from backa_platform.core.errors import ServiceError
from backa_platform.core.tasks import enqueue_on_commit
from modules.accounts.mail import in_language_of
from modules.accounts.models import Invitation, StaffChange, StaffImport, StaffImportRow, User

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
    _invitation_mail(invitation, token, site_url()).send()
    return token


def _invitation_mail(invitation: Invitation, token: str, site: str) -> EmailMessage:
    link = f"{site}/invitation/{token}/"
    # The invitee has no account, so no language of their own yet: the site's default, not the inviter's.
    with in_language_of(None):
        return EmailMessage(
            subject=_("Inbjudan till Backa barnet"),
            body=_(
                "Hej!\n\nDu har bjudits in till Backa barnet. Välj ditt lösenord här (länken gäller i sju "
                "dagar och kan bara användas en gång):\n\n%(link)s\n"
            )
            % {"link": link},
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[invitation.email],
        )


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
    if invitation.unit_id or invitation.phone:
        user.unit_id, user.phone = invitation.unit_id, invitation.phone
        user.save(update_fields=["unit", "phone"])
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
    if unit.is_closed:
        raise AccountError({"unit": [_("Enheten %(name)s är stängd.") % {"name": unit.name}]}, code="unit_closed")
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
def user_phone_set(*, user: User, phone: str) -> User:
    """The person's work phone, printed with their name on documents for families."""
    from backa_platform.core.validators import validate_phone_number

    phone = (phone or "").strip()
    try:
        validate_phone_number(phone)
    except ValidationError as error:
        raise AccountError({"phone": error.messages}) from error
    user.phone = phone
    user.save(update_fields=["phone"])
    return user


def user_language_set(*, user: User, language: str) -> User:
    """Keep the language a user chose in the UI, so mail to them is written in it."""
    if language not in dict(settings.LANGUAGES):
        raise AccountError(_("Okänt språk."), code="language")
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user


@transaction.atomic
def staff_change(*, user: User, role: str, unit, acting_user: User, request=None) -> StaffChange | None:
    """A local admin changes a staff member's role or unit; the change is kept (``StaffChange``) and audited.
    None when nothing changed."""
    from modules.audit.services import audit_record

    if role not in STAFF_ROLES:
        raise AccountError(
            {"role": [_("Välj rollen lokal administratör, processledare eller medarbetare.")]}, code="role"
        )
    if user.role not in STAFF_ROLES:
        raise AccountError(_("Det här kontot är inte ett konto i instansen."), code="not_staff")
    if unit is None:
        raise AccountError({"unit": [_("Välj den enhet medarbetaren arbetar i.")]}, code="unit")
    if user.pk == acting_user.pk and role != user.role:
        raise AccountError({"role": [_("Du kan inte ändra din egen roll.")]}, code="self")
    if role == user.role and unit.pk == user.unit_id:
        return None
    if unit.pk != user.unit_id and unit.is_closed:
        raise AccountError({"unit": [_("Enheten %(name)s är stängd.") % {"name": unit.name}]}, code="unit_closed")
    change = StaffChange.objects.create(
        user=user,
        changed_by=acting_user,
        old_role=user.role,
        new_role=role,
        old_unit_id=user.unit_id,
        new_unit=unit,
    )
    user.role, user.unit = role, unit
    user.save(update_fields=["role", "unit"])
    audit_record(acting_user=acting_user, action="update", obj=change, request=request)
    return change


# --- importing units and staff from a file (modules/accounts/imports.py) ---------------------------------


# A row's values by the file's fields, and the StaffImportRow column each is kept in.
_ROW_COLUMNS = {
    "organisation": "organisation",
    "organisation_kind": "organisation_kind",
    "unit": "unit_name",
    "unit_kind": "unit_kind",
    "full_name": "full_name",
    "email": "email",
    "role": "role",
    "phone": "phone",
}


def _stored(value: str, model_field: str) -> str:
    return value[: StaffImportRow._meta.get_field(model_field).max_length]


@transaction.atomic
def staff_import_create(*, file_name: str, data: bytes, acting_user: User, request=None) -> StaffImport:
    """Read and validate an uploaded file; keep it and its rows for the preview. Nothing else is written."""
    from modules.accounts.imports import file_rows, rows_validate
    from modules.audit.services import audit_record

    file_format, rows = file_rows(data=data, file_name=file_name)
    rows = rows_validate(rows).rows
    counts = dict.fromkeys(StaffImportRow.Status.values, 0)
    for row in rows:
        counts[row.status] += 1
    staff_import = StaffImport.objects.create(
        file_name=file_name[-200:],
        file_format=file_format,
        data=data,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        created_by=acting_user,
        rows_total=len(rows),
        rows_valid=counts[StaffImportRow.Status.VALID],
        rows_unchanged=counts[StaffImportRow.Status.UNCHANGED],
        rows_error=counts[StaffImportRow.Status.ERROR],
    )
    columns = ["staff_import_id", "line", "status", "errors", *_ROW_COLUMNS.values()]
    rows_copy(
        StaffImportRow,
        columns,
        (
            [
                staff_import.pk,
                row.line,
                row.status,
                json.dumps(row.errors, ensure_ascii=False),
                *(_stored(row.values[name], column) for name, column in _ROW_COLUMNS.items()),
            ]
            for row in rows
        ),
    )
    audit_record(acting_user=acting_user, action="create", obj=staff_import, request=request)
    return staff_import


@transaction.atomic
def staff_import_confirm(*, staff_import: StaffImport, acting_user: User, request=None) -> StaffImport:
    """The admin confirms the preview: a worker sets up the units and sends the invitations (ids only)."""
    from modules.accounts.tasks import run_staff_import
    from modules.audit.services import audit_record

    locked = StaffImport.objects.select_for_update().get(pk=staff_import.pk)
    if locked.status != StaffImport.Status.PREVIEW:
        raise AccountError(_("Importen är redan bekräftad."), code="already_confirmed")
    if not locked.rows_valid:
        raise AccountError(_("Filen har inga giltiga rader att importera."), code="nothing_to_import")
    locked.status = StaffImport.Status.CONFIRMED
    locked.confirmed_by, locked.confirmed_at = acting_user, timezone.now()
    locked.save(update_fields=["status", "confirmed_by", "confirmed_at"])
    audit_record(acting_user=acting_user, action="update", obj=locked, request=request)
    enqueue_on_commit(run_staff_import, staff_import_id=locked.pk)
    return locked


@transaction.atomic
def _staff_import_create_records(*, staff_import_id: int) -> None:
    """Organisations, units and invitations for the rows still valid (validated again: the instance may have
    changed since the preview). Runs once: a second delivery finds the import past CONFIRMED."""
    from modules.accounts.imports import Row, row_keys, rows_validate
    from modules.audit.services import audit_record
    from modules.organisations.models import Organisation, Unit

    staff_import = StaffImport.objects.select_for_update().filter(pk=staff_import_id).first()
    if staff_import is None or staff_import.status != StaffImport.Status.CONFIRMED:
        return
    stored = list(staff_import.rows.all())
    validation = rows_validate(
        [Row(line=r.line, values={name: getattr(r, column) for name, column in _ROW_COLUMNS.items()}) for r in stored]
    )
    changed = []
    for record, row in zip(stored, validation.rows, strict=True):
        if record.status == StaffImportRow.Status.VALID and row.status != StaffImportRow.Status.VALID:
            record.status, record.errors = row.status, row.errors
            changed.append(record)
    StaffImportRow.objects.bulk_update(changed, ["status", "errors"], batch_size=2000)
    valid = [(record, row) for record, row in zip(stored, validation.rows, strict=True) if record.status == "valid"]

    organisations = dict(validation.organisations)
    wanted = {row_keys(row)[0] for _record, row in valid} - organisations.keys()
    created = Organisation.objects.bulk_create(
        [
            Organisation(name=validation.new_organisations[key][2], kind=validation.new_organisations[key][0])
            for key in wanted
        ]
    )
    organisations.update(zip(wanted, created, strict=True))
    units = dict(validation.units)
    wanted_units = {row_keys(row) for _record, row in valid} - units.keys()
    created_units = Unit.objects.bulk_create(
        [
            Unit(
                organisation=organisations[key[0]], name=validation.new_units[key][2], kind=validation.new_units[key][0]
            )
            for key in wanted_units
        ]
    )
    units.update(zip(wanted_units, created_units, strict=True))
    for obj in [*created, *created_units]:
        audit_record(acting_user=staff_import.confirmed_by, action="create", obj=obj)

    staff_import.status = StaffImport.Status.RUNNING
    staff_import.rows_valid = len(valid)
    staff_import.rows_unchanged = sum(r.status == StaffImportRow.Status.UNCHANGED for r in stored)
    staff_import.rows_error = sum(r.status == StaffImportRow.Status.ERROR for r in stored)
    staff_import.organisations_created, staff_import.units_created = len(created), len(created_units)
    staff_import.invitations_total = sum(bool(row.values["email"]) for _record, row in valid)
    staff_import.save()


@transaction.atomic
def _staff_import_invite_batch(*, staff_import: StaffImport, units: dict, batch_size: int) -> int:
    """The next rows' invitations, created and mailed in one transaction: the token is made here, in the worker,
    and only its hash kept; a row with its invitation is done, so a rerun carries on after the last batch."""
    from modules.accounts.imports import STAFF_ROLES, _key, _role_names

    rows = list(
        StaffImportRow.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(staff_import=staff_import, status=StaffImportRow.Status.VALID, invitation__isnull=True)
        .exclude(email="")
        .order_by("line")[:batch_size]
    )
    if not rows:
        return 0
    roles, site = _role_names(), site_url()
    expires_at, messages, invitations = timezone.now() + INVITATION_VALIDITY, [], []
    for row in rows:
        token = secrets.token_urlsafe(32)
        invitation = Invitation(
            email=row.email.strip().lower(),
            full_name=row.full_name,
            role=roles[row.role.casefold()],
            token_hash=_token_hash(token),
            invited_by_id=staff_import.confirmed_by_id,
            unit_id=units[(_key(row.organisation), _key(row.unit_name))],
            phone=row.phone,
            expires_at=expires_at,
            staff_import_row=row,
        )
        assert invitation.role in STAFF_ROLES
        invitations.append(invitation)
        messages.append(_invitation_mail(invitation, token, site))
    Invitation.objects.bulk_create(invitations)
    get_connection().send_messages(messages)
    StaffImport.objects.filter(pk=staff_import.pk).update(
        invitations_created=F("invitations_created") + len(rows), invitations_sent=F("invitations_sent") + len(rows)
    )
    return len(rows)


def staff_import_run(*, staff_import_id: int, batch_size: int = 500) -> None:
    """The worker's part: create what the confirmed rows need, then mail the invitations batch by batch (each
    its own transaction, so the page's progress moves and a restarted task resumes where it stopped)."""
    _staff_import_create_records(staff_import_id=staff_import_id)
    staff_import = StaffImport.objects.defer("data").filter(pk=staff_import_id).first()
    if staff_import is None or staff_import.status != StaffImport.Status.RUNNING:
        return
    from modules.accounts.imports import _key
    from modules.organisations.models import Unit

    units = {
        (_key(organisation), _key(name)): pk
        for pk, organisation, name in Unit.objects.values_list("pk", "organisation__name", "name")
    }
    while _staff_import_invite_batch(staff_import=staff_import, units=units, batch_size=batch_size):
        pass
    waiting = StaffImportRow.objects.filter(
        staff_import_id=staff_import_id, status=StaffImportRow.Status.VALID, invitation__isnull=True
    ).exclude(email="")
    if not waiting.exists():
        StaffImport.objects.filter(pk=staff_import_id, status=StaffImport.Status.RUNNING).update(
            status=StaffImport.Status.DONE, finished_at=timezone.now()
        )


def password_reset_request(*, email: str) -> None:
    """Someone asks for a new password for ``email``: a worker mails a one-time link if an active account has that
    address. The caller answers the same either way, and so quickly either way (the mail is not sent in the
    request), so the answer tells nobody whether the address has an account."""
    from modules.accounts.tasks import send_password_reset

    user = User.objects.filter(email=email.strip().lower(), is_active=True).first()
    if user is not None:
        enqueue_on_commit(send_password_reset, user_id=user.pk)


def password_reset_send(*, user: User) -> None:
    """Mail the reset link, in the person's own language. Django's token: valid PASSWORD_RESET_TIMEOUT seconds,
    and only until the password changes or the person signs in."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = f"{site_url()}/losenord/aterstall/{uid}/{default_token_generator.make_token(user)}/"
    with in_language_of(user):
        send_mail(
            subject=_("Nytt lösenord till Backa barnet"),
            message=_(
                "Hej!\n\nNågon, förhoppningsvis du, har bett om ett nytt lösenord till Backa barnet för den här "
                "e-postadressen. Välj ett nytt lösenord här (länken gäller i %(minutes)s minuter och kan bara "
                "användas en gång):\n\n%(link)s\n\nHar du inte bett om det? Då kan du bortse från det här "
                "meddelandet: ditt lösenord är oförändrat.\n"
            )
            % {"link": link, "minutes": settings.PASSWORD_RESET_TIMEOUT // 60},
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[user.email],
        )
