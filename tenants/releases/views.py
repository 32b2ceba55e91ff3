"""Pages: authoring and publishing on the central site, live rollout progress, and a tenant's release choice."""

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from backa_platform.core.forms import AccessibleForm, form_errors_add
from backa_platform.core.validators import LONG_TEXT_MAX_LENGTH, validate_phone_number
from modules.accounts import rules
from modules.accounts.decorators import rule_required
from modules.accounts.models import User
from modules.model_config.models import ModelItem
from modules.model_config.selectors import model_items
from modules.model_config.services import ModelConfigError, model_item_delete, model_item_save
from modules.training.selectors import courses_of
from tenants.releases.bundle import BundleError
from tenants.releases.models import Release, Rollout, RolloutTarget
from tenants.releases.selectors import (
    release_by_version,
    releases_published,
    rollout_progress,
    rollout_targets,
    rollouts,
    tenant_release_overview,
)
from tenants.releases.services import (
    ReleaseError,
    draft_preview,
    release_publish,
    rollout_target_retry,
    tenant_release_follow,
    tenant_release_pin,
)

KIND_LABELS = dict(ModelItem.Kind.choices)
KIND_LABELS["courses"] = gettext_lazy("Kurser")


def _is_central(request) -> bool:
    tenant = getattr(request, "tenant", None)
    return tenant is None or tenant.is_central


content_authority_required = rule_required(rules.may_author_content, site=rules.CENTRAL)
local_admin_required = rule_required(rules.is_local_admin, site=rules.TENANT)


def _diff_sections(diff: dict) -> list[dict]:
    return [
        {"kind": kind, "label": KIND_LABELS.get(kind, kind), **section}
        for kind, section in diff["sections"].items()
        if section["added"] or section["removed"] or section["changed"]
    ]


# --- Central: drafts ------------------------------------------------------------------------------
@content_authority_required
def drafts(request):
    items = model_items(release=None).order_by("kind", "position", "key")
    groups = [
        {"kind": kind, "label": label, "items": [item for item in items if item.kind == kind]}
        for kind, label in ModelItem.Kind.choices
    ]
    return render(request, "releases/drafts.html", {"groups": groups, "courses": courses_of(release=None)})


class ModelItemForm(AccessibleForm):
    key = forms.SlugField(label=gettext_lazy("Nyckel"), max_length=60)
    position = forms.IntegerField(label=gettext_lazy("Ordning"), min_value=0, required=False)
    name_sv = forms.CharField(label=gettext_lazy("Namn (svenska)"), max_length=200)
    name_en = forms.CharField(label=gettext_lazy("Namn (engelska)"), max_length=200)
    description_sv = forms.CharField(
        label=gettext_lazy("Beskrivning (svenska)"),
        widget=forms.Textarea,
        required=False,
        max_length=LONG_TEXT_MAX_LENGTH,
    )
    description_en = forms.CharField(
        label=gettext_lazy("Beskrivning (engelska)"),
        widget=forms.Textarea,
        required=False,
        max_length=LONG_TEXT_MAX_LENGTH,
    )
    details = forms.CharField(
        label=gettext_lazy("Detaljer (JSON)"),
        widget=forms.Textarea(attrs={"rows": 12}),
        required=False,
        help_text=gettext_lazy("Stödfrågor, nivåer, delområden, poler eller avsnitt, med svensk och engelsk text."),
    )

    def clean_details(self):
        raw = self.cleaned_data["details"].strip() or "{}"
        try:
            return json.loads(raw)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                _("Ogiltig JSON på rad %(line)s: %(message)s") % {"line": error.lineno, "message": error.msg}
            ) from error


