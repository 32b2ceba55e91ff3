"""The public application form (central site) and the tenant's own onboarding checklist (tenant site)."""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from backa_platform.core.forms import form_submit
from modules.accounts import rules
from modules.accounts.decorators import rule_required
from modules.accounts.models import User
from modules.training.selectors import completion_by_role
from tenants.onboarding.forms import AgreementForm, ApplicationForm, ChecklistItemForm, GoLiveForm
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

    def submit(values):
        application = application_submit(**values)
        request.session[_RECEIPT_SESSION_KEY] = [*request.session.get(_RECEIPT_SESSION_KEY, []), application.pk]
        return application

    response = form_submit(
        request,
        form,
        submit,
        success_url=lambda application: reverse("onboarding-receipt", kwargs={"application_id": application.pk}),
    )
    if response:
        return response
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
    action = request.POST.get("action") if request.method == "POST" else None
    response = None
    if action == "item":
        item_form = ChecklistItemForm(request.POST)
        response = form_submit(
            request,
            item_form,
            lambda values: checklist_item_set(tenant=tenant, actor_name=_actor_name(user), **values),
            success_url="onboarding-checklist",
            success_message=_("Checklistan är uppdaterad."),
        )
    elif action == "go_live":
        go_live_form = GoLiveForm(request.POST)
        response = form_submit(
            request,
            go_live_form,
            lambda values: checklist_plan_go_live(
                tenant=tenant, planned_go_live=values["planned_go_live"], actor_name=_actor_name(user)
            ),
            success_url="onboarding-checklist",
            success_message=_("Planerad driftstart är sparad."),
        )
    elif action == "agreement":
        agreement_form = AgreementForm(request.POST, request.FILES)
        response = form_submit(
            request,
            agreement_form,
            lambda values: agreement_save(
                tenant=tenant,
                parties=values["parties"],
                signed_on=values["signed_on"],
                signatories=agreement_form.signatories(),
                document=values.get("document"),
                actor_name=_actor_name(user),
            ),
            success_url="onboarding-checklist",
            success_message=_("Överenskommelsen är sparad."),
        )
    if response:
        return response
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
            "training_figures": completion_by_role(),
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
