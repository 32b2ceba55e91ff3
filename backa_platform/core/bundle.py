"""What every part of a release bundle shares: its error and the JSON schema fragments of keys and texts.

Ground floor: each module that owns a part of the bundle (model_config, training) validates, exports and
installs that part with these; tenants/releases composes the parts. A bundle text is ``{"sv": …, "en": …}``.
"""

import jsonschema
from django.utils.translation import gettext as _

from backa_platform.core.errors import ServiceError

KEY = {"type": "string", "pattern": "^[a-z0-9_-]{1,60}$"}
TEXT = {
    "type": "object",
    "properties": {"sv": {"type": "string", "minLength": 1}, "en": {"type": "string", "minLength": 1}},
    "required": ["sv", "en"],
    "additionalProperties": False,
}
OPTIONAL_TEXT = {
    "type": "object",
    "properties": {"sv": {"type": "string"}, "en": {"type": "string"}},
    "required": ["sv", "en"],
    "additionalProperties": False,
}
TEXT_LIST = {"type": "array", "items": TEXT}


class BundleError(ServiceError):
    """A bundle that does not match its schema or its checksum."""


def compiled(schema: dict) -> jsonschema.Draft202012Validator:
    """A validator checked once: jsonschema.validate() re-checks the schema on every call (~0.5 s for a bundle)."""
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def part_validate(validator: jsonschema.Draft202012Validator, part, *, where: str) -> None:
    """Check one part of a bundle; the message names the failing path from the bundle's root."""
    try:
        validator.validate(part)
    except jsonschema.ValidationError as error:
        path = "/".join([*([where] if where else []), *(str(step) for step in error.absolute_path)])
        raise BundleError(
            _("Paketet följer inte schemat vid %(where)s: %(message)s")
            % {"where": path or "(rot)", "message": error.message}
        ) from error


def keys_unique(items: list[dict], where: str) -> None:
    keys = [item["key"] for item in items]
    if len(keys) != len(set(keys)):
        raise BundleError(_("Paketet har dubbla nycklar i %(where)s.") % {"where": where})


# Bilingual content is a {"sv", "en"} object in a bundle and a pair of `<field>_sv` / `<field>_en` columns in a
# table (so each language can be indexed, searched and required on its own); these two are the one mapping.
def text(sv: str, en: str) -> dict:
    return {"sv": sv, "en": en}


def text_columns(entry: dict, *fields: str) -> dict:
    """The ``<field>_sv`` and ``<field>_en`` column values for each bilingual ``field`` of a bundle ``entry``."""
    return {f"{field}_{language}": entry[field][language] for field in fields for language in ("sv", "en")}


def schema_errors(validator: jsonschema.Draft202012Validator, value) -> list[tuple[tuple, str]]:
    """Every place ``value`` breaks the schema, as (path, Swedish message): an editor puts each message at the
    field the path names, so the schema stays the one judge of what is valid."""
    found = []
    for error in validator.iter_errors(value):
        path = tuple(error.absolute_path)
        if error.validator == "required":
            missing = next(iter(set(error.validator_value) - set(error.instance or {})), None)
            path = (*path, missing) if missing is not None else path
        found.append((path, schema_error_message(error)))
    return found


def schema_error_message(error: jsonschema.ValidationError) -> str:
    """One schema error in words an editor acts on (jsonschema's own are English and name JSON types)."""
    kind, limit = error.validator, error.validator_value
    if kind == "minLength" or kind == "required":
        return _("Fyll i texten.")
    if kind == "pattern" and limit == KEY["pattern"]:
        return _("Nyckeln får bara ha små bokstäver a–z, siffror, - och _ (högst 60 tecken).")
    if kind == "pattern":
        return _("Adressen måste börja med https:// eller http://.")
    if kind == "minItems":
        return _("Det behövs minst %(count)s rader.") % {"count": limit}
    if kind == "maxLength":
        return _("Högst %(count)s tecken.") % {"count": limit}
    if kind == "minimum":
        return _("Minst %(count)s.") % {"count": limit}
    if kind == "enum":
        return _("Välj ett av de tillåtna värdena.")
    return _("Värdet har fel form: %(message)s") % {"message": error.message}
