"""A municipality's or region's site."""

from django.urls import include, path

from backa_platform import views
from backa_platform.urls_common import urlpatterns as common_urlpatterns
from tenants.releases.urls import tenant_urlpatterns as release_urlpatterns

# 503 while the database is unreachable, else Django's 500 (backa_platform/server_errors.py).
handler500 = "backa_platform.server_errors.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("api/", include("api.urls_tenant")),
    path("", include("tenants.onboarding.urls_tenant")),
    *common_urlpatterns,
    # The child's record, consent, organisations, staff and loggkontroll.
    path("", include("modules.children.urls")),
    path("", include("modules.consent.urls")),
    path("", include("modules.organisations.urls")),
    path("", include("modules.accounts.urls")),
    path("", include("modules.audit.urls")),
    # Federated sign-in: SP metadata, the way to a provider and back, the admin's providers page.
    path("", include("modules.identity.urls")),
    # The tenant's release choice and training.
    *release_urlpatterns,
    path("", include("modules.training.urls")),
    # The process for one child (concern, assessment, plan, follow-up, closing).
    path("", include("modules.casework.urls")),
    path("", include("modules.overview.urls")),
    # The instance's own figures beside the national ones.
    path("", include("tenants.statistics.urls_tenant")),
]
