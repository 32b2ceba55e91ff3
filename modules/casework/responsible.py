"""Who is responsible for an action in Barnets plan: a staff member, a unit, the guardians or the child.

``responsible_match`` reads a name typed as free text (the plan's actions before the responsible party was a
choice, and a meeting decision's "vem ansvarar") as one of those four, or as nothing when it is not clear.
It is a plain function over names so the data migration can use it with its historical models."""

import re

GUARDIAN_WORDS = {
    "vårdnadshavare",
    "vårdnadshavarna",
    "vårdnadshavaren",
    "föräldrar",
    "föräldrarna",
    "förälder",
    "mamma",
    "pappa",
    "familjen",
    "guardians",
    "parents",
}
CHILD_WORDS = {"barnet", "eleven", "the child", "child"}


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[.,;:()]", " ", text).lower().split())


def responsible_match(
    text: str,
    *,
    staff: list[tuple[int, str]],
    units: list[tuple[int, str]],
    child_names: list[str] = (),
    guardian_names: list[str] = (),
) -> tuple[str, int | None] | None:
    """("staff", user id), ("unit", unit id), ("guardians", None), ("child", None), or None when the text does
    not name exactly one of them. Whole names first; then one word of a staff member's name, or a unit whose
    name contains the text as whole words, when exactly one matches."""
    said = _norm(text)
    if not said:
        return None
    if said in GUARDIAN_WORDS or said in {_norm(name) for name in guardian_names if name}:
        return ("guardians", None)
    if said in CHILD_WORDS or said in {_norm(name) for name in child_names if name}:
        return ("child", None)
    exact_staff = [pk for pk, name in staff if _norm(name) == said]
    exact_units = [pk for pk, name in units if _norm(name) == said]
    if len(exact_staff) + len(exact_units) == 1:
        return ("staff", exact_staff[0]) if exact_staff else ("unit", exact_units[0])
    if exact_staff or exact_units:
        return None
    word_staff = [pk for pk, name in staff if said in _norm(name).split()]
    part_units = [pk for pk, name in units if f" {said} " in f" {_norm(name)} "]
    if len(word_staff) + len(part_units) == 1:
        return ("staff", word_staff[0]) if word_staff else ("unit", part_units[0])
    return None
