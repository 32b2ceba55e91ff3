"""The shared ways tests build their data, through the services: users, signed-in clients, the demo tenants, a
small Ystad with a child and its relationships (``build_world``), the central drafts and an installed release.

Plain functions, importable from any test; tests/conftest.py wraps the common ones as fixtures.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context, tenant_context

from modules.accounts.models import User
from modules.accounts.services import user_create
from modules.children.models import Child, SupportCoordinator
from modules.children.services import GuardianData, child_register, child_role_hand_over, team_member_add
from modules.consent.services import consent_record
from modules.model_config.services import model_drafts_load_defaults
from modules.organisations.models import Organisation, Unit
from modules.organisations.services import organisation_create, unit_create
from modules.training.services import course_drafts_load_defaults
from tenants.demo import DEMO_TENANTS
from tenants.models import Tenant

TEST_PASSWORD = "Korrekt-häst-batteri-42"


def demo_tenant(subdomain: str) -> Tenant:
    demo = next(demo for demo in DEMO_TENANTS if demo.subdomain == subdomain)
    return Tenant.objects.get(organisation_number=demo.organisation_number)


def make_user(tenant: Tenant, *, email: str, role: str, full_name: str = "Test Testsson"):
    with tenant_context(tenant):
        return user_create(email=email, full_name=full_name, role=role, password=TEST_PASSWORD)


def client_for(tenant: Tenant) -> Client:
    """A test client that talks to ``tenant``'s own host."""
    return Client(HTTP_HOST=tenant.primary_domain)


def logged_in_client(tenant: Tenant, email: str) -> Client:
    client = client_for(tenant)
    response = client.post("/login/", {"username": email, "password": TEST_PASSWORD})
    assert response.status_code == 302, "login failed"
    return client


def luhn_digit(nine_digits: str) -> str:
    total = 0
    for index, char in enumerate(nine_digits):
        value = int(char) * (2 - index % 2)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def personnummer(date8: str, serial: str = "238") -> str:
    """A valid 12-digit number YYYYMMDD-NNNC for the given date (or day + 60 for a samordningsnummer)."""
    return f"{date8}-{serial}{luhn_digit(date8[2:] + serial)}"


@dataclass
class World:
    tenant: object
    municipality: Organisation
    region: Organisation
    police: Organisation
    preschool: Unit
    student_health: Unit
    bup: Unit
    admin: User
    process_lead: User
    contact: User
    coordinator: User
    team_same_org: User
    team_region: User
    raiser: User
    outsider: User
    child: Child
    number: str


def staff_in_unit(tenant, email, role, unit, name):
    user = make_user(tenant, email=email, role=role, full_name=name)
    with tenant_context(tenant):
        user.unit = unit
        user.save(update_fields=["unit"])
    return user


def build_world(tenant, *, prefix: str = "", child_name: tuple[str, str] = ("Alva", "Andersson")) -> World:
    with tenant_context(tenant):
        municipality = organisation_create(
            name=f"{prefix}Ystads kommun – Barn- och utbildningsförvaltningen", kind=Organisation.Kind.MUNICIPALITY
        )
        region = organisation_create(name=f"{prefix}Region Skåne – BUP", kind=Organisation.Kind.REGION)
        police = organisation_create(name=f"{prefix}Polisen – lokalpolisområde Ystad", kind=Organisation.Kind.POLICE)
        preschool = unit_create(organisation=municipality, name="Förskolan Solrosen", kind=Unit.Kind.PRESCHOOL)
        student_health = unit_create(organisation=municipality, name="Elevhälsan", kind=Unit.Kind.STUDENT_HEALTH)
        bup = unit_create(organisation=region, name="BUP Ystad", kind=Unit.Kind.CHILD_PSYCHIATRY)
    d = prefix.lower().strip() or "y"
    world = {
        "admin": staff_in_unit(tenant, f"admin.{d}@ystad.se", User.Role.LOCAL_ADMIN, preschool, "Ada Admin"),
        "process_lead": staff_in_unit(
            tenant, f"process.{d}@ystad.se", User.Role.PROCESS_LEAD, preschool, "Pia Process"
        ),
        "contact": staff_in_unit(tenant, f"kontakt.{d}@ystad.se", User.Role.STAFF, preschool, "Karin Kontakt"),
        "coordinator": staff_in_unit(
            tenant, f"samordnare.{d}@ystad.se", User.Role.STAFF, student_health, "Sara Samordnare"
        ),
        "team_same_org": staff_in_unit(
            tenant, f"kurator.{d}@ystad.se", User.Role.STAFF, student_health, "Kurt Kurator"
        ),
        "team_region": staff_in_unit(tenant, f"bup.{d}@ystad.se", User.Role.STAFF, bup, "Bo BUP"),
        "raiser": staff_in_unit(tenant, f"larare.{d}@ystad.se", User.Role.STAFF, preschool, "Lena Lärare"),
        "outsider": staff_in_unit(tenant, f"annan.{d}@ystad.se", User.Role.STAFF, preschool, "Olle Utanför"),
    }
    number = personnummer("20150312")
    with tenant_context(tenant):
        child = child_register(
            personnummer=number,
            given_name=child_name[0],
            family_name=child_name[1],
            acting_user=world["contact"],
            as_child_contact=True,
            guardians=(GuardianData(name="Maria Andersson", relation="mamma", phone="070-1234567"),),
            units=[preschool],
        ).child
        child_register(
            personnummer=number,
            given_name=child_name[0],
            family_name=child_name[1],
            acting_user=world["raiser"],
            concern=f"{child_name[0]} verkar ledsen och trött på morgnarna.",
        )
        child_role_hand_over(
            role=SupportCoordinator,
            child=child,
            user=world["coordinator"],
            acting_user=world["contact"],
            reason="Samordnad individuell plan behövs.",
        )
        team_member_add(child=child, user=world["team_same_org"], team_role="Kurator", acting_user=world["contact"])
        consent = consent_record(
            child=child,
            acting_user=world["contact"],
            organisations=[region],
            purpose=f"Samverkan kring {child_name[0]}s mående",
            given_on=timezone.localdate() - timedelta(days=1),
            valid_until=timezone.localdate() + timedelta(days=180),
            method="written",
            given_by_guardian=child.guardians.get(),
        )
        team_member_add(
            child=child, user=world["team_region"], team_role="Psykolog", acting_user=world["contact"], consent=consent
        )
    return World(
        tenant=tenant,
        municipality=municipality,
        region=region,
        police=police,
        preschool=preschool,
        student_health=student_health,
        bup=bup,
        child=child,
        number=number,
        **world,
    )


def central_drafts_load() -> None:
    """The default content (Ystad's wording) as central drafts."""
    with schema_context("public"):
        model_drafts_load_defaults()
        course_drafts_load_defaults()


def release_installed(tenant: Tenant):
    """Ystad's wording published centrally and installed (current) in ``tenant``."""
    from tenants.releases.services import release_install, release_publish

    with schema_context("public"):
        model_drafts_load_defaults()
        release = release_publish(notes="Första", start_rollout=False)
    return release_install(tenant=tenant, release=release)


def rows_post(prefix: str, rows: list[dict], *, initial: int = 0) -> dict:
    """POST data of a list edited as rows (backa_platform.core.forms.Rows): its management form and each row
    with its order number; a row with ``DELETE`` set is removed."""
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": str(initial)}
    data.update({f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})
    for index, row in enumerate(rows):
        data[f"{prefix}-{index}-ORDER"] = str(row.pop("ORDER", index + 1))
        data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return data
