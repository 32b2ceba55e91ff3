"""Sign-in with a password (its second step is in two_factor_views.py), and the staff pages for local admins:
invite into a unit with a role, deactivate."""

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language

from backa_platform.core.forms import AccessibleForm, form_submit
from modules.accounts.decorators import local_admin_required
from modules.accounts.models import User
from modules.accounts.selectors import staff_of_site
from modules.accounts.services import STAFF_ROLES, staff_invite, user_deactivate, user_language_set
from modules.organisations.models import Unit


class SignInForm(AuthenticationForm):
    def clean_username(self):
        # Accounts are kept in lower case; the lockout counts one account however its address is typed.
        return (self.cleaned_data.get("username") or "").strip().lower()


class SignInView(auth_views.LoginView):
    """The password step. A correct password signs the person in, but the session is not strongly authenticated
    until the second factor (two_factor_views.py): until then it reaches nothing but the sign-in steps
    (middleware.StrongAuthMiddleware). A locked-out account or address gets django-axes' answer
    (lockout.lockout_response), which says when to try again."""

    form_class = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        next_url = self.get_success_url()
        super().form_valid(form)
        return redirect(f"{reverse('second-factor')}?{urlencode({'next': next_url})}")


class InviteForm(AccessibleForm):
    full_name = forms.CharField(label=gettext_lazy("Namn"), max_length=200)
    email = forms.EmailField(label=gettext_lazy("E-postadress"))
    role = forms.ChoiceField(label=gettext_lazy("Roll"), choices=[(r.value, r.label) for r in STAFF_ROLES])
    unit = forms.ModelChoiceField(label=gettext_lazy("Enhet"), queryset=Unit.objects.select_related("organisation"))


@require_http_methods(["GET", "POST"])
@local_admin_required
def staff_page(request):
    form = InviteForm(request.POST or None)
    response = form_submit(
        request,
        form,
        lambda values: staff_invite(acting_user=request.user, **values),
        success_url="staff",
        success_message=lambda _invitation: (
            _("Inbjudan skickas till %(email)s.") % {"email": form.cleaned_data["email"]}
        ),
        error_field="email",
    )
    if response:
        return response
    return render(request, "accounts/staff.html", {"staff": staff_of_site(), "form": form})


@require_POST
@local_admin_required
def staff_deactivate_page(request, user_id):
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise Http404
    try:
        user_deactivate(user=user, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s är inaktiverad.") % {"name": user.full_name})
    return redirect("staff")


@require_POST
@local_admin_required
def staff_second_factor_reset_page(request, user_id):
    """A colleague lost both the phone and the recovery codes: their authenticator is removed and every session of
    theirs ends; their next sign-in (password) enrols a new one."""
    from modules.accounts.strong_auth import second_factor_remove, sign_out_everywhere

    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise Http404
    second_factor_remove(request=request, user=user, acting_user=request.user)
    sign_out_everywhere(request=request, user=user, acting_user=request.user)
    messages.success(
        request,
        _("Tvåstegsverifieringen för %(name)s är borttagen. Vid nästa inloggning lägger hen till en ny app.")
        % {"name": user.full_name},
    )
    return redirect("staff")


def language_set(request):
    """Django's set_language (the cookie and the redirect), and for a signed-in user the choice kept on the
    account: mail to them is written in it."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.method == "POST" and request.user.is_authenticated and language in dict(settings.LANGUAGES):
        user_language_set(user=request.user, language=language)
    return response
