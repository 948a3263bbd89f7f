"""Find the layout again in an edited workbook: rows inserted anywhere, sheets renamed.

People insert rows above tables and at the top of sheets, and rename sheets; Excel,
LibreOffice and Gnumeric move every reference and defined name with them. A layout is found
again by a :class:`RowMap` per sheet, from what moves with the rows: the areas of the defined
names, and the labels in column A (matched in order). :func:`relocate` then moves the whole
expected layout (cells, formulas and their references, names, validations, formats, links)
to where the workbook has it, so the rules compare like with like.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from ..excel import REFERENCE, parse_area, unquote_sheet
from .cells import Cell, ConditionalFormat, Link, SheetLayout, Validation, WorkbookLayout, ref


@dataclass(frozen=True)
class RowMap:
    """Layout row -> workbook row on one sheet, monotonic, from anchored rows.

    A row between two anchors keeps its distance to the anchor above it.
    """

    anchors: tuple[tuple[int, int], ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "_rows", [layout for layout, _ in self.anchors])

    @property
    def identity(self) -> bool:
        return all(layout == found for layout, found in self.anchors)

    def __call__(self, row: int) -> int:
        i = bisect.bisect_right(self._rows, row) - 1  # type: ignore[attr-defined]
        if i < 0:
            return row
        layout, found = self.anchors[i]
        return found + (row - layout)


IDENTITY = RowMap()


def signature(cell: Cell | None) -> Any:
    """What identifies a layout row in column A: its label, or the text its formula shows."""
    if cell is None or cell.kind == "input":
        return None
    value = cell.value
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, int | float) and not isinstance(value, bool) and cell.kind == "label":
        return value
    return None


def align(
    sheet: SheetLayout, column_a: Iterable[tuple[int, Any]], fixed: Mapping[int, int]
) -> RowMap:
    """Match the layout's rows of ``sheet`` to the workbook's.

    ``column_a`` gives the workbook's (row, value) pairs in column A (a formula's value for a
    formula), ``fixed`` the rows the defined names pin (layout row -> workbook row). Every
    other labelled row is matched, in order, to the next workbook row with the same text,
    never past the next pinned row.
    """
    index: dict[Any, list[int]] = {}
    for row, value in sorted(column_a, key=lambda pair: pair[0]):
        if isinstance(value, str):
            if value.strip():
                index.setdefault(value, []).append(row)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            index.setdefault(value, []).append(row)
    pinned = sorted(fixed.items())
    anchors: list[tuple[int, int]] = []
    found_floor = -1
    links = {link.row: link.text for link in sheet.links if link.col == 0 and link.text.strip()}
    rows = sorted({r for r, c in sheet.cells if c == 0} | set(links) | set(fixed))
    for row in rows:
        if row in fixed:
            target = fixed[row]
            if target > found_floor:
                anchors.append((row, target))
                found_floor = target
            continue
        text = links.get(row) or signature(sheet.cells.get((row, 0)))
        candidates = index.get(text) if text is not None else None
        if not candidates:
            continue
        ceiling = next((found for layout, found in pinned if layout > row), None)
        i = bisect.bisect_right(candidates, found_floor)
        if i < len(candidates) and (ceiling is None or candidates[i] < ceiling):
            anchors.append((row, candidates[i]))
            found_floor = candidates[i]
    return RowMap(tuple(_thin(anchors)))


def _thin(anchors: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Only the anchors where the distance changes (the map is the same, the lookups fewer)."""
    out: list[tuple[int, int]] = []
    for layout, found in anchors:
        if not out or found - layout != out[-1][1] - out[-1][0]:
            out.append((layout, found))
    return out


