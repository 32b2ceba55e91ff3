"""Personnummer and samordningsnummer: the real edge cases."""

import pytest
from django.core.exceptions import ValidationError

from modules.children.personnummer import identity_number_parse
from tests.factories import personnummer


@pytest.mark.parametrize(
    ("written", "digits", "birth_date"),
    [
        ("20150312-2382", "201503122382", "2015-03-12"),
        ("201503122382", "201503122382", "2015-03-12"),
        ("150312-2382", "201503122382", "2015-03-12"),
        ("1503122382", "201503122382", "2015-03-12"),
        # A plus means 100 years or older: the same six digits in another century.
        ("121212+1212", "191212121212", "1912-12-12"),
        ("121212-1212", "201212121212", "2012-12-12"),
        # Leap days.
        (personnummer("20160229"), personnummer("20160229").replace("-", ""), "2016-02-29"),
        (personnummer("20000229"), personnummer("20000229").replace("-", ""), "2000-02-29"),
    ],
)
def test_valid_numbers_are_normalised_to_twelve_digits_with_the_right_birth_date(written, digits, birth_date):
    number = identity_number_parse(written)
    assert number.digits == digits
    assert number.birth_date.isoformat() == birth_date
    assert not number.is_coordination_number
    assert number.masked == f"{digits[:8]}-****"


def test_samordningsnummer_has_sixty_added_to_the_day():
    number = identity_number_parse(personnummer("20150372"))  # born 12 March 2015
    assert number.is_coordination_number
    assert number.birth_date.isoformat() == "2015-03-12"
    assert number.masked == "20150372-****"
    # Skatteverket's own example.
    assert identity_number_parse("701063-2391").birth_date.isoformat() == "1970-10-03"


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("20150312-2383", "Kontrollsiffran stämmer inte"),
        ("20150312-0009", "kan inte vara 000"),
        (personnummer("20150229")[:-1] + "0", "Datumet i numret finns inte"),  # 2015 is no leap year
        (personnummer("19000229")[:-1] + "0", "Datumet i numret finns inte"),  # nor is 1900
        (personnummer("20151332")[:-1] + "0", "Datumet i numret finns inte"),
        ("20150392-2380", "Datumet i numret finns inte"),  # day 32 + 60
        ("2015-03-12", "ÅÅÅÅMMDD-NNNN"),
        ("abc", "ÅÅÅÅMMDD-NNNN"),
        ("", "Ange ett personnummer"),
        (personnummer("20990101"), "framtiden"),
    ],
)
def test_invalid_numbers_are_refused_with_a_precise_swedish_message(written, message):
    with pytest.raises(ValidationError) as error:
        identity_number_parse(written)
    assert message in " ".join(error.value.messages)
