"""Pages of the wiring itself: the home pages, the unknown-host page and the invitation page."""

from django import forms
from django.contrib.auth import login
from django.contrib.auth.password_validation import password_validators_help_texts, validate_password
from django.core.exceptions import ValidationError
from django.db import connection
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from backa_platform.core.forms import AccessibleForm
from modules.accounts.models import User
from modules.accounts.services import AccountError, invitation_accept, invitation_for_token
from modules.casework.plan_views import my_actions_context
from modules.casework.views import staff_attention_context
from modules.identity.selectors import password_login_allowed
from modules.overview.views import today_context


def unknown_host(request):
    # Rendered without a tenant: no database access, no user, nothing about which hosts do exist.
    return render(request, "unknown_host.html", status=404)


def home(request):
    tenant = getattr(request, "tenant", None)
    if tenant is None or tenant.is_central:
        return render(request, "central/home.html", {"tenant": tenant})
    context = {"tenant": tenant}
    if request.user.is_authenticated:
        context.update(staff_attention_context(request))  # read and logged before the page is rendered
        context.update(my_actions_context(request))  # the same for the actions the user is responsible for
        logged = [row["child"].pk for row in context["attention_rows"]]
        context.update(today_context(request, logged_ids=logged))
    return render(request, "tenant/home.html", context)


class InvitationAcceptForm(AccessibleForm):
    password = forms.CharField(
        label=_("Nytt lösenord"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        max_length=128,
        strip=False,
    )
    password_again = forms.CharField(
        label=_("Upprepa lösenordet"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        max_length=128,
        strip=False,
    )

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation
        self.fields["password"].help_text = " ".join(password_validators_help_texts())

    def clean_password(self):
        # Django's password validators (length, common, numeric, too like the name or e-mail), so the page
        # says what is wrong with the password itself rather than only that the two differ.
        password = self.cleaned_data["password"]
        invitation = self.invitation
        user = User(email=invitation.email, full_name=invitation.full_name, role=invitation.role)
        validate_password(password, user=user)
        return password

    def clean(self):
        cleaned = super().clean()
        password, again = cleaned.get("password"), cleaned.get("password_again")
        # Compared only when both were given and the first one passed: otherwise its own message says it all.
        if password is not None and again is not None and password != again:
            self.add_error("password_again", _("Lösenorden är inte lika."))
        return cleaned


@require_http_methods(["GET", "POST"])
def invitation(request, token):
    invitation = invitation_for_token(token)
    if invitation is None:
        # Used, expired or never issued: one page for all (404), saying what to do, and nothing about which.
        return render(request, "registration/invitation_unusable.html", status=404)
    form = InvitationAcceptForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and connection.schema_name != "public" and not password_login_allowed():
        # Identity providers only (modules/identity): the invitation is accepted by signing in through one.
        return render(request, "registration/invitation.html", {"invitation": invitation, "token": token}, status=403)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(token=token, password=form.cleaned_data["password"])
        except (AccountError, ValidationError) as error:
            form.add_error("password", error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("home")
    return render(
        request,
        "registration/invitation.html",
        {"form": form, "invitation": invitation, "schema": connection.schema_name, "token": token},
    )
