"""Organisations and units: local admins manage them (and see no child by that role)."""

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from backa_platform.core.forms import AccessibleForm, form_submit
from modules.accounts.decorators import local_admin_required
from modules.organisations.models import Organisation, Unit
from modules.organisations.selectors import organisations_list
from modules.organisations.services import organisation_create, unit_create


class OrganisationForm(AccessibleForm):
    prefix = "org"
    name = forms.CharField(label=gettext_lazy("Organisationens namn"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("Typ"), choices=Organisation.Kind.choices)


class UnitForm(AccessibleForm):
    prefix = "unit"
    organisation = forms.ModelChoiceField(label=gettext_lazy("Organisation"), queryset=Organisation.objects.all())
    name = forms.CharField(label=gettext_lazy("Enhetens namn"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("Typ av enhet"), choices=Unit.Kind.choices)


@require_http_methods(["GET", "POST"])
@local_admin_required
def organisations_page(request):
    org_form = OrganisationForm(request.POST if "org-name" in request.POST else None)
    unit_form = UnitForm(request.POST if "unit-name" in request.POST else None)
    for form, service in ((org_form, organisation_create), (unit_form, unit_create)):
        if not form.is_bound:
            continue
        response = form_submit(
            request,
            form,
            lambda values, service=service: service(**values, acting_user=request.user, request=request),
            success_url="organisations",
            success_message=_("Sparat."),
            error_field="name",
        )
        if response:
            return response
    return render(
        request,
        "organisations/list.html",
        {"organisations": organisations_list(), "org_form": org_form, "unit_form": unit_form},
    )
