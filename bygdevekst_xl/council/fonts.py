"""Which font prints the pack's text: a TrueType font embedded in the PDF.

An archive (and PDF/A) wants every font inside the file, so the PDF is drawn in Carlito (metric
twin of Calibri, Debian's fonts-crosextra-carlito) or DejaVu Sans (fonts-dejavu-core), the first
installed that has a glyph for every character printed: both cover Norwegian bokmål and
nynorsk and Northern Sami (``Porsáŋgu``, ``Čáhcesuolu``). Reportlab embeds the subset of glyphs
used. Without either font, reportlab's built-in Helvetica is used, not embedded, and the
command says so (and names any letters Helvetica cannot print either).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..dataclass import dataclass

FONT_FOLDERS = (
    Path("/usr/share/fonts/truetype/crosextra"),
    Path("/usr/share/fonts/truetype/carlito"),
    Path("/usr/share/fonts/carlito"),
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/dejavu-sans-fonts"),
    Path("/usr/local/share/fonts"),
    Path("/Library/Fonts"),
    Path("C:/Windows/Fonts"),
)
FAMILIES = (
    ("Carlito", "Carlito-Regular.ttf", "Carlito-Bold.ttf"),
    ("DejaVuSans", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
)
"""Each TrueType family tried, in order: its name and its regular and bold files."""


@dataclass(frozen=True)
class Fonts:
    """The regular and bold font names to draw with, whether they are embedded, and letters
    they cannot print."""

    regular: str = "Helvetica"
    bold: str = "Helvetica-Bold"
    missing: str = ""
    embedded: bool = False


def fonts_for(texts: Iterable[str]) -> Fonts:
    """The first installed TrueType family that prints every character of ``texts``; else the
    first installed (naming what it lacks); else Helvetica, not embedded."""
    chars = set().union(*(set(text) for text in texts)) - {"\n", "\t"}
    first: Fonts | None = None
    for family in FAMILIES:
        found = _register(*family)
        if found is None:
            continue
        fonts, glyphs = found
        lacking = "".join(sorted(ch for ch in chars if ord(ch) not in glyphs))
        if not lacking:
            return fonts
        first = first or Fonts(fonts.regular, fonts.bold, lacking, embedded=True)
    if first is not None:
        return first
    return Fonts(missing="".join(sorted(ch for ch in chars if not _helvetica_prints(ch))))


def _helvetica_prints(ch: str) -> bool:
    try:
        ch.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


_registered: dict[str, tuple[Fonts, frozenset[int]]] = {}


def _register(
    family: str, regular_file: str, bold_file: str
) -> tuple[Fonts, frozenset[int]] | None:
    """Register ``family`` (regular and bold) with reportlab: its fonts and the characters it
    has glyphs for, or None when it is not installed."""
    if family in _registered:
        return _registered[family]
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for folder in FONT_FOLDERS:
        regular, bold = folder / regular_file, folder / bold_file
        if not (regular.is_file() and bold.is_file()):
            continue
        names = (family, f"{family}-Bold")
        faces = [TTFont(names[0], str(regular)), TTFont(names[1], str(bold))]
        for face in faces:
            pdfmetrics.registerFont(face)
        for bold_flag in (0, 1):
            for italic in (0, 1):
                addMapping(family, bold_flag, italic, names[bold_flag])
        glyphs = frozenset(faces[0].face.charToGlyph) & frozenset(faces[1].face.charToGlyph)
        _registered[family] = (Fonts(*names, embedded=True), glyphs)
        return _registered[family]
    return None
