"""Writes on children and the relationships around them. Every change is a chronology event and an audit
entry in the same transaction."""

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backa_platform.core.errors import ServiceError
from backa_platform.core.tasks import enqueue_on_commit
from modules.accounts.models import User
from modules.audit.services import audit_record
from modules.children.crypto import (
    personnummer_decrypt,
    personnummer_encrypt,
    personnummer_lookup_hash,
    personnummer_reencrypt,
)
from modules.children.models import (
    Child,
    ChildContact,
    Concern,
    EmergencyAccess,
    Guardian,
    RoleHolding,
    SupportCoordinator,
    TeamMember,
)
from modules.children.personnummer import identity_number_parse
from modules.chronology.models import Event
from modules.chronology.services import chronology_record


class ChildError(ServiceError):
    """Refused with a message the user can act on."""


# Stored texts, in the tenant's working language (Swedish) like everything staff write: the reason on a
# registrant's own Barnkontakt holding, and the concern left when someone asked to be a known child's
# Barnkontakt without describing anything.
REGISTERED_AS_CONTACT_REASON = "Registrerade barnet; barnet går på barnkontaktens enhet."
REGISTERED_AS_CONTACT_NOTE = "Anmälde sig som barnets barnkontakt vid registreringen."


@dataclass(frozen=True)
class GuardianData:
    name: str
    relation: str = ""
    phone: str = ""
    email: str = ""


# What a registrant without access to the whole record is told, page and API alike, known child or new.
CONCERN_RECEIVED = gettext_lazy("Tack! Din uppgift har tagits emot och skickats till den som ansvarar för barnet.")


@dataclass(frozen=True)
class Registration:
    child: Child
    created: bool
    # The registrant has no access to the whole record: they are told only that their concern was received,
    # the same whether the child was new or known (``created`` is then not shown to them).
    received: bool = False


def _require_staff_account(user: User, message: str) -> None:
    if user is None or not user.is_active:
        raise ChildError(message, code="inactive")


def _require_child_age(birth_date: date) -> None:
    """Here, not in a form, so the page and the API refuse alike; keyed by field so each shows it there."""
    today = timezone.localdate()
    if birth_date > today:
        raise ChildError({"personnummer": [_("Födelsedatumet i numret ligger i framtiden.")]}, code="future")
    age = relativedelta(today, birth_date).years
    if age >= settings.CHILD_MAX_AGE_YEARS:
        raise ChildError(
            {
                "personnummer": [
                    _(
                        "Barnet måste vara under %(limit)s år vid registreringen, men numret anger att personen är "
                        "%(age)s år. Kontrollera numret, särskilt århundradet."
                    )
                    % {"limit": settings.CHILD_MAX_AGE_YEARS, "age": age}
                ]
            },
            code="age",
        )


