"""The session rules: a session idle for SESSION_IDLE_MINUTES ends, and a signed-in session that is not strongly
authenticated (a password without its second factor yet, or an identity provider's sign-in below the instance's
assurance level) reaches nothing but the sign-in steps."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from modules.accounts.strong_auth import LAST_SEEN_SESSION_KEY, is_strong

# Paths a signed-in but not yet strongly authenticated session may reach: the sign-in steps themselves (ours
# under /login/; an identity provider's, modules/identity: /logga-in/, /saml/, /oidc/), signing out, password
# reset, invitations, the language choice, static files, and the token endpoint (which asks for the second
# factor itself).
_OPEN_TO_WEAK_SESSIONS = (
    "/login/",
    "/logga-in/",
    "/saml/",
    "/oidc/",
    "/logout/",
    "/losenord/",
    "/invitation/",
    "/i18n/",
    "/static/",
    "/api/token/",
)
# The last-seen time is written at most this often (a session write per request would cost an UPDATE each).
_LAST_SEEN_RESOLUTION_SECONDS = 60


class SessionIdleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_SESSION_KEY)
            if last_seen is not None and now - last_seen > settings.SESSION_IDLE_MINUTES * 60:
                logout(request)
                if not request.path.startswith("/api/"):
                    messages.info(
                        request,
                        _("Du har loggats ut eftersom du inte har använt tjänsten på %(minutes)s minuter.")
                        % {"minutes": settings.SESSION_IDLE_MINUTES},
                    )
            elif last_seen is None or now - last_seen >= _LAST_SEEN_RESOLUTION_SECONDS:
                request.session[LAST_SEEN_SESSION_KEY] = now
        return self.get_response(request)


class StrongAuthMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.user.is_authenticated
            and not is_strong(request)
            and not request.path.startswith(_OPEN_TO_WEAK_SESSIONS)
        ):
            message = _("Logga in med tvåstegsverifiering först.")
            if request.path.startswith("/api/") and request.META.get("HTTP_AUTHORIZATION", "").startswith("Token "):
                # An API token authenticates the call instead of the session (or refuses it): tokens are issued
                # only after a second factor.
                return self.get_response(request)
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message, "code": "strong_auth_required", "errors": {}}, status=403)
            return redirect(f"{reverse('second-factor')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
