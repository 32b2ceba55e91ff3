"""Routes every site has, central and tenant alike."""

from django.contrib.auth import views as auth_views
from django.urls import path

from backa_platform import views
from modules.accounts import two_factor_views
from modules.accounts.views import SignInView, language_set

urlpatterns = [
    path("login/", SignInView.as_view(), name="login"),
    path("login/kod/", two_factor_views.second_factor, name="second-factor"),
    path("login/registrera-app/", two_factor_views.totp_enrol, name="totp-enrol"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("konto/sakerhet/", two_factor_views.account_security, name="account-security"),
    path("konto/sakerhet/reservkoder/", two_factor_views.recovery_codes_renew, name="recovery-codes-renew"),
    path("konto/sakerhet/byt-app/", two_factor_views.totp_replace, name="totp-replace"),
    path("konto/logga-ut-overallt/", two_factor_views.sign_out_everywhere, name="sign-out-everywhere"),
    path("losenord/aterstall/", two_factor_views.password_reset, name="password-reset"),
    path("losenord/aterstall/skickat/", two_factor_views.password_reset_sent, name="password-reset-sent"),
    path("losenord/aterstall/klart/", two_factor_views.password_reset_complete, name="password-reset-complete"),
    path(
        "losenord/aterstall/<uidb64>/<token>/",
        two_factor_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("i18n/setlang/", language_set, name="set_language"),
]
