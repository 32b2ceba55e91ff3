"""Where other capabilities plug into provisioning without this app importing them.

Model configuration releases (issue 5, ``tenants/releases``) register the function that installs the
latest published release into the active tenant schema::

    # tenants/releases/apps.py, in ReleasesConfig.ready()
    from tenants.provisioning.hooks import release_installer_register
    release_installer_register(release_install_latest)  # called inside tenant_context(tenant)

The installer returns a short description of what it installed (e.g. {"version": "2026.1"}) or None
when no release has been published yet. Until one is registered the step records "no release published yet".
"""

from collections.abc import Callable

_release_installer: Callable[..., dict | None] | None = None


def release_installer_register(installer: Callable[..., dict | None] | None) -> None:
    global _release_installer
    _release_installer = installer


def release_installer() -> Callable[..., dict | None] | None:
    return _release_installer
