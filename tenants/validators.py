from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.se import orgnr


def normalise_organisation_number(value: str) -> str:
    """Validate a Swedish organisationsnummer (format and check digit) and return it as NNNNNN-NNNN."""
    try:
        compact = orgnr.validate(value)
    except StdnumValidationError as error:
        raise ValidationError(
            _("Ogiltigt organisationsnummer (%(value)s): ange tio siffror med rätt kontrollsiffra, t.ex. 212000-1173."),
            code="invalid_organisation_number",
            params={"value": value},
        ) from error
    return orgnr.format(compact)


def validate_organisation_number(value: str) -> None:
    normalise_organisation_number(value)