@transaction.atomic
def child_register(
    *,
    personnummer: str,
    given_name: str,
    family_name: str,
    acting_user: User,
    concern: str = "",
    as_child_contact: bool = False,
    guardians: tuple[GuardianData, ...] = (),
    units=(),
    request=None,
) -> Registration:
    """Register a child, or find the one already registered with that number (never a second record).

    The registering adult becomes the Barnkontakt of a NEW child when asked and the child attends their
    unit; otherwise they raise a concern, routed to whoever is responsible, which lets them see their own
    concern and nothing else. Whoever has no access to the whole record gets the same answer (``received``)
    whether the child was known or not: registering is not a way to learn that a number is registered.
    """
    try:
        number = identity_number_parse(personnummer)
    except ValidationError as error:
        # Named by its field, so the page and the API show it beside the number.
        raise ChildError({"personnummer": error.error_list}) from error
    _require_child_age(number.birth_date)
    given_name, family_name = given_name.strip(), family_name.strip()
    if not given_name or not family_name:
        raise ChildError(_("Ange barnets för- och efternamn."), code="name")
    if not concern.strip() and not as_child_contact:
        raise ChildError(
            _("Beskriv vad du har uppmärksammat, eller registrera dig som barnets barnkontakt."), code="concern"
        )
    if as_child_contact and not (
        acting_user.unit_id is not None and any(getattr(unit, "pk", unit) == acting_user.unit_id for unit in units)
    ):
        # Checked before looking the number up, so the refusal says nothing about whether the child exists.
        raise ChildError(
            {
                "as_child_contact": [
                    _(
                        "Du kan bli barnkontakt för ett barn du registrerar bara om barnet går på din enhet: "
                        "markera din enhet bland barnets enheter, eller beskriv vad du har uppmärksammat."
                    )
                ]
            },
            code="unit",
        )
    lookup = personnummer_lookup_hash(number.digits)
    # Serialise registrations of the same number; the unique index is the final guard.
    child = Child.objects.select_for_update().filter(personnummer_lookup=lookup).first()
    created = child is None
    if created:
        child = _child_create_or_existing(
            lookup=lookup,
            given_name=given_name,
            family_name=family_name,
            personnummer_ciphertext=personnummer_encrypt(number.digits),
            personnummer_prefix=number.digits[:8],
            is_coordination_number=number.is_coordination_number,
            birth_date=number.birth_date,
            created_by=acting_user,
        )
        created = child.created_now
    if created:
        for guardian in guardians:
            if guardian.name.strip():
                Guardian.objects.create(child=child, **guardian.__dict__)
        if units:
            child.units.set(units)
        chronology_record(child=child, acting_user=acting_user, kind=Event.Kind.CHILD_REGISTERED)
        audit_record(acting_user=acting_user, action="create", child=child, obj=child, request=request)
    # Only the registrant of a NEW child becomes its Barnkontakt here; for a known child that is a decision by
    # someone entitled (``child_role_hand_over``), so the wish goes to them as a concern.
    becomes_contact = as_child_contact and created
    description = concern.strip()
    if not description and not becomes_contact:
        description = REGISTERED_AS_CONTACT_NOTE
    if description:
        raised = Concern.objects.create(child=child, raised_by=acting_user, description=description)
        chronology_record(child=child, acting_user=acting_user, kind=Event.Kind.CONCERN_RAISED)
        audit_record(acting_user=acting_user, action="create", child=child, obj=raised, request=request)
    if becomes_contact:
        child_role_hand_over(
            role=ChildContact,
            child=child,
            user=acting_user,
            acting_user=acting_user,
            reason=REGISTERED_AS_CONTACT_REASON,
            registration=True,
            request=request,
        )
    elif description:
        # The concern goes to the Barnkontakt (or the unit's), who is notified and acknowledges it.
        from modules.casework.services import concern_route

        concern_route(concern=raised)
    from modules.children.selectors import child_visible, has_full_access

    shown = child_visible(user=acting_user, child_id=child.pk)
    return Registration(child=child, created=created, received=shown is None or not has_full_access(shown))


def _child_create_or_existing(*, lookup: str, **fields) -> Child:
    """Two people registering the same new child at once: the unique index lets one insert win; the other
    gets that record instead of an error."""
    try:
        with transaction.atomic():
            child = Child.objects.create(personnummer_lookup=lookup, **fields)
            child.created_now = True
    except IntegrityError:
        child = Child.objects.get(personnummer_lookup=lookup)
        child.created_now = False
    return child


@transaction.atomic
def personnummer_reveal(*, child: Child, acting_user: User, request=None) -> str:
    """The full number, for a user with access (decided by the caller); the reveal itself is logged."""
    audit_record(acting_user=acting_user, action="reveal_personnummer", child=child, obj=child, request=request)
    digits = personnummer_decrypt(child.personnummer_ciphertext)
    return f"{digits[:8]}-{digits[8:]}"


@dataclass(frozen=True)
class _RoleTexts:
    inactive: str  # refusal: the new holder's account is not active
    already: str  # refusal: %(name)s holds the role already
    code: str  # the chronology's event code: %(name)s holds the role now
    vacant_code: str | None  # the chronology's event code when the role is left vacant; None: it never is
    event_kind: str
    not_entitled: str  # refusal: the acting person may not decide who holds the role


