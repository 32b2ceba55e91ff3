import os
from pathlib import Path

import requests
from django.core.management.base import BaseCommand, CommandError

from tenants.identity.services import federation_register


class Command(BaseCommand):
    help = (
        "Register (or update, by name) a national federation IdP in the central tenant; instances enable it on "
        "their sign-in page (/inloggning/). An OIDC client secret is read from FEDERATION_CLIENT_SECRET, never "
        "from the command line."
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--protocol", choices=["saml", "oidc"], required=True)
        parser.add_argument("--entity-id", default="", help="SAML: the IdP's entity id")
        parser.add_argument("--metadata-file", default="", help="SAML: the IdP's (or federation's) metadata XML")
        parser.add_argument("--metadata-url", default="", help="SAML: fetched once, now")
        parser.add_argument("--issuer", default="", help="OIDC: the issuer (discovery at /.well-known/…)")
        parser.add_argument("--client-id", default="", help="OIDC: the platform's client id")
        parser.add_argument(
            "--identifier",
            action="append",
            default=[],
            help="canonical=attribute, e.g. hsa_id=employeeHsaId or email=mail (repeatable)",
        )

    def handle(self, *args, **options):
        identifiers = {}
        for pair in options["identifier"]:
            kind, _sep, attribute = pair.partition("=")
            if not kind or not attribute:
                raise CommandError(f"--identifier {pair!r}: write canonical=attribute")
            identifiers[kind] = attribute
        metadata = ""
        if options["metadata_file"]:
            metadata = Path(options["metadata_file"]).read_text()
        elif options["metadata_url"]:
            answer = requests.get(options["metadata_url"], timeout=30)
            answer.raise_for_status()
            metadata = answer.text
        if options["protocol"] == "saml" and not (metadata and options["entity_id"]):
            raise CommandError("SAML needs --entity-id and --metadata-file or --metadata-url")
        if options["protocol"] == "oidc" and not (options["issuer"] and options["client_id"]):
            raise CommandError("OIDC needs --issuer and --client-id (and FEDERATION_CLIENT_SECRET)")
        provider = federation_register(
            name=options["name"],
            protocol=options["protocol"],
            identifiers=identifiers,
            saml_entity_id=options["entity_id"],
            saml_metadata_xml=metadata,
            oidc_issuer=options["issuer"],
            oidc_client_id=options["client_id"],
            oidc_client_secret=os.environ.get("FEDERATION_CLIENT_SECRET", ""),
        )
        self.stdout.write(self.style.SUCCESS(f"Registered {provider.name} (id {provider.pk})."))
