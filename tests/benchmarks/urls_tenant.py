from django.urls import path

from backa_platform.urls_tenant import urlpatterns as platform_urlpatterns
from tests.benchmarks.views import constant

urlpatterns = [path("bench/constant/", constant), *platform_urlpatterns]
