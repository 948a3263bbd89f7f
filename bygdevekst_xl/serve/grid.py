"""A picture of each sheet as an HTML grid: the values as read and evaluated, the findings'
cells marked, each cell an anchor a finding links to."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from ..dataclass import dataclass, field
from ..excel import a1, col_letter, parse_a1, serial_date
from ..messages import Lang, number

MAX_ROWS = 250
"""Rows shown of one sheet (a pilot's project sheet has about 60)."""
MAX_COLS = 20
"""Columns shown of one sheet (the widest has 9)."""
MAX_SHEETS = 40
"""Sheets shown as grids (a pilot's workbook has 8 to 33); the rest are counted."""


@dataclass
class Cell:
    """One cell of the grid: its address, what it shows and its finding's severity."""

    address: str
    text: str = ""
    numeric: bool = False
    formula: str = ""
    severity: str = ""
    messages: list[str] = field(default_factory=list)


@dataclass
class Grid:
    """One sheet as a grid."""

    index: int
    name: str
    hidden: bool
    columns: list[str]
    rows: list[tuple[int, list[Cell]]]
    cut: tuple[int, int] | None = None
    """(rows, columns) shown when the sheet is larger."""
    findings: int = 0


def anchor(index: int, address: str) -> str:
    """The id of a cell in the page: sheet index and A1 address (``cell-2-C8``)."""
    return f"cell-{index}-{address}"


def marks(findings: Iterable[Mapping[str, Any]]) -> dict[tuple[str, str], list[Mapping[str, Any]]]:
    """(sheet, top-left cell) -> the findings there, those that follow from a cause included."""
    out: dict[tuple[str, str], list[Mapping[str, Any]]] = {}
    for finding in findings:
        for one in (finding, *finding.get("consequences", ())):
            if one.get("sheet") and one.get("cell"):
                first = str(one["cell"]).split(":")[0].replace("$", "")
                out.setdefault((one["sheet"], first), []).append(one)
    return out


def grids(
    sheets: list[Any],
    values: Mapping[tuple[str, str], Any],
    findings: list[Mapping[str, Any]],
    lang: Lang,
) -> list[Grid]:
    """Every sheet as a grid, the cells of ``findings`` (the report's, as JSON data) marked."""
    marked = marks(findings)
    return [_grid(i, sheet, values, marked, lang) for i, sheet in enumerate(sheets[:MAX_SHEETS])]


def sheet_index(sheets: list[Any]) -> dict[str, int]:
    """Sheet name -> its index in the page (for a finding's link)."""
    return {sheet.name: i for i, sheet in enumerate(sheets)}


def _grid(
    index: int,
    sheet: Any,
    values: Mapping[tuple[str, str], Any],
    marked: Mapping[tuple[str, str], list[Mapping[str, Any]]],
    lang: Lang,
) -> Grid:
    here = {cell: found for (name, cell), found in marked.items() if name == sheet.name}
    places = [
        place
        for place in map(parse_a1, (*sheet.values, *sheet.formulas, *sheet.errors, *here))
        if place is not None
    ]
    last_row = max((r for r, _ in places), default=0)
    last_col = max((c for _, c in places), default=0)
    rows_shown, cols_shown = min(last_row + 1, MAX_ROWS), min(last_col + 1, MAX_COLS)
    cut = (
        (rows_shown, cols_shown)
        if (rows_shown, cols_shown) != (last_row + 1, last_col + 1)
        else None
    )
    rows = []
    for r in range(rows_shown):
        cells = []
        for c in range(cols_shown):
            address = a1(r, c)
            cell = _cell(sheet, address, values, lang)
            found = here.get(address, [])
            if found:
                errors = any(f.get("severity") == "error" for f in found)
                cell.severity = "error" if errors else "warning"
                cell.messages = [f"{f.get('code')}: {f.get('message')}" for f in found]
            cells.append(cell)
        rows.append((r + 1, cells))
    return Grid(
        index,
        sheet.name,
        sheet.state != "visible",
        [col_letter(c) for c in range(cols_shown)],
        rows,
        cut,
        sum(len(found) for found in here.values()),
    )


def _cell(sheet: Any, address: str, values: Mapping[tuple[str, str], Any], lang: Lang) -> Cell:
    formula = sheet.formulas.get(address, "")
    if formula:
        value = values.get((sheet.name, address), sheet.cached.get(address))
    elif address in sheet.errors:
        value = sheet.errors[address]
    else:
        value = sheet.values.get(address)
    if value is None:
        return Cell(address, formula=formula)
    if isinstance(value, bool):
        return Cell(address, str(value).upper(), formula=formula)
    if isinstance(value, int | float):
        if address in sheet.date_cells:
            try:
                return Cell(address, _date(serial_date(float(value)), lang), formula=formula)
            except (OverflowError, ValueError):
                pass
        return Cell(address, _number(value, lang), numeric=True, formula=formula)
    if isinstance(value, dt.datetime | dt.date):
        return Cell(address, _date(value, lang), formula=formula)
    return Cell(address, str(value), formula=formula)


def _number(value: float, lang: Lang) -> str:
    if not abs(value) < 1e15:
        return str(value)
    if float(value).is_integer():
        return number(int(value), lang)
    return number(round(value, 2), lang)


def _date(value: dt.date, lang: Lang) -> str:
    return value.strftime("%d.%m.%Y" if lang == "nb" else "%Y-%m-%d")
