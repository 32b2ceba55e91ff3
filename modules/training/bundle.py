"""The ``training`` part of a release bundle, owned here: its JSON schema, validation, export and install.

``{"courses": [{"key", "title", "description", "target_roles", "required", "lessons": [{"key", "title",
"body", "links", "quiz", "attachments"}, …]}, …]}``, texts as ``{"sv", "en"}``, attachments inline (base64).
tenants/releases composes this part with the others, checksums, diffs, stores and rolls out the whole.
"""

import base64
import hashlib

from django.utils.translation import gettext as _

from backa_platform.core.bundle import (
    KEY,
    OPTIONAL_TEXT,
    TEXT,
    BundleError,
    compiled,
    keys_unique,
    part_validate,
    text,
    text_columns,
)
from modules.model_config.models import InstalledRelease
from modules.training.models import Attachment, Course, Lesson
from modules.training.selectors import courses_of

SECTION = "training"
ROLES = ["national_coordinator", "content_editor", "local_admin", "process_lead", "staff"]

ATTACHMENT = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 200},
        "content_type": {"enum": ["application/pdf", "image/png", "image/jpeg", "text/plain"]},
        "size": {"type": "integer", "minimum": 0, "maximum": 2 * 1024 * 1024},
        "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        "data": {"type": "string"},
    },
    "required": ["name", "content_type", "size", "sha256", "data"],
    "additionalProperties": False,
}
QUIZ = {
    "type": "object",
    "properties": {
        "pass_mark": {"type": "integer", "minimum": 0},
        "questions": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "text": TEXT,
                    "options": {"type": "array", "minItems": 2, "items": TEXT},
                    "correct": {"type": "integer", "minimum": 0},
                    # Shown to staff after an attempt; optional, so older bundles stay valid.
                    "explanation": OPTIONAL_TEXT,
                },
                "required": ["text", "options", "correct"],
                "additionalProperties": False,
            },
        },
    },
    "required": ["pass_mark", "questions"],
    "additionalProperties": False,
}
LINKS = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {"title": TEXT, "url": {"type": "string", "pattern": "^https?://"}},
        "required": ["title", "url"],
        "additionalProperties": False,
    },
}
# A video lesson: the film by link (never stored here) and its transcript, for those who cannot watch or hear it.
VIDEO = {
    "type": "object",
    "properties": {"url": {"type": "string", "pattern": "^https?://"}, "transcript": OPTIONAL_TEXT},
    "required": ["url", "transcript"],
    "additionalProperties": False,
}
LESSON = {
    "type": "object",
    "properties": {
        "key": KEY,
        "title": TEXT,
        "body": OPTIONAL_TEXT,
        "links": LINKS,
        "quiz": QUIZ,
        # Optional (only present for a video lesson), so older bundles and their checksums stay as they were.
        "video": VIDEO,
        "attachments": {"type": "array", "items": ATTACHMENT},
    },
    "required": ["key", "title", "body", "links", "quiz", "attachments"],
    "additionalProperties": False,
}
COURSE = {
    "type": "object",
    "properties": {
        "key": KEY,
        "title": TEXT,
        "description": OPTIONAL_TEXT,
        "target_roles": {"type": "array", "items": {"enum": ROLES}, "uniqueItems": True},
        "required": {"type": "boolean"},
        "lessons": {"type": "array", "items": LESSON},
    },
    "required": ["key", "title", "description", "target_roles", "required", "lessons"],
    "additionalProperties": False,
}
SCHEMA = {
    "type": "object",
    "properties": {"courses": {"type": "array", "items": COURSE}},
    "required": ["courses"],
    "additionalProperties": False,
}

_VALIDATOR = compiled(SCHEMA)
LINKS_VALIDATOR = compiled(LINKS)
QUIZ_VALIDATOR = compiled(QUIZ)
VIDEO_VALIDATOR = compiled(VIDEO)


def validate(training: dict) -> None:
    """Refuse a ``training`` part that does not match the schema or repeats a course's or lesson's key."""
    part_validate(_VALIDATOR, training, where=SECTION)
    keys_unique(training["courses"], f"{SECTION}/courses")
    for course in training["courses"]:
        keys_unique(course["lessons"], f"{SECTION}/courses/{course['key']}/lessons")


def _video_export(lesson: Lesson) -> dict:
    if not lesson.video_url:
        return {}
    return {"video": {"url": lesson.video_url, "transcript": text(lesson.transcript_sv, lesson.transcript_en)}}


def course_export(course: Course) -> dict:
    return {
        "key": course.key,
        "title": text(course.title_sv, course.title_en),
        "description": text(course.description_sv, course.description_en),
        "target_roles": list(course.target_roles),
        "required": course.required,
        "lessons": [
            {
                "key": lesson.key,
                "title": text(lesson.title_sv, lesson.title_en),
                "body": text(lesson.body_sv, lesson.body_en),
                "links": lesson.links,
                "quiz": lesson.quiz or {"pass_mark": 0, "questions": []},
                "attachments": [
                    {
                        "name": attachment.name,
                        "content_type": attachment.content_type,
                        "size": attachment.size,
                        "sha256": attachment.sha256,
                        "data": base64.b64encode(bytes(attachment.data)).decode("ascii"),
                    }
                    for attachment in lesson.attachments.all()
                ],
                **_video_export(lesson),
            }
            for lesson in course.lessons.all()
        ],
    }


def export(*, release: InstalledRelease | None = None) -> dict:
    """The ``training`` part: a release's courses, or with ``release=None`` the unreleased ones (the drafts)."""
    return {"courses": [course_export(course) for course in courses_of(release=release)]}


def courses_write(*, release: InstalledRelease | None, entries: list[dict]) -> tuple[int, int]:
    """Course, lesson and attachment rows for bundle-shaped ``entries`` (an install, or the default drafts)."""
    courses = Course.objects.bulk_create(
        Course(
            release=release,
            key=entry["key"],
            position=position,
            **text_columns(entry, "title", "description"),
            target_roles=entry["target_roles"],
            required=entry["required"],
        )
        for position, entry in enumerate(entries)
    )
    lessons, attachments = [], []
    for course, entry in zip(courses, entries, strict=True):
        for position, lesson in enumerate(entry["lessons"]):
            row = Lesson(
                course=course,
                key=lesson["key"],
                position=position,
                **text_columns(lesson, "title", "body"),
                links=lesson["links"],
                quiz=lesson["quiz"],
                video_url=lesson.get("video", {}).get("url", ""),
                transcript_sv=lesson.get("video", {}).get("transcript", {}).get("sv", ""),
                transcript_en=lesson.get("video", {}).get("transcript", {}).get("en", ""),
            )
            lessons.append((row, lesson.get("attachments", [])))
    Lesson.objects.bulk_create([row for row, _files in lessons])
    for row, files in lessons:
        for file in files:
            data = base64.b64decode(file["data"])
            if len(data) != file["size"] or hashlib.sha256(data).hexdigest() != file["sha256"]:
                raise BundleError(_("Bilagan %(name)s stämmer inte med sin kontrollsumma.") % {"name": file["name"]})
            attachments.append(
                Attachment(
                    lesson=row,
                    name=file["name"],
                    content_type=file["content_type"],
                    size=file["size"],
                    sha256=file["sha256"],
                    data=data,
                )
            )
    Attachment.objects.bulk_create(attachments)
    return len(courses), len(lessons)


def install(*, installed_release: InstalledRelease, training: dict) -> int:
    """Write a validated ``training`` part as ``installed_release``'s courses (the caller holds the transaction)."""
    return courses_write(release=installed_release, entries=training["courses"])[0]
