"""A region nurse signs in to Ystad through a real SAML IdP and to Region Skåne through a real OpenID provider in
Chromium, then on the central site sees both under "Mina instanser" and opens each without signing in again at
the SAML IdP (its own session)."""

import threading

import requests
import werkzeug.serving
from django.db import connection
from django_tenants.utils import schema_context, tenant_context
from oidc_provider_mock import app as oidc_app

from modules.accounts.models import User
from modules.accounts.services import user_create
from modules.audit.models import AuditEntry
from modules.identity.models import Binding, IdentityProvider, SignInRequest
from modules.identity.protocols import saml_sp_metadata
from modules.identity.services import binding_create, federation_enable
from tenants.identity.demo_idp import LOA3, SamlIdP
from tenants.identity.models import CentralSignInRequest, DirectoryEntry, FederationProvider
from tenants.identity.services import federation_register
from tests.factories import demo_tenant

HSA_ID = "SE2321000032-e2e1"
EMAIL = "e2e.sjukskoterska@skane.se"


def test_region_nurse_signs_in_by_saml_and_oidc_and_finds_both_under_mina_instanser(live_site, page):
    ystad, skane = demo_tenant("ystad"), demo_tenant("skane")
    port = live_site("localhost").rsplit(":", 1)[1]
    idp = SamlIdP()
    idp.person = {"subject": "e2e-nurse", "hsa_id": HSA_ID, "mail": EMAIL}
    idp.start()
    for host in ("", "ystad.", "skane."):
        idp.sp_add(saml_sp_metadata(base_url=f"http://{host}localhost:{port}"))
    oidc = werkzeug.serving.make_server("127.0.0.1", 0, oidc_app(), threaded=True)
    threading.Thread(target=oidc.serve_forever, daemon=True).start()
    issuer = f"http://127.0.0.1:{oidc.server_port}"
    requests.put(f"{issuer}/users/e2e-nurse", json={"hsa_id": HSA_ID, "acr": LOA3}, timeout=5)
    last_entry = {}
    try:
        saml = federation_register(
            name="E2E Inera (SAML)",
            protocol="saml",
            identifiers={"hsa_id": "employeeHsaId"},
            saml_entity_id=idp.entity_id,
            saml_metadata_xml=idp.metadata(),
        )
        oidc_fed = federation_register(
            name="E2E Inera (OIDC)",
            protocol="oidc",
            identifiers={"hsa_id": "hsa_id"},
            oidc_issuer=issuer,
            oidc_client_id="backa-barnet",
            oidc_client_secret="hemlig",
        )
        for tenant, federation, attribute in ((ystad, saml, "employeeHsaId"), (skane, oidc_fed, "hsa_id")):
            with tenant_context(tenant):
                last_entry[tenant.pk] = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
                admin = User.objects.filter(role=User.Role.LOCAL_ADMIN).order_by("pk").first()
                provider = federation_enable(
                    federation_id=federation.pk, subject_attribute=attribute, required_assurance=LOA3, acting_user=admin
                )
                nurse = user_create(email=EMAIL, full_name="Nora Sjuksköterska", role=User.Role.STAFF)
                binding_create(user=nurse, provider=provider, subject=HSA_ID, acting_user=admin)

        # Ystad through the SAML IdP: its sign-in page once, then the signed answer posted back.
        page.goto(live_site("ystad.localhost") + "/login/")
        page.get_by_role("link", name="Logga in med E2E Inera (SAML)").click()
        page.get_by_role("button", name="Logga in som e2e-nurse").click()
        page.wait_for_url(live_site("ystad.localhost") + "/")
        assert "Välkommen, Nora Sjuksköterska" in page.content()

        # Region Skåne through the OpenID provider.
        page.goto(live_site("skane.localhost") + "/login/")
        page.get_by_role("link", name="Logga in med E2E Inera (OIDC)").click()
        page.locator("input[name=sub]").fill("e2e-nurse")
        page.get_by_role("button", name="Authorize").click()
        page.wait_for_url(live_site("skane.localhost") + "/")
        assert "Välkommen, Nora Sjuksköterska" in page.content()

        # The central site: the SAML IdP's session answers at once; both instances are listed with the role.
        page.goto(live_site("localhost") + "/login/")
        page.get_by_role("link", name="Logga in med E2E Inera (SAML)").click()
        page.wait_for_url(live_site("localhost") + "/mina-instanser/")
        rows = page.get_by_role("row")
        assert "Ystads kommun" in page.content() and "Region Skåne" in page.content()
        assert rows.filter(has_text="Ystads kommun").filter(has_text="Medarbetare").count() == 1
        page.get_by_role("link", name="Ystads kommun").click()
        page.wait_for_url(live_site("ystad.localhost") + "/")
        assert "Välkommen, Nora Sjuksköterska" in page.content()
    finally:
        idp.stop()
        oidc.shutdown()
        connection.set_schema_to_public()
        for tenant in (ystad, skane):
            with tenant_context(tenant):
                with connection.cursor() as cursor:
                    cursor.execute("SET session_replication_role = replica")
                    AuditEntry.objects.filter(pk__gt=last_entry.get(tenant.pk, 0)).delete()
                    cursor.execute("SET session_replication_role = DEFAULT")
                Binding.objects.filter(user__email=EMAIL).delete()
                SignInRequest.objects.all().delete()
                IdentityProvider.objects.filter(name__startswith="E2E ").delete()
                User.objects.filter(email=EMAIL).delete()
        with schema_context("public"):
            CentralSignInRequest.objects.filter(provider__name__startswith="E2E ").delete()
            DirectoryEntry.objects.filter(tenant__in=[ystad, skane]).delete()
            FederationProvider.objects.filter(name__startswith="E2E ").delete()
