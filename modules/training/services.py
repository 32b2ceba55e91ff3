"""Writes on training: draft courses (public), installing a release's courses, local courses, quiz results."""

import hashlib

import jsonschema
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backa_platform.core.errors import ServiceError
from modules.accounts.models import User
from modules.model_config import defaults
from modules.model_config.signals import draft_changed
from modules.training.bundle import LINKS_VALIDATOR, QUIZ_VALIDATOR, VIDEO_VALIDATOR, courses_write
from modules.training.models import (
    ATTACHMENT_CONTENT_TYPES,
    ATTACHMENT_MAX_BYTES,
    Attachment,
    Course,
    Lesson,
    LessonProgress,
)


class TrainingError(ServiceError):
    pass


@transaction.atomic
def course_drafts_load_defaults() -> int:
    if Course.objects.filter(release__isnull=True).exists():
        return 0
    return courses_write(release=None, entries=defaults.COURSES)[0]


@transaction.atomic
def course_save(
    *,
    course: Course | None = None,
    key: str,
    title_sv: str,
    title_en: str,
    description_sv: str = "",
    description_en: str = "",
    target_roles: list[str],
    required: bool,
    acting_user=None,
) -> Course:
    """A draft course (public) or a local course (tenant): both are the unreleased courses of their schema."""
    if not target_roles:
        raise TrainingError({"target_roles": [_("Välj minst en roll som kursen är till för.")]}, code="no_target_roles")
    unknown = set(target_roles) - set(User.Role.values)
    if unknown:
        raise TrainingError(_("Okända roller: %(roles)s.") % {"roles": ", ".join(sorted(unknown))})
    clash = Course.objects.filter(release__isnull=True, key=key)
    if course is not None:
        clash = clash.exclude(pk=course.pk)
        if course.release_id is not None:
            raise TrainingError(_("En publicerad release kan inte ändras."))
    if clash.exists():
        raise TrainingError(_("Det finns redan en kurs med nyckeln %(key)s.") % {"key": key})
    course = course or Course(release=None, position=Course.objects.filter(release__isnull=True).count())
    course.key, course.title_sv, course.title_en = key, title_sv, title_en
    course.description_sv, course.description_en = description_sv, description_en
    course.target_roles, course.required = list(target_roles), required
    action = "changed" if course.pk else "added"
    course.full_clean()
    course.save()
    _draft_changed(acting_user=acting_user, what="courses", key=key, action=action)
    return course


def _draft_changed(**event) -> None:
    draft_changed.send(sender=Course, **event)


def _links_validate(links: list) -> None:
    try:
        LINKS_VALIDATOR.validate(links)
    except jsonschema.ValidationError as error:
        raise TrainingError(
            _("Länkarna har fel format (titel på svenska och engelska, adress som börjar med https://): %(message)s")
            % {"message": error.message}
        ) from error


def _quiz_validate(quiz: dict) -> None:
    try:
        QUIZ_VALIDATOR.validate(quiz)
    except jsonschema.ValidationError as error:
        raise TrainingError(_("Kunskapstestet har fel format: %(message)s") % {"message": error.message}) from error
    for question in quiz["questions"]:
        if question["correct"] >= len(question["options"]):
            raise TrainingError(_("Rätt svar måste vara ett av svarsalternativen."))
    if quiz["pass_mark"] > len(quiz["questions"]):
        raise TrainingError(_("Godkäntgränsen kan inte vara högre än antalet frågor."))


def _video_validate(url: str, transcript_sv: str, transcript_en: str) -> None:
    if not url:
        if transcript_sv or transcript_en:
            raise TrainingError({"video_url": [_("Ange videons adress, eller töm transkriptionen.")]})
        return
    try:
        VIDEO_VALIDATOR.validate({"url": url, "transcript": {"sv": transcript_sv, "en": transcript_en}})
    except jsonschema.ValidationError as error:
        raise TrainingError({"video_url": [_("Videons adress måste börja med https://.")]}) from error
    if not transcript_sv.strip() or not transcript_en.strip():
        raise TrainingError(
            {"transcript_sv": [_("En videolektion behöver sin transkription på svenska och engelska.")]},
            code="transcript_missing",
        )


