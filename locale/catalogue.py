"""The project's one English catalogue, `locale/en/LC_MESSAGES/django.po`: the source of the English UI.

The .po file is what a translator edits (by hand, Poedit, Weblate …); nothing overwrites a translation.

    python locale/catalogue.py extract   # makemessages over the whole project into the catalogue, then compile
    python locale/catalogue.py compile   # the .mo beside the .po (make install and the image build run this)
    python locale/catalogue.py check     # list what is untranslated or fuzzy; exit status 1 if anything is

(`make messages` and `make compilemessages` run the first two.) Extraction runs without settings
(`python -P -m django makemessages`: no database is started, and `-P` keeps an app's `selectors.py` from
shadowing the standard library's `selectors`) and keeps every existing translation (makemessages merges with
msgmerge). A new msgid arrives untranslated, a changed one as fuzzy with its previous msgid (`#|`): both stay
Swedish in the English UI (Django falls back to the msgid) and tests/test_translations.py fails until the
English is written and the fuzzy flag and the `#|` lines are removed.

The .mo is compiled with polib, not msgfmt, so a machine without GNU gettext (the image, a fresh clone)
can compile; extraction alone needs gettext (xgettext, msgmerge).
"""

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = Path("locale", "en", "LC_MESSAGES", "django.po")
# The header the catalogue carries (makemessages writes placeholders into a new one).
HEADER = {
    "Project-Id-Version": "backa-platform",
    "Last-Translator": "Backa barnet platform",
    "Language-Team": "English",
    "Language": "en",
}
# Folders without UI strings, or not ours; `*.egg-info` and the like never hold any.
IGNORE = [".venv", ".local", ".tools", "tests", "deploy", "helm", "static", "staticfiles", "build", "*.egg-info"]


def catalogue(root: Path = ROOT) -> Path:
    return root / CATALOGUE


def extract(root: Path = ROOT) -> None:
    """makemessages -l en over the whole project into the one catalogue, dropping obsolete entries."""
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    # File names without line numbers: a change elsewhere in a file does not touch the catalogue, so
    # branches that add strings merge without conflicts over moved references.
    command = [sys.executable, "-P", "-m", "django", "makemessages", "-l", "en", "--no-obsolete", "-v", "0"]
    command += ["--add-location=file", *(f"--ignore={pattern}" for pattern in IGNORE)]
    path = catalogue(root)
    before = path.read_text(encoding="utf-8") if path.exists() else None
    subprocess.run(command, cwd=root, env=env, check=True)  # noqa: S603
    po = polib.pofile(str(path), wrapwidth=79)
    if fill_header(po):  # a new catalogue
        po.save()
    elif before is not None and _content(polib.pofile(before)) == _content(po):
        # Nothing changed but makemessages' timestamp: keep the file as it was, for the same reason.
        path.write_text(before, encoding="utf-8")


def _content(po: polib.POFile) -> list:
    return [(e.msgid, e.msgid_plural, e.msgstr, e.msgstr_plural, e.occurrences, e.flags) for e in po]


def fill_header(po: polib.POFile) -> bool:
    """The project's header instead of makemessages' placeholders; whether anything changed."""
    before = (dict(po.metadata), bool(po.metadata_is_fuzzy))
    po.metadata.update(HEADER)
    if po.metadata.get("PO-Revision-Date", "").startswith("YEAR"):
        po.metadata["PO-Revision-Date"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M+0000")
    po.metadata_is_fuzzy = 0
    return before != (dict(po.metadata), False)


def translations(messages: polib.POFile | polib.MOFile) -> dict[tuple[str, str], str | tuple[str, ...]]:
    """What Django uses from a catalogue: in a .po the translated entries (not fuzzy, not obsolete)."""
    entries = messages.translated_entries() if isinstance(messages, polib.POFile) else list(messages)
    return {
        (entry.msgid, entry.msgid_plural): (
            tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)) if entry.msgid_plural else entry.msgstr
        )
        for entry in entries
        if entry.msgid
    }


def compiled(root: Path = ROOT) -> bool:
    """Whether the .mo beside the .po holds exactly the .po's translations."""
    mo = catalogue(root).with_suffix(".mo")
    return mo.exists() and translations(polib.mofile(str(mo))) == translations(polib.pofile(str(catalogue(root))))


def compile_mo(root: Path = ROOT) -> bool:
    """Compile the .mo unless it is up to date; whether it was written. Fuzzy entries are left out, as msgfmt does."""
    if compiled(root):
        return False
    polib.pofile(str(catalogue(root))).save_as_mofile(str(catalogue(root).with_suffix(".mo")))
    return True


def missing(root: Path = ROOT) -> list[polib.POEntry]:
    """Entries still Swedish in the English UI: untranslated or fuzzy."""
    po = polib.pofile(str(catalogue(root)))
    return [entry for entry in po if not entry.obsolete and (entry.fuzzy or not entry.translated())]


def main(argv: list[str]) -> int:
    action = argv[0] if argv else ""
    if action not in ("extract", "compile", "check"):
        print(__doc__, file=sys.stderr)
        return 2
    if action == "extract":
        extract()
    if action in ("extract", "compile"):
        compile_mo()
    left = missing()
    for entry in left:
        print(f"{'fuzzy' if entry.fuzzy else 'untranslated'}: {entry.msgid!r}", file=sys.stderr)
    return 1 if left and action == "check" else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
