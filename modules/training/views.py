"""Training pages in a tenant: my courses, a lesson with its quiz, and (local admins) completion per role."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from modules.accounts.rules import is_local_admin
from modules.training.completion import course_completed_at
from modules.training.documents import certificate_pdf
from modules.training.models import ATTACHMENT_CONTENT_TYPES, Attachment, Lesson
from modules.training.selectors import completion_by_role, course_progress_for, courses_available, lesson_html
from modules.training.services import TrainingError, lesson_quiz_submit


def _tenant_only(request):
    tenant = getattr(request, "tenant", None)
    if tenant is None or tenant.is_central:
        raise Http404


@login_required
def training_home(request):
    _tenant_only(request)
    figures = completion_by_role() if is_local_admin(request.user) else None
    return render(request, "training/home.html", {"rows": course_progress_for(request.user), "figures": figures})


class QuizForm(forms.Form):
    def __init__(self, *args, questions, language, **kwargs):
        super().__init__(*args, **kwargs)
        for index, question in enumerate(questions):
            self.fields[f"q{index}"] = forms.TypedChoiceField(
                label=question["text"][language],
                choices=[(str(i), option[language]) for i, option in enumerate(question["options"])],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Välj ett svar.")},
            )


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
    return render(
        request,
        "training/lesson.html",
        {"course": course, "lesson": lesson, "html": lesson_html(lesson), "form": form, "language": language},
    )


@login_required
def attachment_download(request, pk):
    """A lesson's file, always as a download (never rendered inline on our origin)."""
    _tenant_only(request)
    attachment = get_object_or_404(Attachment.objects.filter(lesson__course__in=courses_available()), pk=pk)
    response = HttpResponse(bytes(attachment.data), content_type=attachment.content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{attachment.sha256[:12]}{ATTACHMENT_CONTENT_TYPES[attachment.content_type]}"'
    )
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
