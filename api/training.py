"""Tenant API: courses, lessons, one's own progress and quiz answers; completion figures for local admins."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import IsLocalAdmin
from backa_platform.core.validators import LESSON_MAX_LENGTH, LONG_TEXT_MAX_LENGTH
from modules.training.models import Course, Lesson
from modules.training.selectors import completion_by_role, course_progress_for, courses_available, lesson_html
from modules.training.services import course_save, lesson_quiz_submit, lesson_save


class CourseProgressSerializer(serializers.Serializer):
    key = serializers.CharField(source="course.key")
    title = serializers.CharField(source="course.title")
    required = serializers.BooleanField(source="course.required")
    local = serializers.BooleanField(source="course.is_local")
    lessons = serializers.IntegerField()
    passed = serializers.IntegerField()
    completed = serializers.BooleanField()


class MyCourses(APIView):
    """The courses meant for my role (the current release's and this tenant's own) with my progress."""

    @extend_schema(responses=CourseProgressSerializer(many=True))
    def get(self, request):
        return Response(CourseProgressSerializer(course_progress_for(request.user), many=True).data)


class QuizQuestionSerializer(serializers.Serializer):
    text = serializers.CharField()
    options = serializers.ListField(child=serializers.CharField())


class LessonSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    html = serializers.CharField(help_text="The lesson's Markdown rendered and sanitised.")
    links = serializers.JSONField()
    attachments = serializers.ListField(child=serializers.DictField())
    pass_mark = serializers.IntegerField()
    questions = QuizQuestionSerializer(many=True)


def _lesson(lesson: Lesson, language: str) -> dict:
    quiz = lesson.quiz or {}
    lang = "en" if language.startswith("en") else "sv"
    return {
        "key": lesson.key,
        "title": lesson.title,
        "html": lesson_html(lesson),
        "links": lesson.links,
        "attachments": [
            {"name": a.name, "content_type": a.content_type, "size": a.size} for a in lesson.attachments.all()
        ],
        "pass_mark": quiz.get("pass_mark", 0),
        # The right answers stay on the server.
        "questions": [
            {"text": q["text"][lang], "options": [o[lang] for o in q["options"]]} for q in quiz.get("questions", [])
        ],
    }


def _course(key: str) -> Course:
    return get_object_or_404(courses_available(), key=key)


class CourseLessons(APIView):
    """A course's lessons, in order, without the answers."""

    @extend_schema(responses=LessonSerializer(many=True))
    def get(self, request, key: str):
        course = _course(key)
        return Response(
            LessonSerializer(
                [_lesson(lesson, request.LANGUAGE_CODE) for lesson in course.lessons.all()], many=True
            ).data
        )


class AnswersSerializer(serializers.Serializer):
    answers = serializers.ListField(child=serializers.IntegerField(min_value=0))


class ResultSerializer(serializers.Serializer):
    score = serializers.IntegerField()
    passed = serializers.BooleanField()
    completed_at = serializers.DateTimeField(allow_null=True)


class LessonQuiz(APIView):
    """Answer a lesson's quiz; passing at the pass mark completes the lesson."""

    @extend_schema(request=AnswersSerializer, responses=ResultSerializer)
    def post(self, request, key: str, lesson_key: str):
        lesson = get_object_or_404(Lesson, course=_course(key), key=lesson_key)
        form = AnswersSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        progress = lesson_quiz_submit(user=request.user, lesson=lesson, answers=form.validated_data["answers"])
        return Response(ResultSerializer(progress).data)


class CompletionSerializer(serializers.Serializer):
    role = serializers.CharField()
    label = serializers.CharField()
    staff = serializers.IntegerField()
    completed = serializers.IntegerField()
    share = serializers.FloatField(allow_null=True)
    required_courses = serializers.ListField(child=serializers.CharField())


class CompletionByRole(APIView):
    """Per role: how many staff completed every required course (feeds the onboarding checklist)."""

    permission_classes = [IsLocalAdmin]

    @extend_schema(responses=CompletionSerializer(many=True))
    def get(self, request):
        return Response(CompletionSerializer(completion_by_role(), many=True).data)


class LocalCourseSerializer(serializers.Serializer):
    key = serializers.SlugField(max_length=60)
    title_sv = serializers.CharField(max_length=200)
    title_en = serializers.CharField(max_length=200)
    description_sv = serializers.CharField(
        max_length=LONG_TEXT_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
    description_en = serializers.CharField(
        max_length=LONG_TEXT_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
    target_roles = serializers.ListField(child=serializers.CharField())
    required = serializers.BooleanField(default=False)


class LocalCourses(APIView):
    """A local admin adds a course of this tenant's own; it survives every release update."""

    permission_classes = [IsLocalAdmin]

    @extend_schema(request=LocalCourseSerializer, responses={201: LocalCourseSerializer})
    def post(self, request):
        form = LocalCourseSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        course = course_save(**form.validated_data)
        return Response(LocalCourseSerializer(course).data, status=201)


class LocalLessonSerializer(serializers.Serializer):
    key = serializers.SlugField(max_length=60)
    title_sv = serializers.CharField(max_length=200)
    title_en = serializers.CharField(max_length=200)
    body_sv = serializers.CharField(
        max_length=LESSON_MAX_LENGTH, required=False, allow_blank=True, default="", help_text="Markdown"
    )
    body_en = serializers.CharField(
        max_length=LESSON_MAX_LENGTH, required=False, allow_blank=True, default="", help_text="Markdown"
    )
    links = serializers.JSONField(required=False, default=list)
    quiz = serializers.JSONField(required=False, default=dict, help_text="pass_mark and questions, as in the bundle")


class LocalLessons(APIView):
    """A local admin adds a lesson (with its quiz) to one of this tenant's own courses."""

    permission_classes = [IsLocalAdmin]

    @extend_schema(request=LocalLessonSerializer, responses={201: LocalLessonSerializer})
    def post(self, request, key: str):
        course = get_object_or_404(Course, release__isnull=True, key=key)
        form = LocalLessonSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        lesson = lesson_save(course=course, acting_user=request.user, **form.validated_data)
        return Response(LocalLessonSerializer(lesson).data, status=201)
