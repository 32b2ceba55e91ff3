"""Password sign-in refused where the instance allows identity providers only.

First in AUTHENTICATION_BACKENDS: raising PermissionDenied stops Django's backend loop, so no password is
checked there. Elsewhere it is Django's ModelBackend (force_login and sessions may name either)."""

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db import connection


class PasswordPolicyBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if password is not None and connection.schema_name != "public":
            from modules.identity.selectors import password_login_allowed

            if not password_login_allowed():
                raise PermissionDenied
        return super().authenticate(request, username=username, password=password, **kwargs)
