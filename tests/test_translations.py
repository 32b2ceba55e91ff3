"""The English UI is complete: every Swedish UI string has its English, and the English reaches the pages.

Strings without English stay Swedish in the English UI (Django falls back to the msgid), so these fail
instead. The English lives in one catalogue, `locale/en/LC_MESSAGES/django.po`: `make messages` (or
`python locale/catalogue.py extract`) brings new strings into it, write their English there (by hand or with
a translation tool) and commit the .po; the .mo is compiled by `make install`, the image build and pytest.
"""

import importlib.util
import re
import shutil
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("backa_catalogue", ROOT / "locale" / "catalogue.py")
catalogue = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(catalogue)

CATALOGUE = catalogue.catalogue()
# What makemessages reads; the rest of the repository (tests, deploy, helm) has no UI strings.
SOURCES = ("backa_platform", "api", "templates", "tenants", "modules", "locale")
PLACEHOLDER = re.compile(r"%\([^)]*\)[a-z]|%[a-z%]|\{[A-Za-z_0-9]*\}")


def _entries():
    for entry in polib.pofile(str(CATALOGUE)):
        if not entry.obsolete:
            yield CATALOGUE.relative_to(ROOT), entry


def _forms(entry):
    """(Swedish, English) for each form of the entry: one, or singular and plural."""
    if entry.msgid_plural:
        return [(entry.msgid, entry.msgstr_plural.get(0, "")), (entry.msgid_plural, entry.msgstr_plural.get(1, ""))]
    return [(entry.msgid, entry.msgstr)]


def test_the_project_has_one_english_catalogue_and_django_reads_it():
    assert CATALOGUE.exists()
    found = sorted(str(path.relative_to(ROOT)) for name in SOURCES for path in (ROOT / name).rglob("*.po"))
    assert found == ["locale/en/LC_MESSAGES/django.po"]
    assert ROOT / "locale" in [Path(path) for path in settings.LOCALE_PATHS]


def test_every_msgid_in_every_english_catalogue_is_translated_and_not_fuzzy():
    missing = [
        f"{path}: {'fuzzy' if entry.fuzzy else 'untranslated'}: {entry.msgid!r}"
        for path, entry in _entries()
        if entry.fuzzy or not entry.translated()
    ]
    assert not missing, "Swedish in the English UI; write the English in locale/en/LC_MESSAGES/django.po:\n" + (
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


def test_the_compiled_catalogue_matches_the_po_file():
    # pytest compiles it when it is stale (tests/conftest.py), so this fails only if compiling does not work.
    assert catalogue.compiled(), "run `python locale/catalogue.py compile`"


def test_the_mo_file_is_not_committed_but_compiled():
    ignored = (ROOT / ".gitignore").read_text().splitlines()
    assert "*.mo" in ignored


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
def test_every_translatable_string_in_the_source_is_in_the_english_catalogue(tmp_path):
    # makemessages on a copy of the sources: a new _() or {% translate %} that nobody extracted fails here.
    for name in SOURCES:
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo"))
    catalogue.extract(tmp_path)
    known = {(entry.msgid, entry.msgid_plural) for entry in polib.pofile(str(CATALOGUE))}
    fresh = polib.pofile(str(catalogue.catalogue(tmp_path)))
    missing = [
        f"{entry.msgid!r}" for entry in fresh if not entry.obsolete and (entry.msgid, entry.msgid_plural) not in known
    ]
    assert not missing, "not extracted; run `make messages`:\n" + "\n".join(missing)
    # Nor does the catalogue keep what the sources no longer have (makemessages would drop it).
    stale = sorted(repr(msgid) for msgid, _ in known - {(entry.msgid, entry.msgid_plural) for entry in fresh})
    assert not stale, "no longer in the sources; run `make messages`:\n" + "\n".join(stale)
