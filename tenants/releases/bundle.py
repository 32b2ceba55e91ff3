"""The release bundle composed of its parts: the envelope, its checksum and the readable diff between two bundles.

Each part's content contract (schema, validation, export from the drafts, install into a tenant) belongs to
the module that owns the data: ``modules/model_config/bundle.py`` and ``modules/training/bundle.py``.

A bundle is plain JSON: ``{"format": 1, "version": n, "model": {kind: [item, …]}, "training": {"courses":
[…]}}``. Its checksum is the SHA-256 of its canonical JSON (sorted keys, no whitespace, UTF-8), so the same
content gives the same checksum on the central site and in every tenant.
"""

import hashlib
import json

from django.utils.translation import gettext as _

from backa_platform.core.bundle import BundleError, compiled, part_validate
from modules.model_config import bundle as model_part
from modules.model_config.models import ModelItem
from modules.training import bundle as training_part

__all__ = ["BUNDLE_FORMAT", "BUNDLE_SCHEMA", "BundleError", "bundle_checksum", "bundle_diff", "bundle_validate"]

BUNDLE_FORMAT = 1

# The parts, each owned (schema, validate, export, install) by the module that holds its data.
PARTS = {model_part.SECTION: model_part, training_part.SECTION: training_part}

# The envelope; each part checks its own content.
_ENVELOPE = {
    "type": "object",
    "properties": {
        "format": {"const": BUNDLE_FORMAT},
        "version": {"type": "integer", "minimum": 1},
        **{section: {"type": "object"} for section in PARTS},
    },
    "required": ["format", "version", *PARTS],
    "additionalProperties": False,
}

# The whole contract in one document (what a tenant or a tool outside can check a bundle against).
BUNDLE_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Backa barnet release bundle",
    **_ENVELOPE,
    "properties": {**_ENVELOPE["properties"], **{section: part.SCHEMA for section, part in PARTS.items()}},
}

_ENVELOPE_VALIDATOR = compiled(_ENVELOPE)
compiled(BUNDLE_SCHEMA)
# Checksums of bundles already found valid in this process: the same checksum is the same content.
_VALID_CHECKSUMS: set[str] = set()


def bundle_checksum(bundle: dict) -> str:
    canonical = json.dumps(bundle, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def bundle_validate(bundle: dict, *, checksum: str | None = None) -> None:
    """Refuse a bundle that does not match the schema or, when given, its checksum."""
    actual = bundle_checksum(bundle)
    if checksum is not None and actual != checksum:
        raise BundleError(_("Paketets kontrollsumma stämmer inte: paketet har ändrats och installeras inte."))
    if actual in _VALID_CHECKSUMS:
        return
    part_validate(_ENVELOPE_VALIDATOR, bundle, where="")
    for section, part in PARTS.items():
        part.validate(bundle[section])
    _VALID_CHECKSUMS.add(actual)


def bundle_export(*, version: int, release=None) -> dict:
    """A bundle from the rows of the active schema: the drafts (``release=None``) or an installed release."""
    return {
        "format": BUNDLE_FORMAT,
        "version": version,
        **{section: part.export(release=release) for section, part in PARTS.items()},
    }


def bundle_install(*, installed_release, bundle: dict) -> None:
    """Write a validated bundle's parts as ``installed_release``'s rows (the caller holds the transaction)."""
    for section, part in PARTS.items():
        part.install(installed_release=installed_release, **{section: bundle[section]})


# --- Diff -----------------------------------------------------------------------------------------
def _flatten(value, prefix: str = "") -> dict[str, object]:
    """{"name": {"sv": "x"}} -> {"name.sv": "x"}; lists of keyed objects are keyed, others indexed."""
    flat: dict[str, object] = {}
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "data":  # attachment content: its sha256 says whether it changed
                continue
            flat.update(_flatten(inner, f"{prefix}.{key}" if prefix else key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            label = inner.get("key", index) if isinstance(inner, dict) else index
            if isinstance(inner, dict) and "name" in inner and "key" not in inner and "sha256" in inner:
                label = inner["name"]
            flat.update(_flatten(inner, f"{prefix}[{label}]"))
    else:
        flat[prefix] = value
    return flat


def _section_diff(old_items: list[dict], new_items: list[dict], title_field: str) -> dict:
    old = {item["key"]: item for item in old_items}
    new = {item["key"]: item for item in new_items}
    added = [{"key": key, "name": new[key][title_field]} for key in new if key not in old]
    removed = [{"key": key, "name": old[key][title_field]} for key in old if key not in new]
    changed = []
    old_order = [key for key in old if key in new]
    new_order = [key for key in new if key in old]
    for key in new:
        if key not in old:
            continue
        before, after = _flatten(old[key]), _flatten(new[key])
        changes = [
            {"field": field, "old": before.get(field), "new": after.get(field)}
            for field in sorted(set(before) | set(after))
            if before.get(field) != after.get(field)
        ]
        if old_order.index(key) != new_order.index(key):
            changes.append({"field": "position", "old": old_order.index(key) + 1, "new": new_order.index(key) + 1})
        if changes:
            changed.append({"key": key, "name": new[key][title_field], "changes": changes})
    return {"added": added, "removed": removed, "changed": changed}


def bundle_diff(old: dict | None, new: dict) -> dict:
    """What ``new`` adds, removes and changes against ``old`` (None: the first release, all added).

    Sections are the model's kinds plus ``courses``; a change lists each field path with old and new value,
    so a changed wording reads as "name.sv: Trygghet → Trygghet och skydd".
    """
    empty = {"model": {kind: [] for kind in ModelItem.Kind.values}, "training": {"courses": []}}
    old = old or empty
    sections = {}
    for kind in ModelItem.Kind.values:
        sections[kind] = _section_diff(old["model"].get(kind, []), new["model"].get(kind, []), "name")
    sections["courses"] = _section_diff(old["training"]["courses"], new["training"]["courses"], "title")
    return {
        "from_version": old.get("version"),
        "to_version": new.get("version"),
        "sections": sections,
        "is_empty": not any(s["added"] or s["removed"] or s["changed"] for s in sections.values()),
    }
