"""Checks of free input shared by every form and serializer: phone numbers and the length limits of text.

Ground floor (imported by modules, tenants and api alike): imports nothing of theirs."""

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Limits on free text: long enough for any real entry, short enough that a pasted document or a runaway
# script is refused with a message instead of being stored and breaking the pages that show it.
NAME_MAX_LENGTH = 200
SHORT_TEXT_MAX_LENGTH = 500
LONG_TEXT_MAX_LENGTH = 5000
MINUTES_MAX_LENGTH = 20000  # a meeting's minutes
LESSON_MAX_LENGTH = 50000  # a training lesson's Markdown
PHONE_MAX_LENGTH = 30

_PHONE_CHARACTERS = re.compile(r"^[0-9 +\-()]+$")
PHONE_MIN_DIGITS, PHONE_MAX_DIGITS = 6, 20


def validate_phone_number(value: str) -> None:
    """A Swedish or international phone number as people write it: digits, spaces, +, -, parentheses.

    The characters and the number of digits are checked first, so the message says what is wrong;
    libphonenumber (`phonenumbers`) then checks that such a number can exist (Sweden when no +country)."""
    value = (value or "").strip()
    if not value:
        return
    message = _(
        "Ange ett telefonnummer med siffror (6–20 stycken), gärna med riktnummer, t.ex. 0411-57 70 00 eller "
        "+46 70 123 45 67. Bara siffror, mellanslag, +, - och parenteser är tillåtna."
    )
    digits = sum(character.isdigit() for character in value)
    if not _PHONE_CHARACTERS.match(value) or not PHONE_MIN_DIGITS <= digits <= PHONE_MAX_DIGITS:
        raise ValidationError(message, code="invalid_phone")
    try:
        number = phonenumbers.parse(value, "SE")
    except phonenumbers.NumberParseException as error:
        raise ValidationError(message, code="invalid_phone") from error
    if not phonenumbers.is_possible_number(number):
        raise ValidationError(message, code="invalid_phone")
