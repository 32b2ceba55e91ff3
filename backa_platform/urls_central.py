"""The central site (the public tenant): national coordinators, onboarding, releases."""

from django.urls import include, path

from backa_platform import views
from backa_platform.urls_common import urlpatterns as common_urlpatterns

# 503 while the database is unreachable, else Django's 500 (backa_platform/server_errors.py).
handler500 = "backa_platform.server_errors.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("api/", include("api.urls_central")),
    path("", include("tenants.onboarding.urls_central")),
    path("konsol/", include("tenants.console.urls")),
    # Federated sign-in to "Mina instanser" (a person bound in several instances).
    path("", include("tenants.identity.urls")),
    *common_urlpatterns,
]

# Authoring, releases and rollouts (issue 5).
from tenants.releases.urls import central_urlpatterns as release_urlpatterns  # noqa: E402

urlpatterns += release_urlpatterns
