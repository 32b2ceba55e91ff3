"""Staff pages for local admins: invite into a unit with a role, deactivate."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
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
    from modules.identity.selectors import bindings_by_user

    return render(
        request,
        "accounts/staff.html",
        {"staff": staff_of_site(), "form": form, "bindings": bindings_by_user()},
    )


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


def language_set(request):
    """Django's set_language (the cookie and the redirect), and for a signed-in user the choice kept on the
    account: mail to them is written in it."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.method == "POST" and request.user.is_authenticated and language in dict(settings.LANGUAGES):
        user_language_set(user=request.user, language=language)
    return response
