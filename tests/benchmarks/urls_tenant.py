from django.urls import path

from backa_platform.urls_tenant import urlpatterns as platform_urlpatterns
from tests.benchmarks.views import audited_floor, constant, one_query

urlpatterns = [
    path("bench/constant/", constant),
    path("bench/one-query/", one_query),
    path("bench/audited-floor/", audited_floor),
    *platform_urlpatterns,
]
