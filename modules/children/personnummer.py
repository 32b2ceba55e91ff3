"""Swedish personnummer and samordningsnummer: validation, normalisation and masking.

Validation is the `personnummer` package's. python-stdnum's `se.personnummer` (already a dependency) is not
used here: it rejects every samordningsnummer (day + 60) as an invalid date.
"""

import unicodedata
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
    raw = _ascii_digits(value or "").strip().replace(" ", "")
    if not raw:
        raise ValidationError(_("Ange ett personnummer eller samordningsnummer."), code="required")
    digits = raw.replace("-", "").replace("+", "")
    if not (digits.isascii() and digits.isdigit()) or len(digits) not in (10, 12):
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


def _ascii_digits(value: str) -> str:
    """The number in ASCII: NFKC makes fullwidth ２０１５ 2015 (and － a hyphen); other decimal digits
    (Arabic-Indic ٢٠١٥ …) become 0-9 and any dash (– from a word processor) a hyphen. ``str.isdigit`` and the
    personnummer package's ``\\d`` accept all of these digits: unconverted, the number was stored as another
    one, a second child beside the same number in ASCII. Whatever else is not ASCII is refused as a format."""
    converted = []
    for char in unicodedata.normalize("NFKC", value):
        if char.isdecimal():
            char = str(unicodedata.decimal(char))
        elif unicodedata.category(char) == "Pd" or char == "\u2212":
            char = "-"
        converted.append(char)
    return "".join(converted)


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
