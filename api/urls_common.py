from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from api.accounts import CurrentUser, UserList

urlpatterns = [
    path("me/", CurrentUser.as_view(), name="api-me"),
    path("users/", UserList.as_view(), name="api-users"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
