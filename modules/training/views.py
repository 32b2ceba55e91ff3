"""Training pages: in a tenant my courses, a lesson with its quiz, (local admins) completion per role and the
tenant's own courses; on both sites the course and lesson editors (central drafts, a tenant's own courses)."""

import re
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from backa_platform.core.forms import form_submit
from modules.accounts import rules
from modules.accounts.rules import is_local_admin
from modules.training.completion import course_completed_at
from modules.training.documents import certificate_pdf
from modules.training.forms import CourseForm, LessonEditor, QuizForm
from modules.training.models import ATTACHMENT_CONTENT_TYPES, Attachment, Course, Lesson, LessonProgress
from modules.training.selectors import (
    completion_by_role,
    course_progress_for,
    courses_available,
    courses_of,
    lesson_html,
)
from modules.training.services import (
    TrainingError,
    attachment_add,
    attachment_remove,
    course_save,
    lesson_quiz_submit,
    lesson_save,
)


def _tenant_only(request):
    tenant = getattr(request, "tenant", None)
    if tenant is None or tenant.is_central:
        raise Http404


@login_required
def training_home(request):
    _tenant_only(request)
    figures = completion_by_role() if is_local_admin(request.user) else None
    return render(request, "training/home.html", {"rows": course_progress_for(request.user), "figures": figures})


@login_required
@require_http_methods(["GET", "POST"])
def lesson_page(request, key, lesson_key):
    _tenant_only(request)
    course = get_object_or_404(courses_available(), key=key)
    lesson = get_object_or_404(Lesson, course=course, key=lesson_key)
    language = "en" if (get_language() or "sv").startswith("en") else "sv"
    questions = (lesson.quiz or {}).get("questions", [])
    form = QuizForm(request.POST if request.method == "POST" else None, questions=questions, language=language)
    if request.method == "POST" and form.is_valid():
        answers = [form.cleaned_data[f"q{i}"] for i in range(len(questions))]
        try:
            progress = lesson_quiz_submit(user=request.user, lesson=lesson, answers=answers)
        except TrainingError as error:
            # The page asks each question as its own field; the refusal names the API's "answers".
            form.add_error(None, error.messages)
        else:
            if progress.passed:
                messages.success(request, _("Godkänt! Lektionen är klar."))
            else:
                messages.error(
                    request,
                    _("%(score)s rätt av %(total)s; %(mark)s behövs. Försök igen.")
                    % {"score": progress.score, "total": len(questions), "mark": lesson.quiz.get("pass_mark", 0)},
                )
            return redirect("training-lesson", key=key, lesson_key=lesson_key)
    attempted = LessonProgress.objects.filter(user=request.user, course_key=course.key, lesson_key=lesson.key).exists()
    return render(
        request,
        "training/lesson.html",
        {
            "course": course,
            "lesson": lesson,
            "html": lesson_html(lesson),
            "form": form,
            "language": language,
            "explanations": _explanations(questions, language) if attempted else [],
        },
    )


def _explanations(questions: list[dict], language: str) -> list[dict]:
    """Each question's right answer and explanation, shown once a staff member has tried the quiz."""
    return [
        {
            "question": question["text"][language],
            "answer": question["options"][question["correct"]][language],
            "explanation": question.get("explanation", {}).get(language, ""),
        }
        for question in questions
    ]


