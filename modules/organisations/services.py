"""Writes on organisations and units (local admins)."""

from django.db import transaction
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
    if organisation.units.filter(name__iexact=name).exists():
        raise OrganisationError(
            _("%(organisation)s har redan en enhet som heter %(name)s.")
            % {"organisation": organisation.name, "name": name},
            code="name",
        )
    unit = Unit.objects.create(organisation=organisation, name=name, kind=kind)
    audit_record(acting_user=acting_user, action="create", obj=unit, request=request)
    return unit
