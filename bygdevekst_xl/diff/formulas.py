"""Formula changes apart from value changes: a total typed over, a formula changed or removed,
an input that became a formula.

Each workbook is compared with the map of its own budget (``layout.build_layout``), which says
which cells hold which formula and which are inputs. A cell is named by what the map shows
around it, not by its address: the sheet (a project sheet by its project), the texts left of
it in its row (a line's category and description, a total's label), the period and the
column header above it. So the same cell is found in both files wherever rows went.
"""

from __future__ import annotations

import re
from typing import Any

from ..check.cells import sheet_formulas
from ..check.rules import normalize_formula, same_formula
from ..dataclass import dataclass
from ..layout.cells import Cell, SheetLayout
from .changes import Change
from .compare import same
from .versions import Version

CellName = tuple[Any, ...]
"""(sheet identity, row label, period, column header, occurrence)."""


@dataclass(frozen=True)
class Deviation:
    """A cell whose content is not what the map puts there."""

    code: str
    found: Any
    expected: str | None


@dataclass(frozen=True)
class Named:
    """A cell of the map: where it is in one file and how a person would name it."""

    sheet: str
    address: str
    row_label: str
    period: str
    header: str


def formula_changes(old: Version, new: Version) -> list[Change]:
    """Deviations from the map that differ between the two versions."""
    old_at, new_at = _deviations(old), _deviations(new)
    if not old_at and not new_at:  # the usual case: no cell to name
        return []
    old_named, new_named = _named(old), _named(new)
    old_cells = {name: named for named, name in old_named}
    new_cells = {name: named for named, name in new_named}
    old_found, new_found = _by_name(old_at, old_named), _by_name(new_at, new_named)
    changes = []
    for name in [*new_found, *(n for n in old_found if n not in new_found)]:
        before, after = old_found.get(name), new_found.get(name)
        if before is not None and after is not None and _same_deviation(before, after):
            continue
        shown = new_cells.get(name) or old_cells[name]
        params = {
            "sheet": shown.sheet,
            "what": " · ".join(p for p in (shown.row_label, shown.period, shown.header) if p),
        }
        old_cell = old_cells.get(name)
        new_cell = new_cells.get(name)
        code = after.code if after is not None else "formula-restored"
        either = after if after is not None else before
        expected = either.expected if either is not None else None
        changes.append(
            Change(
                code,
                {**params, "expected": expected} if expected else params,
                before.found if before is not None else None,
                after.found if after is not None else None,
                (old_cell.sheet, old_cell.address) if old_cell else None,
                (new_cell.sheet, new_cell.address) if new_cell else None,
            )
        )
    return changes


_ROW_NUMBERS = re.compile(r"(?<=[A-Z])\d+")


def _moved(found: str, expected: str) -> bool:
    """The same formula over other rows: a line total whose line was cut and pasted elsewhere
    (the spreadsheet moves the reference with the cells). A line total counts in no total."""
    return _ROW_NUMBERS.sub("#", normalize_formula(found)) == _ROW_NUMBERS.sub(
        "#", normalize_formula(expected)
    )


def _same_deviation(a: Deviation, b: Deviation) -> bool:
    if a.code != b.code:
        return False
    if isinstance(a.found, str) and a.found.startswith("=") and isinstance(b.found, str):
        return same_formula(a.found, b.found)
    return same(a.found, b.found)


def _by_name(
    found: dict[tuple[str, str], Deviation], named: list[tuple[Named, CellName]]
) -> dict[CellName, Deviation]:
    """The deviations of :func:`_deviations` keyed by their cells' names, in the same order."""
    names = {(n.sheet, n.address): name for n, name in named}
    return {names[at]: deviation for at, deviation in found.items()}


