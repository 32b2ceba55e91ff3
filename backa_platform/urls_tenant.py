"""A municipality's or region's site."""

from django.urls import include, path

from backa_platform import views
from backa_platform.urls_common import urlpatterns as common_urlpatterns

urlpatterns = [
    path("", views.home, name="home"),
    path("api/", include("api.urls_tenant")),
    *common_urlpatterns,
]

# The child's record (issue 6).
urlpatterns += [
    path("", include("modules.children.urls")),
    path("", include("modules.consent.urls")),
    path("", include("modules.organisations.urls")),
    path("", include("modules.accounts.urls")),
    path("", include("modules.audit.urls")),
]
# The tenant's release choice and training (issue 5).
from tenants.releases.urls import tenant_urlpatterns as release_urlpatterns  # noqa: E402

urlpatterns += release_urlpatterns
urlpatterns += [path("", include("modules.training.urls"))]
