"""API of the central site."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from api import national_tenants, onboarding, releases, statistics
from api.exceptions import NotFoundView
from api.urls_common import urlpatterns as common_urlpatterns

urlpatterns = [
    # The central site's schema documents the central URL conf (the shared view would use ROOT_URLCONF, the
    # tenant one); listed before the common routes so it wins.
    path("schema/", SpectacularAPIView.as_view(urlconf="backa_platform.urls_central"), name="api-schema-central"),
    *common_urlpatterns,
    path("applications/", onboarding.ApplicationListCreate.as_view(), name="api-applications"),
    path("applications/<int:pk>/", onboarding.ApplicationDetail.as_view(), name="api-application"),
    path("applications/<int:pk>/approve/", onboarding.ApplicationApprove.as_view(), name="api-application-approve"),
    path("applications/<int:pk>/reject/", onboarding.ApplicationReject.as_view(), name="api-application-reject"),
    path("statistics/", statistics.NationalStatistics.as_view(), name="api-statistics-national"),
    path("tenants/", national_tenants.TenantList.as_view(), name="api-tenants"),
    path("tenants/<int:pk>/", national_tenants.TenantDetail.as_view(), name="api-tenant"),
    path("tenants/<int:pk>/events/", national_tenants.TenantEventList.as_view(), name="api-tenant-events"),
    path(
        "tenants/<int:pk>/provisioning-jobs/",
        national_tenants.TenantProvisioningJobList.as_view(),
        name="api-tenant-jobs",
    ),
    path("tenants/<int:pk>/checklist/", national_tenants.TenantChecklist.as_view(), name="api-tenant-checklist"),
    path("tenants/<int:pk>/suspend/", national_tenants.TenantSuspend.as_view(), name="api-tenant-suspend"),
    path("tenants/<int:pk>/reactivate/", national_tenants.TenantReactivate.as_view(), name="api-tenant-reactivate"),
    path("tenants/<int:pk>/exports/", national_tenants.TenantExportList.as_view(), name="api-tenant-exports"),
    path("tenants/<int:pk>/export/", national_tenants.TenantExportCreate.as_view(), name="api-tenant-export"),
    path("tenants/<int:pk>/archive/", national_tenants.TenantArchive.as_view(), name="api-tenant-archive"),
    path(
        "provisioning-jobs/<int:pk>/retry/",
        national_tenants.ProvisioningJobRetry.as_view(),
        name="api-provisioning-retry",
    ),
    # Releases and rollouts.
    path("releases/", releases.ReleaseList.as_view(), name="api-releases"),
    path("releases/draft-preview/", releases.DraftPreview.as_view(), name="api-release-draft-preview"),
    path("releases/proposals/", releases.ProposalList.as_view(), name="api-release-proposals"),
    path(
        "releases/proposals/<int:pk>/approve/", releases.ProposalApprove.as_view(), name="api-release-proposal-approve"
    ),
    path("releases/<int:version>/", releases.ReleaseDetail.as_view(), name="api-release"),
    path("rollouts/", releases.RolloutList.as_view(), name="api-rollouts"),
    path("rollouts/<int:pk>/", releases.RolloutDetail.as_view(), name="api-rollout"),
    path(
        "rollouts/<int:pk>/targets/<int:target_id>/retry/",
        releases.RolloutTargetRetry.as_view(),
        name="api-rollout-target-retry",
    ),
    # Last: every other path under /api/ is answered with the error body (api.exceptions).
    re_path(r"^[\s\S]*/$", NotFoundView.as_view(), name="api-not-found"),
]
