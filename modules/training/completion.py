"""Reads on required training per staff member: who has not completed what their role requires (for the daily
reminders), and when a course was completed (for the certificate). Active tenant schema; a fixed number of
queries whatever the staff count."""

from django.db.models import Max

from modules.accounts.models import User
from modules.training.models import Course, LessonProgress
from modules.training.selectors import LOCAL_ROLES, course_completed, courses_available


def _passed_by_user(user_ids=None) -> dict[int, set[tuple[str, str]]]:
    progress = LessonProgress.objects.filter(passed=True)
    if user_ids is not None:
        progress = progress.filter(user_id__in=user_ids)
    passed: dict[int, set[tuple[str, str]]] = {}
    for user_id, course_key, lesson_key in progress.values_list("user_id", "course_key", "lesson_key"):
        passed.setdefault(user_id, set()).add((course_key, lesson_key))
    return passed


def staff_missing_required_training() -> list[tuple[User, list[Course]]]:
    """Active staff with the required courses of their role they have not completed, in name order."""
    required = list(courses_available().filter(required=True).prefetch_related("lessons"))
    if not required:
        return []
    by_role = {role: [course for course in required if role in course.target_roles] for role in LOCAL_ROLES}
    passed = _passed_by_user()
    missing = []
    for user in User.objects.filter(is_active=True, role__in=LOCAL_ROLES).order_by("full_name", "pk"):
        courses = [
            course
            for course in by_role[user.role]
            if not course_completed(course=course, passed=passed.get(user.pk, set()))
        ]
        if courses:
            missing.append((user, courses))
    return missing


def course_completed_at(*, user: User, course: Course):
    """When ``user`` passed the last of ``course``'s lessons, or None while any lesson is not passed."""
    if not course_completed(course=course, passed=_passed_by_user([user.pk]).get(user.pk, set())):
        return None
    return LessonProgress.objects.filter(user=user, course_key=course.key, passed=True).aggregate(
        at=Max("completed_at")
    )["at"]
