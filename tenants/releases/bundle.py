"""The release bundle: its JSON schema (the contract between the central site and every tenant), its
checksum and the readable diff between two bundles.

A bundle is plain JSON: ``{"format": 1, "version": n, "model": {kind: [item, …]}, "training": {"courses":
[…]}}``. Its checksum is the SHA-256 of its canonical JSON (sorted keys, no whitespace, UTF-8), so the same
content gives the same checksum on the central site and in every tenant.
"""

import hashlib
import json

import jsonschema
from django.utils.translation import gettext as _

from backa_platform.core.errors import ServiceError
from modules.model_config.models import ModelItem

BUNDLE_FORMAT = 1
ROLES = ["national_coordinator", "content_editor", "local_admin", "process_lead", "staff"]

_KEY = {"type": "string", "pattern": "^[a-z0-9_-]{1,60}$"}
_TEXT = {
    "type": "object",
    "properties": {"sv": {"type": "string", "minLength": 1}, "en": {"type": "string", "minLength": 1}},
    "required": ["sv", "en"],
    "additionalProperties": False,
}
_OPTIONAL_TEXT = {
    "type": "object",
    "properties": {"sv": {"type": "string"}, "en": {"type": "string"}},
    "required": ["sv", "en"],
    "additionalProperties": False,
}
_TEXT_LIST = {"type": "array", "items": _TEXT}

# What each kind of model item carries in ``details``.
DETAILS_SCHEMAS = {
    ModelItem.Kind.AREA: {
        "type": "object",
        "properties": {"guiding_questions": _TEXT_LIST},
        "required": ["guiding_questions"],
        "additionalProperties": False,
    },
    ModelItem.Kind.RATING_SCALE: {
        "type": "object",
        "properties": {
            "levels": {
                "type": "array",
                "minItems": 2,
                "items": {
                    "type": "object",
                    "properties": {"key": _KEY, "label": _TEXT, "meaning": _TEXT},
                    "required": ["key", "label", "meaning"],
                    "additionalProperties": False,
                },
            }
        },
        "required": ["levels"],
        "additionalProperties": False,
    },
    ModelItem.Kind.PERSPECTIVE: {"type": "object", "additionalProperties": False},
    ModelItem.Kind.SUPPORT_LEVEL: {"type": "object", "additionalProperties": False},
    ModelItem.Kind.TRIANGLE_SIDE: {
        "type": "object",
        "properties": {
            "sub_areas": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "properties": {"key": _KEY, "name": _TEXT},
                    "required": ["key", "name"],
                    "additionalProperties": False,
                },
            }
        },
        "required": ["sub_areas"],
        "additionalProperties": False,
    },
    ModelItem.Kind.RESILIENCE_AXIS: {
        "type": "object",
        "properties": {"low": _TEXT, "high": _TEXT},
        "required": ["low", "high"],
        "additionalProperties": False,
    },
    ModelItem.Kind.PRACTITIONER_QUESTION: {"type": "object", "additionalProperties": False},
    ModelItem.Kind.PLAN_TEMPLATE: {
        "type": "object",
        "properties": {
            "sections": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "properties": {"key": _KEY, "title": _TEXT, "help": _OPTIONAL_TEXT},
                    "required": ["key", "title", "help"],
                    "additionalProperties": False,
                },
            }
        },
        "required": ["sections"],
        "additionalProperties": False,
    },
}


def _item_schema(kind: str) -> dict:
    return {
        "type": "object",
        "properties": {
            "key": _KEY,
            "name": _TEXT,
            "description": _OPTIONAL_TEXT,
            "details": DETAILS_SCHEMAS[kind],
        },
        "required": ["key", "name", "description", "details"],
        "additionalProperties": False,
    }


