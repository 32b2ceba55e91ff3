"""Pages of the process for one child. Every page goes through ``child_view`` (the one permission), which
answers 404 for a child one may not see and logs the read."""

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from backa_platform.core.forms import form_page, form_submit
from modules.accounts.decorators import rule_required
from modules.accounts.rules import is_local_admin
from modules.audit.services import audit_record_children
from modules.casework import forms as casework_forms
from modules.casework import services
from modules.casework.charts import radar
from modules.casework.models import Action
from modules.casework.plan_selectors import plan_context
from modules.casework.selectors import (
    assessments_of,
    attention_for,
    compass_over_time,
    concerns_of,
    plan_of,
    practitioner_questions,
    release_items,
)
from modules.children.permissions import ANY, CONCERN, FULL, MANAGE, child_for, child_view
from modules.children.selectors import current_child_contact, has_full_access
from modules.model_config.models import ModelItem
from modules.model_config.selectors import installed_release_current


def _names(release, kind) -> dict:
    return {item.key: item.name for item in release_items(release=release, kind=kind)} if release else {}


def staff_attention_context(request) -> dict:
    """The start page's "Dina barn", read and logged by the start page's view before it renders: each child
    named is a logged read (a list), its one INSERT committed before any of it is shown."""
    rows = attention_for(user=request.user)
    audit_record_children(
        acting_user=request.user, action="list", child_ids=[row["child"].pk for row in rows], request=request
    )
    return {"attention_rows": rows}


def process_context(child) -> dict:
    """What the child's page shows of the process: concerns, the compass over time, the plan."""
    today = timezone.localdate()
    from modules.casework.perspectives import compass_by_perspective

    compass = compass_over_time(child=child)
    perspectives = compass_by_perspective(child=child)
    plan = plan_of(child=child)
    assessments = list(assessments_of(child=child))
    latest = assessments[-1] if assessments else None
    area_names = _names(plan.release if plan else (latest.release if latest else None), ModelItem.Kind.AREA)
    concerns = list(concerns_of(child=child))
    return {
        "concerns": concerns,
        "unacknowledged": [concern for concern in concerns if concern.acknowledged_at is None],
        "compass": compass,
        "chart": radar(compass) if compass else None,
        "perspectives": perspectives,
        "perspective_chart": radar(perspectives) if perspectives else None,
        "assessments": assessments,
        "latest": latest,
        "support_level_names": _names(latest.release, ModelItem.Kind.SUPPORT_LEVEL) if latest else {},
        "plan": plan,
        "goals": plan.goals.all() if plan else [],
        "actions": plan.actions.select_related("goal", "responsible_user", "responsible_unit") if plan else [],
        "area_names": area_names,
        "today": today,
        "review_overdue": bool(plan and plan.next_review_on < today),
        "closure": getattr(child, "closure", None),
        "meetings": child.meetings.prefetch_related("staff", "decisions").order_by("-starts_at"),
        **plan_context(plan),
    }


def _with_acknowledge_forms(request, child, concerns, *, bound=None) -> None:
    """Each open concern routed to the user carries its acknowledgement form (naming a Barnkontakt when the
    child has none); ``bound`` is a posted form shown again with its errors."""
    needs_child_contact = current_child_contact(child=child) is None
    for concern in concerns:
        if concern.acknowledged_at is None and concern.routed_to_id == request.user.pk:
            if bound is not None and bound.prefix == f"concern-{concern.pk}":
                concern.acknowledge_form = bound
            else:
                concern.acknowledge_form = casework_forms.ConcernAcknowledgeForm(
                    concern_id=concern.pk, needs_child_contact=needs_child_contact
                )


def _process_response(request, child, *, bound=None, status=200):
    if has_full_access(child):
        context = {"child": child, **process_context(child)}
    else:
        # The recipient of a routed concern: the concerns waiting for them, nothing else of the record.
        release = installed_release_current()
        context = {
            "child": child,
            "concerns": list(concerns_of(child=child).filter(routed_to=request.user, acknowledged_at__isnull=True)),
            "area_names": _names(release, ModelItem.Kind.AREA),
        }
    _with_acknowledge_forms(request, child, context["concerns"], bound=bound)
    template = "casework/process.html" if has_full_access(child) else "casework/process_concern.html"
    return render(request, template, context, status=status)


@login_required
@child_view(CONCERN)
def process_page(request, child):
    return _process_response(request, child)


def _form_page(request, child, form, *, heading, submit_label, intro="", questions=None):
    return render(
        request,
        "casework/form_page.html",
        {
            "form": form,
            "heading": heading % {"name": child.full_name},
            "submit_label": submit_label,
            "intro": intro,
            "questions": questions or [],
            "back_url": f"/barn/{child.pk}/process/",
        },
    )


def _child_form(request, child, form, submit, *, success_message, success_url=None, **page):
    """A casework form about one child: ``submit`` with the valid values (back to the process page, or
    ``success_url``), else the one form page again with the errors (``page``: heading, submit_label, intro)."""
    response = form_submit(
        request, form, submit, success_url=success_url or _process_url(child), success_message=success_message
    )
    return response or _form_page(request, child, form, **page)


def _process_url(child) -> str:
    return reverse("casework-process", kwargs={"child_id": child.pk})


