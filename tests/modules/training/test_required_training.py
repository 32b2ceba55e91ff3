"""Required training: staff who have not completed what their role requires are reminded (daily task, at most
once a week each, in their own language); a completed course gives a certificate (PDF); the onboarding checklist
shows completion per role."""

import io
from datetime import timedelta

from django.core import mail
from django.utils import timezone
from django_tenants.utils import tenant_context
from pypdf import PdfReader

from modules.accounts.models import User
from modules.training.models import Lesson
from modules.training.reminders import training_reminders_send
from modules.training.services import course_save, lesson_quiz_submit, lesson_save
from modules.training.tasks import send_training_reminders
from tests.factories import logged_in_client, make_user
from tests.modules.training.test_training import QUIZ


def _required_course(tenant):
    with tenant_context(tenant):
        course = course_save(
            key="rutiner",
            title_sv="Våra rutiner",
            title_en="Our routines",
            target_roles=["staff", "process_lead"],
            required=True,
        )
        lesson_save(course=course, key="l1", title_sv="Första lektionen", title_en="First lesson", quiz=QUIZ)
        lesson_save(course=course, key="l2", title_sv="Andra lektionen", title_en="Second lesson", quiz=QUIZ)
    return course


def _complete(tenant, user, course):
    with tenant_context(tenant):
        for lesson in Lesson.objects.filter(course=course):
            lesson_quiz_submit(user=user, lesson=lesson, answers=[0, 1])


def test_staff_missing_required_training_are_reminded_once_a_week_in_their_language(ystad):
    course = _required_course(ystad)
    behind = make_user(ystad, email="efter@ystad.se", role=User.Role.STAFF, full_name="Eva Efter")
    english = make_user(ystad, email="english@ystad.se", role=User.Role.PROCESS_LEAD, full_name="Emma English")
    done = make_user(ystad, email="klar@ystad.se", role=User.Role.STAFF, full_name="Klara Klar")
    make_user(ystad, email="admin.utb@ystad.se", role=User.Role.LOCAL_ADMIN)  # the course is not for their role
    with tenant_context(ystad):
        User.objects.filter(pk=english.pk).update(language="en")
        half = make_user(ystad, email="halv@ystad.se", role=User.Role.STAFF, full_name="Halvar Halv")
        lesson_quiz_submit(user=half, lesson=Lesson.objects.get(course=course, key="l1"), answers=[0, 1])
    _complete(ystad, done, course)

    assert send_training_reminders.apply(headers={"_schema_name": ystad.schema_name}).get() == 3
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {behind.email, english.email, "halv@ystad.se"}
    swedish = by_recipient[behind.email]
    assert swedish.subject == "Påminnelse: obligatorisk utbildning i Backa barnet"
    assert "- Våra rutiner" in swedish.body and "http://ystad.localhost/training/" in swedish.body
    assert by_recipient[english.email].subject == "Reminder: required training in Backa barnet"
    assert "- Our routines" in by_recipient[english.email].body

    with tenant_context(ystad):
        assert training_reminders_send() == 0  # the same day: nobody again
        assert training_reminders_send(today=timezone.localdate() + timedelta(days=6)) == 0
        _complete(ystad, behind, course)
        assert training_reminders_send(today=timezone.localdate() + timedelta(days=7)) == 2


def test_a_completed_course_gives_a_certificate_pdf(ystad):
    course = _required_course(ystad)
    make_user(ystad, email="łukasz@ystad.se", role=User.Role.STAFF, full_name="Łukasz Ødegård")
    with tenant_context(ystad):
        user = User.objects.get(email="łukasz@ystad.se")
    client = logged_in_client(ystad, "łukasz@ystad.se")
    response = client.get("/training/rutiner/intyg.pdf", follow=True)
    assert "Du får intyget när du har klarat kursens alla lektioner." in response.content.decode()
    _complete(ystad, user, course)
    assert "Ladda ner intyg för Våra rutiner (PDF)" in client.get("/training/").content.decode()
    response = client.get("/training/rutiner/intyg.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="intyg-rutiner.pdf"'
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Intyg" in text and "Łukasz Ødegård har genomgått kursen" in text and "Våra rutiner" in text
    assert "2 godkända lektioner: Första lektionen, Andra lektionen" in text
    assert "Utfärdat av Ystads kommun." in text
    assert f"Genomförd {timezone.localdate().day} " in text


def test_the_onboarding_checklist_shows_completion_per_role(ystad):
    course = _required_course(ystad)
    make_user(ystad, email="admin.lista@ystad.se", role=User.Role.LOCAL_ADMIN)
    first = make_user(ystad, email="en@ystad.se", role=User.Role.STAFF)
    make_user(ystad, email="tva@ystad.se", role=User.Role.STAFF)
    make_user(ystad, email="led@ystad.se", role=User.Role.PROCESS_LEAD)
    _complete(ystad, first, course)
    page = logged_in_client(ystad, "admin.lista@ystad.se").get("/inforande/").content.decode()
    assert "Genomförd utbildning per roll" in page
    compact = " ".join(page.split())
    assert "<td>Medarbetare</td><td>2</td><td>1</td><td>50 %</td>" in compact.replace("> <", "><")
    assert "<td>Processledare</td><td>1</td><td>0</td><td>0 %</td>" in compact.replace("> <", "><")
    assert "Medarbetare 1 av 2" in compact and "Processledare 0 av 1" in compact
