"""Training: safe lesson rendering, attachment limits, quiz pass marks, completion figures per role."""

import pytest
from django_tenants.utils import schema_context, tenant_context

from modules.accounts.models import User
from modules.training.models import Course, Lesson
from modules.training.selectors import completion_by_role, lesson_html
from modules.training.services import (
    TrainingError,
    attachment_add,
    course_drafts_load_defaults,
    course_save,
    lesson_quiz_submit,
    lesson_save,
)
from tests.factories import make_user

QUIZ = {
    "pass_mark": 2,
    "questions": [
        {
            "text": {"sv": "A?", "en": "A?"},
            "options": [{"sv": "ja", "en": "yes"}, {"sv": "nej", "en": "no"}],
            "correct": 0,
        },
        {
            "text": {"sv": "B?", "en": "B?"},
            "options": [{"sv": "ja", "en": "yes"}, {"sv": "nej", "en": "no"}],
            "correct": 1,
        },
    ],
}


@pytest.fixture
def local_course(ystad):
    with tenant_context(ystad):
        course = course_save(
            key="rutiner",
            title_sv="Rutiner",
            title_en="Routines",
            target_roles=["staff", "process_lead"],
            required=True,
        )
        lesson_save(course=course, key="l1", title_sv="Lektion", title_en="Lesson", body_sv="Hej", quiz=QUIZ)
        return course


def test_lesson_markdown_is_rendered_without_scripts_or_javascript_links(ystad, local_course):
    with tenant_context(ystad):
        lesson = Lesson.objects.get(course=local_course)
        lesson.body_sv = (
            "**Viktigt** <script>alert(1)</script> [länk](javascript:alert(1)) <img src=x onerror=alert(1)>"
        )
        html = lesson_html(lesson)
    assert "<strong>Viktigt</strong>" in html
    assert "<script" not in html and "javascript:" not in html and "onerror" not in html


def test_attachments_are_limited_in_type_and_size(db):
    with schema_context("public"):
        course_drafts_load_defaults()
        lesson = Lesson.objects.filter(course__release__isnull=True).first()
        assert attachment_add(lesson=lesson, name="guide.pdf", content_type="application/pdf", data=b"%PDF-1.4 x").size
        with pytest.raises(TrainingError, match="inte tillåten"):
            attachment_add(lesson=lesson, name="virus.exe", content_type="application/x-msdownload", data=b"MZ")
        with pytest.raises(TrainingError, match="för stor"):
            attachment_add(
                lesson=lesson, name="stor.pdf", content_type="application/pdf", data=b"%PDF" + b"0" * 3_000_000
            )
        with pytest.raises(TrainingError, match="inte en PDF"):
            attachment_add(lesson=lesson, name="fake.pdf", content_type="application/pdf", data=b"<html>")


def test_a_quiz_below_the_pass_mark_does_not_complete_the_lesson_and_a_later_fail_keeps_a_pass(ystad, local_course):
    user = make_user(ystad, email="c@ystad.example.se", role=User.Role.STAFF)
    with tenant_context(ystad):
        lesson = Lesson.objects.get(course=local_course)
        assert lesson_quiz_submit(user=user, lesson=lesson, answers=[0, 0]).passed is False
        assert lesson_quiz_submit(user=user, lesson=lesson, answers=[0, 1]).passed is True
        assert lesson_quiz_submit(user=user, lesson=lesson, answers=[1, 0]).passed is True


def test_completion_share_per_role_counts_staff_who_passed_every_required_course(ystad, local_course):
    done = make_user(ystad, email="d1@ystad.example.se", role=User.Role.STAFF)
    make_user(ystad, email="d2@ystad.example.se", role=User.Role.STAFF)
    make_user(ystad, email="d3@ystad.example.se", role=User.Role.PROCESS_LEAD)
    with tenant_context(ystad):
        lesson_quiz_submit(user=done, lesson=Lesson.objects.get(course=local_course), answers=[0, 1])
        figures = {row["role"]: row for row in completion_by_role()}
    assert (figures["staff"]["staff"], figures["staff"]["completed"], figures["staff"]["share"]) == (2, 1, 0.5)
    assert (figures["process_lead"]["completed"], figures["process_lead"]["share"]) == (0, 0.0)
    assert figures["staff"]["required_courses"] == ["rutiner"]


def test_a_quiz_whose_answer_is_not_an_option_is_refused(ystad, local_course):
    bad = {**QUIZ, "questions": [{**QUIZ["questions"][0], "correct": 5}], "pass_mark": 1}
    with tenant_context(ystad), pytest.raises(TrainingError):
        lesson_save(course=Course.objects.get(pk=local_course.pk), key="l2", title_sv="x", title_en="x", quiz=bad)


def test_a_lesson_attachment_is_served_as_a_download_only(ystad, local_course):
    from modules.training.models import Attachment
    from tests.factories import logged_in_client

    make_user(ystad, email="f@ystad.example.se", role=User.Role.STAFF)
    with tenant_context(ystad):
        lesson = Lesson.objects.get(course=local_course)
        attachment = Attachment.objects.create(
            lesson=lesson, name="<script>.pdf", content_type="application/pdf", size=4, sha256="a" * 64, data=b"%PDF"
        )
    response = logged_in_client(ystad, "f@ystad.example.se").get(f"/training/attachments/{attachment.pk}/")
    assert response.status_code == 200 and response.content == b"%PDF"
    assert response["Content-Disposition"].startswith("attachment;") and "<" not in response["Content-Disposition"]


def test_a_lesson_link_must_be_a_web_address(ystad, local_course):
    links = [{"title": {"sv": "Klicka", "en": "Click"}, "url": "javascript:alert(1)"}]
    with tenant_context(ystad), pytest.raises(TrainingError, match="Länkarna"):
        lesson_save(course=Course.objects.get(pk=local_course.pk), key="l3", title_sv="x", title_en="x", links=links)
