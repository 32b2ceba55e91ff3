"""Password sign-in refused where the instance allows identity providers only.

First in AUTHENTICATION_BACKENDS: raising PermissionDenied stops Django's backend loop, so the password
backend after it is never asked. Elsewhere it answers None and the next backend decides."""

from django.core.exceptions import PermissionDenied
from django.db import connection


class PasswordPolicyBackend:
    def authenticate(self, request, username=None, password=None, **kwargs):
        if password is None or connection.schema_name == "public":
            return None
        from modules.identity.selectors import password_login_allowed

        if not password_login_allowed():
            raise PermissionDenied
        return None

    def get_user(self, user_id):
        return None
