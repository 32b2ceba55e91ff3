"""PDF documents in DejaVu Sans (fpdf2 subsets and embeds it): the PDF's built-in fonts cover only Latin-1, so
any other letter in a name (Ł, Ø, Ç, ễ) would print as "?". One copy of the font files, with their licence, in
``fonts/`` beside this module, for every module that prints (Barnets plan, training certificates)."""

import unicodedata
from pathlib import Path

from fpdf import FPDF

FONTS = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSans"
_FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}


def pdf_text(text) -> str:
    # Composed form, so a letter typed as base + combining accent is drawn with the font's one glyph for it.
    return unicodedata.normalize("NFC", str(text))


def pdf_document(*, title: str, language: str = "sv") -> FPDF:
    """An A4 document with DejaVu Sans (regular, bold, oblique) registered as ``FONT`` and the title set."""
    pdf = FPDF(format="A4")
    for style, filename in _FONT_FILES.items():
        pdf.add_font(FONT, style, FONTS / filename)
    pdf.set_title(pdf_text(title))
    pdf.set_lang(language)
    pdf.set_auto_page_break(auto=True, margin=15)
    return pdf
