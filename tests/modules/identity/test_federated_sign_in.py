"""Federated sign-in against a real SAML IdP (pysaml2, signing with xmlsec1) and a real OpenID provider
(oidc-provider-mock), both in threads on free ports: binding by invitation, later sign-ins, tampered answers,
instances kept apart, unbinding and deactivation, and "Mina instanser" on the central site."""

import base64
import re
from urllib.parse import urlparse

import pytest
import requests
import werkzeug.serving
from django.conf import settings
from django_tenants.utils import schema_context, tenant_context
from oidc_provider_mock import app as oidc_app

from modules.accounts.models import User
from modules.accounts.services import invitation_create, invitation_send, user_deactivate
from modules.audit.models import AuditEntry
from modules.identity.models import Binding, IdentityProvider
from modules.identity.protocols import saml_sp_metadata
from modules.identity.selectors import provider_config
from modules.identity.services import binding_create, binding_end, federation_enable, password_login_set
from tenants.identity.demo_idp import LOA2, LOA3, NURSE_EMAIL, NURSE_HSA_ID, SamlIdP, demo_identity_seed
from tenants.identity.models import DirectoryEntry, FederationProvider
from tenants.identity.services import federation_register
from tests.factories import client_for, force_logged_in_client, make_user

HSA_ID = "SE2321000032-n1"


@pytest.fixture(scope="module")
def saml_idp():
    idp = SamlIdP().start()
    # The SP metadata of the central site and the two demo instances, each on its own host.
    for host in ("", "ystad.", "skane."):
        idp.sp_add(saml_sp_metadata(base_url=f"http://{host}{settings.CENTRAL_DOMAIN}"))
    idp.federation_metadata = idp.metadata()
    yield idp
    idp.stop()


@pytest.fixture(scope="module")
def oidc_server():
    server = werkzeug.serving.make_server("127.0.0.1", 0, oidc_app(), threaded=True)
    import threading

    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def federation(db, saml_idp, oidc_server, central, ystad, skane):
    """Two national federation IdPs (an Inera-like one over SAML and over OIDC); Ystad enables the SAML one,
    Region Skåne the OIDC one, both identifying a person by HSA-id and requiring LoA 3."""
    saml_idp.tamper, saml_idp.loa, saml_idp.signed_in = {}, LOA3, None
    saml_idp.person = {"subject": "nurse-1", "hsa_id": HSA_ID, "mail": "nurse@skane.example.se"}
    saml = federation_register(
        name="Inera (SAML)",
        protocol="saml",
        identifiers={"hsa_id": "employeeHsaId", "email": "mail"},
        saml_entity_id=saml_idp.entity_id,
        saml_metadata_xml=saml_idp.federation_metadata,
    )
    oidc = federation_register(
        name="Inera (OIDC)",
        protocol="oidc",
        identifiers={"hsa_id": "hsa_id"},
        oidc_issuer=oidc_server,
        oidc_client_id="backa-barnet",
        oidc_client_secret="hemlig-klient",
    )
    requests.put(f"{oidc_server}/users/nurse-1", json={"hsa_id": HSA_ID, "acr": LOA3}, timeout=5)
    with tenant_context(ystad):
        admin = make_user(ystad, email="admin.idp@ystad.se", role=User.Role.LOCAL_ADMIN)
        ystad_provider = federation_enable(
            federation_id=saml.pk, subject_attribute="employeeHsaId", required_assurance=LOA3, acting_user=admin
        )
    with tenant_context(skane):
        skane_admin = make_user(skane, email="admin.idp@skane.se", role=User.Role.LOCAL_ADMIN)
        skane_provider = federation_enable(
            federation_id=oidc.pk, subject_attribute="hsa_id", required_assurance=LOA3, acting_user=skane_admin
        )
    return {
        "saml": saml,
        "oidc": oidc,
        "ystad": ystad_provider,
        "skane": skane_provider,
        "admin": admin,
        "skane_admin": skane_admin,
    }


def _invite(tenant, admin, email):
    with tenant_context(tenant):
        invitation = invitation_create(email=email, full_name="Nora Nurse", role=User.Role.STAFF, acting_user=admin)
        return invitation_send(invitation=invitation)


