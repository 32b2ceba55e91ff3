"""The English UI is complete: every Swedish UI string has its English, and the English reaches the pages.

Strings without English stay Swedish in the English UI (Django falls back to the msgid), so these fail
instead. The fix is always the same: `python locale/translate_en.py --extract`, add the English it lists
to ENGLISH in that script, run it again and commit the .po and .mo files.
"""

import importlib.util
import re
import shutil
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("translate_en", ROOT / "locale" / "translate_en.py")
translate_en = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(translate_en)

CATALOGUES = translate_en.catalogues()
# What makemessages reads; the rest of the repository (tests, deploy, helm) has no UI strings.
SOURCES = ("backa_platform", "api", "templates", "tenants", "modules", "locale")
PLACEHOLDER = re.compile(r"%\([^)]*\)[a-z]|%[a-z%]|\{[A-Za-z_0-9]*\}")


def _entries():
    for path in CATALOGUES:
        for entry in polib.pofile(str(path)):
            if not entry.obsolete:
                yield path.relative_to(ROOT), entry


def _forms(entry):
    """(Swedish, English) for each form of the entry: one, or singular and plural."""
    if entry.msgid_plural:
        return [(entry.msgid, entry.msgstr_plural.get(0, "")), (entry.msgid_plural, entry.msgstr_plural.get(1, ""))]
    return [(entry.msgid, entry.msgstr)]


def test_the_project_has_its_english_catalogues():
    names = {str(path.relative_to(ROOT)) for path in CATALOGUES}
    for app in ("casework", "children", "model_config", "training"):
        assert f"modules/{app}/locale/en/LC_MESSAGES/django.po" in names
    assert "locale/en/LC_MESSAGES/django.po" in names


def test_every_msgid_in_every_english_catalogue_is_translated_and_not_fuzzy():
    missing = [
        f"{path}: {'fuzzy' if entry.fuzzy else 'untranslated'}: {entry.msgid!r}"
        for path, entry in _entries()
        if entry.fuzzy or not entry.translated()
    ]
    assert not missing, "Swedish in the English UI; add the English to ENGLISH in locale/translate_en.py:\n" + (
        "\n".join(missing)
    )


def test_no_fuzzy_match_is_kept_without_review():
    # A `#| msgid` line is makemessages' guess from a similar string; removing only the fuzzy flag once
    # shipped "guardian" for "Lägg till vårdnadshavare".
    unreviewed = [f"{path}: {entry.msgid!r}" for path, entry in _entries() if entry.previous_msgid]
    assert not unreviewed, "\n".join(unreviewed)


def test_the_english_keeps_every_placeholder_of_the_swedish():
    broken = [
        f"{path}: {swedish!r} -> {english!r}"
        for path, entry in _entries()
        for swedish, english in _forms(entry)
        if english and Counter(PLACEHOLDER.findall(swedish)) != Counter(PLACEHOLDER.findall(english))
    ]
    assert not broken, "\n".join(broken)


def test_a_msgid_has_the_same_english_in_every_catalogue():
    # Django merges the catalogues into one: only one of two different translations would ever be shown.
    english = {}
    differing = []
    for path, entry in _entries():
        forms = tuple(text for _, text in _forms(entry))
        first = english.setdefault(entry.msgid, (path, forms))
        if first[1] != forms:
            differing.append(f"{entry.msgid!r}: {first[0]} {first[1]} but {path} {forms}")
    assert not differing, "\n".join(differing)


def test_every_compiled_catalogue_matches_its_po_file():
    stale = [str(path.relative_to(ROOT)) for path in CATALOGUES if not translate_en.compiled(path)]
    assert not stale, "run `python locale/translate_en.py` to compile: " + ", ".join(stale)


def test_django_answers_every_msgid_in_english():
    wrong = []
    with translation.override("en"):
        for path, entry in _entries():
            if entry.fuzzy or not entry.translated():
                continue  # the test above names it
            if entry.msgid_plural:
                answers = [translation.ngettext(entry.msgid, entry.msgid_plural, n) for n in (1, 2)]
            else:
                answers = [translation.gettext(entry.msgid)]
            expected = [text for _, text in _forms(entry)]
            if answers != expected:
                wrong.append(f"{path}: {entry.msgid!r} -> {answers} instead of {expected}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="makemessages needs GNU gettext")
def test_every_translatable_string_in_the_source_is_in_an_english_catalogue(tmp_path):
    # makemessages on a copy of the sources: a new _() or {% translate %} that nobody extracted fails here.
    for name in SOURCES:
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo"))
    translate_en.extract(tmp_path)
    missing = []
    for fresh in translate_en.catalogues(tmp_path):
        relative = fresh.relative_to(tmp_path)
        known = set()
        if (ROOT / relative).exists():
            known = {(entry.msgid, entry.msgid_plural) for entry in polib.pofile(str(ROOT / relative))}
        missing += [
            f"{relative}: {entry.msgid!r}"
            for entry in polib.pofile(str(fresh))
            if not entry.obsolete and (entry.msgid, entry.msgid_plural) not in known
        ]
    assert not missing, "not extracted; run `python locale/translate_en.py --extract`:\n" + "\n".join(missing)
