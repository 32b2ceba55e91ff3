"""A municipality's or region's site."""

from django.urls import include, path

from backa_platform import views
from backa_platform.urls_common import urlpatterns as common_urlpatterns

urlpatterns = [
    path("", views.home, name="home"),
    path("api/", include("api.urls_tenant")),
    path("", include("tenants.onboarding.urls_tenant")),
    *common_urlpatterns,
]
