"""Staff pages for local admins: invite into a unit with a role, deactivate."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language

from backa_platform.core.forms import AccessibleForm, form_page, form_submit
from modules.accounts.decorators import local_admin_required
from modules.accounts.models import User
from modules.accounts.selectors import staff_of_site
from modules.accounts.services import (
    STAFF_ROLES,
    staff_invite,
    user_deactivate,
    user_language_set,
    user_phone_set,
)
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


class PhoneForm(AccessibleForm):
    phone = forms.CharField(
        label=gettext_lazy("Telefon i tjänsten"),
        max_length=30,
        required=False,
        help_text=gettext_lazy("Skrivs ut med ditt namn i Barnets plan för familjen."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_phone_page(request):
    """The signed-in person's work phone, shown to families on the documents they are given."""
    form = PhoneForm(request.POST or None, initial={"phone": request.user.phone})
    return form_page(
        request,
        form,
        lambda values: user_phone_set(user=request.user, phone=values["phone"]),
        success_url=request.GET.get("next")
        if url_has_allowed_host_and_scheme(request.GET.get("next"), allowed_hosts={request.get_host()})
        else "my-phone",
        success_message=_("Ditt telefonnummer är sparat."),
        page={"heading": _("Mitt telefonnummer"), "submit_label": _("Spara"), "back_url": "/"},
    )


def language_set(request):
    """Django's set_language (the cookie and the redirect), and for a signed-in user the choice kept on the
    account: mail to them is written in it."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.method == "POST" and request.user.is_authenticated and language in dict(settings.LANGUAGES):
        user_language_set(user=request.user, language=language)
    return response