@login_required
@require_http_methods(["GET", "POST"])
@child_view(ANY)
def concern_page(request, child):
    release = installed_release_current()
    form = casework_forms.ConcernForm(request.POST or None, release=release)
    response = form_submit(
        request,
        form,
        lambda values: services.concern_raise(
            child=child,
            raised_by=request.user,
            description=values["description"],
            area_keys=values["area_keys"],
            urgency=values["urgency"],
            guardians_informed={"yes": True, "no": False}.get(values["guardians_informed"]),
            request=request,
        ),
        success_url=reverse("child-detail", kwargs={"child_id": child.pk}),
        success_message=_("Din oro är skickad till barnkontakten."),
    )
    if response:
        return response
    return _form_page(
        request,
        child,
        form,
        heading=_("Uppmärksamma en oro om %(name)s"),
        submit_label=_("Skicka till barnkontakten"),
        questions=practitioner_questions(),
    )


@login_required
@require_POST
@child_view(CONCERN)
def concern_acknowledge_page(request, child, concern_id):
    concern = child.concerns.filter(pk=concern_id).first()
    if concern is None:
        raise Http404
    form = casework_forms.ConcernAcknowledgeForm(
        request.POST, concern_id=concern.pk, needs_child_contact=current_child_contact(child=child) is None
    )
    response = form_submit(
        request,
        form,
        lambda values: services.concern_acknowledge(
            concern=concern, acting_user=request.user, child_contact=values.get("child_contact"), request=request
        ),
        # A processledare's access ends with the acknowledgement: back to their start page then.
        success_url=lambda _concern: (
            _process_url(child) if child_for(user=request.user, child_id=child.pk, need=CONCERN) else reverse("home")
        ),
        success_message=_("Oron är kvitterad."),
    )
    if response:
        return response
    return _process_response(request, child, bound=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
@child_view(FULL)
def plan_start_page(request, child):
    form = casework_forms.PlanStartForm(request.POST or None)
    response = form_submit(
        request,
        form,
        lambda values: services.plan_start(
            child=child, acting_user=request.user, next_review_on=values["next_review_on"], request=request
        ),
        success_url=_process_url(child),
    )
    if response:
        return response
    return _form_page(request, child, form, heading=_("Starta Barnets plan för %(name)s"), submit_label=_("Starta"))


def _plan_or_404(child):
    plan = plan_of(child=child)
    if plan is None:
        raise Http404
    return plan


@login_required
@require_http_methods(["GET", "POST"])
@child_view(FULL)
def goal_page(request, child):
    plan = _plan_or_404(child)
    form = casework_forms.GoalForm(request.POST or None, release=plan.release)
    response = form_submit(
        request,
        form,
        lambda values: services.goal_add(plan=plan, acting_user=request.user, request=request, **values),
        success_url=_process_url(child),
    )
    if response:
        return response
    return _form_page(request, child, form, heading=_("Nytt mål för %(name)s"), submit_label=_("Lägg till målet"))


@login_required
@require_http_methods(["GET", "POST"])
@child_view(FULL)
def action_page(request, child):
    from modules.casework.plan_forms import ActionForm

    plan = _plan_or_404(child)
    form = ActionForm(request.POST or None, plan=plan)
    response = form_submit(
        request,
        form,
        lambda values: services.action_add(plan=plan, acting_user=request.user, request=request, **form.values()),
        success_url=_process_url(child),
    )
    if response:
        return response
    return _form_page(request, child, form, heading=_("Ny insats för %(name)s"), submit_label=_("Lägg till insatsen"))


@login_required
@require_POST
@child_view(FULL)
def action_done_page(request, child, action_id):
    action = Action.objects.filter(pk=action_id, plan__child=child).first()
    if action is None:
        raise Http404
    services.action_complete(action=action, acting_user=request.user, request=request)
    return redirect("casework-process", child_id=child.pk)


@login_required
@require_http_methods(["GET", "POST"])
@child_view(FULL)
def review_page(request, child):
    plan = _plan_or_404(child)
    form = casework_forms.ReviewForm(request.POST or None, initial={"next_review_on": plan.next_review_on})
    response = form_submit(
        request,
        form,
        lambda values: services.plan_review_set(
            plan=plan, next_review_on=values["next_review_on"], acting_user=request.user, request=request
        ),
        success_url=_process_url(child),
    )
    if response:
        return response
    return _form_page(request, child, form, heading=_("Uppföljningsdatum för %(name)s"), submit_label=_("Spara"))


@login_required
@require_http_methods(["GET", "POST"])
@child_view(MANAGE)
@transaction.atomic
def close_page(request, child):
    form = casework_forms.CloseForm(request.POST or None)
    response = form_submit(
        request,
        form,
        lambda values: services.case_close(
            child=child, acting_user=request.user, reason=values["reason"], request=request
        ),
        success_url=_process_url(child),
        success_message=_("Ärendet är avslutat."),
    )
    if response:
        return response
    return _form_page(request, child, form, heading=_("Avsluta ärendet för %(name)s"), submit_label=_("Avsluta"))


def _team_users(child):
    from modules.accounts.models import User
    from modules.children.selectors import current_child_contact, current_support_coordinator, team_of

    ids = {member.user_id for member in team_of(child=child).filter(ended_at__isnull=True)}
    for holder in (current_child_contact(child=child), current_support_coordinator(child=child)):
        if holder is not None:
            ids.add(holder.user_id)
    return User.objects.filter(pk__in=ids, is_active=True).order_by("full_name")


@login_required
@rule_required(is_local_admin, denied=Http404)
@require_http_methods(["GET", "POST"])
def retention_page(request):
    """The tenant's retention period; local admins only."""
    from modules.casework.selectors import retention_months

    form = casework_forms.RetentionForm(request.POST or None, initial={"months": retention_months()})
    return form_page(
        request,
        form,
        lambda values: services.retention_set(months=values["months"], acting_user=request.user),
        success_url="casework-retention",
        success_message=_("Gallringsfristen är sparad."),
        page={"heading": _("Gallring"), "submit_label": _("Spara"), "back_url": "/"},
    )
