"""API of the central site."""

from api.urls_common import urlpatterns as common_urlpatterns

urlpatterns = [*common_urlpatterns]

# Releases and rollouts (issue 5).
from django.urls import path  # noqa: E402

from api import releases  # noqa: E402

urlpatterns += [
    path("releases/", releases.ReleaseList.as_view(), name="api-releases"),
    path("releases/draft-preview/", releases.DraftPreview.as_view(), name="api-release-draft-preview"),
    path("releases/<int:version>/", releases.ReleaseDetail.as_view(), name="api-release"),
    path("rollouts/", releases.RolloutList.as_view(), name="api-rollouts"),
    path("rollouts/<int:pk>/", releases.RolloutDetail.as_view(), name="api-rollout"),
    path(
        "rollouts/<int:pk>/targets/<int:target_id>/retry/",
        releases.RolloutTargetRetry.as_view(),
        name="api-rollout-target-retry",
    ),
]
