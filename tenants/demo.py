"""The demo: the central tenant plus Ystad and Region Skåne, each with one admin."""

from dataclasses import dataclass

from django.db import transaction
from django_tenants.utils import tenant_context

from modules.accounts.models import User
from modules.accounts.services import password_generate, user_create
from tenants.models import County, Tenant
from tenants.services import central_tenant_bootstrap, tenant_create


@dataclass(frozen=True)
class DemoTenant:
    name: str
    kind: str
    organisation_number: str
    county: str
    subdomain: str
    admin_email: str
    admin_name: str


DEMO_TENANTS = (
    DemoTenant(
        name="Ystads kommun",
        kind=Tenant.Kind.MUNICIPALITY,
        organisation_number="212000-1173",
        county=County.SKANE,
        subdomain="ystad",
        admin_email="admin@ystad.example.se",
        admin_name="Ylva Admin",
    ),
    DemoTenant(
        name="Region Skåne",
        kind=Tenant.Kind.REGION,
        organisation_number="232100-0255",
        county=County.SKANE,
        subdomain="skane",
        admin_email="admin@skane.example.se",
        admin_name="Sune Admin",
    ),
)
DEMO_COORDINATOR_EMAIL = "samordnare@backabarnet.example.se"
# A national content editor: proposes releases, which the coordinator (another person) approves.
DEMO_EDITOR_EMAIL = "redaktion@backabarnet.example.se"


@dataclass(frozen=True)
class Credential:
    site: str
    email: str
    password: str | None  # None: the account existed before, its password was printed then


def _ensure_user(*, email: str, full_name: str, role: str) -> str | None:
    if User.objects.filter(email=email).exists():
        return None
    password = password_generate()
    user_create(email=email, full_name=full_name, role=role, password=password)
    return password


@transaction.atomic
def demo_seed() -> list[Credential]:
    central = central_tenant_bootstrap()
    credentials = [
        Credential(
            central.primary_domain,
            DEMO_COORDINATOR_EMAIL,
            _ensure_user(email=DEMO_COORDINATOR_EMAIL, full_name="Nora Nationell", role=User.Role.NATIONAL_COORDINATOR),
        ),
        Credential(
            central.primary_domain,
            DEMO_EDITOR_EMAIL,
            _ensure_user(email=DEMO_EDITOR_EMAIL, full_name="Rita Redaktör", role=User.Role.CONTENT_EDITOR),
        ),
    ]
    for demo in DEMO_TENANTS:
        tenant = Tenant.objects.filter(organisation_number=demo.organisation_number).first()
        if tenant is None:
            tenant = tenant_create(
                name=demo.name,
                kind=demo.kind,
                organisation_number=demo.organisation_number,
                county=demo.county,
                subdomain=demo.subdomain,
                status=Tenant.Status.ACTIVE,
            )
        with tenant_context(tenant):
            password = _ensure_user(email=demo.admin_email, full_name=demo.admin_name, role=User.Role.LOCAL_ADMIN)
        credentials.append(Credential(tenant.primary_domain, demo.admin_email, password))
    return credentials
