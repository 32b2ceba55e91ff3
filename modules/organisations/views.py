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


def _edit_page(request, obj, *, form, kind: str, edit_url: str, lifecycle: dict, update, history):
    """An organisation's or a unit's edit page: its name and kind (``update``), or close, reopen or delete it
    (``lifecycle``, by the posted action; refused with the service's message)."""
    action = request.POST.get("action")
    if request.method == "POST" and action in lifecycle:
        try:
            lifecycle[action](obj=obj, acting_user=request.user, request=request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(edit_url, pk=obj.pk)
        messages.success(request, _("Sparat."))
        return redirect("organisations")
    response = form_submit(
        request,
        form,
        lambda values: update(obj=obj, acting_user=request.user, request=request, **values),
        success_url="organisations",
        success_message=_("Sparat."),
        error_field="name",
    )
    return response or render(
        request, "organisations/edit.html", {"object": obj, "form": form, "kind": kind, "history": history}
    )


@require_http_methods(["GET", "POST"])
@local_admin_required
def organisation_edit_page(request, pk):
    organisation = get_object_or_404(Organisation, pk=pk)
    form = OrganisationForm(
        request.POST if "org-name" in request.POST else None,
        initial={"name": organisation.name, "kind": organisation.kind},
    )
    return _edit_page(
        request,
        organisation,
        form=form,
        kind="organisation",
        edit_url="organisation-edit",
        lifecycle={
            "close": lambda obj, **kw: organisation_close(organisation=obj, **kw),
            "reopen": lambda obj, **kw: organisation_reopen(organisation=obj, **kw),
            "delete": lambda obj, **kw: organisation_delete(organisation=obj, **kw),
        },
        update=lambda obj, **kw: organisation_update(organisation=obj, **kw),
        history=None,
    )


@require_http_methods(["GET", "POST"])
@local_admin_required
def unit_edit_page(request, pk):
    unit = get_object_or_404(Unit.objects.select_related("organisation"), pk=pk)
    form = UnitEditForm(
        request.POST if "unit-name" in request.POST else None, initial={"name": unit.name, "kind": unit.kind}
    )
    return _edit_page(
        request,
        unit,
        form=form,
        kind="unit",
        edit_url="unit-edit",
        lifecycle={
            "close": lambda obj, **kw: unit_close(unit=obj, **kw),
            "reopen": lambda obj, **kw: unit_reopen(unit=obj, **kw),
            "delete": lambda obj, **kw: unit_delete(unit=obj, **kw),
        },
        update=lambda obj, **kw: unit_update(unit=obj, **kw),
        history=unit_history(unit),
    )
