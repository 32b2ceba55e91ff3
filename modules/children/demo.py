"""Demo and load-test data inside one tenant: an organisation with a unit, a staff member, and children
for whom that staff member is the Barnkontakt. Built through the services, so every row is audited."""

from datetime import date, timedelta

from django.db import transaction
from personnummer import personnummer as personnummer_lib

from modules.accounts.models import User
from modules.accounts.services import password_generate, user_create
from modules.children.crypto import personnummer_lookup_hash
from modules.children.selectors import child_by_personnummer_lookup
from modules.children.services import GuardianData, child_register
from modules.organisations.models import Organisation, Unit

FIRST_NAMES = ("Alva", "Elsa", "Maja", "Noah", "Liam", "Hugo", "Saga", "Ella", "Nils", "Vera", "Otto", "Ebba")
FAMILY_NAMES = ("Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson")


def demo_personnummer(index: int) -> str:
    """A valid, made-up personnummer for a child born 2010–2024 (index 0.. gives distinct numbers)."""
    born = date(2010, 1, 1) + timedelta(days=index % 5000)
    serial = f"{100 + index // 5000:03d}"
    head = born.strftime("%y%m%d") + serial
    return f"{born:%Y%m%d}-{serial}{personnummer_lib._luhn(head)}"


@transaction.atomic
def child_record_demo_seed(*, email: str, children: int, password: str | None = None) -> tuple[User, str | None]:
    """Returns the staff member and their password (None when the account existed already)."""
    organisation, _ = Organisation.objects.get_or_create(
        name="Barn- och utbildningsförvaltningen", defaults={"kind": Organisation.Kind.MUNICIPALITY}
    )
    unit, _ = Unit.objects.get_or_create(
        organisation=organisation, name="Förskolan Solrosen", defaults={"kind": Unit.Kind.PRESCHOOL}
    )
    user = User.objects.filter(email=email).first()
    new_password = None
    if user is None:
        new_password = password or password_generate()
        user = user_create(email=email, full_name="Karin Kontakt", role=User.Role.STAFF, password=new_password)
        user.unit = unit
        user.save(update_fields=["unit"])
    # The children attend the staff member's own unit: registering makes them their Barnkontakt only then.
    unit = user.unit if user.unit_id else unit
    for index in range(children):
        number = demo_personnummer(index)
        if child_by_personnummer_lookup(lookup=personnummer_lookup_hash(number.replace("-", ""))):
            continue  # seeded before: running again is harmless
        child_register(
            personnummer=number,
            given_name=FIRST_NAMES[index % len(FIRST_NAMES)],
            family_name=FAMILY_NAMES[index % len(FAMILY_NAMES)],
            acting_user=user,
            as_child_contact=True,
            guardians=(GuardianData(name="Vårdnadshavare " + FAMILY_NAMES[index % len(FAMILY_NAMES)]),),
            units=[unit],
        )
    return user, new_password
