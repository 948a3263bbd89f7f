"""The Arkiv sheet: values regenerate keeps that have no place in the new spec."""

from __future__ import annotations

from typing import Any

from ..model import Formula
from ..texts import ARCHIVE_SHEET
from .cells import SheetLayout


def archive_sheet(left_out: list[tuple[str, str, str, str, Any]]) -> SheetLayout:
    """The Arkiv sheet: each value left out as (project id, old sheet, old cell, what, value)."""
    sheet = SheetLayout(ARCHIVE_SHEET, tab_color="#7F7F7F")
    sheet.widths = {0: 18, 1: 24, 2: 10, 3: 70, 4: 16}
    sheet.label(0, 0, "Arkiv: verdier uten plass i den nye strukturen", "title")
    sheet.label(
        1, 0, "Verdiene telles ikke med i noen sum. De er tatt vare på ved regenerering.", "note"
    )
    for col, text in enumerate(("Prosjekt-id", "Ark (før)", "Celle (før)", "Hva", "Verdi")):
        sheet.label(3, col, text, "header")
    for i, (project, old_sheet, cell, what, value) in enumerate(left_out):
        row = 4 + i
        for col, text in enumerate((project, old_sheet, cell, what)):
            sheet.label(row, col, text, "text")
        shown = value.text if isinstance(value, Formula) else value
        sheet.label(row, 4, shown, "text" if isinstance(shown, str) else "amount")
    sheet.freeze = (4, 0)
    sheet.repeat_rows = (3, 3)
    return sheet
