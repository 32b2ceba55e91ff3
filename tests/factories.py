"""The shared ways tests build their data, through the services: users, signed-in clients, the demo tenants, a
small Ystad with a child and its relationships (``build_world``), the central drafts and an installed release.

Plain functions, importable from any test; tests/conftest.py wraps the common ones as fixtures.
"""

import base64
import re
import time
from dataclasses import dataclass
from datetime import timedelta

from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context, tenant_context

from modules.accounts.models import User
from modules.accounts.services import api_token_create, user_create
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


def strong_session_mark(client: Client, tenant: Tenant) -> None:
    """Test-only: mark the client's signed-in session as strongly authenticated, as the second step (a code from
    the authenticator) or a sufficient identity provider sign-in does. The steps themselves are tested in
    tests/modules/accounts/test_strong_auth.py; every other test signs in with this."""
    with tenant_context(tenant):  # the session lives in the tenant's schema
        session = client.session
        session["strong_auth"] = True
        session.save()


def token_client(tenant: Tenant, user: User) -> Client:
    """A client calling the tenant's API with a token of ``user``'s, made by the service: ``POST /api/token/`` is
    throttled per address (30 a minute), which a test process making many tokens would reach (its own tests are
    in tests/modules/accounts/test_strong_auth.py)."""
    with tenant_context(tenant):
        key = api_token_create(user=user).key
    return Client(HTTP_HOST=tenant.primary_domain, HTTP_AUTHORIZATION=f"Token {key}")


def logged_in_client(tenant: Tenant, email: str) -> Client:
    """Signed in with the password (the real sign-in page, its lockout and audit) and a strongly authenticated
    session (strong_session_mark)."""
    client = client_for(tenant)
    response = client.post("/login/", {"username": email, "password": TEST_PASSWORD})
    assert response.status_code == 302, "login failed"
    strong_session_mark(client, tenant)
    return client


def force_logged_in_client(tenant: Tenant, user) -> Client:
    """force_login (no password, no request) plus a strongly authenticated session."""
    client = client_for(tenant)
    with tenant_context(tenant):
        client.force_login(user)
    strong_session_mark(client, tenant)
    return client


# --- The real second factor, for tests that drive a browser or a server in another thread or process ------------
# Keys read from the enrolment page, by (site, e-mail), with the last time step used: the authenticator refuses a
# code of a step already used (replay), so a second sign-in in the same 30 s uses the next step's code, which it
# accepts (one step of tolerance), and a third waits for the next step.
_TOTP_KEYS: dict[tuple[str, str], list] = {}


def totp_key_remember(site: str, email: str, key_base32: str) -> None:
    _TOTP_KEYS[(site, email)] = [base64.b32decode(key_base32), -1]


def totp_code(site: str, email: str) -> str:
    from django_otp.oath import TOTP

    entry = _TOTP_KEYS[(site, email)]
    now_step = int(time.time()) // 30
    step = max(now_step, entry[1] + 1)
    if step > now_step + 1:
        # The next step's code is used already (the server allows one step ahead, never a code twice): wait one
        # step, after which the step after the used one is within that tolerance.
        time.sleep(30 - time.time() % 30 + 0.1)
        now_step += 1
        step = max(now_step, entry[1] + 1)
    entry[1] = step
    totp = TOTP(entry[0])
    totp.time = step * 30
    return f"{totp.token():06d}"


def browser_sign_in(page, base: str, email: str, password: str = TEST_PASSWORD) -> None:
    """The whole sign-in in a browser: password, then at the first sign-in the authenticator's enrolment (the key
    read from the page, as a person types it into an app), later a code."""
    page.goto(f"{base}/login/")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    browser_second_step(page, base, email)


def browser_second_step(page, base: str, email: str) -> None:
    """After the password (or an invitation's): enrol the authenticator at the first sign-in, else its code."""
    page.wait_for_load_state()
    if "/login/registrera-app/" in page.url:
        totp_key_remember(base, email, page.locator("#totp-key").get_attribute("data-key"))
        page.get_by_label("Kod från appen").fill(totp_code(base, email))
        page.get_by_role("button", name="Bekräfta och fortsätt").click()
        page.get_by_role("link", name="Jag har sparat koderna – fortsätt").click()
    elif "/login/kod/" in page.url:
        page.locator("#id_code").fill(totp_code(base, email))  # labelled "Kod" (and a required-field star)
        page.get_by_role("button", name="Fortsätt").click()


def http_sign_in(session, base_url: str, email: str, password: str = TEST_PASSWORD) -> None:
    """The same over plain HTTP (a requests.Session whose headers carry the site's Host)."""
    site = session.headers.get("Host", base_url)

    def csrf(text: str) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text).group(1)

    page = session.get(f"{base_url}/login/", timeout=30)
    response = session.post(
        f"{base_url}/login/",
        data={"username": email, "password": password, "csrfmiddlewaretoken": csrf(page.text)},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302, f"password for {email} on {site}: {response.status_code}"
    page = session.get(f"{base_url}/login/kod/", timeout=30)  # the code, or the enrolment at the first sign-in
    key = re.search(r'id="totp-key" data-key="([A-Z2-7=]+)"', page.text)
    if key:
        totp_key_remember(site, email, key.group(1))
    response = session.post(
        page.url,
        data={"code": totp_code(site, email), "csrfmiddlewaretoken": csrf(page.text)},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code in (200, 302), f"second factor for {email} on {site}: {response.status_code}"


def audit_last_id(tenant: Tenant) -> int:
    from modules.audit.models import AuditEntry

    with tenant_context(tenant):
        return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def audit_tail_delete(tenant: Tenant, *, after: int) -> None:
    """Committed tests' cleanup: the audit entries written since ``after`` (sign-ins name the accounts the test
    then deletes). The test database only: the append-only trigger is bypassed; only the tail goes, so the chain
    before it still verifies."""
    from django.db import connection

    from modules.audit.models import AuditEntry

    with tenant_context(tenant), connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        try:
            AuditEntry.objects.filter(pk__gt=after).delete()
        finally:
            cursor.execute("SET session_replication_role = DEFAULT")


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
