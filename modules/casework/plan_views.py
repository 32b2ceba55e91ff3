"""Pages of Barnets plan over time: edit and end goals and actions (with a reason), follow up, revise,
record the family's agreement, read an earlier version; the plan and the registerutdrag as PDFs; the
documents' settings (local admins). Every child page goes through ``child_view`` (404 and a logged read)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from backa_platform.core.forms import form_submit
from modules.accounts.decorators import rule_required
from modules.accounts.rules import is_local_admin
from modules.audit.services import audit_record, audit_record_children
from modules.casework import plan_forms, plan_services
from modules.casework.models import DocumentSetting
from modules.casework.plan_selectors import (
    ACTION_STATUS_LABELS,
    actions_responsible,
    review_suggestion,
    review_weeks,
)
from modules.casework.selectors import plan_of
from modules.casework.views import _child_form
from modules.children.permissions import FULL, child_view


def my_actions_context(request) -> dict:
    """The start page's "Dina insatser": the actions the user is responsible for, each child a logged read."""
    today = timezone.localdate()
    actions = list(actions_responsible(user=request.user, today=today)[:100])
    audit_record_children(
        acting_user=request.user,
        action="list",
        child_ids=sorted({action.plan.child_id for action in actions}),
        request=request,
    )
    for action in actions:
        action.is_overdue = action.due_on < today
    return {"my_actions": actions}


def _process_url(child) -> str:
    return reverse("casework-process", kwargs={"child_id": child.pk})


def _plan(child):
    plan = plan_of(child=child)
    if plan is None:
        raise Http404
    return plan


def _goal(plan, goal_id):
    goal = plan.goals.filter(pk=goal_id).first()
    if goal is None:
        raise Http404
    return goal


def _action(plan, action_id):
    action = plan.actions.filter(pk=action_id).select_related("responsible_user", "responsible_unit").first()
    if action is None:
        raise Http404
    return action


@login_required
@require_http_methods(["GET", "POST"])
@child_view(FULL)
def goal_edit_page(request, child, goal_id):
    goal = _goal(_plan(child), goal_id)
    form = plan_forms.GoalEditForm(request.POST or None, goal=goal)
    return _child_form(
        request,
        child,
        form,
        lambda values: plan_services.goal_edit(goal=goal, acting_user=request.user, request=request, **values),
        success_message=_("Målet är ändrat."),
        heading=_("Ändra ett mål för %(name)s"),
        submit_label=_("Spara"),
    )


@login_required
@require_http_methods(["GET", "POST"])
@child_view(FULL)
def goal_end_page(request, child, goal_id):
    goal = _goal(_plan(child), goal_id)
    form = plan_forms.EndForm(request.POST or None)
    return _child_form(
        request,
        child,
        form,
        lambda values: plan_services.goal_end(goal=goal, acting_user=request.user, request=request, **values),
        success_message=_("Målet är avslutat."),
        heading=_("Avsluta ett mål för %(name)s"),
        submit_label=_("Avsluta målet"),
        intro=goal.text,
    )


@login_required
@require_http_methods(["GET", "POST"])
@child_view(FULL)
def action_edit_page(request, child, action_id):
    plan = _plan(child)
    action = _action(plan, action_id)
    form = plan_forms.ActionForm(request.POST or None, plan=plan, action=action)
    return _child_form(
        request,
        child,
        form,
        lambda values: plan_services.action_edit(
            action=action, acting_user=request.user, request=request, **form.values()
        ),
        success_message=_("Insatsen är ändrad."),
        heading=_("Ändra en insats för %(name)s"),
        submit_label=_("Spara"),
    )


@login_required
@require_http_methods(["GET", "POST"])
@child_view(FULL)
def action_end_page(request, child, action_id):
    action = _action(_plan(child), action_id)
    form = plan_forms.EndForm(request.POST or None)
    return _child_form(
        request,
        child,
        form,
        lambda values: plan_services.action_end(action=action, acting_user=request.user, request=request, **values),
        success_message=_("Insatsen är avslutad."),
        heading=_("Avsluta en insats för %(name)s"),
        submit_label=_("Avsluta insatsen"),
        intro=action.what,
    )


