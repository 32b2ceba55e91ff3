"""Tenants that users must not reach: paused, archived, or not yet built.

Placed right after the tenant lookup, so it answers before the session, the user or any tenant table
is touched (an archived tenant has no schema left).
"""

from datetime import timedelta

from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.models import Tenant
from tenants.routing import tenant_cache_activity_noted

LAST_ACTIVITY_RESOLUTION = timedelta(minutes=5)

_CLOSED = {
    Tenant.Status.SUSPENDED: ("tenant_suspended", 503),
    Tenant.Status.ARCHIVED: ("tenant_archived", 410),
    Tenant.Status.REQUESTED: ("tenant_not_ready", 503),
    Tenant.Status.PROVISIONING: ("tenant_not_ready", 503),
}


def _message(code: str) -> str:
    return {
        "tenant_suspended": _(
            "Den här instansen av Backa barnet är pausad. Inga uppgifter har tagits bort. "
            "Kontakta den nationella samordningen om du har frågor."
        ),
        "tenant_archived": _("Den här instansen av Backa barnet är arkiverad och inte längre i drift."),
        "tenant_not_ready": _("Den här instansen av Backa barnet håller på att sättas upp. Försök igen om en stund."),
    }[code]


class TenantStatusMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tenant = getattr(request, "tenant", None)
        if tenant is not None and not tenant.is_central and tenant.status in _CLOSED:
            code, status = _CLOSED[tenant.status]
            message = _message(code)
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message, "code": code}, status=status)
            return render(
                request, "tenant_closed.html", {"tenant": tenant, "message": message, "code": code}, status=status
            )
        response = self.get_response(request)
        if tenant is not None and not tenant.is_central:
            _note_activity(request, tenant)
        return response


def _note_activity(request, tenant: Tenant) -> None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return
    now = timezone.now()
    if tenant.last_activity_at is None or now - tenant.last_activity_at > LAST_ACTIVITY_RESOLUTION:
        Tenant.objects.filter(pk=tenant.pk).update(last_activity_at=now)
        tenant_cache_activity_noted(tenant.pk, now)
