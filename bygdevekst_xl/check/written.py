"""What a command is about to write, compared with what it meant: every cell of the layout as
the workbook's bytes, read back through the reader, hold it (``generate`` and ``regenerate``
read what they write before they say they succeeded)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..errors import EXIT_FINDINGS, BygdevekstError
from ..layout import WorkbookLayout
from ..messages import Count, Message
from ..model import Formula
from .cells import SheetCells, sheet_cells
from .rules import same_formula


class NotAsMeant(BygdevekstError, RuntimeError):
    """The workbook, read back, is not what the command meant to write; nothing was written."""

    exit_code = EXIT_FINDINGS

    def __init__(self, differences: list[Message]) -> None:
        self.differences = differences
        count = Count(len(differences), "n-places")
        super().__init__(Message("regenerate-not-as-meant", count=count))

    def details(self, lang: str = "nb") -> list[str]:
        return [d.say(lang) for d in self.differences[:50]]


def written_differences(
    layout: WorkbookLayout, content: Any, *, every_cell: bool = False
) -> list[Message]:
    """Every input cell of ``layout`` (``every_cell``: every label and formula too) that the
    workbook ``content`` (read back) does not hold as meant: ``Ark!C12: meant 50000, read 0``."""
    out: list[Message] = []
    for sheet in layout.sheets:
        found = content.sheets.get(sheet.name)
        if found is None:
            out.append(Message("at", place=sheet.name, text=Message("sheet-not-written")))
            continue
        formulas, values = found.formulas, found.values
        cells = sheet_cells(sheet)
        if every_cell and _all_as_meant(cells, found):
            continue
        for address, cell in cells.cells.items():
            kind, meant = cell.kind, cell.value
            if kind == "input" and isinstance(meant, Formula):
                read = formulas.get(address)
                ok = read is not None and same_formula(read, meant.text)
                meant = meant.text
            elif kind == "input":
                read = formulas.get(address) or values.get(address)
                ok = _same_input(meant, read)
            elif not every_cell:
                continue
            elif kind == "formula":
                meant, read = cell.formula or "", formulas.get(address)
                ok = read is not None and same_formula(read, meant)
            else:  # a label
                read = formulas.get(address) or values.get(address)
                ok = _same_input(meant, read)
            if not ok:
                text = Message("meant-read", meant=repr(meant), read=repr(read))
                out.append(Message("at", place=f"{sheet.name}!{address}", text=text))
    return out


def _all_as_meant(cells: SheetCells, found: Any) -> bool:
    """Every formula, label and input of a sheet as meant, compared as two dicts (the common
    case, a few comparisons instead of one a cell); False sends the sheet cell by cell."""
    if found.formulas != cells.formulas:
        return False
    expected: dict[str, Any] = {}
    booleans = []
    for address, cell in cells.cells.items():
        value = cell.value
        if cell.kind == "formula" or value is None or value == "":
            continue
        if isinstance(value, dt.date | dt.datetime | Formula):
            return False  # a date is written as its serial: compared cell by cell
        if type(value) is bool:
            booleans.append(address)  # == takes TRUE for 1: its type is compared below
        expected[address] = value
    values = found.values
    return expected == values and all(type(values[a]) is bool for a in booleans)


def _same_input(meant: Any, read: Any) -> bool:
    if meant in (None, "") or read in (None, ""):
        return meant in (None, "") and read in (None, "")
    if isinstance(meant, bool) or isinstance(read, bool):
        return type(meant) is type(read) and meant == read  # TRUE is no 1, 1 no TRUE
    if isinstance(meant, int | float) and isinstance(read, int | float):
        return float(meant) == float(read)
    if isinstance(meant, dt.date | dt.datetime):
        return True  # dates are written as serials; the date checks compare them
    return bool(meant == read)
