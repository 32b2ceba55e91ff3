"""Swedish personnummer and samordningsnummer: validation, normalisation and masking.

Validation is the `personnummer` package's. python-stdnum's `se.personnummer` (already a dependency) is not
used here: it rejects every samordningsnummer (day + 60) as an invalid date.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from personnummer import personnummer as personnummer_lib


@dataclass(frozen=True)
class IdentityNumber:
    digits: str  # twelve digits, YYYYMMDDNNNC (day + 60 for a samordningsnummer)
    birth_date: date
    is_coordination_number: bool

    @property
    def masked(self) -> str:
        return f"{self.digits[:8]}-****"


def identity_number_parse(value: str) -> IdentityNumber:
    """Parse a personnummer or samordningsnummer written with or without century, with - or + (100 years or
    older) or no separator. Raises ValidationError with a Swedish message."""
    raw = (value or "").strip().replace(" ", "")
    if not raw:
        raise ValidationError(_("Ange ett personnummer eller samordningsnummer."), code="required")
    if not raw.replace("-", "").replace("+", "").isdigit() or len(raw.replace("-", "").replace("+", "")) not in (
        10,
        12,
    ):
        raise ValidationError(
            _("Skriv numret som ÅÅÅÅMMDD-NNNN eller ÅÅMMDD-NNNN (10 eller 12 siffror)."), code="format"
        )
    try:
        parsed = personnummer_lib.parse(raw)
    except personnummer_lib.PersonnummerException:
        raise ValidationError(_check_message(raw), code="invalid") from None
    birth_date = parsed.get_date()
    if birth_date > timezone.localdate():
        raise ValidationError(_("Födelsedatumet i numret ligger i framtiden."), code="future")
    return IdentityNumber(
        digits=parsed.format(long_format=True),
        birth_date=birth_date,
        is_coordination_number=parsed.is_coordination_number(),
    )


def _check_message(raw: str) -> str:
    """Tell a date that does not exist from a wrong check digit, so the user knows what to correct."""
    digits = raw.replace("-", "").replace("+", "")
    if digits[-4:-1] == "000":
        return _("Födelsenumret (siffrorna efter datumet) kan inte vara 000.")
    with_right_check_digit = raw[:-1] + str(personnummer_lib._luhn(digits[-10:-1]))
    try:
        personnummer_lib.parse(with_right_check_digit)
    except personnummer_lib.PersonnummerException:
        return _("Datumet i numret finns inte (för samordningsnummer läggs 60 till dagen).")
    return _("Kontrollsiffran stämmer inte. Kontrollera numret.")
