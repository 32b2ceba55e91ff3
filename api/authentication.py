"""API token authentication: ``Authorization: Token <key>``. Only the key's hash is stored; an expired token
and an inactive (deactivated) account are refused, each with its own message."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from modules.accounts.selectors import api_token_holder


class ApiTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        holder = api_token_holder(key=key)
        if holder is None:
            raise exceptions.AuthenticationFailed(_("Ogiltig token."))
        if holder.expires_at <= timezone.now():
            raise exceptions.AuthenticationFailed(_("Token har gått ut. Hämta en ny med POST /api/token/."))
        user = holder.user
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("Kontot är inaktiverat."))
        return (user, None)