def saml_round_trip(client, idp, start_path, *, tamper_xml=None, post=True):
    """The browser's way: to the IdP with an AuthnRequest, back with its signed answer posted to the ACS."""
    response = client.get(start_path)
    assert response.status_code == 302, response.content[:500]
    acs, saml_response, relay_state = idp.answer(response["Location"])
    if tamper_xml:
        saml_response = base64.b64encode(tamper_xml(base64.b64decode(saml_response).decode()).encode()).decode()
    data = {"SAMLResponse": saml_response, "RelayState": relay_state}
    return (client.post(urlparse(acs).path, data) if post else None), data


def oidc_round_trip(client, start_path, *, sub="nurse-1"):
    response = client.get(start_path)
    assert response.status_code == 302
    answer = requests.post(response["Location"], data={"sub": sub}, allow_redirects=False, timeout=5)
    callback = urlparse(answer.headers["Location"])
    return client.get(f"{callback.path}?{callback.query}")


def _failures(tenant, code):
    with tenant_context(tenant):
        return AuditEntry.objects.filter(action="idp_sign_in_failed", object_type=f"identity:{code}").count()


def test_each_instance_publishes_its_sp_metadata_on_its_own_host(db, ystad, skane):
    for tenant in (ystad, skane):
        metadata = client_for(tenant).get("/saml/metadata/").content.decode()
        assert f'entityID="http://{tenant.primary_domain}/saml/metadata/"' in metadata
        assert f'Location="http://{tenant.primary_domain}/saml/acs/"' in metadata


