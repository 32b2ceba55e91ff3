"""The development e-mail backend: each mail whole in a file, and a line in the log without its secrets.

Django's console backend prints every mail whole, one-time invitation links included, into the web or
worker log, where anyone reading the log can take the link and set the invitee's password: the settings
refuse it in production. This backend writes each mail, links and all, to a file under EMAIL_FILE_PATH (the
state folder's ``mail``, or ``/tmp/mail`` in the local compose stack) and prints the mail to the console with
every token-like path segment masked, so the log still shows who was sent what."""

import re
import sys

from django.core.mail.backends.filebased import EmailBackend as FileBasedBackend

# A path segment of 20 or more base64url characters: the invitation token (secrets.token_urlsafe(32), 43
# characters) and any signed token a later link may carry. Host names have dots and stay readable.
_TOKEN_SEGMENT = re.compile(r"(?<=/)[A-Za-z0-9_:-]{20,}(?=/|\s|$)")
MASK = "[dold, se filen]"


def mask_tokens(text: str) -> str:
    return _TOKEN_SEGMENT.sub(MASK, text)


class DevelopmentEmailBackend(FileBasedBackend):
    def send_messages(self, email_messages):
        sent = super().send_messages(email_messages)
        if sent:
            for message in email_messages:
                sys.stdout.write(
                    f"E-post till {', '.join(message.to)}: {message.subject}\n"
                    f"{mask_tokens(message.body)}\n(hela brevet: {self._fname})\n{'-' * 79}\n"
                )
            sys.stdout.flush()
        return sent
