"""What releases tell provisioning and the onboarding checklist (registered in ReleasesConfig.ready)."""

from modules.model_config.models import InstalledRelease
from tenants.releases.selectors import release_latest
from tenants.releases.services import release_install


def release_install_latest(*, tenant) -> dict | None:
    """Provisioning's "install the current model configuration" step: the newest published release."""
    release = release_latest()
    if release is None:
        return None
    release_install(tenant=tenant, release=release, make_current=True)
    return {"version": release.version}


def release_checklist_state(*, tenant) -> tuple[str, str]:
    current = InstalledRelease.objects.filter(is_current=True).first()
    if current is None:
        return "todo", "Ingen release av modellkonfigurationen är installerad."
    return "done", f"Release {current.version} är installerad och gäller."
