import time

from django.conf import settings
from django.core.management.base import BaseCommand

from modules.identity.protocols import saml_sp_metadata
from tenants.identity.demo_idp import NURSE_EMAIL, NURSE_HSA_ID, SamlIdP, demo_identity_seed


class Command(BaseCommand):
    help = (
        "The demo's identity provider (a real SAML IdP, pysaml2): registered as the national federation IdP "
        "'Demo-IdP', enabled in Ystad and Region Skåne, with a region nurse bound in both. Serves until stopped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8010, help="the IdP's port on 127.0.0.1")
        parser.add_argument("--site-port", default="8000", help="the platform's port (its SP addresses)")

    def handle(self, *args, port=8010, site_port="8000", **options):
        idp = SamlIdP()
        idp.person = {"subject": "demo-nurse", "hsa_id": NURSE_HSA_ID, "mail": NURSE_EMAIL}
        idp.start(port=port)
        suffix = f":{site_port}" if site_port else ""
        for host in ("", "ystad.", "skane."):
            idp.sp_add(saml_sp_metadata(base_url=f"http://{host}{settings.CENTRAL_DOMAIN}{suffix}"))
        demo_identity_seed(idp=idp)
        self.stdout.write(self.style.SUCCESS(f"Demo-IdP at {idp.base}: the region nurse is bound in both instances."))
        self.stdout.write(
            f"  Sign in at http://ystad.{settings.CENTRAL_DOMAIN}{suffix}/login/ with 'Logga in med Demo-IdP'; "
            f"'Mina instanser': http://{settings.CENTRAL_DOMAIN}{suffix}/login/"
        )
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            idp.stop()
