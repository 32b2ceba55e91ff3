"""The second sign-in step (a code from the authenticator app, or a recovery code), enrolment of the app at the
first sign-in, the person's own security page (new recovery codes, another app, "Logga ut överallt") and
password reset by e-mail."""

import base64
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from backa_platform.core.forms import AccessibleForm
from modules.accounts import strong_auth
from modules.accounts.lockout import is_locked_out, lockout_response
from modules.accounts.services import password_reset_request


class CodeForm(AccessibleForm):
    code = forms.CharField(
        label=gettext_lazy("Kod"),
        max_length=64,
        help_text=gettext_lazy("De sex siffrorna i din autentiseringsapp, eller en av dina reservkoder."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "spellcheck": "false"}),
    )


class EnrolForm(AccessibleForm):
    code = forms.CharField(
        label=gettext_lazy("Kod från appen"),
        max_length=16,
        help_text=gettext_lazy("De sex siffror som appen visar när du har lagt till kontot."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    allowed = {request.get_host()}
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts=allowed, require_https=request.is_secure()):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, request) -> str:
    return f"{reverse(name)}?{urlencode({'next': _next_url(request)})}"


@require_http_methods(["GET", "POST"])
@login_required
def second_factor(request):
    """The code after the password. Wrong codes count towards the lockout like wrong passwords."""
    user = request.user
    if strong_auth.is_strong(request):
        return redirect(_next_url(request))
    if not strong_auth.has_second_factor(user):
        return redirect(_with_next("totp-enrol", request))
    if is_locked_out(request, email=user.email):
        logout(request)
        return lockout_response(request, credentials={"username": user.email})
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = strong_auth.second_factor_verify(request=request, user=user, code=form.cleaned_data["code"])
        if device is not None:
            strong_auth.strong_session_start(request=request, user=user, device=device)
            if strong_auth.recovery_codes_left(user) <= 2:
                messages.warning(request, _("Du har få reservkoder kvar. Skapa nya under Säkerhet."))
            return redirect(_next_url(request))
        if getattr(request, "axes_locked_out", False):
            logout(request)
            return lockout_response(request, credentials={"username": user.email})
        form.add_error(
            "code", _("Koden stämmer inte. Skriv koden som appen visar just nu, eller en oanvänd reservkod.")
        )
    return render(request, "accounts/second_factor.html", {"form": form, "next": _next_url(request)})


def _qr_data_uri(text: str) -> str:
    svg = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=2).to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


@require_http_methods(["GET", "POST"])
@login_required
def totp_enrol(request):
    """At the first sign-in (or after the app was removed): add the account to an authenticator app, by its QR
    code or by typing the key, and confirm with a code. Only for a person without a confirmed app: a password
    alone never replaces someone's second factor."""
    user = request.user
    if strong_auth.has_second_factor(user):
        return redirect(_with_next("second-factor", request))
    device = strong_auth.totp_enrolment_start(user=user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = strong_auth.totp_enrolment_confirm(request=request, user=user, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": _next_url(request), "enrolled": True},
            )
    key = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/totp_enrol.html",
        {
            "form": form,
            "next": _next_url(request),
            "qr": _qr_data_uri(device.config_url),
            "key_groups": [key[i : i + 4] for i in range(0, len(key), 4)],
            "key": key,
            "issuer": settings.OTP_TOTP_ISSUER,
        },
    )


@require_http_methods(["GET"])
@login_required
def account_security(request):
    user = request.user
    return render(
        request,
        "accounts/security.html",
        {
            "device": strong_auth.confirmed_totp(user),
            "codes_left": strong_auth.recovery_codes_left(user),
            "tokens": user.api_tokens.count(),
            "idle_minutes": settings.SESSION_IDLE_MINUTES,
        },
    )


@require_POST
@login_required
def recovery_codes_renew(request):
    codes = strong_auth.recovery_codes_renew(request=request, user=request.user)
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": reverse("account-security")})


@require_POST
@login_required
def totp_replace(request):
    """Another authenticator app: the present one and the recovery codes are removed, and the session must be
    strengthened again by enrolling the new app."""
    strong_auth.second_factor_remove(request=request, user=request.user, acting_user=request.user)
    request.session[strong_auth.STRONG_AUTH_SESSION_KEY] = False
    return redirect(_with_next("totp-enrol", request))


@require_POST
@login_required
def sign_out_everywhere(request):
    strong_auth.sign_out_everywhere(request=request, user=request.user)
    logout(request)
    messages.success(request, _("Du är utloggad på alla enheter, och dina API-nycklar gäller inte längre."))
    return redirect("login")


# --- Password reset by e-mail ------------------------------------------------------------------------------------


class PasswordResetForm(AccessibleForm):
    email = forms.EmailField(
        label=gettext_lazy("E-postadress"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


@require_http_methods(["GET", "POST"])
def password_reset(request):
    """The same answer whether the address has an account or not: nothing tells who has one here."""
    form = PasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            password_reset_request(email=form.cleaned_data["email"])
        return redirect("password-reset-sent")
    return render(request, "registration/password_reset_form.html", {"form": form})


def password_reset_sent(request):
    return render(request, "registration/password_reset_sent.html")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's view and one-time token (it changes with the password and the last sign-in). The second factor
    stays: a new password does not replace it. Every session ends (the password is in their hash), and the API
    tokens end with them."""

    success_url = reverse_lazy("password-reset-complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        strong_auth.password_reset_record(request=self.request, user=form.user)
        return response


def password_reset_complete(request):
    return render(request, "registration/password_reset_complete.html")
