"""Routes every site has, central and tenant alike."""

from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.i18n import set_language

from backa_platform import views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("i18n/setlang/", set_language, name="set_language"),
]
