from django.core.management.base import BaseCommand

from tenants.demo import demo_seed


class Command(BaseCommand):
    help = (
        "Create the demo: the central tenant, Ystads kommun (ystad.<CENTRAL_DOMAIN>) and Region Skåne "
        "(skane.<CENTRAL_DOMAIN>), each with one admin. Passwords are printed once, when the account is made."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", default="8000", help="Port shown in the printed addresses.")

    def handle(self, *args, port="8000", **options):
        credentials = demo_seed()
        self.stdout.write(self.style.SUCCESS("Demo ready. Sign in at:"))
        for credential in credentials:
            password = credential.password or "(unchanged; printed when the account was created)"
            self.stdout.write(f"  http://{credential.site}:{port}/login/  {credential.email}  {password}")
        self.stdout.write(
            "After the password each account asks for a second factor: the first sign-in shows a QR code and its key\n"
            "as text for an authenticator app (any TOTP app, or `oathtool --totp -b KEY` in a terminal), then ten\n"
            "recovery codes; later sign-ins ask for the app's code. A local admin can remove a colleague's app at\n"
            "/personal/ (the next sign-in enrols again)."
        )
