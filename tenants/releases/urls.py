from django.urls import path

from modules.training import views as training_views
from tenants.releases import views

central_urlpatterns = [
    path("content/", views.drafts, name="content-drafts"),
    path("content/items/new/", views.draft_item_edit, name="content-item-new"),
    path("content/items/<int:pk>/", views.draft_item_edit, name="content-item-edit"),
    # The course and lesson editors are training's own, shared with a tenant's local admins.
    path("content/courses/new/", training_views.course_edit, name="content-course-new"),
    path("content/courses/<int:pk>/", training_views.course_edit, name="content-course-edit"),
    path("content/courses/<int:course_pk>/lessons/new/", training_views.lesson_edit, name="content-lesson-new"),
    path("content/courses/<int:course_pk>/lessons/<int:pk>/", training_views.lesson_edit, name="content-lesson-edit"),
    path("content/preview/", views.draft_preview_page, name="content-preview"),
    path("releases/", views.release_list, name="release-list"),
    path("releases/proposals/<int:pk>/", views.release_proposal_page, name="release-proposal"),
    path("releases/<int:version>/", views.release_detail, name="release-detail"),
    path("rollouts/<int:pk>/", views.rollout_detail, name="rollout-detail"),
    path("rollouts/<int:pk>/progress.json", views.rollout_progress_json, name="rollout-progress"),
    path("rollouts/<int:pk>/targets/<int:target_id>/retry/", views.rollout_target_retry_view, name="rollout-retry"),
]

tenant_urlpatterns = [
    path("release/", views.tenant_release, name="tenant-release"),
    path("resources/", views.local_resources_page, name="local-resources"),
]