@login_required
def attachment_download(request, pk):
    """A lesson's file, always as a download (never rendered inline on our origin)."""
    _tenant_only(request)
    attachment = get_object_or_404(Attachment.objects.filter(lesson__course__in=courses_available()), pk=pk)
    response = HttpResponse(bytes(attachment.data), content_type=attachment.content_type)
    # Its real name (RFC 6266: an ASCII fallback and the UTF-8 name, "Översikt.pdf" stays "Översikt.pdf"),
    # always as a download: never rendered inline on our origin.
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=attachment_filename(attachment)
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def certificate_download(request, key):
    """The signed-in staff member's certificate of a course they completed (PDF)."""
    _tenant_only(request)
    course = get_object_or_404(courses_available().prefetch_related("lessons"), key=key)
    completed_at = course_completed_at(user=request.user, course=course)
    if completed_at is None:
        messages.error(request, _("Du får intyget när du har klarat kursens alla lektioner."))
        return redirect("training-home")
    response = HttpResponse(
        certificate_pdf(user=request.user, course=course, completed_at=completed_at), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="intyg-{course.key}.pdf"'
    return response


# What no file system (Windows' the strictest) accepts in a name, and control characters.
_UNSAFE_IN_FILE_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')


def attachment_filename(attachment: Attachment) -> str:
    """The file's own name, with the extension of its checked type when it lacks it (``Översikt`` -> ``.pdf``)."""
    name = _UNSAFE_IN_FILE_NAMES.sub("_", attachment.name).strip(" .") or attachment.sha256[:12]
    extension = ATTACHMENT_CONTENT_TYPES[attachment.content_type]
    suffixes = {extension, ".jpeg"} if extension == ".jpg" else {extension}
    return name if any(name.lower().endswith(suffix) for suffix in suffixes) else f"{name}{extension}"


# --- Authoring courses and lessons: national drafts (central site) and a tenant's own courses -----------
def course_authority_required(view):
    """Central site: content editors and national coordinators (the drafts). A tenant: its local admins (its
    own courses, which no release touches). Both are the unreleased courses of their schema."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        rule = rules.may_author_content if _is_central(request) else rules.is_local_admin
        if not rule(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _is_central(request) -> bool:
    tenant = getattr(request, "tenant", None)
    return tenant is None or tenant.is_central


def _back_url(request) -> str:
    return reverse("content-drafts") if _is_central(request) else reverse("local-courses")


@course_authority_required
def local_courses(request):
    """A tenant's own courses (and the release's, read only) for its local admin."""
    if _is_central(request):
        raise Http404
    return render(
        request,
        "training/local_courses.html",
        {"courses": courses_of(release=None), "released": courses_available().exclude(release__isnull=True)},
    )


@course_authority_required
@require_http_methods(["GET", "POST"])
def course_edit(request, pk=None):
    course = get_object_or_404(Course, pk=pk, release__isnull=True) if pk else None
    initial = {}
    if course:
        initial = {f: getattr(course, f) for f in ("key", "title_sv", "title_en", "description_sv", "description_en")}
        initial.update(target_roles=course.target_roles, required=course.required)
    form = CourseForm(request.POST if request.method == "POST" else None, initial=initial)
    response = form_submit(
        request,
        form,
        lambda values: course_save(course=course, acting_user=request.user, **values),
        success_url=lambda saved: reverse("content-course-edit", kwargs={"pk": saved.pk}),
        success_message=_("Kursen är sparad."),
    )
    if response:
        return response
    return render(
        request, "training/course_form.html", {"form": form, "course": course, "back_url": _back_url(request)}
    )


def lesson_preview(lesson: Lesson) -> dict[str, str]:
    """The lesson and its quiz exactly as staff see them, once in Swedish and once in English."""
    questions = (lesson.quiz or {}).get("questions", [])
    rendered = {}
    for language in ("sv", "en"):
        with translation.override(language):
            rendered[language] = render_to_string(
                "training/_lesson_content.html",
                {
                    "lesson": lesson,
                    "html": lesson_html(lesson),
                    "language": language,
                    "preview": True,
                    "level": 4,
                    "form": QuizForm(questions=questions, language=language, prefix=f"preview-{language}"),
                    "explanations": _explanations(questions, language),
                },
            )
    return rendered


@course_authority_required
@require_http_methods(["GET", "POST"])
def lesson_edit(request, course_pk, pk=None):
    course = get_object_or_404(Course, pk=course_pk, release__isnull=True)
    lesson = get_object_or_404(Lesson, pk=pk, course=course) if pk else None
    post = request.method == "POST"
    editor = LessonEditor(lesson=lesson, data=request.POST if post else None, files=request.FILES if post else None)
    if post and editor.is_valid():
        cleaned = editor.form.cleaned_data
        upload = cleaned["attachment"]
        try:
            with transaction.atomic():
                lesson = lesson_save(course=course, lesson=lesson, acting_user=request.user, **editor.values())
                for attachment in lesson.attachments.filter(pk__in=cleaned.get("remove_attachments") or []):
                    attachment_remove(attachment=attachment, acting_user=request.user)
                if upload:
                    attachment_add(
                        lesson=lesson,
                        name=upload.name,
                        content_type=upload.content_type,
                        data=upload.read(),
                        acting_user=request.user,
                    )
        except TrainingError as error:
            editor.refusal_add(error)
            lesson = get_object_or_404(Lesson, pk=pk, course=course) if pk else None
        else:
            messages.success(request, _("Lektionen är sparad."))
            return redirect("content-lesson-edit", course_pk=course.pk, pk=lesson.pk)
    return render(
        request,
        "training/lesson_form.html",
        {
            "form": editor.form,
            "row_lists": editor.row_lists,
            "has_errors": editor.has_errors,
            "course": course,
            "lesson": lesson,
            "preview": lesson_preview(lesson) if lesson else None,
            "back_url": _back_url(request),
        },
    )