_ROLES: dict[type[RoleHolding], _RoleTexts] = {
    ChildContact: _RoleTexts(
        inactive=gettext_lazy("Barnkontakten måste ha ett aktivt konto."),
        already=gettext_lazy("%(name)s är redan barnets barnkontakt."),
        code="child_contact_set",
        vacant_code=None,
        event_kind=Event.Kind.CHILD_CONTACT_CHANGED,
        not_entitled=gettext_lazy(
            "Barnkontakten utses av en processledare eller den lokala administratören, eller lämnas över av "
            "den nuvarande barnkontakten."
        ),
    ),
    SupportCoordinator: _RoleTexts(
        inactive=gettext_lazy("Stödsamordnaren måste ha ett aktivt konto."),
        already=gettext_lazy("%(name)s är redan barnets stödsamordnare."),
        code="support_coordinator_set",
        vacant_code="support_coordinator_none",
        event_kind=Event.Kind.SUPPORT_COORDINATOR_CHANGED,
        not_entitled=gettext_lazy(
            "Stödsamordnaren utses av barnkontakten, en processledare eller den lokala administratören, eller "
            "lämnas över av den nuvarande stödsamordnaren."
        ),
    ),
}


def _appointment_refusal(
    *, role: type[RoleHolding], child: Child, user: User | None, acting_user: User, current, registration: bool
) -> ChildError | None:
    """Who may decide who holds a child's role: the one place. Otherwise anyone who knew a number could make
    themselves Barnkontakt of a child without one and read the whole record.

    A processledare or the local admin may; so may the current holder, handing the role over; the Barnkontakt
    also appoints (or ends) the Stödsamordnare. A staff member registering a NEW child becomes its Barnkontakt
    only when their unit is one the child attends (``registration``)."""
    from modules.accounts.rules import may_appoint_child_roles

    if registration:
        attends = acting_user.unit_id is not None and child.units.filter(pk=acting_user.unit_id).exists()
        if role is ChildContact and user == acting_user and current is None and attends:
            return None
        return ChildError(
            {
                "as_child_contact": [
                    _(
                        "Du kan bli barnkontakt för ett barn du registrerar bara om barnet går på din enhet: "
                        "markera din enhet bland barnets enheter, eller beskriv vad du har uppmärksammat."
                    )
                ]
            },
            code="unit",
        )
    if may_appoint_child_roles(acting_user):
        return None
    if current is not None and current.user_id == acting_user.pk:
        return None
    if (
        role is SupportCoordinator
        and ChildContact.objects.filter(child=child, user=acting_user, ended_at__isnull=True).exists()
    ):
        return None
    return ChildError(str(_ROLES[role].not_entitled), code="not_entitled")


@transaction.atomic
def child_role_hand_over(
    *,
    role: type[RoleHolding],
    child: Child,
    user: User | None,
    acting_user: User,
    reason: str,
    registration: bool = False,
    request=None,
) -> RoleHolding | None:
    """Hand ``role`` (ChildContact, the Barnkontakt, or SupportCoordinator, the Stödsamordnare) for ``child``
    to ``user``; the previous holder's period ends now and stays as history. ``user=None`` leaves the role
    vacant, for a role that may be (the Stödsamordnare; a child always keeps its Barnkontakt).

    A decision by someone entitled to it (``_appointment_refusal``), recorded with its ``reason`` on the new
    holding (or, when the role is left vacant, on the one that ends). ``registration``: ``child_register``
    making the registrant the Barnkontakt of the child just created."""
    texts = _ROLES[role]
    reason = (reason or "").strip()
    if not reason:
        raise ChildError({"reason": [_("Ange skälet till beslutet.")]}, code="reason")
    if user is not None or texts.vacant_code is None:
        _require_staff_account(user, str(texts.inactive))
    now = timezone.now()
    current = role.objects.select_for_update().filter(child=child, ended_at__isnull=True).first()
    refusal = _appointment_refusal(
        role=role, child=child, user=user, acting_user=acting_user, current=current, registration=registration
    )
    if refusal is not None:
        raise refusal
    if current is not None and user is not None and current.user_id == user.pk:
        raise ChildError(str(texts.already) % {"name": user.full_name}, code="same")
    if current is not None:
        current.ended_at = now
        update_fields = ["ended_at"]
        if user is None:
            current.reason = f"{current.reason}\n{reason}".strip()
            update_fields.append("reason")
        current.save(update_fields=update_fields)
        if role is ChildContact:
            # Concerns waiting for the Barnkontakt follow the role; the former one's access through them ends here.
            Concern.objects.filter(child=child, routed_to_id=current.user_id, acknowledged_at__isnull=True).update(
                routed_to=user
            )
    holding = (
        role.objects.create(child=child, user=user, started_at=now, assigned_by=acting_user, reason=reason)
        if user
        else None
    )
    chronology_record(
        child=child,
        acting_user=acting_user,
        kind=texts.event_kind,
        code=texts.code if user else texts.vacant_code,
        params={"name": user.full_name} if user else {},
    )
    audit_record(acting_user=acting_user, action="update", child=child, obj=holding or current, request=request)
    return holding


