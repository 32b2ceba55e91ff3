"""Writes on the model configuration: editing drafts (public) and installing a release's items (tenants)."""

from django.db import transaction
from django.utils.translation import gettext as _

from backa_platform.core.errors import ServiceError
from modules.model_config import defaults
from modules.model_config.bundle import BundleError, details_validate, items_write
from modules.model_config.models import LocalResource, ModelItem
from modules.model_config.signals import draft_changed


class ModelConfigError(ServiceError):
    pass


@transaction.atomic
def model_item_save(
    *,
    item: ModelItem | None = None,
    kind: str,
    key: str,
    name_sv: str,
    name_en: str,
    description_sv: str = "",
    description_en: str = "",
    details: dict | None = None,
    position: int | None = None,
    acting_user=None,
) -> ModelItem:
    """Create or change a draft item; its details must match its kind's schema."""
    if kind not in ModelItem.Kind.values:
        raise ModelConfigError(_("Okänd typ: %(kind)s.") % {"kind": kind})
    details = details if details is not None else {}
    try:
        details_validate(kind=kind, details=details)
    except BundleError as error:
        raise ModelConfigError({"details": error.messages}) from error
    if not name_sv.strip() or not name_en.strip():
        raise ModelConfigError(_("Namnet behövs på både svenska och engelska."))
    clash = ModelItem.objects.filter(release__isnull=True, kind=kind, key=key)
    if item is not None:
        clash = clash.exclude(pk=item.pk)
    if clash.exists():
        raise ModelConfigError(_("Nyckeln %(key)s finns redan bland utkasten.") % {"key": key})
    if item is None:
        item = ModelItem(release=None)
        if position is None:
            position = ModelItem.objects.filter(release__isnull=True, kind=kind).count()
    elif item.release_id is not None:
        raise ModelConfigError(_("En publicerad release kan inte ändras."))
    item.kind, item.key = kind, key
    item.name_sv, item.name_en = name_sv.strip(), name_en.strip()
    item.description_sv, item.description_en = description_sv.strip(), description_en.strip()
    item.details = details
    if position is not None:
        item.position = position
    action = "changed" if item.pk else "added"
    item.full_clean()
    item.save()
    _draft_changed(acting_user=acting_user, what=kind, key=key, action=action)
    return item


@transaction.atomic
def model_item_delete(*, item: ModelItem, acting_user=None) -> None:
    if item.release_id is not None:
        raise ModelConfigError(_("En publicerad release kan inte ändras."))
    item.delete()
    _draft_changed(acting_user=acting_user, what=item.kind, key=item.key, action="removed")


def _draft_changed(**event) -> None:
    draft_changed.send(sender=ModelItem, **event)


@transaction.atomic
def model_drafts_load_defaults() -> int:
    """Fill the drafts with the default content (Ystad's wording) where no draft of that kind exists."""
    created = 0
    for kind, items in defaults.MODEL.items():
        if ModelItem.objects.filter(release__isnull=True, kind=kind).exists():
            continue
        created += items_write(release=None, model={kind: items})
    return created


@transaction.atomic
def local_resource_create(
    *, kind: str, title: str, description: str = "", url: str = "", phone: str = "", email: str = ""
) -> LocalResource:
    resource = LocalResource(kind=kind, title=title, description=description, url=url, phone=phone, email=email)
    resource.full_clean()
    resource.save()
    return resource
