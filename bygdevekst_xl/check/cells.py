"""A layout sheet's cells by their A1 address: found once per check, for every rule that asks
(the formulas, the labels, what lies outside the tables, which errors are ours)."""

from __future__ import annotations

from ..dataclass import dataclass
from ..excel import col_letter
from ..layout.cells import Cell, SheetLayout, a1


@dataclass(frozen=True)
class SheetCells:
    """One layout sheet's cells keyed by address, and its formulas as the file should hold them."""

    cells: dict[str, Cell]
    """Address -> cell, in the layout's order."""
    formulas: dict[str, str]
    """Address -> formula text of every formula cell (``""`` for one without a text)."""
    labels: dict[str, Cell]
    """Address -> cell of every label (locked text or number)."""


def sheet_cells(sheet: SheetLayout) -> SheetCells:
    """Every cell of ``sheet`` by its address (one pass: each address made once, from its
    column's letters, found once per column, and its row number)."""
    cells: dict[str, Cell] = {}
    formulas: dict[str, str] = {}
    labels: dict[str, Cell] = {}
    letters: dict[int, str] = {}
    for (row, col), cell in sheet.cells.items():
        letter = letters.get(col)
        if letter is None:
            letter = letters[col] = col_letter(col)
        address = f"{letter}{row + 1}"  # a1(row, col), made directly
        cells[address] = cell
        if cell.kind == "formula":
            formulas[address] = cell.formula or ""
        elif cell.kind == "label":
            labels[address] = cell
    return SheetCells(cells, formulas, labels)


def sheet_formulas(sheet: SheetLayout) -> dict[str, str]:
    """Address -> formula text of every formula cell of ``sheet`` (``""`` for one without)."""
    return {
        a1(cell.row, cell.col): cell.formula or ""
        for cell in sheet.cells.values()
        if cell.kind == "formula"
    }
