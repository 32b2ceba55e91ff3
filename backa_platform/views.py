"""Pages of the wiring itself: the home pages, the unknown-host page and the invitation page."""

from django import forms
from django.contrib.auth import login
from django.db import connection
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from modules.accounts.services import AccountError, invitation_accept, invitation_for_token


def unknown_host(request):
    # Rendered without a tenant: no database access, no user, nothing about which hosts do exist.
    return render(request, "unknown_host.html", status=404)


def home(request):
    tenant = getattr(request, "tenant", None)
    template = "central/home.html" if tenant is None or tenant.is_central else "tenant/home.html"
    return render(request, template, {"tenant": tenant})


class InvitationAcceptForm(forms.Form):
    password = forms.CharField(label=_("Nytt lösenord"), widget=forms.PasswordInput, min_length=12)
    password_again = forms.CharField(label=_("Upprepa lösenordet"), widget=forms.PasswordInput)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password") != cleaned.get("password_again"):
            self.add_error("password_again", _("Lösenorden är inte lika."))
        return cleaned


@require_http_methods(["GET", "POST"])
def invitation(request, token):
    invitation = invitation_for_token(token)
    if invitation is None:
        raise Http404(_("Länken är ogiltig, har redan använts eller har gått ut."))
    form = InvitationAcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(token=token, password=form.cleaned_data["password"])
        except AccountError as error:
            form.add_error("password", error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("home")
    return render(
        request,
        "registration/invitation.html",
        {"form": form, "invitation": invitation, "schema": connection.schema_name},
    )