@transaction.atomic
def lesson_save(
    *,
    course: Course,
    lesson: Lesson | None = None,
    key: str,
    title_sv: str,
    title_en: str,
    body_sv: str = "",
    body_en: str = "",
    links: list | None = None,
    quiz: dict | None = None,
    video_url: str = "",
    transcript_sv: str = "",
    transcript_en: str = "",
    acting_user=None,
) -> Lesson:
    """A draft lesson (public) or a local one (tenant); a video lesson needs its transcript in both languages."""
    if course.release_id is not None:
        raise TrainingError(_("En publicerad release kan inte ändras."))
    quiz = quiz or {"pass_mark": 0, "questions": []}
    _quiz_validate(quiz)
    _links_validate(links or [])
    _video_validate(video_url, transcript_sv, transcript_en)
    clash = course.lessons.filter(key=key)
    if lesson is not None:
        clash = clash.exclude(pk=lesson.pk)
    if clash.exists():
        raise TrainingError({"key": [_("Kursen har redan en lektion med nyckeln %(key)s.") % {"key": key}]})
    lesson = lesson or Lesson(course=course, position=course.lessons.count())
    lesson.key, lesson.title_sv, lesson.title_en = key, title_sv, title_en
    lesson.body_sv, lesson.body_en = body_sv, body_en
    lesson.links, lesson.quiz = links or [], quiz
    lesson.video_url, lesson.transcript_sv, lesson.transcript_en = video_url, transcript_sv, transcript_en
    action = "changed" if lesson.pk else "added"
    lesson.full_clean()
    lesson.save()
    _draft_changed(acting_user=acting_user, what="lessons", key=f"{course.key}/{key}", action=action)
    return lesson


@transaction.atomic
def attachment_add(*, lesson: Lesson, name: str, content_type: str, data: bytes, acting_user=None) -> Attachment:
    """Attach a file to a draft lesson: PDF, PNG, JPEG or plain text, at most 2 MB."""
    if lesson.course.release_id is not None:
        raise TrainingError(_("En publicerad release kan inte ändras."))
    if content_type not in ATTACHMENT_CONTENT_TYPES:
        raise TrainingError(
            {
                "attachment": _("Filtypen %(type)s är inte tillåten. Tillåtna: PDF, PNG, JPEG och textfiler.")
                % {"type": content_type}
            }
        )
    if len(data) > ATTACHMENT_MAX_BYTES:
        raise TrainingError({"attachment": _("Filen är för stor: högst 2 MB.")})
    if content_type == "application/pdf" and not data.startswith(b"%PDF"):
        raise TrainingError({"attachment": _("Filen är inte en PDF.")})
    if content_type == "image/png" and not data.startswith(b"\x89PNG"):
        raise TrainingError({"attachment": _("Filen är inte en PNG-bild.")})
    if content_type == "image/jpeg" and not data.startswith(b"\xff\xd8"):
        raise TrainingError({"attachment": _("Filen är inte en JPEG-bild.")})
    _draft_changed(acting_user=acting_user, what="attachments", key=f"{lesson.course.key}/{lesson.key}", action="added")
    return Attachment.objects.create(
        lesson=lesson,
        name=name[:200],
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
    )


@transaction.atomic
def attachment_remove(*, attachment: Attachment, acting_user=None) -> None:
    lesson = attachment.lesson
    if lesson.course.release_id is not None:
        raise TrainingError(_("En publicerad release kan inte ändras."))
    attachment.delete()
    _draft_changed(
        acting_user=acting_user, what="attachments", key=f"{lesson.course.key}/{lesson.key}", action="removed"
    )


@transaction.atomic
def lesson_quiz_submit(*, user: User, lesson: Lesson, answers: list[int]) -> LessonProgress:
    """Score a staff member's answers; passing at the lesson's pass mark completes the lesson.

    A later failed attempt never takes back a pass.
    """
    questions = (lesson.quiz or {}).get("questions", [])
    if len(answers) != len(questions):
        raise TrainingError(
            {
                "answers": ngettext("Svara på frågan.", "Svara på alla %(count)s frågor.", len(questions))
                % {"count": len(questions)}
            }
        )
    score = sum(1 for question, answer in zip(questions, answers, strict=True) if question["correct"] == answer)
    passed = score >= (lesson.quiz or {}).get("pass_mark", 0)
    progress, _created = LessonProgress.objects.select_for_update().get_or_create(
        user=user, course_key=lesson.course.key, lesson_key=lesson.key
    )
    progress.score = max(progress.score, score) if progress.passed else score
    if passed and not progress.passed:
        progress.passed = True
        progress.completed_at = timezone.now()
    progress.save()
    return progress
