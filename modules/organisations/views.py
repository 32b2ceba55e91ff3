"""Organisations and units: local admins manage them (and see no child by that role)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from backa_platform.core.forms import AccessibleForm, form_submit
from modules.accounts.decorators import local_admin_required
from modules.organisations.models import Organisation, Unit
from modules.organisations.selectors import organisations_list
from modules.organisations.services import (
    organisation_close,
    organisation_create,
    organisation_delete,
    organisation_reopen,
    organisation_update,
    unit_close,
    unit_create,
    unit_delete,
    unit_history,
    unit_reopen,
    unit_update,
)


class OrganisationForm(AccessibleForm):
    prefix = "org"
    name = forms.CharField(label=gettext_lazy("Organisationens namn"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("Typ"), choices=Organisation.Kind.choices)


class UnitForm(AccessibleForm):
    prefix = "unit"
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"), queryset=Organisation.objects.filter(closed_at__isnull=True)
    )
    name = forms.CharField(label=gettext_lazy("Enhetens namn"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("Typ av enhet"), choices=Unit.Kind.choices)


class UnitEditForm(AccessibleForm):
    prefix = "unit"
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


def _lifecycle(request, action: str, services: dict, obj) -> bool:
    """Close, reopen or delete from the edit page: True when done (a message says so), False when refused."""
    try:
        services[action](request, obj)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    return True


@require_http_methods(["GET", "POST"])
@local_admin_required
def organisation_edit_page(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    form = OrganisationForm(
        request.POST if "org-name" in request.POST else None,
        initial={"name": organisation.name, "kind": organisation.kind},
    )
    action = request.POST.get("action")
    lifecycle = {
        "close": lambda r, o: organisation_close(organisation=o, acting_user=r.user, request=r),
        "reopen": lambda r, o: organisation_reopen(organisation=o, acting_user=r.user, request=r),
        "delete": lambda r, o: organisation_delete(organisation=o, acting_user=r.user, request=r),
    }
    if request.method == "POST" and action in lifecycle:
        if _lifecycle(request, action, lifecycle, organisation):
            messages.success(request, _("Sparat."))
            return redirect("organisations")
        return redirect("organisation-edit", pk=pk)
    response = form_submit(
        request,
        form,
        lambda values: organisation_update(
            organisation=organisation, acting_user=request.user, request=request, **values
        ),
        success_url="organisations",
        success_message=_("Sparat."),
        error_field="name",
    )
    return response or render(
        request,
        "organisations/edit.html",
        {"object": organisation, "form": form, "kind": "organisation", "history": None},
    )


@require_http_methods(["GET", "POST"])
@local_admin_required
def unit_edit_page(request, pk):
    unit = get_object_or_404(Unit.objects.select_related("organisation"), pk=pk)
    form = UnitEditForm(
        request.POST if "unit-name" in request.POST else None, initial={"name": unit.name, "kind": unit.kind}
    )
    action = request.POST.get("action")
    lifecycle = {
        "close": lambda r, u: unit_close(unit=u, acting_user=r.user, request=r),
        "reopen": lambda r, u: unit_reopen(unit=u, acting_user=r.user, request=r),
        "delete": lambda r, u: unit_delete(unit=u, acting_user=r.user, request=r),
    }
    if request.method == "POST" and action in lifecycle:
        if _lifecycle(request, action, lifecycle, unit):
            messages.success(request, _("Sparat."))
            return redirect("organisations")
        return redirect("unit-edit", pk=pk)
    response = form_submit(
        request,
        form,
        lambda values: unit_update(unit=unit, acting_user=request.user, request=request, **values),
        success_url="organisations",
        success_message=_("Sparat."),
        error_field="name",
    )
    return response or render(
        request,
        "organisations/edit.html",
        {"object": unit, "form": form, "kind": "unit", "history": unit_history(unit)},
    )
