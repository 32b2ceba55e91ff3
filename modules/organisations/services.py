"""Writes on organisations and units (local admins)."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from backa_platform.core.errors import ServiceError
from modules.audit.services import audit_record
from modules.organisations.models import Organisation, Unit


class OrganisationError(ServiceError):
    pass


@transaction.atomic
def organisation_create(*, name: str, kind: str, acting_user=None, request=None) -> Organisation:
    name = name.strip()
    if not name:
        raise OrganisationError(_("Ange organisationens namn."), code="name")
    if kind not in Organisation.Kind.values:
        raise OrganisationError(_("Välj kommun, region eller polis."), code="kind")
    if Organisation.objects.filter(name__iexact=name).exists():
        raise OrganisationError(_("Det finns redan en organisation som heter %(name)s.") % {"name": name}, code="name")
    organisation = Organisation.objects.create(name=name, kind=kind)
    audit_record(acting_user=acting_user, action="create", obj=organisation, request=request)
    return organisation


@transaction.atomic
def unit_create(*, organisation: Organisation, name: str, kind: str, acting_user=None, request=None) -> Unit:
    name = name.strip()
    if not name:
        raise OrganisationError(_("Ange enhetens namn."), code="name")
    if kind not in Unit.Kind.values:
        raise OrganisationError(_("Välj en giltig typ av enhet."), code="kind")
    if organisation.is_closed:
        raise OrganisationError(
            {"organisation": [_("Organisationen %(name)s är stängd.") % {"name": organisation.name}]}, code="closed"
        )
    if organisation.units.filter(name__iexact=name).exists():
        raise OrganisationError(
            _("%(organisation)s har redan en enhet som heter %(name)s.")
            % {"organisation": organisation.name, "name": name},
            code="name",
        )
    unit = Unit.objects.create(organisation=organisation, name=name, kind=kind)
    audit_record(acting_user=acting_user, action="create", obj=unit, request=request)
    return unit


def _name_checked(name: str, message: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise OrganisationError({"name": [message]}, code="name")
    return name


@transaction.atomic
def organisation_update(*, organisation: Organisation, name: str, kind: str, acting_user, request=None) -> Organisation:
    name = _name_checked(name, _("Ange organisationens namn."))
    if kind not in Organisation.Kind.values:
        raise OrganisationError({"kind": [_("Välj kommun, region eller polis.")]}, code="kind")
    if Organisation.objects.filter(name__iexact=name).exclude(pk=organisation.pk).exists():
        raise OrganisationError(
            {"name": [_("Det finns redan en organisation som heter %(name)s.") % {"name": name}]}, code="name"
        )
    if (organisation.name, organisation.kind) != (name, kind):
        organisation.name, organisation.kind = name, kind
        organisation.save(update_fields=["name", "kind"])
        audit_record(acting_user=acting_user, action="update", obj=organisation, request=request)
    return organisation


@transaction.atomic
def unit_update(*, unit: Unit, name: str, kind: str, acting_user, request=None) -> Unit:
    name = _name_checked(name, _("Ange enhetens namn."))
    if kind not in Unit.Kind.values:
        raise OrganisationError({"kind": [_("Välj en giltig typ av enhet.")]}, code="kind")
    if unit.organisation.units.filter(name__iexact=name).exclude(pk=unit.pk).exists():
        raise OrganisationError(
            {
                "name": [
                    _("%(organisation)s har redan en enhet som heter %(name)s.")
                    % {"organisation": unit.organisation.name, "name": name}
                ]
            },
            code="name",
        )
    if (unit.name, unit.kind) != (name, kind):
        unit.name, unit.kind = name, kind
        unit.save(update_fields=["name", "kind"])
        audit_record(acting_user=acting_user, action="update", obj=unit, request=request)
    return unit


def unit_history(unit: Unit) -> dict[str, int]:
    """What refers to the unit: staff (also deactivated), invitations, children attending it."""
    from modules.accounts.models import Invitation, StaffChange, User

    return {
        "staff": User.objects.filter(unit=unit).count(),
        "invitations": Invitation.objects.filter(unit=unit).count(),
        "children": unit.children.count(),
        "changes": StaffChange.objects.filter(Q(old_unit=unit) | Q(new_unit=unit)).count(),
    }


@transaction.atomic
def unit_close(*, unit: Unit, acting_user, request=None) -> Unit:
    """Close a unit: it stays, with its history, but no one is invited or moved into it. Refused while active
    staff work there or invitations into it are waiting: they are moved first."""
    from modules.accounts.models import Invitation, User

    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if unit.is_closed:
        raise OrganisationError(_("Enheten är redan stängd."), code="closed")
    active = User.objects.filter(unit=unit, is_active=True).count()
    if active:
        raise OrganisationError(
            _("%(count)s aktiva medarbetare arbetar i enheten. Flytta dem till en annan enhet först.")
            % {"count": active},
            code="has_staff",
        )
    waiting = [i for i in Invitation.objects.filter(unit=unit, accepted_at__isnull=True) if i.is_usable]
    if waiting:
        raise OrganisationError(
            _("%(count)s inbjudningar till enheten väntar på svar. Stäng den när de har besvarats eller gått ut.")
            % {"count": len(waiting)},
            code="has_invitations",
        )
    unit.closed_at = timezone.now()
    unit.save(update_fields=["closed_at"])
    audit_record(acting_user=acting_user, action="update", obj=unit, request=request)
    return unit


@transaction.atomic
def unit_reopen(*, unit: Unit, acting_user, request=None) -> Unit:
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if unit.organisation.is_closed:
        raise OrganisationError(_("Organisationen är stängd; öppna den först."), code="organisation_closed")
    if unit.is_closed:
        unit.closed_at = None
        unit.save(update_fields=["closed_at"])
        audit_record(acting_user=acting_user, action="update", obj=unit, request=request)
    return unit


@transaction.atomic
def unit_delete(*, unit: Unit, acting_user, request=None) -> None:
    """Remove a unit made by mistake. One with history is refused: it can only be closed."""
    if any(unit_history(unit).values()):
        raise OrganisationError(
            _("Enheten har historik (personal, inbjudningar eller barn) och kan inte tas bort. Stäng den i stället."),
            code="has_history",
        )
    audit_record(
        acting_user=acting_user, action="update", object_type="organisations.unit", object_id=unit.pk, request=request
    )
    unit.delete()


@transaction.atomic
def organisation_close(*, organisation: Organisation, acting_user, request=None) -> Organisation:
    """Close an organisation whose units are all closed; it stays for the records (consents) that name it."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.is_closed:
        raise OrganisationError(_("Organisationen är redan stängd."), code="closed")
    open_units = organisation.units.filter(closed_at__isnull=True).count()
    if open_units:
        raise OrganisationError(
            _("Organisationen har %(count)s öppna enheter. Stäng dem först.") % {"count": open_units}, code="open_units"
        )
    organisation.closed_at = timezone.now()
    organisation.save(update_fields=["closed_at"])
    audit_record(acting_user=acting_user, action="update", obj=organisation, request=request)
    return organisation


@transaction.atomic
def organisation_reopen(*, organisation: Organisation, acting_user, request=None) -> Organisation:
    if organisation.is_closed:
        organisation.closed_at = None
        organisation.save(update_fields=["closed_at"])
        audit_record(acting_user=acting_user, action="update", obj=organisation, request=request)
    return organisation


@transaction.atomic
def organisation_delete(*, organisation: Organisation, acting_user, request=None) -> None:
    """Remove an organisation made by mistake: only while it has no units and no consent names it."""
    if organisation.units.exists() or organisation.consents.exists():
        raise OrganisationError(
            _("Organisationen har enheter eller samtycken och kan inte tas bort. Stäng den i stället."),
            code="has_history",
        )
    audit_record(
        acting_user=acting_user,
        action="update",
        object_type="organisations.organisation",
        object_id=organisation.pk,
        request=request,
    )
    organisation.delete()