class AreaForm(ModelItemForm):
    """An area's guiding questions as plain lines, one per question, in both languages (no JSON)."""

    questions_sv = forms.CharField(
        label=gettext_lazy("Stödfrågor (svenska)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=gettext_lazy("En fråga per rad."),
    )
    questions_en = forms.CharField(
        label=gettext_lazy("Stödfrågor (engelska)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=gettext_lazy("En fråga per rad, i samma ordning som de svenska."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["details"]

    def clean(self):
        cleaned = super().clean()
        lines = {
            language: [line.strip() for line in cleaned.get(f"questions_{language}", "").splitlines() if line.strip()]
            for language in ("sv", "en")
        }
        if len(lines["sv"]) != len(lines["en"]):
            self.add_error(
                "questions_en",
                _("Det finns %(sv)s svenska och %(en)s engelska stödfrågor: varje fråga behövs på båda språken.")
                % {"sv": len(lines["sv"]), "en": len(lines["en"])},
            )
        cleaned["details"] = {
            "guiding_questions": [{"sv": sv, "en": en} for sv, en in zip(lines["sv"], lines["en"], strict=False)]
        }
        return cleaned


@content_authority_required
@require_http_methods(["GET", "POST"])
def draft_item_edit(request, pk=None):
    item = get_object_or_404(ModelItem, pk=pk, release__isnull=True) if pk else None
    kind = item.kind if item else request.GET.get("kind", "")
    if kind not in ModelItem.Kind.values:
        raise Http404
    initial = {}
    if item:
        initial = {
            "key": item.key,
            "position": item.position,
            "name_sv": item.name_sv,
            "name_en": item.name_en,
            "description_sv": item.description_sv,
            "description_en": item.description_en,
            "details": json.dumps(item.details, ensure_ascii=False, indent=2),
        }
        if kind == ModelItem.Kind.AREA:
            questions = item.details.get("guiding_questions", [])
            initial["questions_sv"] = "\n".join(q["sv"] for q in questions)
            initial["questions_en"] = "\n".join(q["en"] for q in questions)
    form_class = AreaForm if kind == ModelItem.Kind.AREA else ModelItemForm
    form = form_class(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and "delete" in request.POST and item:
        model_item_delete(item=item, acting_user=request.user)
        messages.success(request, _("Utkastet är borttaget."))
        return redirect("content-drafts")
    if request.method == "POST" and form.is_valid():
        try:
            fields = {k: v for k, v in form.cleaned_data.items() if not k.startswith("questions_")}
            model_item_save(item=item, kind=kind, acting_user=request.user, **fields)
        except ModelConfigError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, _("Utkastet är sparat."))
            return redirect("content-drafts")
    return render(
        request, "releases/item_form.html", {"form": form, "item": item, "kind": kind, "kind_label": KIND_LABELS[kind]}
    )


class PublishForm(AccessibleForm):
    notes = forms.CharField(
        label=gettext_lazy("Releaseanteckningar"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Vad har ändrats och varför. Visas för alla kommuner och regioner."),
        max_length=LONG_TEXT_MAX_LENGTH,
    )


@content_authority_required
@require_http_methods(["GET", "POST"])
def draft_preview_page(request):
    preview = draft_preview()
    form = PublishForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            release = release_publish(notes=form.cleaned_data["notes"], acting_user=request.user)
        except (ReleaseError, BundleError) as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Release %(version)s är publicerad och rullas ut.") % {"version": release.version}
            )
            return redirect("rollout-detail", pk=release.rollouts.first().pk)
    return render(
        request,
        "releases/preview.html",
        {"preview": preview, "sections": _diff_sections(preview["diff"]), "form": form},
    )


# --- Central: releases and rollouts ---------------------------------------------------------------
@content_authority_required
def release_list(request):
    return render(request, "releases/release_list.html", {"releases": releases_published(), "rollouts": rollouts()})


@content_authority_required
def release_detail(request, version: int):
    release = get_object_or_404(Release, version=version)
    return render(
        request,
        "releases/release_detail.html",
        {"release": release, "sections": _diff_sections(release.diff), "rollouts": release.rollouts.all()},
    )


@content_authority_required
def rollout_detail(request, pk: int):
    rollout = get_object_or_404(Rollout.objects.select_related("release"), pk=pk)
    return render(
        request,
        "releases/rollout_detail.html",
        {"rollout": rollout, "progress": rollout_progress(rollout), "targets": rollout_targets(rollout)},
    )


@content_authority_required
def rollout_progress_json(request, pk: int):
    rollout = get_object_or_404(Rollout.objects.select_related("release"), pk=pk)
    targets = [
        {
            "id": target.pk,
            "tenant": target.tenant.name,
            "state": target.state,
            "state_label": target.get_state_display(),
            "reason": target.reason,
            "installed_at": target.installed_at.isoformat() if target.installed_at else None,
        }
        for target in rollout_targets(rollout)
    ]
    return JsonResponse({"progress": rollout_progress(rollout), "targets": targets})


@content_authority_required
@require_POST
def rollout_target_retry_view(request, pk: int, target_id: int):
    target = get_object_or_404(RolloutTarget, pk=target_id, rollout_id=pk)
    try:
        rollout_target_retry(target=target, acting_user=request.user)
    except ReleaseError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Nytt försök skickat för %(tenant)s.") % {"tenant": target.tenant.name})
    return redirect("rollout-detail", pk=pk)


# --- Tenant: see what a newer release changes, adopt, pin or follow -------------------------------
@local_admin_required
@require_http_methods(["GET", "POST"])
def tenant_release(request):
    tenant = connection.tenant
    if request.method == "POST":
        try:
            if request.POST.get("action") == "follow":
                tenant_release_follow(tenant=tenant, acting_user=request.user)
                messages.success(request, _("Instansen följer nu senaste release."))
            else:
                release = release_by_version(int(request.POST.get("version", "0") or 0))
                if release is None:
                    raise ReleaseError(_("Den releasen finns inte."))
                tenant_release_pin(tenant=tenant, release=release, acting_user=request.user)
                messages.success(request, _("Release %(version)s är införd och låst.") % {"version": release.version})
        except (ReleaseError, BundleError, ValueError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("tenant-release")
    overview = tenant_release_overview(tenant)
    newer = [{"release": entry["release"], "sections": _diff_sections(entry["diff"])} for entry in overview["newer"]]
    return render(request, "releases/tenant_release.html", {"overview": overview, "newer": newer})


# --- Central: draft courses, lessons and attachments ----------------------------------------------
class CourseForm(AccessibleForm):
    key = forms.SlugField(label=gettext_lazy("Nyckel"), max_length=60)
    title_sv = forms.CharField(label=gettext_lazy("Titel (svenska)"), max_length=200)
    title_en = forms.CharField(label=gettext_lazy("Titel (engelska)"), max_length=200)
    description_sv = forms.CharField(
        label=gettext_lazy("Beskrivning (svenska)"),
        widget=forms.Textarea,
        required=False,
        max_length=LONG_TEXT_MAX_LENGTH,
    )
    description_en = forms.CharField(
        label=gettext_lazy("Beskrivning (engelska)"),
        widget=forms.Textarea,
        required=False,
        max_length=LONG_TEXT_MAX_LENGTH,
    )
    target_roles = forms.MultipleChoiceField(
        label=gettext_lazy("Målgrupper"),
        choices=[(role.value, role.label) for role in (User.Role.LOCAL_ADMIN, User.Role.PROCESS_LEAD, User.Role.STAFF)],
        widget=forms.CheckboxSelectMultiple,
    )
    required = forms.BooleanField(label=gettext_lazy("Obligatorisk"), required=False)


def _json_field(label, help_text):
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": 8}), required=False, help_text=help_text)


class LessonForm(AccessibleForm):
    key = forms.SlugField(label=gettext_lazy("Nyckel"), max_length=60)
    title_sv = forms.CharField(label=gettext_lazy("Titel (svenska)"), max_length=200)
    title_en = forms.CharField(label=gettext_lazy("Titel (engelska)"), max_length=200)
    body_sv = forms.CharField(label=gettext_lazy("Innehåll (svenska, Markdown)"), widget=forms.Textarea, required=False)
    body_en = forms.CharField(
        label=gettext_lazy("Innehåll (engelska, Markdown)"), widget=forms.Textarea, required=False
    )
    links = _json_field(
        gettext_lazy("Länkar (JSON)"), gettext_lazy('[{"title": {"sv": "…", "en": "…"}, "url": "https://…"}]')
    )
    quiz = _json_field(
        gettext_lazy("Kunskapstest (JSON)"),
        gettext_lazy(
            '{"pass_mark": 1, "questions": [{"text": {"sv", "en"}, "options": [{"sv", "en"}], "correct": 0}]}'
        ),
    )
    attachment = forms.FileField(
        label=gettext_lazy("Ny bilaga (PDF, PNG, JPEG eller text, högst 2 MB)"), required=False
    )

    def _json(self, name, empty):
        raw = self.cleaned_data[name].strip()
        if not raw:
            return empty
        try:
            return json.loads(raw)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                _("Ogiltig JSON på rad %(line)s: %(message)s") % {"line": error.lineno, "message": error.msg}
            ) from error

    def clean_links(self):
        return self._json("links", [])

    def clean_quiz(self):
        return self._json("quiz", {"pass_mark": 0, "questions": []})


@content_authority_required
@require_http_methods(["GET", "POST"])
def draft_course_edit(request, pk=None):
    from modules.training.models import Course
    from modules.training.services import TrainingError, course_save

    course = get_object_or_404(Course, pk=pk, release__isnull=True) if pk else None
    initial = {}
    if course:
        initial = {f: getattr(course, f) for f in ("key", "title_sv", "title_en", "description_sv", "description_en")}
        initial.update(target_roles=course.target_roles, required=course.required)
    form = CourseForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            course = course_save(course=course, acting_user=request.user, **form.cleaned_data)
        except TrainingError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Kursen är sparad."))
            return redirect("content-course-edit", pk=course.pk)
    return render(request, "releases/course_form.html", {"form": form, "course": course})


@content_authority_required
@require_http_methods(["GET", "POST"])
def draft_lesson_edit(request, course_pk, pk=None):
    from modules.training.models import Course, Lesson
    from modules.training.services import TrainingError, attachment_add, lesson_save

    course = get_object_or_404(Course, pk=course_pk, release__isnull=True)
    lesson = get_object_or_404(Lesson, pk=pk, course=course) if pk else None
    initial = {}
    if lesson:
        initial = {f: getattr(lesson, f) for f in ("key", "title_sv", "title_en", "body_sv", "body_en")}
        initial.update(
            links=json.dumps(lesson.links, ensure_ascii=False, indent=2),
            quiz=json.dumps(lesson.quiz, ensure_ascii=False, indent=2),
        )
    post = request.method == "POST"
    form = LessonForm(request.POST if post else None, request.FILES if post else None, initial=initial)
    if post and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("attachment")
        try:
            with transaction.atomic():
                lesson = lesson_save(course=course, lesson=lesson, acting_user=request.user, **data)
                if upload:
                    attachment_add(
                        lesson=lesson,
                        name=upload.name,
                        content_type=upload.content_type,
                        data=upload.read(),
                        acting_user=request.user,
                    )
        except TrainingError as error:
            form_errors_add(form, error)
        else:
            messages.success(request, _("Lektionen är sparad."))
            return redirect("content-lesson-edit", course_pk=course.pk, pk=lesson.pk)
    from modules.training.selectors import lesson_html

    preview = {}
    if lesson:
        # Both languages, rendered exactly as staff will see them (Markdown, sanitised).
        for language in ("sv", "en"):
            with translation.override(language):
                preview[language] = lesson_html(lesson)
    return render(
        request, "releases/lesson_form.html", {"form": form, "course": course, "lesson": lesson, "preview": preview}
    )


# --- Tenant: local resources and contacts (never touched by a release) ----------------------------
class LocalResourceForm(AccessibleForm):
    kind = forms.ChoiceField(
        label=gettext_lazy("Typ"), choices=[("resource", gettext_lazy("Resurs")), ("contact", gettext_lazy("Kontakt"))]
    )
    title = forms.CharField(label=gettext_lazy("Rubrik"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("Beskrivning"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=LONG_TEXT_MAX_LENGTH,
    )
    url = forms.URLField(label=gettext_lazy("Länk"), required=False, assume_scheme="https")
    phone = forms.CharField(
        label=gettext_lazy("Telefon"), max_length=30, required=False, validators=[validate_phone_number]
    )
    email = forms.EmailField(label=gettext_lazy("E-post"), required=False)


@login_required
@require_http_methods(["GET", "POST"])
def local_resources_page(request):
    from modules.model_config.selectors import local_resources
    from modules.model_config.services import local_resource_create

    if _is_central(request):
        raise Http404
    is_admin = rules.is_local_admin(request.user)
    form = LocalResourceForm(request.POST if request.method == "POST" else None) if is_admin else None
    if request.method == "POST":
        if not is_admin:
            raise PermissionDenied
        if form.is_valid():
            local_resource_create(**form.cleaned_data)
            messages.success(request, _("Tillagd."))
            return redirect("local-resources")
    return render(request, "releases/local_resources.html", {"resources": local_resources(), "form": form})
