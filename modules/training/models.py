"""Training material and, in tenants, each staff member's progress. In SHARED_APPS and TENANT_APPS.

Courses with ``release`` unset are drafts in ``public`` and local courses in a tenant; those of a release
are installed copies, kept for every installed release. Progress is keyed by the course's and lesson's
stable keys, so it survives a new release of the same course.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from modules.model_config.models import InstalledRelease

ATTACHMENT_MAX_BYTES = 2 * 1024 * 1024
ATTACHMENT_CONTENT_TYPES = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "text/plain": ".txt",
}


def _localised(obj, field: str) -> str:
    return getattr(obj, f"{field}_en") if (get_language() or "sv").startswith("en") else getattr(obj, f"{field}_sv")


class Course(models.Model):
    release = models.ForeignKey(
        InstalledRelease, null=True, blank=True, on_delete=models.CASCADE, related_name="courses"
    )
    key = models.SlugField(_("nyckel"), max_length=60)
    position = models.PositiveIntegerField(_("ordning"), default=0)
    title_sv = models.CharField(_("titel (svenska)"), max_length=200)
    title_en = models.CharField(_("titel (engelska)"), max_length=200)
    description_sv = models.TextField(_("beskrivning (svenska)"), blank=True)
    description_en = models.TextField(_("beskrivning (engelska)"), blank=True)
    # User.Role values this course is meant for.
    target_roles = models.JSONField(_("målgrupper (roller)"), default=list)
    required = models.BooleanField(_("obligatorisk"), default=False)

    class Meta:
        ordering = ["position", "key"]
        constraints = [
            models.UniqueConstraint(name="course_key_per_release", fields=["release", "key"]),
            models.UniqueConstraint(
                name="course_key_unreleased", fields=["key"], condition=models.Q(release__isnull=True)
            ),
        ]

    def __str__(self):
        return self.title_sv

    @property
    def title(self) -> str:
        return _localised(self, "title")

    @property
    def description(self) -> str:
        return _localised(self, "description")

    @property
    def is_local(self) -> bool:
        return self.release_id is None


class Lesson(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="lessons")
    key = models.SlugField(_("nyckel"), max_length=60)
    position = models.PositiveIntegerField(_("ordning"), default=0)
    title_sv = models.CharField(_("titel (svenska)"), max_length=200)
    title_en = models.CharField(_("titel (engelska)"), max_length=200)
    body_sv = models.TextField(_("innehåll (svenska, Markdown)"), blank=True)
    body_en = models.TextField(_("innehåll (engelska, Markdown)"), blank=True)
    # [{"title": {"sv", "en"}, "url": "https://…"}]
    links = models.JSONField(_("länkar"), default=list, blank=True)
    # {"pass_mark": 2, "questions": [{"text": {"sv", "en"}, "options": [{"sv", "en"}], "correct": 0}]}
    quiz = models.JSONField(_("kunskapstest"), default=dict, blank=True)
    # A video lesson: the film by link, with its transcript in both languages (WCAG 1.2).
    video_url = models.URLField(_("videolänk"), max_length=500, blank=True)
    transcript_sv = models.TextField(_("transkription (svenska)"), blank=True)
    transcript_en = models.TextField(_("transkription (engelska)"), blank=True)

    class Meta:
        ordering = ["position", "key"]
        constraints = [models.UniqueConstraint(name="lesson_key_per_course", fields=["course", "key"])]

    def __str__(self):
        return self.title_sv

    @property
    def title(self) -> str:
        return _localised(self, "title")

    @property
    def body(self) -> str:
        return _localised(self, "body")

    @property
    def transcript(self) -> str:
        return _localised(self, "transcript")


class Attachment(models.Model):
    """A lesson's file, kept in the database so an install writes it in the same transaction as the rest."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("filnamn"), max_length=200)
    content_type = models.CharField(_("filtyp"), max_length=100)
    size = models.PositiveIntegerField(_("storlek (byte)"))
    sha256 = models.CharField(max_length=64)
    data = models.BinaryField()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class LessonProgress(models.Model):
    """One staff member's result on one lesson (tenant schemas only)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress")
    course_key = models.SlugField(max_length=60)
    lesson_key = models.SlugField(max_length=60)
    score = models.PositiveIntegerField(default=0)
    passed = models.BooleanField(default=False)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["course_key", "lesson_key"]
        constraints = [
            models.UniqueConstraint(name="progress_per_user_lesson", fields=["user", "course_key", "lesson_key"])
        ]

    def __str__(self):
        return f"{self.user_id} {self.course_key}/{self.lesson_key}"


class TrainingReminder(models.Model):
    """When a staff member was last reminded of required training they have not completed (tenant schemas only):
    the daily task reminds again only after TRAINING_REMINDER_INTERVAL_DAYS."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_reminder")
    last_sent_on = models.DateField()

    def __str__(self):
        return f"{self.user_id} {self.last_sent_on}"
