"""Consent pages, through the one child permission (Barnkontakt and Stödsamordnare record and withdraw)."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from backa_platform.core.forms import AccessibleForm, form_page
from backa_platform.core.validators import LONG_TEXT_MAX_LENGTH
from modules.children.permissions import MANAGE, child_view
from modules.consent.models import Consent
from modules.consent.services import consent_record, consent_withdraw
from modules.organisations.models import Organisation


class ConsentForm(AccessibleForm):
    given_by_guardian = forms.ModelChoiceField(
        label=gettext_lazy("Vårdnadshavare som gav samtycket"), queryset=None, required=False
    )
    given_by_child = forms.BooleanField(label=gettext_lazy("Barnet har själv samtyckt"), required=False)
    given_on = forms.DateField(
        label=gettext_lazy("Datum då samtycket gavs"), widget=forms.DateInput(attrs={"type": "date"})
    )
    organisations = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Organisationer som omfattas"),
        queryset=Organisation.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    purpose = forms.CharField(
        label=gettext_lazy("Syfte"), widget=forms.Textarea(attrs={"rows": 3}), max_length=LONG_TEXT_MAX_LENGTH
    )
    valid_until = forms.DateField(
        label=gettext_lazy("Gäller till och med"), widget=forms.DateInput(attrs={"type": "date"})
    )
    method = forms.ChoiceField(label=gettext_lazy("Hur samtycket gavs"), choices=Consent.Method.choices)

    def __init__(self, *args, child, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["given_by_guardian"].queryset = child.guardians.all()

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("given_by_guardian") and not cleaned.get("given_by_child"):
            self.add_error("given_by_guardian", _("Ange vem som gav samtycket: en vårdnadshavare eller barnet."))
        if cleaned.get("given_on") and cleaned.get("valid_until") and cleaned["valid_until"] < cleaned["given_on"]:
            self.add_error("valid_until", _("Slutdatumet kan inte ligga före datumet då samtycket gavs."))
        if cleaned.get("given_on") and cleaned["given_on"] > timezone.localdate():
            self.add_error("given_on", _("Ett samtycke kan inte registreras innan det har getts."))
        return cleaned


class WithdrawForm(AccessibleForm):
    reason = forms.CharField(
        label=gettext_lazy("Anledning (frivilligt)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=LONG_TEXT_MAX_LENGTH,
    )


@login_required
@require_http_methods(["GET", "POST"])
@child_view(MANAGE)
def consent_new(request, child):
    form = ConsentForm(request.POST or None, child=child)
    return form_page(
        request,
        form,
        lambda values: consent_record(child=child, acting_user=request.user, request=request, **values),
        success_url=reverse("child-detail", kwargs={"child_id": child.pk}),
        success_message=_("Samtycket är registrerat."),
        page={
            "heading": _("Registrera samtycke för %(name)s") % {"name": child.full_name},
            "submit_label": _("Registrera samtycke"),
            "back_url": f"/barn/{child.pk}/",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@child_view(MANAGE)
def consent_withdraw_page(request, child, consent_id):
    consent = child.consents.filter(pk=consent_id).first()
    if consent is None:
        raise Http404
    form = WithdrawForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda values: consent_withdraw(
            consent=consent, acting_user=request.user, reason=values["reason"], request=request
        ),
        success_url=reverse("child-detail", kwargs={"child_id": child.pk}),
        success_message=_("Samtycket är återkallat. Åtkomst som vilade på det har upphört."),
        page={
            "heading": _("Återkalla samtycke för %(name)s") % {"name": child.full_name},
            "intro": _("Åtkomst för organisationer som bara omfattades av detta samtycke upphör direkt."),
            "submit_label": _("Återkalla samtycket"),
            "back_url": f"/barn/{child.pk}/",
        },
    )