@transaction.atomic
def guardian_add(*, child: Child, guardian: GuardianData, acting_user: User, request=None) -> Guardian:
    if not guardian.name.strip():
        raise ChildError(_("Ange vårdnadshavarens namn."), code="name")
    created = Guardian.objects.create(child=child, **{k: v.strip() for k, v in guardian.__dict__.items()})
    audit_record(acting_user=acting_user, action="create", child=child, obj=created, request=request)
    return created


@transaction.atomic
def child_units_set(*, child: Child, units, acting_user: User, request=None) -> Child:
    """The units the child attends (förskola, skola, BVC, ...)."""
    child.units.set(units)
    audit_record(acting_user=acting_user, action="update", child=child, obj=child, request=request)
    return child


def home_organisation(*, child: Child):
    """The organisation of the child's Barnkontakt: members from elsewhere need consent or a legal ground."""
    contact = ChildContact.objects.filter(child=child, ended_at__isnull=True).select_related("user__unit").first()
    return contact.user.unit.organisation if contact and contact.user.unit_id else None


@transaction.atomic
def team_member_add(
    *,
    child: Child,
    user: User,
    team_role: str,
    acting_user: User,
    started_on: date | None = None,
    ends_on: date | None = None,
    legal_ground: str = "",
    consent=None,
    request=None,
) -> TeamMember:
    """Add ``user`` to the Barnteam. From another organisation than the Barnkontakt's only under a valid
    consent covering that organisation (found automatically when not given) or a recorded legal ground."""
    from modules.consent.selectors import consent_covering

    _require_staff_account(user, _("Medlemmen måste ha ett aktivt konto."))
    if not team_role.strip():
        raise ChildError(_("Ange personens roll i barnteamet."), code="team_role")
    if user.unit_id is None:
        raise ChildError(_("%(name)s är inte kopplad till någon enhet.") % {"name": user.full_name}, code="unit")
    if TeamMember.objects.filter(child=child, user=user, ended_at__isnull=True).exists():
        raise ChildError(_("%(name)s är redan med i barnteamet.") % {"name": user.full_name}, code="duplicate")
    organisation = user.unit.organisation
    home = home_organisation(child=child)
    needs_ground = home is None or organisation.pk != home.pk
    if needs_ground and not legal_ground:
        consent = consent or consent_covering(child=child, organisation=organisation)
        if consent is None or not consent.is_valid_on(timezone.localdate()):
            raise ChildError(
                _(
                    "%(organisation)s omfattas inte av något giltigt samtycke för barnet. Registrera ett "
                    "samtycke som omfattar organisationen, eller ange en rättslig grund."
                )
                % {"organisation": organisation.name},
                code="consent_required",
            )
        if not consent.organisations.filter(pk=organisation.pk).exists():
            raise ChildError(_("Samtycket omfattar inte %(organisation)s.") % {"organisation": organisation.name})
    elif not needs_ground:
        consent = None
    member = TeamMember.objects.create(
        child=child,
        user=user,
        team_role=team_role.strip(),
        started_on=started_on or timezone.localdate(),
        ends_on=ends_on,
        legal_ground=legal_ground,
        consent=consent if not legal_ground else None,
        added_by=acting_user,
    )
    chronology_record(
        child=child,
        acting_user=acting_user,
        kind=Event.Kind.TEAM_MEMBER_ADDED,
        code="team_member_added",
        params={"name": user.full_name, "role": member.team_role, "organisation": organisation.name},
    )
    audit_record(acting_user=acting_user, action="create", child=child, obj=member, request=request)
    return member


