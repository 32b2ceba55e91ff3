"""API token authentication: ``Authorization: Token <key>``. Only the key's hash is stored; an inactive
(deactivated) account is refused just as at the login form."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from modules.accounts.selectors import api_token_user


class ApiTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user = api_token_user(key=key)
        if user is None:
            raise exceptions.AuthenticationFailed(_("Ogiltig token."))
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("Kontot är inaktiverat."))
        return (user, None)
