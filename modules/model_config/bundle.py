"""The ``model`` part of a release bundle, owned here: its JSON schema, validation, export and install.

``{kind: [{"key", "name": {"sv", "en"}, "description": {"sv", "en"}, "details": {…}}, …]}`` for every
``ModelItem.Kind``; what ``details`` carries depends on the kind. tenants/releases composes this part with
the others, checksums, diffs, stores and rolls out the whole.
"""

import jsonschema
from django.utils.translation import gettext as _

from backa_platform.core.bundle import (
    KEY,
    OPTIONAL_TEXT,
    TEXT,
    TEXT_LIST,
    BundleError,
    compiled,
    keys_unique,
    part_validate,
    schema_errors,
    text,
    text_columns,
)
from modules.model_config.models import InstalledRelease, ModelItem

SECTION = "model"


def _list_of(name: str, item_properties: dict, *, min_items: int) -> dict:
    """Details holding one list ``name`` of objects with exactly ``item_properties``, all required."""
    return {
        "type": "object",
        "properties": {
            name: {
                "type": "array",
                "minItems": min_items,
                "items": {
                    "type": "object",
                    "properties": item_properties,
                    "required": list(item_properties),
                    "additionalProperties": False,
                },
            }
        },
        "required": [name],
        "additionalProperties": False,
    }


# What each kind of model item carries in ``details``.
DETAILS_SCHEMAS = {
    ModelItem.Kind.AREA: {
        "type": "object",
        "properties": {"guiding_questions": TEXT_LIST},
        "required": ["guiding_questions"],
        "additionalProperties": False,
    },
    ModelItem.Kind.RATING_SCALE: _list_of("levels", {"key": KEY, "label": TEXT, "meaning": TEXT}, min_items=2),
    ModelItem.Kind.PERSPECTIVE: {"type": "object", "additionalProperties": False},
    # review_weeks: the follow-up interval a plan at this level is suggested (Barnets plan's next review date).
    ModelItem.Kind.SUPPORT_LEVEL: {
        "type": "object",
        "properties": {"review_weeks": {"type": "integer", "minimum": 1, "maximum": 104}},
        "additionalProperties": False,
    },
    ModelItem.Kind.TRIANGLE_SIDE: _list_of("sub_areas", {"key": KEY, "name": TEXT}, min_items=1),
    ModelItem.Kind.RESILIENCE_AXIS: {
        "type": "object",
        "properties": {"low": TEXT, "high": TEXT},
        "required": ["low", "high"],
        "additionalProperties": False,
    },
    ModelItem.Kind.PRACTITIONER_QUESTION: {"type": "object", "additionalProperties": False},
    ModelItem.Kind.PLAN_TEMPLATE: _list_of("sections", {"key": KEY, "title": TEXT, "help": OPTIONAL_TEXT}, min_items=1),
}


def _item_schema(kind: str) -> dict:
    return {
        "type": "object",
        "properties": {"key": KEY, "name": TEXT, "description": OPTIONAL_TEXT, "details": DETAILS_SCHEMAS[kind]},
        "required": ["key", "name", "description", "details"],
        "additionalProperties": False,
    }


SCHEMA = {
    "type": "object",
    "properties": {kind: {"type": "array", "items": _item_schema(kind)} for kind in ModelItem.Kind.values},
    "required": list(ModelItem.Kind.values),
    "additionalProperties": False,
}

_VALIDATOR = compiled(SCHEMA)
_DETAILS_VALIDATORS = {kind: compiled(schema) for kind, schema in DETAILS_SCHEMAS.items()}


def details_validate(*, kind: str, details) -> None:
    """Check one model item's details against its kind's schema (for the authoring form)."""
    try:
        _DETAILS_VALIDATORS[kind].validate(details)
    except jsonschema.ValidationError as error:
        raise BundleError(
            _("Detaljerna stämmer inte med formatet för %(kind)s: %(message)s")
            % {"kind": kind, "message": error.message}
        ) from error


def details_errors(*, kind: str, details) -> list[tuple[tuple, str]]:
    """Every place ``details`` breaks its kind's schema, as (path, message), for an editor to show at its field."""
    return schema_errors(_DETAILS_VALIDATORS[kind], details)


def validate(model: dict) -> None:
    """Refuse a ``model`` part that does not match the schema or repeats a key within a kind."""
    part_validate(_VALIDATOR, model, where=SECTION)
    for kind, items in model.items():
        keys_unique(items, f"{SECTION}/{kind}")


def item_export(item: ModelItem) -> dict:
    return {
        "key": item.key,
        "name": text(item.name_sv, item.name_en),
        "description": text(item.description_sv, item.description_en),
        "details": item.details,
    }


def export(*, release: InstalledRelease | None = None) -> dict:
    """The ``model`` part built from the rows: the drafts (``release=None``, in public) or an installed release."""
    items = (
        ModelItem.objects.filter(release__isnull=True) if release is None else ModelItem.objects.filter(release=release)
    )
    part: dict[str, list[dict]] = {kind: [] for kind in ModelItem.Kind.values}
    for item in items.order_by("kind", "position", "key"):
        part[item.kind].append(item_export(item))
    return part


def items_write(*, release: InstalledRelease | None, model: dict) -> int:
    """Item rows for a bundle-shaped ``model`` (an install, or the default drafts with ``release=None``)."""
    rows = [
        ModelItem(
            release=release,
            kind=kind,
            key=entry["key"],
            position=position,
            **text_columns(entry, "name", "description"),
            details=entry["details"],
        )
        for kind, items in model.items()
        for position, entry in enumerate(items)
    ]
    ModelItem.objects.bulk_create(rows)
    return len(rows)


def install(*, installed_release: InstalledRelease, model: dict) -> int:
    """Write a validated ``model`` part as ``installed_release``'s items (the caller holds the transaction)."""
    return items_write(release=installed_release, model=model)
