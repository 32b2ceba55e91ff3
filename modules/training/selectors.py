"""Reads on training: courses (drafts, installed, local), lessons rendered safely, progress and completion."""

import re

import markdown
import nh3
from django.db.models import Q, QuerySet
from django.utils import translation

from modules.accounts.models import User
from modules.model_config.models import InstalledRelease
from modules.training.models import Course, Lesson, LessonProgress

LOCAL_ROLES = [User.Role.LOCAL_ADMIN, User.Role.PROCESS_LEAD, User.Role.STAFF]


def courses_of(*, release: InstalledRelease | None = None) -> QuerySet[Course]:
    """A release's courses; with ``release=None`` the unreleased ones (drafts in public, local ones in tenants)."""
    courses = Course.objects.filter(release=release) if release else Course.objects.filter(release__isnull=True)
    return courses.prefetch_related("lessons__attachments").order_by("position", "key")


def courses_available() -> QuerySet[Course]:
    """In a tenant: the current release's courses plus the tenant's own."""
    return Course.objects.filter(Q(release__is_current=True) | Q(release__isnull=True)).order_by(
        "release", "position", "key"
    )


def courses_for_role(role: str) -> list[Course]:
    return [course for course in courses_available() if role in course.target_roles]


_HEADING = re.compile(r"<(/?)h([1-5])>")


def lesson_html(lesson: Lesson) -> str:
    """The lesson's Markdown as HTML, with anything unsafe (scripts, event handlers, javascript: links) removed.

    Headings move one level down: the page's own <h1> is the lesson title.
    """
    html = nh3.clean(markdown.markdown(lesson.body, extensions=["extra", "sane_lists"]))
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}>", html)


def progress_of(user: User) -> dict[tuple[str, str], LessonProgress]:
    return {(p.course_key, p.lesson_key): p for p in LessonProgress.objects.filter(user=user)}


def course_completed(*, course: Course, passed: set[tuple[str, str]]) -> bool:
    keys = [lesson.key for lesson in course.lessons.all()]
    return bool(keys) and all((course.key, key) in passed for key in keys)


def course_progress_for(user: User) -> list[dict]:
    """Each course available to the user's role with how many lessons they passed."""
    passed = {key for key, progress in progress_of(user).items() if progress.passed}
    rows = []
    for course in courses_for_role(user.role):
        lessons = list(course.lessons.all())
        done = sum((course.key, lesson.key) in passed for lesson in lessons)
        rows.append(
            {
                "course": course,
                "lessons": len(lessons),
                "passed": done,
                "completed": course_completed(course=course, passed=passed),
            }
        )
    return rows


def completion_by_role() -> list[dict]:
    """Per local role: staff count and the share who completed every required course for their role.

    Feeds the onboarding checklist ("training completed").
    """
    courses = list(courses_available().prefetch_related("lessons"))
    passed_by_user: dict[int, set[tuple[str, str]]] = {}
    for user_id, course_key, lesson_key in LessonProgress.objects.filter(passed=True).values_list(
        "user_id", "course_key", "lesson_key"
    ):
        passed_by_user.setdefault(user_id, set()).add((course_key, lesson_key))
    figures = []
    for role in LOCAL_ROLES:
        required = [course for course in courses if course.required and role in course.target_roles]
        users = list(User.objects.filter(role=role, is_active=True).values_list("pk", flat=True))
        completed = sum(
            all(course_completed(course=course, passed=passed_by_user.get(user_id, set())) for course in required)
            for user_id in users
        )
        figures.append(
            {
                "role": role,
                "label": User.Role(role).label,
                "staff": len(users),
                "completed": completed,
                "share": round(completed / len(users), 3) if users else None,
                "required_courses": [course.key for course in required],
            }
        )
    return figures


def training_checklist_facts() -> tuple[str, str] | None:
    """The onboarding checklist's "training completed" item from the staff's own progress (active tenant schema).

    None while nothing required is installed: the item is then set by hand.
    """
    if not courses_available().filter(required=True).exists():
        return None
    figures = [row for row in completion_by_role() if row["staff"]]
    staff = sum(row["staff"] for row in figures)
    completed = sum(row["completed"] for row in figures)
    if not staff:
        return "todo", "Ingen personal att utbilda ännu."
    with translation.override("sv"):  # the checklist's notes are kept in Swedish, as the rest of them
        per_role = ", ".join(f"{row['label']} {row['completed']} av {row['staff']}" for row in figures)
    note = f"{completed} av {staff} medarbetare har genomgått de obligatoriska kurserna ({per_role})."
    if completed == staff:
        return "done", note
    return ("in_progress" if completed else "todo"), note
