"""Reads on the model configuration: drafts (public), installed releases (tenants)."""

from django.db.models import QuerySet

from modules.model_config.models import InstalledRelease, LocalResource, ModelItem


def _text(sv: str, en: str) -> dict:
    return {"sv": sv, "en": en}


def model_item_as_bundle(item: ModelItem) -> dict:
    return {
        "key": item.key,
        "name": _text(item.name_sv, item.name_en),
        "description": _text(item.description_sv, item.description_en),
        "details": item.details,
    }


def model_items(*, release: InstalledRelease | None = None) -> QuerySet[ModelItem]:
    """The items of an installed release, or with ``release=None`` the drafts (in public)."""
    if release is None:
        return ModelItem.objects.filter(release__isnull=True)
    return ModelItem.objects.filter(release=release)


def model_bundle_section(*, release: InstalledRelease | None = None) -> dict:
    """The ``model`` part of a bundle, built from the rows: the drafts, or what a tenant holds for a release."""
    section: dict[str, list[dict]] = {kind: [] for kind in ModelItem.Kind.values}
    for item in model_items(release=release).order_by("kind", "position", "key"):
        section[item.kind].append(model_item_as_bundle(item))
    return section


def installed_release_current() -> InstalledRelease | None:
    return InstalledRelease.objects.filter(is_current=True).first()


def installed_release(version: int) -> InstalledRelease | None:
    return InstalledRelease.objects.filter(version=version).first()


def model_item_in_release(*, version: int, kind: str, key: str) -> ModelItem | None:
    """The definition a record made with release ``version`` was made with (history stays readable)."""
    return ModelItem.objects.filter(release__version=version, kind=kind, key=key).first()


def local_resources() -> QuerySet[LocalResource]:
    return LocalResource.objects.all()