def _deviations(version: Version) -> dict[tuple[str, str], Deviation]:
    """Every cell whose content is not what the map puts there, by (sheet, address)."""
    found: dict[tuple[str, str], Deviation] = {}
    for sheet in version.layout.sheets:
        held = version.content.sheets.get(sheet.name)
        if held is None:
            continue
        if held.formulas == sheet_formulas(sheet):
            continue  # each formula where the map has it, exactly, and no other: no deviation
        line_rows = {c.row for c in sheet.cells.values() if c.input_type == "category"}
        for cell in sheet.cells.values():
            address = cell.address
            if cell.kind == "formula":
                formula = held.formulas.get(address)
                if formula is None:
                    value = held.values.get(address, held.errors.get(address))
                    if value is None and cell.row in line_rows:
                        continue  # a line total left out of an inserted row counts in no total
                    code = "formula-removed" if value is None else "formula-overwritten"
                    found[(sheet.name, address)] = Deviation(code, value, cell.formula)
                elif not same_formula(formula, cell.formula or "") and not (
                    cell.row in line_rows and _moved(formula, cell.formula or "")
                ):
                    found[(sheet.name, address)] = Deviation(
                        "formula-changed", formula, cell.formula
                    )
            elif cell.kind == "input" and address in held.formulas:
                found[(sheet.name, address)] = Deviation(
                    "input-formula", held.formulas[address], None
                )
    return found


def _named(version: Version) -> list[tuple[Named, CellName]]:
    """Every formula and input cell of the map with its name."""
    budget = version.read.budget
    # A sheet is known by what it is, not by its name: a project sheet by its project's id,
    # the others by the name the map gives them (the layout is moved to the workbook's names).
    by_sheet: dict[str, Any] = {
        actual: layout_name for layout_name, actual in version.read.sheet_names().items()
    }
    by_sheet |= {where.sheet: ("project", pid) for pid, where in version.read.places.items()}
    # A row named after a project or a category (the combined sheet's blocks, the category
    # tables) is known by its id, so a renamed project still finds its row in the other file.
    by_label: dict[str, Any] = {_text(c.name): ("category", c.id) for c in budget.categories}
    by_label |= {_text(p.name): ("project", p.id) for p in budget.projects}
    years = [str(y) for y in budget.pilot.years]
    out: list[tuple[Named, CellName]] = []
    seen: dict[tuple[Any, ...], int] = {}
    for sheet in version.layout.sheets:
        identity = by_sheet.get(sheet.name, sheet.name)
        for named in _sheet_cells(sheet, years):
            row = by_label.get(named.row_label, named.row_label)
            base = (identity, row, named.period, named.header)
            count = seen.get(base, 0)
            seen[base] = count + 1
            out.append((named, (*base, count)))
    return out


def _sheet_cells(sheet: SheetLayout, years: list[str]) -> list[Named]:
    """Formula and input cells of a sheet, each named by its row's texts and its header."""
    rows: dict[int, dict[int, Cell]] = {}
    for (row, col), cell in sheet.cells.items():
        rows.setdefault(row, {})[col] = cell
    header_row: dict[int, int | None] = {}  # column -> the row of its header, above
    headers: dict[tuple[int, int], tuple[str, str]] = {}  # (header row, column) -> its texts
    out = []
    for row in sorted(rows):
        cells = rows[row]
        for col in list(header_row):
            if col not in cells:
                header_row[col] = None  # a gap in the column ends its table
        left: list[str] = []  # the texts left of the cell in its row
        for col in sorted(cells):
            cell = cells[col]
            text = _text(cell.value)
            if cell.kind == "label":
                header_row[col] = row
            else:
                above = header_row.get(col)
                header, period = "", ""
                if above is not None:
                    found = headers.get((above, col))
                    if found is None:
                        found = headers[(above, col)] = _header(rows[above], col, years)
                    header, period = found
                label = " · ".join(left) or text
                out.append(Named(sheet.name, cell.address, label, period, header))
            if text:
                left.append(text)
    return out


def _header(row: dict[int, Cell], col: int, years: list[str]) -> tuple[str, str]:
    """A column's header, and the period its header row names in column A (``2024``)."""
    first = _text(row[0].value) if col != 0 and 0 in row else ""
    return _text(row[col].value), first if any(y in first for y in years) else ""


def _text(value: Any) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""
