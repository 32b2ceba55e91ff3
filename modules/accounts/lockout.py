"""Throttling and lockout of repeated sign-in failures (django-axes, whose tables live in each tenant's schema and
in public: a lockout at one instance never locks the same e-mail address at another).

An account is locked after AUTH_LOCKOUT_ACCOUNT_FAILURES failures from anywhere, an address after
AUTH_LOCKOUT_ADDRESS_FAILURES failures for any accounts, each until AUTH_LOCKOUT_MINUTES after its last failure.
Wrong passwords and wrong second-factor codes both count (modules/accounts/strong_auth.py)."""

from datetime import datetime

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Q, Sum
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _


class PerAccountAndAddressHandler(AxesDatabaseHandler):
    """Axes counts failures per account and per address with one limit; an address has its own, higher limit
    here, since a whole office may sign in from one address."""

    def get_failures(self, request, credentials=None) -> int:
        username = get_client_username(request, credentials)
        recent = AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))
        total = Sum("failures_since_start")
        by_account = recent.filter(username=username).aggregate(n=total)["n"] or 0 if username else 0
        by_address = recent.filter(ip_address=request.axes_ip_address).aggregate(n=total)["n"] or 0
        # Axes compares one number with AXES_FAILURE_LIMIT (the account's limit): the address's count is shifted so
        # that it reaches that limit exactly when it reaches its own.
        shift = settings.AUTH_LOCKOUT_ADDRESS_FAILURES - settings.AUTH_LOCKOUT_ACCOUNT_FAILURES
        return max(by_account, by_address - shift)

    def reset_user_attempts(self, request, credentials=None) -> int:
        # A success resets its own account only, never the address (one's own account must not unlock an address
        # used to guess others' passwords).
        username = get_client_username(request, credentials)
        return AccessAttempt.objects.filter(username=username).delete()[0] if username else 0


def client_address(request) -> str | None:
    """The address a lockout counts. Behind the ingress (BEHIND_PROXY=1) REMOTE_ADDR is the ingress's own, the same
    for everyone, so one person's typos would lock the whole instance: the client's address is the last entry of
    X-Forwarded-For, the one the ingress appended (entries before it are whatever the client sent)."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "") if settings.BEHIND_PROXY else ""
    return forwarded.split(",")[-1].strip() or request.META.get("REMOTE_ADDR")


def is_locked_out(request, *, email: str) -> bool:
    return AxesProxyHandler.is_locked(request, {"username": email})


def failures_reset(*, email: str) -> None:
    """After a complete (strong) sign-in: the account's failures are forgotten."""
    AccessAttempt.objects.filter(username=email).delete()


def locked_until(request, credentials=None) -> datetime:
    """When the lockout that refuses this request ends: the last counted failure plus the cool-off."""
    AxesProxyHandler.update_request(request)
    username = get_client_username(request, credentials)
    latest = (
        AccessAttempt.objects.filter(Q(username=username) | Q(ip_address=request.axes_ip_address))
        .filter(attempt_time__gte=get_cool_off_threshold(request))
        .aggregate(at=Max("attempt_time"))["at"]
    )
    return (latest or timezone.now()) + get_cool_off(request)


def lockout_message(request, credentials=None) -> str:
    until = timezone.localtime(locked_until(request, credentials))
    minutes = max(1, int((until - timezone.now()).total_seconds() + 59) // 60)
    return _(
        "För många misslyckade inloggningsförsök. Inloggningen är spärrad till kl. %(time)s, om %(minutes)s "
        "minuter. Försök igen då, eller återställ ditt lösenord om du har glömt det."
    ) % {"time": formats.time_format(until, "H:i"), "minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """Axes' answer to a locked-out attempt (AXES_LOCKOUT_CALLABLE): the API's error body, or the sign-in page
    with a message saying when to try again."""
    message = lockout_message(request, credentials)
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "code": "locked_out", "errors": {}}, status=403)
    from modules.accounts.views import SignInForm

    return render(
        request,
        "registration/login.html",
        {"form": SignInForm(request), "locked_out": message, "next": request.POST.get("next", "")},
        status=429,
    )
