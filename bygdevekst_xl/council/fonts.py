"""Which font prints the pack's text: Helvetica, or DejaVu Sans where Helvetica has no glyph.

Reportlab's built-in Helvetica (Windows-1252 glyphs) prints Norwegian bokmål and nynorsk, and
Northern Sami letters such as á and š, but not č, đ, ŋ or ŧ (``Porsáŋgu``): there it would print
black boxes. When the text holds such a letter, DejaVu Sans is embedded instead, from the system
fonts (Debian's fonts-dejavu-core). Without it, the letters that cannot be printed are named so
the command can say so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

FONT_FOLDERS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/local/share/fonts"),
    Path("/Library/Fonts"),
    Path("C:/Windows/Fonts"),
)


@dataclass(frozen=True)
class Fonts:
    """The regular and bold font names to draw with, and letters neither can print."""

    regular: str = "Helvetica"
    bold: str = "Helvetica-Bold"
    missing: str = ""


def fonts_for(texts: Iterable[str]) -> Fonts:
    """Helvetica when it prints every character of ``texts``; else DejaVu Sans, if installed."""
    odd = sorted({ch for text in texts for ch in text if not _helvetica_prints(ch)})
    if not odd:
        return Fonts()
    found = _dejavu()
    if found is None:
        return Fonts(missing="".join(odd))
    return Fonts(*found)


def _helvetica_prints(ch: str) -> bool:
    if ch in "\n\t":
        return True
    try:
        ch.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def _dejavu() -> tuple[str, str] | None:
    """Register DejaVu Sans (regular and bold) with reportlab; their names, or None."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "DejaVuSans" in pdfmetrics.getRegisteredFontNames():
        return "DejaVuSans", "DejaVuSans-Bold"
    for folder in FONT_FOLDERS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            pdfmetrics.registerFont(TTFont("DejaVuSans", str(regular)))
            pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(bold)))
            addMapping("DejaVuSans", 0, 0, "DejaVuSans")
            addMapping("DejaVuSans", 1, 0, "DejaVuSans-Bold")
            addMapping("DejaVuSans", 0, 1, "DejaVuSans")
            addMapping("DejaVuSans", 1, 1, "DejaVuSans-Bold")
            return "DejaVuSans", "DejaVuSans-Bold"
    return None
