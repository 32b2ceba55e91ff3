"""Reads on releases, rollouts and what each tenant holds."""

from django.db.models import Count, Q, QuerySet
from django_tenants.utils import schema_context

from modules.model_config.models import InstalledRelease
from tenants.models import Tenant
from tenants.releases.bundle import bundle_checksum, bundle_diff, bundle_export
from tenants.releases.models import Release, ReleaseProposal, Rollout, RolloutTarget, TenantReleaseChoice
from tenants.selectors import tenants_ready


def release_latest() -> Release | None:
    """The newest published release (what provisioning installs into a new tenant)."""
    return Release.objects.order_by("-version").first()


def releases_published() -> QuerySet[Release]:
    return Release.objects.order_by("-version")


def release_by_version(version: int) -> Release | None:
    return Release.objects.filter(version=version).first()


def release_proposals_open() -> QuerySet[ReleaseProposal]:
    """Proposals waiting for review or for their date, oldest first."""
    return (
        ReleaseProposal.objects.filter(state__in=[ReleaseProposal.State.PROPOSED, ReleaseProposal.State.SCHEDULED])
        .select_related("proposed_by", "decided_by")
        .order_by("proposed_at", "pk")
    )


def release_scheduled() -> QuerySet[ReleaseProposal]:
    """Approved releases waiting for their date: their notes are shown to local admins before they come out."""
    return ReleaseProposal.objects.filter(state=ReleaseProposal.State.SCHEDULED).order_by("publish_at", "pk")


def tenants_for_rollout() -> QuerySet[Tenant]:
    """Every ready tenant, paused ones included; a tenant being provisioned installs the current release itself."""
    return tenants_ready().order_by("pk")


def rollouts() -> QuerySet[Rollout]:
    return (
        Rollout.objects.select_related("release")
        .annotate(
            total=Count("targets"),
            installed=Count("targets", filter=Q(targets__state=RolloutTarget.State.INSTALLED)),
            failed=Count("targets", filter=Q(targets__state=RolloutTarget.State.FAILED)),
        )
        .order_by("-started_at", "-pk")
    )


def rollout_progress(rollout: Rollout) -> dict:
    """Counts per state and the share done (installed or pinned elsewhere), for the live rollout page."""
    counts = dict(rollout.targets.values_list("state").annotate(n=Count("pk")).values_list("state", "n"))
    total = sum(counts.values())
    done = counts.get(RolloutTarget.State.INSTALLED, 0) + counts.get(RolloutTarget.State.PINNED, 0)
    return {
        "rollout": rollout.pk,
        "release": rollout.release.version,
        "total": total,
        **{state: counts.get(state, 0) for state in RolloutTarget.State.values},
        "done": done,
        "percent": round(100 * done / total, 1) if total else 100.0,
        "finished": counts.get(RolloutTarget.State.PENDING, 0) == 0,
    }


def rollout_targets(rollout: Rollout) -> QuerySet[RolloutTarget]:
    return rollout.targets.select_related("tenant").order_by("tenant__name")


def tenant_pinned_release(tenant: Tenant) -> Release | None:
    choice = TenantReleaseChoice.objects.filter(tenant=tenant).select_related("pinned_release").first()
    return choice.pinned_release if choice else None


def tenant_current_version(tenant: Tenant) -> int | None:
    with schema_context(tenant.schema_name):
        return InstalledRelease.objects.filter(is_current=True).values_list("version", flat=True).first()


def tenant_installed_versions(tenant: Tenant) -> list[int]:
    with schema_context(tenant.schema_name):
        return list(InstalledRelease.objects.order_by("version").values_list("version", flat=True))


def tenant_release_overview(tenant: Tenant) -> dict:
    """For a local admin: current release, pin or follow, and what each newer release would change."""
    current_version = tenant_current_version(tenant)
    current = release_by_version(current_version) if current_version else None
    newer = releases_published().filter(version__gt=current_version or 0).order_by("version")
    return {
        "current": current,
        "current_version": current_version,
        "scheduled": list(release_scheduled()),
        "pinned": tenant_pinned_release(tenant),
        "installed_versions": tenant_installed_versions(tenant),
        "newer": [
            {"release": release, "diff": bundle_diff(current.bundle if current else None, release.bundle)}
            for release in newer
        ],
    }


def tenant_held_bundle(*, tenant: Tenant, version: int) -> dict | None:
    """The bundle rebuilt from the rows ``tenant`` holds for ``version``: proof of what was installed."""
    with schema_context(tenant.schema_name):
        installed = InstalledRelease.objects.filter(version=version).first()
        if installed is None:
            return None
        return bundle_export(version=version, release=installed)


def tenant_held_checksum(*, tenant: Tenant, version: int) -> str | None:
    bundle = tenant_held_bundle(tenant=tenant, version=version)
    return bundle_checksum(bundle) if bundle is not None else None
