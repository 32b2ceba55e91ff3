"""The public application form (central site) and the tenant's own onboarding checklist (tenant site)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from modules.accounts import rules
from modules.accounts.decorators import rule_required
from modules.accounts.models import User
from tenants.onboarding.forms import AgreementForm, ApplicationForm, ChecklistItemForm, GoLiveForm, add_errors
from tenants.onboarding.models import Application, ChecklistItem
from tenants.onboarding.selectors import checklist_view
from tenants.onboarding.services import (
    agreement_open,
    agreement_save,
    application_submit,
    checklist_item_set,
    checklist_plan_go_live,
)

_RECEIPT_SESSION_KEY = "onboarding_application_ids"


@require_http_methods(["GET", "POST"])
def apply(request):
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = application_submit(**form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            request.session[_RECEIPT_SESSION_KEY] = [*request.session.get(_RECEIPT_SESSION_KEY, []), application.pk]
            return redirect("onboarding-receipt", application_id=application.pk)
    return render(request, "onboarding/apply.html", {"form": form}, status=400 if form.errors else 200)


def receipt(request, application_id: int):
    # Only the browser that sent the application sees its receipt.
    if application_id not in request.session.get(_RECEIPT_SESSION_KEY, []):
        raise PermissionDenied
    application = get_object_or_404(Application, pk=application_id)
    return render(request, "onboarding/receipt.html", {"application": application})


def _actor_name(user: User) -> str:
    return f"{user.full_name} ({user.get_role_display()}, {user.email})"


@rule_required(rules.is_local_admin, site=rules.TENANT)
@require_http_methods(["GET", "POST"])
def tenant_checklist(request):
    """The tenant's own checklist, for its local admins: reads and writes its own rows in public."""
    user = request.user
    tenant = request.tenant
    item_form, go_live_form, agreement_form = ChecklistItemForm(), GoLiveForm(), AgreementForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "item":
                item_form = ChecklistItemForm(request.POST)
                if item_form.is_valid():
                    checklist_item_set(tenant=tenant, actor_name=_actor_name(user), **item_form.cleaned_data)
                    messages.success(request, _("Checklistan är uppdaterad."))
                    return redirect("onboarding-checklist")
            elif action == "go_live":
                go_live_form = GoLiveForm(request.POST)
                if go_live_form.is_valid():
                    checklist_plan_go_live(
                        tenant=tenant,
                        planned_go_live=go_live_form.cleaned_data["planned_go_live"],
                        actor_name=_actor_name(user),
                    )
                    messages.success(request, _("Planerad driftstart är sparad."))
                    return redirect("onboarding-checklist")
            elif action == "agreement":
                agreement_form = AgreementForm(request.POST, request.FILES)
                if agreement_form.is_valid():
                    agreement_save(
                        tenant=tenant,
                        parties=agreement_form.cleaned_data["parties"],
                        signed_on=agreement_form.cleaned_data["signed_on"],
                        signatories=agreement_form.signatories(),
                        document=agreement_form.cleaned_data.get("document"),
                        actor_name=_actor_name(user),
                    )
                    messages.success(request, _("Överenskommelsen är sparad."))
                    return redirect("onboarding-checklist")
        except ValidationError as error:
            target = {"item": item_form, "go_live": go_live_form, "agreement": agreement_form}.get(action, item_form)
            add_errors(target, error)
    view = checklist_view(tenant=tenant)
    return render(
        request,
        "onboarding/checklist.html",
        {
            "view": view,
            "item_form": item_form,
            "go_live_form": go_live_form,
            "agreement_form": agreement_form,
            "states": ChecklistItem.State.choices,
        },
        status=400 if (item_form.errors or go_live_form.errors or agreement_form.errors) else 200,
    )


def attachment(opened) -> FileResponse:
    """The file as a download with its name and content type; never cached (an export holds personal data)."""
    if opened is None:
        raise Http404
    handle, name, content_type = opened
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["Cache-Control"] = "no-store"
    return response


@rule_required(rules.is_local_admin, site=rules.TENANT)
@require_http_methods(["GET"])
def agreement_download(request):
    """The tenant's own signed överenskommelse, for its local admins."""
    user = request.user
    return attachment(agreement_open(tenant=request.tenant, actor_name=_actor_name(user)))