@login_required
@require_http_methods(["GET", "POST"])
@child_view(FULL)
def follow_up_page(request, child):
    plan = _plan(child)
    form = plan_forms.FollowUpForm(
        request.POST or None, plan=plan, suggested=review_suggestion(plan=plan), weeks=review_weeks(child=child)
    )
    return _child_form(
        request,
        child,
        form,
        lambda values: plan_services.plan_follow_up(
            plan=plan,
            acting_user=request.user,
            held_on=values["held_on"],
            outcomes=form.outcomes(),
            next_review_on=values["next_review_on"],
            note=values["note"],
            request=request,
        ),
        success_message=_("Uppföljningen är sparad och nästa uppföljning inlagd."),
        heading=_("Följ upp Barnets plan för %(name)s"),
        submit_label=_("Spara uppföljningen"),
        intro=_("Ange utfallet för varje pågående mål och när planen följs upp nästa gång."),
    )


@login_required
@require_http_methods(["GET", "POST"])
@child_view(FULL)
def revise_page(request, child):
    plan = _plan(child)
    form = plan_forms.ReviseForm(request.POST or None)
    return _child_form(
        request,
        child,
        form,
        lambda values: plan_services.plan_revise(plan=plan, acting_user=request.user, request=request, **values),
        success_message=lambda plan: (
            _("Planen är nu version %(version)s och behöver godkännas.") % {"version": plan.version}
        ),
        heading=_("Revidera Barnets plan för %(name)s"),
        submit_label=_("Revidera planen"),
        intro=_(
            "Planen som den är nu sparas som version %(version)s och går att läsa efteråt. Den nya "
            "versionen behöver vårdnadshavarnas godkännande."
        )
        % {"version": plan.version},
    )


@login_required
@require_http_methods(["GET", "POST"])
@child_view(FULL)
def agreement_page(request, child):
    plan = _plan(child)
    form = plan_forms.AgreementForm(request.POST or None, child=child)
    return _child_form(
        request,
        child,
        form,
        lambda values: plan_services.plan_agreement_record(
            plan=plan, acting_user=request.user, request=request, **form.values()
        ),
        success_message=_("Godkännandet är registrerat."),
        heading=_("Registrera godkännande av Barnets plan för %(name)s"),
        submit_label=_("Registrera godkännandet"),
        intro=_("Godkännandet gäller planen som den är nu (version %(version)s).") % {"version": plan.version},
    )


@login_required
@child_view(FULL)
def version_page(request, child, number):
    plan = _plan(child)
    version = plan.versions.filter(number=number).select_related("superseded_by").first()
    if version is None:
        raise Http404
    return render(
        request,
        "casework/plan_version.html",
        {"child": child, "plan": plan, "version": version, "content": version.content, "labels": ACTION_STATUS_LABELS},
    )


def _language(request) -> str:
    form = plan_forms.PdfLanguageForm(request.GET)
    return (form.cleaned_data.get("sprak") if form.is_valid() else "") or "sv"


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@child_view(FULL)
def plan_pdf_page(request, child):
    from modules.casework.plan_documents import plan_pdf

    # The read is logged by child_view; handing the plan out of the system is logged as an export too.
    audit_record(
        acting_user=request.user, action="export", child=child, object_type="casework.plan_pdf", request=request
    )
    return _pdf(plan_pdf(child=child, language=_language(request)), f"barnets-plan-{child.pk}.pdf")


@login_required
@child_view(FULL)
def register_extract_pdf_page(request, child):
    from modules.casework.plan_documents import register_extract_pdf

    audit_record(
        acting_user=request.user, action="export", child=child, object_type="casework.register_pdf", request=request
    )
    return _pdf(register_extract_pdf(child=child, language=_language(request)), f"registerutdrag-{child.pk}.pdf")


@rule_required(is_local_admin, denied=Http404)
@require_http_methods(["GET", "POST"])
def document_settings_page(request):
    """The municipality's name and logo on documents for families; local admins only."""
    setting = DocumentSetting.objects.first()
    form = plan_forms.DocumentSettingForm(
        request.POST or None,
        request.FILES or None,
        initial={
            "municipality_name": setting.municipality_name if setting else request.tenant.name,
            "phone": setting.phone if setting else "",
        },
    )
    response = form_submit(
        request,
        form,
        lambda values: plan_services.document_setting_set(
            municipality_name=values["municipality_name"],
            phone=values["phone"],
            logo=values["logo"].read() if values["logo"] else None,
            remove_logo=values["remove_logo"],
            acting_user=request.user,
        ),
        success_url=reverse("casework-document-settings"),
        success_message=_("Inställningarna för dokument är sparade."),
    )
    return response or render(
        request,
        "casework/form_page.html",
        {
            "form": form,
            "heading": _("Dokument till familjer"),
            "intro": _("Kommunens namn och logotyp överst i Barnets plan och registerutdraget.")
            + (" " + _("En logotyp finns uppladdad.") if setting and setting.logo_png else ""),
            "submit_label": _("Spara"),
            "back_url": "/",
        },
    )