@transaction.atomic
def team_member_end(*, member: TeamMember, acting_user: User, request=None) -> TeamMember:
    if member.ended_at is not None:
        raise ChildError(_("Personen har redan lämnat barnteamet."), code="ended")
    member.ended_at = timezone.now()
    member.save(update_fields=["ended_at"])
    chronology_record(
        child=member.child,
        acting_user=acting_user,
        kind=Event.Kind.TEAM_MEMBER_ENDED,
        code="team_member_ended",
        params={"name": member.user.full_name},
    )
    audit_record(acting_user=acting_user, action="update", child=member.child, obj=member, request=request)
    return member


@transaction.atomic
def emergency_access_grant(*, personnummer: str, reason: str, acting_user: User, request=None) -> EmergencyAccess:
    """Nödåtkomst: read access to the child with ``personnummer`` for ``settings.EMERGENCY_ACCESS_HOURS``,
    outside the user's relationships, as health records allow in an emergency. Reasoned, logged as its own
    audit action, waiting for the local admin's review, and the Barnkontakt is told (after commit, ids only).
    """
    from modules.children.tasks import notify_emergency_access

    _require_staff_account(acting_user, _("Nödåtkomst kräver ett aktivt konto."))
    reason = (reason or "").strip()
    if not reason:
        raise ChildError({"reason": [_("Ange skälet till nödåtkomsten.")]}, code="reason")
    try:
        number = identity_number_parse(personnummer)
    except ValidationError as error:
        raise ChildError({"personnummer": error.error_list}) from error
    child = Child.objects.filter(personnummer_lookup=personnummer_lookup_hash(number.digits)).first()
    if child is None:
        raise ChildError({"personnummer": [_("Inget barn med det numret är registrerat här.")]}, code="not_found")
    now = timezone.now()
    grant = EmergencyAccess.objects.create(
        child=child,
        user=acting_user,
        reason=reason,
        granted_at=now,
        expires_at=now + timedelta(hours=settings.EMERGENCY_ACCESS_HOURS),
    )
    audit_record(acting_user=acting_user, action="emergency_access", child=child, obj=grant, request=request)
    enqueue_on_commit(notify_emergency_access, emergency_access_id=grant.pk)
    return grant


@transaction.atomic
def emergency_access_review(*, grant: EmergencyAccess, acting_user: User, request=None) -> EmergencyAccess:
    """The local admin closes the review of a Nödåtkomst (decided by the caller: ``is_local_admin``)."""
    grant = EmergencyAccess.objects.select_for_update().get(pk=grant.pk)
    if grant.reviewed_at is not None:
        raise ChildError(_("Nödåtkomsten är redan granskad."), code="reviewed")
    grant.reviewed_at = timezone.now()
    grant.reviewed_by = acting_user
    grant.save(update_fields=["reviewed_at", "reviewed_by"])
    audit_record(acting_user=acting_user, action="emergency_review", child=grant.child_id, obj=grant, request=request)
    return grant


@transaction.atomic
def personnummer_rotate_keys(*, batch_size: int = 500) -> int:
    """Re-encrypt every number in the active schema under the first configured key."""
    changed = 0
    for child in Child.objects.select_for_update().only("pk", "personnummer_ciphertext").iterator(batch_size):
        rotated = personnummer_reencrypt(child.personnummer_ciphertext)
        if rotated != child.personnummer_ciphertext:
            Child.objects.filter(pk=child.pk).update(personnummer_ciphertext=rotated)
            changed += 1
    return changed
