"""API of a tenant site."""

from api.urls_common import urlpatterns as common_urlpatterns

urlpatterns = [*common_urlpatterns]

# Installed model configuration, release choice and training (issue 5).
from django.urls import path  # noqa: E402

from api import model_config, training  # noqa: E402

urlpatterns += [
    path("model-configuration/", model_config.CurrentConfiguration.as_view(), name="api-model-configuration"),
    path(
        "model-configuration/<int:version>/",
        model_config.ConfigurationByVersion.as_view(),
        name="api-model-configuration-version",
    ),
    path("release/", model_config.ReleaseState.as_view(), name="api-release-state"),
    path("training/courses/", training.MyCourses.as_view(), name="api-training-courses"),
    path("training/courses/<slug:key>/lessons/", training.CourseLessons.as_view(), name="api-training-lessons"),
    path(
        "training/courses/<slug:key>/lessons/<slug:lesson_key>/quiz/",
        training.LessonQuiz.as_view(),
        name="api-training-quiz",
    ),
    path("training/completion/", training.CompletionByRole.as_view(), name="api-training-completion"),
    path("training/local-courses/", training.LocalCourses.as_view(), name="api-training-local-courses"),
    path(
        "training/local-courses/<slug:key>/lessons/",
        training.LocalLessons.as_view(),
        name="api-training-local-lessons",
    ),
    path("local-resources/", model_config.LocalResources.as_view(), name="api-local-resources"),
]
