"""The release bundle composed of its parts: the envelope, its checksum and the readable diff between two bundles.

Each part's content contract (schema, validation, export from the drafts, install into a tenant) belongs to
the module that owns the data: ``modules/model_config/bundle.py`` and ``modules/training/bundle.py``.

A bundle is plain JSON: ``{"format": 1, "version": n, "model": {kind: [item, …]}, "training": {"courses":
[…]}}``. Its checksum is the SHA-256 of its canonical JSON (sorted keys, no whitespace, UTF-8), so the same
content gives the same checksum on the central site and in every tenant.
"""

import hashlib
import json
import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backa_platform.core.bundle import BundleError, compiled, part_validate
from modules.model_config import bundle as model_part
from modules.model_config.models import ModelItem
from modules.training import bundle as training_part

__all__ = [
    "BUNDLE_FORMAT",
    "BUNDLE_SCHEMA",
    "BundleError",
    "bundle_checksum",
    "bundle_diff",
    "bundle_validate",
    "change_in_words",
]

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
def _attachment_text(attachment: dict) -> str:
    """An attachment in a diff: its file name and size, and enough of its checksum to tell two versions apart."""
    size = f"{attachment['size']:,}".replace(",", "\u00a0")
    return f"{attachment['name']} ({size} byte, {attachment['sha256'][:8]})"


def _flatten(value, prefix: str = "") -> dict[str, object]:
    """{"name": {"sv": "x"}} -> {"name.sv": "x"}; lists of keyed objects are keyed, others indexed; an
    attachment is one value named by its file name."""
    flat: dict[str, object] = {}
    if isinstance(value, dict) and "sha256" in value and "name" in value:
        flat[prefix] = _attachment_text(value)
    elif isinstance(value, dict):
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


# --- The diff in words --------------------------------------------------------------------------------
# A change's field path ("details.guiding_questions[2].en") read as "Vägledande frågor › fråga 3 (engelska)".
# Rendered when shown, in the reader's language, so every stored diff (old releases' too) reads the same way.
_PATH_STEP = re.compile(r"\.?([A-Za-z_][A-Za-z0-9_]*)|\[([^\]]*)\]")
_FIELD_NAMES = {
    "name": gettext_lazy("Namn"),
    "description": gettext_lazy("Beskrivning"),
    "title": gettext_lazy("Titel"),
    "body": gettext_lazy("Innehåll"),
    "key": gettext_lazy("Nyckel"),
    "position": gettext_lazy("Ordning"),
    "guiding_questions": gettext_lazy("Vägledande frågor"),
    "levels": gettext_lazy("Nivåer"),
    "label": gettext_lazy("Benämning"),
    "meaning": gettext_lazy("Betydelse"),
    "sub_areas": gettext_lazy("Delområden"),
    "sections": gettext_lazy("Avsnitt"),
    "help": gettext_lazy("Hjälptext"),
    "low": gettext_lazy("Låg ände"),
    "high": gettext_lazy("Hög ände"),
    "target_roles": gettext_lazy("Målgrupper"),
    "required": gettext_lazy("Obligatorisk"),
    "lessons": gettext_lazy("Lektioner"),
    "links": gettext_lazy("Länkar"),
    "url": gettext_lazy("Adress"),
    "quiz": gettext_lazy("Kunskapstest"),
    "pass_mark": gettext_lazy("Godkäntgräns"),
    "questions": gettext_lazy("Frågor"),
    "text": gettext_lazy("Fråga"),
    "options": gettext_lazy("Svarsalternativ"),
    "correct": gettext_lazy("Rätt svar"),
    "explanation": gettext_lazy("Förklaring"),
    "attachments": gettext_lazy("Bilagor"),
    "video": gettext_lazy("Video"),
    "transcript": gettext_lazy("Transkription"),
    # An attachment's parts, as older releases' diffs stored them.
    "sha256": gettext_lazy("innehåll"),
    "size": gettext_lazy("storlek"),
    "content_type": gettext_lazy("filtyp"),
}
# How one entry of a list is called: "fråga 3", "nivå 2", "lektion principer".
_ENTRY_NAMES = {
    "guiding_questions": gettext_lazy("fråga %(n)s"),
    "questions": gettext_lazy("fråga %(n)s"),
    "levels": gettext_lazy("nivå %(n)s"),
    "sub_areas": gettext_lazy("delområde %(n)s"),
    "sections": gettext_lazy("avsnitt %(n)s"),
    "lessons": gettext_lazy("lektion %(n)s"),
    "links": gettext_lazy("länk %(n)s"),
    "options": gettext_lazy("alternativ %(n)s"),
    "target_roles": gettext_lazy("roll %(n)s"),
}
# Lists whose entry name says enough on its own ("lektion principer", not "Lektioner › lektion principer").
_ENTRY_ONLY = {"lessons", "questions", "options", "links", "target_roles"}
_LANGUAGES = {"sv": gettext_lazy("svenska"), "en": gettext_lazy("engelska")}


def change_path_words(field: str) -> str:
    """``details.guiding_questions[2].en`` -> "Vägledande frågor › fråga 3 (engelska)"."""
    words: list[str] = []
    last_list = None
    for name, entry in _PATH_STEP.findall(field):
        if name in _LANGUAGES and words:
            words[-1] = f"{words[-1]} ({_LANGUAGES[name]})"
        elif name == "details":
            continue
        elif name:
            words.append(str(_FIELD_NAMES.get(name, name)))
            last_list = name
        else:
            shown = str(int(entry) + 1) if entry.isdigit() and last_list not in ("levels",) else entry
            if last_list == "attachments":
                words.append(entry)
            elif last_list in _ENTRY_ONLY:
                words[-1] = str(_ENTRY_NAMES[last_list]) % {"n": shown}
            else:
                words.append(str(_ENTRY_NAMES.get(last_list, "%(n)s")) % {"n": shown})
    return " › ".join(words)


def change_in_words(*, item_name: str, change: dict) -> dict:
    """One change of a diff for people: "Fritid › Vägledande frågor › fråga 3 (engelska): ändrad"."""
    if change["old"] is None:
        status = _("tillagd")
    elif change["new"] is None:
        status = _("borttagen")
    else:
        status = _("ändrad")
    where = change_path_words(change["field"])
    return {**change, "where": where, "status": status, "sentence": f"{item_name} › {where}: {status}"}
