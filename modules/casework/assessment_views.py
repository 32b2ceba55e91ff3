"""The Behovskompassen assessment as a form in steps, with a progress indicator, kept as a draft between steps.
Every step posts its own fields into the author's draft; the last step saves the assessment from the whole
draft, and a refusal opens the first step with something to correct."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from backa_platform.core.forms import form_errors_add
from modules.casework import forms as casework_forms
from modules.casework import services
from modules.casework.drafts import assessment_draft_of, assessment_draft_save
from modules.casework.selectors import plan_of
from modules.children.permissions import FULL, child_view
from modules.model_config.selectors import installed_release_current


def _as_query(values: dict) -> QueryDict:
    query = QueryDict(mutable=True)
    for name, items in values.items():
        query.setlist(name, items)
    return query


def _initial(values: dict, form) -> dict:
    initial = {}
    for name, items in values.items():
        field = form.fields.get(name)
        if field is None:
            continue
        multiple = getattr(field.widget, "allow_multiple_selected", False)
        initial[name] = items if multiple else (items[0] if items else "")
    return initial


def _step_of(sections, name) -> int:
    return next((number for number, section in enumerate(sections, start=1) if name in section["fields"]), 0)


@login_required
@require_http_methods(["GET", "POST"])
@child_view(FULL)
def assessment_page(request, child):
    release = installed_release_current()
    if release is None:
        messages.error(request, _("Instansen har ingen installerad modellkonfiguration ännu."))
        return redirect("casework-process", child_id=child.pk)
    plan = plan_of(child=child)
    goals = list(plan.goals.filter(outcome="")) if plan else []
    page_url = reverse("casework-assessment", kwargs={"child_id": child.pk})
    draft = assessment_draft_of(child=child, user=request.user)
    values = dict(draft.values) if draft else {}
    form = casework_forms.AssessmentForm(release=release, goals=goals)
    sections = form.sections()
    try:
        number = int(request.GET.get("steg") or (draft.step + 1 if draft else 1))
    except ValueError:
        number = 1
    number = min(max(number, 1), len(sections))
    status = 200
    if request.method == "POST":
        # This step's fields as posted (an unticked box is absent: nothing chosen); another step's only when
        # posted too (the whole form in one request, as a script may send it).
        for section in sections:
            for name in section["fields"]:
                if section is sections[number - 1] or name in request.POST:
                    values[name] = request.POST.getlist(name)
        go = request.POST.get("go", "save")
        target = {"next": number + 1, "previous": number - 1}.get(go, number)
        target = min(max(target, 1), len(sections))
        assessment_draft_save(child=child, acting_user=request.user, values=values, step=target - 1, request=request)
        if go != "save":
            if go == "draft":
                messages.success(request, _("Utkastet är sparat. Du kan fortsätta senare."))
            return redirect(f"{page_url}?steg={target}")
        form = casework_forms.AssessmentForm(_as_query(values), release=release, goals=goals)
        if form.is_valid():
            try:
                services.assessment_make(
                    child=child,
                    acting_user=request.user,
                    assessed_on=form.cleaned_data["assessed_on"],
                    ratings=form.ratings(),
                    perspective_ratings=form.perspective_ratings(),
                    perspective_keys=form.cleaned_data["perspective_keys"],
                    participants=form.cleaned_data["participants"],
                    support_level_key=form.cleaned_data["support_level_key"],
                    support_level_reason=form.cleaned_data["support_level_reason"],
                    resilience=form.resilience(),
                    triangle_notes=form.triangle_notes(),
                    goal_outcomes=form.goal_outcomes(),
                    request=request,
                )
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                messages.success(request, _("Bedömningen är sparad."))
                return redirect("casework-process", child_id=child.pk)
        steps_with_errors = sorted({_step_of(sections, name) for name in form.errors if _step_of(sections, name)})
        number = steps_with_errors[0] if steps_with_errors else number
        status = 200  # as every form page answers a refused form
    else:
        form = casework_forms.AssessmentForm(initial=_initial(values, form), release=release, goals=goals)
    section = sections[number - 1]
    errors = []
    if form.is_bound:
        for message in form.non_field_errors():
            errors.append({"text": message, "href": ""})
        for name, messages_ in form.errors.items():
            if name == "__all__":
                continue
            step = _step_of(sections, name)
            group = getattr(form.fields[name].widget, "allow_multiple_selected", False)  # a group of boxes
            anchor = f"#id_{name}_0" if group else f"#id_{name}"
            href = anchor if step == number else f"{page_url}?steg={step}{anchor}"
            errors += [{"text": f"{form.fields[name].label}: {message}", "href": href} for message in messages_]
    follow_up = child.assessments.exists()
    heading = _("Uppföljning med Behovskompassen: %(name)s") if follow_up else _("Behovskompassen: %(name)s")
    return render(
        request,
        "casework/assessment_step.html",
        {
            "child": child,
            "heading": heading % {"name": child.full_name},
            "form": form,
            "steps": [
                {"number": n, "title": s["title"], "current": n == number} for n, s in enumerate(sections, start=1)
            ],
            "number": number,
            "count": len(sections),
            "section": section,
            "section_fields": [form[name] for name in section["fields"]],
            "areas": [
                {**area, "bound_fields": [form[name] for name in area["fields"]]} for area in section.get("areas", [])
            ],
            "errors": errors,
            "draft": draft,
            "page_url": page_url,
        },
        status=status,
    )
