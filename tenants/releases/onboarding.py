"""What releases tell provisioning (registered in ReleasesConfig.ready)."""

from tenants.releases.selectors import release_latest
from tenants.releases.services import release_install


def release_install_latest(*, tenant) -> dict | None:
    """Provisioning's "install the current model configuration" step: the newest published release."""
    release = release_latest()
    if release is None:
        return None
    release_install(tenant=tenant, release=release, make_current=True)
    return {"version": release.version}
