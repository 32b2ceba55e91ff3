"""Routes every site has, central and tenant alike."""

from django.contrib.auth import views as auth_views
from django.urls import path

from backa_platform import views
from modules.accounts.views import language_set

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("i18n/setlang/", language_set, name="set_language"),
]
