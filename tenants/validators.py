"""The one check of an organisationsnummer, used by the application form, the API, `tenant_create` and the
Tenant model alike."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.se import orgnr

# Skatteverket's group number (the first digit): 2 is "stat, landsting (regioner), kommuner och församlingar".
# Companies are 5, associations 8, and so on: none of them can be a municipality or a region.
PUBLIC_BODY_GROUP = "2"


def normalise_organisation_number(value: str) -> str:
    """Validate a municipality's or region's organisationsnummer and return it as NNNNNN-NNNN.

    python-stdnum checks the format and the check digit; the group digit must then be 2, since only
    juridical persons of group 2 (kommuner, regioner, staten) may join."""
    try:
        compact = orgnr.validate(value)
    except StdnumValidationError as error:
        raise ValidationError(
            _("Ogiltigt organisationsnummer (%(value)s): ange tio siffror med rätt kontrollsiffra, t.ex. 212000-1173."),
            code="invalid_organisation_number",
            params={"value": value},
        ) from error
    if not compact.startswith(PUBLIC_BODY_GROUP):
        raise ValidationError(
            _(
                "Kommuner och regioner har organisationsnummer som börjar på 2 (t.ex. 212000-1173 eller "
                "232100-0255). %(value)s tillhör ett företag eller en annan sorts organisation."
            ),
            code="not_a_public_body",
            params={"value": orgnr.format(compact)},
        )
    return orgnr.format(compact)


def validate_organisation_number(value: str) -> None:
    normalise_organisation_number(value)