_ATTACHMENT = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 200},
        "content_type": {"enum": ["application/pdf", "image/png", "image/jpeg", "text/plain"]},
        "size": {"type": "integer", "minimum": 0, "maximum": 2 * 1024 * 1024},
        "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
        "data": {"type": "string"},
    },
    "required": ["name", "content_type", "size", "sha256", "data"],
    "additionalProperties": False,
}
_QUIZ = {
    "type": "object",
    "properties": {
        "pass_mark": {"type": "integer", "minimum": 0},
        "questions": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "text": _TEXT,
                    "options": {"type": "array", "minItems": 2, "items": _TEXT},
                    "correct": {"type": "integer", "minimum": 0},
                },
                "required": ["text", "options", "correct"],
                "additionalProperties": False,
            },
        },
    },
    "required": ["pass_mark", "questions"],
    "additionalProperties": False,
}
_LESSON = {
    "type": "object",
    "properties": {
        "key": _KEY,
        "title": _TEXT,
        "body": _OPTIONAL_TEXT,
        "links": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"title": _TEXT, "url": {"type": "string", "pattern": "^https?://"}},
                "required": ["title", "url"],
                "additionalProperties": False,
            },
        },
        "quiz": _QUIZ,
        "attachments": {"type": "array", "items": _ATTACHMENT},
    },
    "required": ["key", "title", "body", "links", "quiz", "attachments"],
    "additionalProperties": False,
}
_COURSE = {
    "type": "object",
    "properties": {
        "key": _KEY,
        "title": _TEXT,
        "description": _OPTIONAL_TEXT,
        "target_roles": {"type": "array", "items": {"enum": ROLES}, "uniqueItems": True},
        "required": {"type": "boolean"},
        "lessons": {"type": "array", "items": _LESSON},
    },
    "required": ["key", "title", "description", "target_roles", "required", "lessons"],
    "additionalProperties": False,
}

BUNDLE_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Backa barnet release bundle",
    "type": "object",
    "properties": {
        "format": {"const": BUNDLE_FORMAT},
        "version": {"type": "integer", "minimum": 1},
        "model": {
            "type": "object",
            "properties": {kind: {"type": "array", "items": _item_schema(kind)} for kind in ModelItem.Kind.values},
            "required": list(ModelItem.Kind.values),
            "additionalProperties": False,
        },
        "training": {
            "type": "object",
            "properties": {"courses": {"type": "array", "items": _COURSE}},
            "required": ["courses"],
            "additionalProperties": False,
        },
    },
    "required": ["format", "version", "model", "training"],
    "additionalProperties": False,
}


# Compiled once: jsonschema.validate() re-checks the schema against the meta-schema on every call (~0.5 s).
jsonschema.Draft202012Validator.check_schema(BUNDLE_SCHEMA)
_BUNDLE_VALIDATOR = jsonschema.Draft202012Validator(BUNDLE_SCHEMA)
_DETAILS_VALIDATORS = {kind: jsonschema.Draft202012Validator(schema) for kind, schema in DETAILS_SCHEMAS.items()}
# Checksums of bundles already found valid in this process: the same checksum is the same content.
_VALID_CHECKSUMS: set[str] = set()


class BundleError(ServiceError):
    """A bundle that does not match its schema or its checksum."""


def bundle_checksum(bundle: dict) -> str:
    canonical = json.dumps(bundle, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def details_validate(*, kind: str, details) -> None:
    """Check one model item's details against its kind's schema (for the authoring form)."""
    try:
        _DETAILS_VALIDATORS[kind].validate(details)
    except jsonschema.ValidationError as error:
        raise BundleError(
            _("Detaljerna stämmer inte med formatet för %(kind)s: %(message)s")
            % {"kind": kind, "message": error.message}
        ) from error


def bundle_validate(bundle: dict, *, checksum: str | None = None) -> None:
    """Refuse a bundle that does not match the schema or, when given, its checksum."""
    actual = bundle_checksum(bundle)
    if checksum is not None and actual != checksum:
        raise BundleError(_("Paketets kontrollsumma stämmer inte: paketet har ändrats och installeras inte."))
    if actual in _VALID_CHECKSUMS:
        return
    try:
        _BUNDLE_VALIDATOR.validate(bundle)
    except jsonschema.ValidationError as error:
        where = "/".join(str(part) for part in error.absolute_path) or "(rot)"
        raise BundleError(
            _("Paketet följer inte schemat vid %(where)s: %(message)s") % {"where": where, "message": error.message}
        ) from error
    for kind, items in bundle["model"].items():
        _unique_keys(items, f"model/{kind}")
    _unique_keys(bundle["training"]["courses"], "training/courses")
    for course in bundle["training"]["courses"]:
        _unique_keys(course["lessons"], f"training/courses/{course['key']}/lessons")
    _VALID_CHECKSUMS.add(actual)


def _unique_keys(items: list[dict], where: str) -> None:
    keys = [item["key"] for item in items]
    if len(keys) != len(set(keys)):
        raise BundleError(_("Paketet har dubbla nycklar i %(where)s.") % {"where": where})


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
