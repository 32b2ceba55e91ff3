"""API of a tenant site."""

from api.urls_common import urlpatterns as common_urlpatterns

urlpatterns = [*common_urlpatterns]
