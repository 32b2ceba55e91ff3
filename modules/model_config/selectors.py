"""Reads on the model configuration: drafts (public), installed releases (tenants)."""

from django.db.models import QuerySet

from modules.model_config.models import InstalledRelease, LocalResource, ModelItem


def model_items(*, release: InstalledRelease | None = None) -> QuerySet[ModelItem]:
    """The items of an installed release, or with ``release=None`` the drafts (in public)."""
    if release is None:
        return ModelItem.objects.filter(release__isnull=True)
    return ModelItem.objects.filter(release=release)


def installed_release_current() -> InstalledRelease | None:
    return InstalledRelease.objects.filter(is_current=True).first()


def installed_release(version: int) -> InstalledRelease | None:
    return InstalledRelease.objects.filter(version=version).first()


def model_item_in_release(*, version: int, kind: str, key: str) -> ModelItem | None:
    """The definition a record made with release ``version`` was made with (history stays readable)."""
    return ModelItem.objects.filter(release__version=version, kind=kind, key=key).first()


def local_resources() -> QuerySet[LocalResource]:
    return LocalResource.objects.all()


def release_checklist_facts() -> tuple[str, str]:
    """The onboarding checklist's "model configuration installed" item, for the active tenant schema."""
    current = installed_release_current()
    if current is None:
        return "todo", "Ingen release av modellkonfigurationen är installerad."
    return "done", f"Release {current.version} är installerad och gäller."