def test_invitation_accepted_by_saml_sign_in_binds_and_later_sign_ins_must_match(federation, saml_idp, ystad):
    token = _invite(ystad, federation["admin"], "nurse@ystad.se")
    client = client_for(ystad)
    page = client.get(f"/invitation/{token}/")
    assert "Logga in med Inera (SAML)" in page.content.decode()
    response, _data = saml_round_trip(client, saml_idp, f"/invitation/{token}/idp/{federation['ystad'].pk}/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session["strong_auth"] is True
    with tenant_context(ystad):
        binding = Binding.objects.get(subject=HSA_ID)
        assert binding.user.email == "nurse@ystad.se" and not binding.user.has_usable_password()
        assert AuditEntry.objects.filter(action="idp_bind", actor=binding.user).exists()
    with schema_context("public"):
        assert DirectoryEntry.objects.filter(tenant=ystad, subject_hash=binding.subject_hash).exists()

    again = client_for(ystad)
    response, _data = saml_round_trip(again, saml_idp, f"/logga-in/idp/{federation['ystad'].pk}/")
    assert response.status_code == 302
    assert again.get("/").context["user"].email == "nurse@ystad.se"
    with tenant_context(ystad):
        assert AuditEntry.objects.filter(action="idp_sign_in", actor=binding.user).count() == 2


def _strip_signature(xml):
    stripped = re.sub(r"<(\w+:)?Signature[ >].*?</(\w+:)?Signature>", "", xml, flags=re.S)
    assert stripped != xml, "no signature to remove"
    return stripped


@pytest.mark.parametrize(
    ("case", "code", "message"),
    [
        ("signature removed", "signature", "inte korrekt signerat"),
        ("other audience", "audience", "avsett för en annan tjänst"),
        ("expired", "expired", "har gått ut"),
        ("replayed", "replayed", "har redan använts"),
        ("assurance too low", "assurance", "tillitsnivå"),
        ("unbound subject", "unbound", "inte kopplad till något konto"),
    ],
)
def test_tampered_or_unfit_answers_are_refused_with_a_message_and_an_audit_entry(
    federation, saml_idp, ystad, case, code, message
):
    with tenant_context(ystad):
        nurse = make_user(ystad, email="nurse@ystad.se", role=User.Role.STAFF)
        binding_create(user=nurse, provider=federation["ystad"], subject=HSA_ID, acting_user=federation["admin"])
    client = client_for(ystad)
    start = f"/logga-in/idp/{federation['ystad'].pk}/"
    tamper_xml = None
    if case == "signature removed":
        tamper_xml = _strip_signature
    elif case == "other audience":
        saml_idp.tamper = {"audience": "https://annan-tjanst.example.se/saml/metadata/"}
    elif case == "expired":
        saml_idp.tamper = {"expired": True}
    elif case == "assurance too low":
        saml_idp.loa = LOA2
    elif case == "unbound subject":
        saml_idp.person = {"subject": "someone", "hsa_id": "SE2321000032-x9", "mail": "x@skane.example.se"}
    if case == "replayed":
        first, data = saml_round_trip(client, saml_idp, start)
        assert first.status_code == 302
        response = client_for(ystad).post("/saml/acs/", data)
    else:
        response, _data = saml_round_trip(client, saml_idp, start, tamper_xml=tamper_xml)
    assert response.status_code == 403
    assert message in response.content.decode()
    assert "_auth_user_id" not in client_for(ystad).session
    assert _failures(ystad, code) == 1


def test_a_subject_bound_in_ystad_cannot_sign_in_to_region_skane_unless_bound_there(federation, saml_idp, ystad, skane):
    token = _invite(ystad, federation["admin"], "nurse@ystad.se")
    saml_round_trip(client_for(ystad), saml_idp, f"/invitation/{token}/idp/{federation['ystad'].pk}/")
    with tenant_context(skane):
        skane_saml = federation_enable(
            federation_id=federation["saml"].pk,
            subject_attribute="employeeHsaId",
            acting_user=federation["skane_admin"],
        )
    response, _data = saml_round_trip(client_for(skane), saml_idp, f"/logga-in/idp/{skane_saml.pk}/")
    assert response.status_code == 403
    assert _failures(skane, "unbound") == 1

    token = _invite(skane, federation["skane_admin"], "nurse@skane.se")
    response, _data = saml_round_trip(client_for(skane), saml_idp, f"/invitation/{token}/idp/{skane_saml.pk}/")
    assert response.status_code == 302
    response, _data = saml_round_trip(client_for(skane), saml_idp, f"/logga-in/idp/{skane_saml.pk}/")
    assert response.status_code == 302
    # No level required there: signed in, but not strongly authenticated.
    with tenant_context(skane):
        assert Binding.objects.filter(user__email="nurse@skane.se").exists()


def test_oidc_binding_and_mina_instanser_on_the_central_site(federation, saml_idp, oidc_server, central, ystad, skane):
    token = _invite(ystad, federation["admin"], "nurse@ystad.se")
    saml_round_trip(client_for(ystad), saml_idp, f"/invitation/{token}/idp/{federation['ystad'].pk}/")
    token = _invite(skane, federation["skane_admin"], "nurse@skane.se")
    skane_client = client_for(skane)
    response = oidc_round_trip(skane_client, f"/invitation/{token}/idp/{federation['skane'].pk}/")
    assert response.status_code == 302, response.content.decode()[:800]
    assert skane_client.session["strong_auth"] is True
    response = oidc_round_trip(client_for(skane), f"/logga-in/idp/{federation['skane'].pk}/")
    assert response.status_code == 302

    central_client = client_for(central)
    assert "Logga in med Inera (SAML)" in central_client.get("/login/").content.decode()
    response, _data = saml_round_trip(central_client, saml_idp, f"/logga-in/nationell/{federation['saml'].pk}/")
    assert response.status_code == 302 and response["Location"] == "/mina-instanser/"
    page = central_client.get("/mina-instanser/").content.decode()
    assert "Ystads kommun" in page and "Region Skåne" in page and "Medarbetare" in page
    assert f"http://ystad.localhost/logga-in/nationell/{federation['saml'].pk}/" in page
    # The link signs in to Ystad through the IdP's session.
    response, _data = saml_round_trip(client_for(ystad), saml_idp, f"/logga-in/nationell/{federation['saml'].pk}/")
    assert response.status_code == 302

    # An OIDC answer with a lower acr is refused too.
    requests.put(f"{oidc_server}/users/nurse-1", json={"hsa_id": HSA_ID, "acr": LOA2}, timeout=5)
    response = oidc_round_trip(client_for(skane), f"/logga-in/idp/{federation['skane'].pk}/")
    assert response.status_code == 403 and _failures(skane, "assurance") == 1


def test_unbinding_and_deactivation_end_idp_sign_in_and_the_directory_entry(federation, saml_idp, ystad):
    token = _invite(ystad, federation["admin"], "nurse@ystad.se")
    saml_round_trip(client_for(ystad), saml_idp, f"/invitation/{token}/idp/{federation['ystad'].pk}/")
    with tenant_context(ystad):
        user = User.objects.get(email="nurse@ystad.se")
        admin_client = force_logged_in_client(ystad, federation["admin"])
        assert "Koppla från Nora Nurse" in admin_client.get("/personal/").content.decode()
        assert admin_client.post(f"/personal/{user.pk}/koppla-fran/").status_code == 302
        assert not Binding.objects.filter(user=user).exists()
        assert AuditEntry.objects.filter(action="idp_unbind", actor=federation["admin"]).exists()
    with schema_context("public"):
        assert not DirectoryEntry.objects.filter(tenant=ystad).exists()
    response, _data = saml_round_trip(client_for(ystad), saml_idp, f"/logga-in/idp/{federation['ystad'].pk}/")
    assert response.status_code == 403

    token = _invite(ystad, federation["admin"], "nurse2@ystad.se")
    saml_round_trip(client_for(ystad), saml_idp, f"/invitation/{token}/idp/{federation['ystad'].pk}/")
    with tenant_context(ystad):
        user_deactivate(user=User.objects.get(email="nurse2@ystad.se"), acting_user=federation["admin"])
        with pytest.raises(Exception):  # noqa: B017
            binding_end(user=User.objects.get(email="nurse2@ystad.se"), acting_user=federation["admin"])
    response, _data = saml_round_trip(client_for(ystad), saml_idp, f"/logga-in/idp/{federation['ystad'].pk}/")
    assert response.status_code == 403


def test_an_instance_may_allow_identity_providers_only(federation, ystad):
    with tenant_context(ystad):
        password_login_set(allowed=False, acting_user=federation["admin"])
        assert IdentityProvider.objects.filter(enabled=True).exists()
    page = client_for(ystad).get("/login/").content.decode()
    assert "Logga in med Inera (SAML)" in page and 'type="password"' not in page
    response = client_for(ystad).post("/login/", {"username": "admin.idp@ystad.se", "password": "x" * 20})
    assert response.status_code == 200 and "_auth_user_id" not in client_for(ystad).session


def test_the_demo_idp_signs_the_region_nurse_in_to_both_instances_and_lists_them(db, saml_idp, central, ystad, skane):
    saml_idp.tamper, saml_idp.loa = {}, LOA3
    saml_idp.person = {"subject": "demo-nurse", "hsa_id": NURSE_HSA_ID, "mail": NURSE_EMAIL}
    federation = demo_identity_seed(idp=saml_idp)
    demo_identity_seed(idp=saml_idp)  # make run may start it again: nothing doubles
    for tenant in (ystad, skane):
        client = client_for(tenant)
        response, _data = saml_round_trip(client, saml_idp, f"/logga-in/nationell/{federation.pk}/")
        assert response.status_code == 302
        assert client.get("/").context["user"].email == NURSE_EMAIL
    central_client = client_for(central)
    saml_round_trip(central_client, saml_idp, f"/logga-in/nationell/{federation.pk}/")
    page = central_client.get("/mina-instanser/").content.decode()
    assert page.count("/logga-in/nationell/") == 2 and "Ystads kommun" in page and "Region Skåne" in page


def test_a_national_coordinator_registers_a_federation_idp_once_for_every_instance(db, central, ystad):
    coordinator = make_user(central, email="samordnare.idp@backabarnet.se", role=User.Role.NATIONAL_COORDINATOR)
    client = force_logged_in_client(central, coordinator)
    form = {"name": "Polisen (OIDC)", "protocol": "oidc", "identifiers": "email=email", "oidc_issuer": ""}
    refused = client.post("/konsol/identitetsleverantorer/", form)
    assert refused.status_code == 200 and "Krävs för OpenID Connect." in refused.content.decode()
    form.update(oidc_issuer="https://idp.polisen.example.se", oidc_client_id="backa", oidc_client_secret="hemligt")
    assert client.post("/konsol/identitetsleverantorer/", form).status_code == 302
    with schema_context("public"):
        provider = FederationProvider.objects.get(name="Polisen (OIDC)")
        assert "hemligt" not in provider.oidc_client_secret_encrypted
    # Enabled in an instance with one click: its settings are read from public, never copied.
    with tenant_context(ystad):
        admin = make_user(ystad, email="admin.fed@ystad.se", role=User.Role.LOCAL_ADMIN)
        admin_client = force_logged_in_client(ystad, admin)
        page = admin_client.get("/inloggning/").content.decode()
        assert "Polisen (OIDC)" in page
        admin_client.post(
            "/inloggning/",
            {"action": "federation", "federation-federation_id": provider.pk, "federation-subject_attribute": "email"},
        )
        enabled = IdentityProvider.objects.get(federation_id=provider.pk)
        assert enabled.oidc_client_secret_encrypted == "" and enabled.oidc_issuer == ""
        assert provider_config(enabled).oidc_client_secret == "hemligt"