def relocate(
    layout: WorkbookLayout, names: Mapping[str, str], maps: Mapping[str, RowMap]
) -> WorkbookLayout:
    """The layout moved to where the workbook has it.

    ``names`` renames sheets (layout name -> workbook name), ``maps`` gives each sheet's
    :class:`RowMap` (by layout name). Returns ``layout`` itself when nothing moved.
    """
    renamed = {old: new for old, new in names.items() if old != new}
    moved = {name: m for name, m in maps.items() if not m.identity}
    if not renamed and not moved:
        return layout

    def row_of(sheet: str, row: int) -> int:
        return moved[sheet](row) if sheet in moved else row

    def formula(text: str, sheet: str) -> str:
        return repoint(text, sheet, renamed, moved)

    sheets = []
    for sheet in layout.sheets:
        m = moved.get(sheet.name, IDENTITY)
        new = SheetLayout(renamed.get(sheet.name, sheet.name))
        for cell in sheet.cells.values():
            text = formula(cell.formula, sheet.name) if cell.formula else None
            moved_cell = replace(cell, row=m(cell.row), formula=text)
            new.cells[(moved_cell.row, moved_cell.col)] = moved_cell
        new.widths = dict(sheet.widths)
        new.heights = {m(r): h for r, h in sheet.heights.items()}
        new.merges = [(m(a), b, m(c), d) for a, b, c, d in sheet.merges]
        new.validations = [
            Validation(m(v.first_row), v.first_col, m(v.last_row), v.last_col, v.options)
            for v in sheet.validations
        ]
        new.conditional = [
            ConditionalFormat(
                m(c.first_row), c.first_col, m(c.last_row), c.last_col, c.options, c.style
            )
            for c in sheet.conditional
        ]
        new.links = [
            Link(m(k.row), k.col, _link(k.target, renamed, moved), k.text) for k in sheet.links
        ]
        new.charts = list(sheet.charts)
        new.freeze, new.repeat_rows, new.tab_color = (
            sheet.freeze,
            sheet.repeat_rows,
            sheet.tab_color,
        )
        sheets.append(new)
    defined = {
        name: repoint(reference, None, renamed, moved) for name, reference in layout.names.items()
    }
    anchors = {
        key: (renamed.get(sheet, sheet), row_of(sheet, row), col)
        for key, (sheet, row, col) in layout.anchors.items()
    }
    return WorkbookLayout(
        sheets, defined, anchors, layout.totals, layout.projects, layout.parameters
    )


def repoint(
    formula: str, sheet: str | None, renamed: Mapping[str, str], moved: Mapping[str, RowMap]
) -> str:
    """A formula's references re-pointed to renamed sheets and moved rows."""

    def one(match: Any) -> str:
        if match.group(1) is not None:
            return str(match.group(0))
        prefix = match.group(2)
        target = unquote_sheet(prefix) if prefix else sheet
        m = moved.get(target) if target is not None else None
        if prefix and target is not None and target in renamed:
            prefix = ref(renamed[target], "")
        text = (prefix or "") + _cell(match, 3, m)
        if match.group(7) is not None:
            text += ":" + _cell(match, 7, m)
        return text

    return REFERENCE.sub(one, formula)


def _cell(match: Any, group: int, m: RowMap | None) -> str:
    col_abs, letters, row_abs, digits = (match.group(group + i) for i in range(4))
    row = int(digits) - 1
    if m is not None:
        row = m(row)
    return f"{col_abs}{letters}{row_abs}{row + 1}"


def _link(target: str, renamed: Mapping[str, str], moved: Mapping[str, RowMap]) -> str:
    """An internal hyperlink (``#'Sheet'!A1``) re-pointed."""
    if not target.startswith("#"):
        return target
    return "#" + repoint(target[1:], None, renamed, moved)


def name_anchors(area_ref: str, layout_ref: str) -> tuple[str, dict[int, int]] | None:
    """The rows a defined name pins: its layout area's first and last row -> the workbook's."""
    found, expected = parse_area(area_ref), parse_area(layout_ref)
    if found is None or expected is None or found.sheet is None:
        return None
    pins = {expected.first_row: found.first_row}
    if expected.last_row - expected.first_row == found.last_row - found.first_row:
        pins[expected.last_row] = found.last_row
    return found.sheet, pins


__all__ = ["IDENTITY", "RowMap", "align", "name_anchors", "relocate", "repoint"]
