"""A real SAML 2.0 IdP for the tests and the demo (``manage.py demo_idp``): pysaml2's Server behind a small WSGI
app in a thread (a free port unless told one), with a key and self-signed certificate made at start. It answers
an AuthnRequest (HTTP-Redirect) with a signed assertion (HTTP-POST form) for the person it was given, keeps a
session of its own (the next request is answered at once), and can be told to misbehave the way a tampered or
misconfigured IdP would (another audience, an expired assertion, a lower assurance level)."""

import base64
import datetime
import tempfile
import threading
from html import escape
from pathlib import Path
from urllib.parse import parse_qs, urlparse
from wsgiref.simple_server import WSGIRequestHandler, make_server

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from saml2 import BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server

LOA3 = "http://id.elegnamnden.se/loa/1.0/loa3"
LOA2 = "http://id.elegnamnden.se/loa/1.0/loa2"


def _key_and_cert(folder: Path) -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "test-idp")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_file, cert_file = folder / "idp.key", folder / "idp.crt"
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return str(key_file), str(cert_file)


class _TamperingServer(Server):
    tamper: dict = {}

    def setup_assertion(self, *args, **kwargs):
        assertion = super().setup_assertion(*args, **kwargs)
        if "audience" in self.tamper:
            assertion.conditions.audience_restriction[0].audience[0].text = self.tamper["audience"]
        if self.tamper.get("expired"):
            past = (datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
            assertion.issue_instant = past
            assertion.conditions.not_on_or_after = past
            assertion.conditions.not_before = past
            for confirmation in assertion.subject.subject_confirmation:
                confirmation.subject_confirmation_data.not_on_or_after = past
        return assertion


class SamlIdP:
    """Start with ``start()``; ``sp_add(metadata_xml)`` for every SP it answers; ``person`` and ``tamper`` say
    what the next answer asserts."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="test-idp-"))
        self.key_file, self.cert_file = _key_and_cert(self.folder)
        self.sp_metadata: list[str] = []
        self.person = {"subject": "nurse-1", "hsa_id": "SE2321000032-n1", "mail": "nurse@skane.example.se"}
        self.loa = LOA3
        self.tamper: dict = {}
        self.signed_in: str | None = None  # set: every request is answered at once (as the IdP's session would)

    def start(self, port: int = 0):
        self.httpd = make_server("127.0.0.1", port, self._app, handler_class=_Quiet)
        self.base = f"http://127.0.0.1:{self.httpd.server_port}"
        self.entity_id = f"{self.base}/idp/metadata"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def _config(self) -> IdPConfig:
        config = IdPConfig()
        config.load(
            {
                "entityid": self.entity_id,
                "xmlsec_binary": settings.SAML_XMLSEC_BINARY,
                "key_file": self.key_file,
                "cert_file": self.cert_file,
                "service": {
                    "idp": {
                        "endpoints": {"single_sign_on_service": [(f"{self.base}/sso/redirect", BINDING_HTTP_REDIRECT)]},
                        "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                        "policy": {"default": {"lifetime": {"minutes": 5}, "attribute_restrictions": None}},
                        "sign_assertion": True,
                    }
                },
                "metadata": {"inline": self.sp_metadata} if self.sp_metadata else {},
            }
        )
        return config

    def metadata(self) -> str:
        return create_metadata_string(None, config=self._config(), valid=24).decode()

    def sp_add(self, metadata_xml: str):
        self.sp_metadata.append(metadata_xml)

    def answer(self, sign_in_url: str) -> tuple[str, str, str]:
        """What the IdP posts back for the AuthnRequest in ``sign_in_url``: (ACS URL, SAMLResponse, RelayState)."""
        query = parse_qs(urlparse(sign_in_url).query)
        return self._respond(query["SAMLRequest"][0], query.get("RelayState", [""])[0])

    def _respond(self, saml_request: str, relay_state: str) -> tuple[str, str, str]:
        server = _TamperingServer(config=self._config())
        server.tamper = self.tamper
        request = server.parse_authn_request(saml_request, BINDING_HTTP_REDIRECT).message
        destination = request.assertion_consumer_service_url
        response = server.create_authn_response(
            identity={"employeeHsaId": self.person["hsa_id"], "mail": self.person["mail"]},
            in_response_to=request.id,
            destination=destination,
            sp_entity_id=request.issuer.text,
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=self.person["subject"]),
            authn={"class_ref": self.loa, "authn_auth": self.entity_id},
            sign_assertion=True,
            sign_response=False,
        )
        return destination, base64.b64encode(str(response).encode()).decode(), relay_state

    def _app(self, environ, start_response):
        path = environ["PATH_INFO"]
        if path == "/sso/redirect":
            query = parse_qs(environ.get("QUERY_STRING", ""))
            saml_request, relay_state = query["SAMLRequest"][0], query.get("RelayState", [""])[0]
            if self.signed_in is None and "demo_idp_session=" not in environ.get("HTTP_COOKIE", ""):
                # The IdP's sign-in page: the person confirms who they are (the test's person).
                body = (
                    f"<html><body><h1>Test-IdP</h1><form method='post' action='/sso/login'>"
                    f"<input type='hidden' name='SAMLRequest' value='{escape(saml_request)}'>"
                    f"<input type='hidden' name='RelayState' value='{escape(relay_state)}'>"
                    f"<button type='submit'>Logga in som {escape(self.person['subject'])}</button></form></body></html>"
                )
                start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
                return [body.encode()]
            return self._post_form(start_response, *self._respond(saml_request, relay_state))
        if path == "/sso/login":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            form = parse_qs(environ["wsgi.input"].read(length).decode())
            # The IdP's own session (a cookie on its host): the next instance's request is answered at once.
            answer = self._respond(form["SAMLRequest"][0], form.get("RelayState", [""])[0])
            return self._post_form(start_response, *answer, cookie="demo_idp_session=1; Path=/; HttpOnly")
        if path == "/idp/metadata":
            start_response("200 OK", [("Content-Type", "application/samlmetadata+xml")])
            return [self.metadata().encode()]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    def _post_form(self, start_response, destination, saml_response, relay_state, cookie=None):
        body = (
            f"<html><body><form method='post' action='{escape(destination)}' id='saml'>"
            f"<input type='hidden' name='SAMLResponse' value='{escape(saml_response)}'>"
            f"<input type='hidden' name='RelayState' value='{escape(relay_state)}'>"
            f"<button type='submit'>Fortsätt</button></form>"
            f"<script>document.getElementById('saml').submit()</script></body></html>"
        )
        headers = [("Content-Type", "text/html; charset=utf-8")] + ([("Set-Cookie", cookie)] if cookie else [])
        start_response("200 OK", headers)
        return [body.encode()]


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


NURSE_EMAIL = "sjukskoterska@skane.example.se"
NURSE_HSA_ID = "SE2321000032-demo1"


def demo_identity_seed(*, idp: SamlIdP):
    """The demo's federation: ``idp`` registered as the national IdP "Demo-IdP", enabled in Ystad and Region
    Skåne (HSA-id identifies a person, LoA 3 required), and a region nurse bound in both. Idempotent."""
    from django_tenants.utils import tenant_context

    from modules.accounts.models import User
    from modules.accounts.services import user_create
    from modules.identity.models import Binding
    from modules.identity.services import binding_create, federation_enable
    from tenants.demo import DEMO_TENANTS
    from tenants.identity.services import federation_register
    from tenants.models import Tenant

    federation = federation_register(
        name="Demo-IdP",
        protocol="saml",
        identifiers={"hsa_id": "employeeHsaId", "email": "mail"},
        saml_entity_id=idp.entity_id,
        saml_metadata_xml=idp.metadata(),
    )
    for demo in DEMO_TENANTS:
        tenant = Tenant.objects.get(organisation_number=demo.organisation_number)
        with tenant_context(tenant):
            admin = User.objects.filter(role=User.Role.LOCAL_ADMIN).order_by("pk").first()
            provider = federation_enable(
                federation_id=federation.pk,
                subject_attribute="employeeHsaId",
                required_assurance=LOA3,
                acting_user=admin,
            )
            nurse = User.objects.filter(email=NURSE_EMAIL).first() or user_create(
                email=NURSE_EMAIL, full_name="Sara Sjuksköterska", role=User.Role.STAFF
            )
            if not Binding.objects.filter(user=nurse).exists():
                binding_create(user=nurse, provider=provider, subject=NURSE_HSA_ID, acting_user=admin)
    return federation
