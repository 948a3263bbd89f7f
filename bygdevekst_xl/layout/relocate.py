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
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from ..dataclass import dataclass, replace
from ..excel import col_index, col_letter, parse_area, reference_pattern, unquote_sheet
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


@dataclass(frozen=True)
class ColMap:
    """Layout column -> workbook column on one sheet: columns a person inserted or deleted,
    found by the table headers (Excel and LibreOffice move every reference with them).

    ``found`` pairs each header's layout column with its workbook column (None: deleted). A
    column between or right of headers keeps its distance to the found header left of it.
    """

    found: tuple[tuple[int, int | None], ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "_known", dict(self.found))
        anchors = sorted((a, b) for a, b in self.found if b is not None)
        object.__setattr__(self, "_anchors", anchors)
        object.__setattr__(self, "_back", {b: a for a, b in anchors})

    @property
    def identity(self) -> bool:
        return all(layout == found for layout, found in self.found)

    def __call__(self, col: int) -> int | None:
        """The workbook column of a layout column; None when it was deleted."""
        known: dict[int, int | None] = self._known  # type: ignore[attr-defined]
        if col in known:
            return known[col]
        anchors: list[tuple[int, int]] = self._anchors  # type: ignore[attr-defined]
        left = [(a, b) for a, b in anchors if a < col]
        if not left:  # left of every header: its distance to the first one
            if not anchors:
                return col
            found = anchors[0][1] - (anchors[0][0] - col)
            return found if found >= 0 else None
        layout, found = left[-1]
        return found + (col - layout)

    def place(self, col: int) -> int:
        """The workbook column of a layout column, or, deleted, the layout's own (where a
        message names it)."""
        found = self(col)
        return col if found is None else found

    def inverse(self, col: int) -> int | None:
        """The layout column of a workbook column; None for a column a person inserted."""
        back: dict[int, int] = self._back  # type: ignore[attr-defined]
        if col in back:
            return back[col]
        anchors: list[tuple[int, int]] = self._anchors  # type: ignore[attr-defined]
        left = [(a, b) for a, b in anchors if b < col]
        if not left:  # left of every header: inserted when no layout column is there
            if not anchors:
                return col
            layout = anchors[0][0] - (anchors[0][1] - col)
            return layout if layout >= 0 else None
        layout, found = left[-1]
        right = [(a, b) for a, b in anchors if b > col]
        if right and right[0][0] == layout + 1:
            return None  # between two neighbouring headers: inserted
        return layout + (col - found)

    @property
    def deleted(self) -> tuple[int, ...]:
        """The layout columns whose header is gone."""
        return tuple(layout for layout, found in self.found if found is None)

    @property
    def inserted(self) -> tuple[int, ...]:
        """Workbook columns a person inserted before or between the headers."""
        anchors: list[tuple[int, int]] = self._anchors  # type: ignore[attr-defined]
        if not anchors:
            return ()
        images = {b for _, b in anchors}
        return tuple(
            c for c in range(anchors[-1][1]) if c not in images and self.inverse(c) is None
        )


SAME_COLUMNS = ColMap()


def columns_by_header(
    row_values: Mapping[int, Any],
    expected: Iterable[tuple[int, str]],
    filled_below: Collection[int] = (),
) -> ColMap:
    """Find each expected header (layout column, text) in a workbook header row, in order; a
    header a person typed over or cleared is its column still (:func:`_typed_over`), not a
    deleted one (``filled_below``: the columns holding something in the row below)."""
    texts = {col: _header_text(value) for col, value in row_values.items()}
    return ColMap(tuple(_typed_over(_matches(texts, expected), texts, filled_below)))


def headers_found(row_values: Mapping[int, Any], expected: Iterable[tuple[int, str]]) -> int:
    """How many of the expected headers a row holds as they are written, left to right."""
    texts = {col: _header_text(value) for col, value in row_values.items()}
    return sum(1 for _, match in _matches(texts, expected) if match is not None)


def _matches(
    texts: Mapping[int, str], expected: Iterable[tuple[int, str]]
) -> list[tuple[int, int | None]]:
    found: list[tuple[int, int | None]] = []
    floor = -1
    for layout, text in expected:
        match = next((c for c in sorted(texts) if c > floor and texts[c] == text), None)
        found.append((layout, match))
        if match is not None:
            floor = match
    return found


def _typed_over(
    found: list[tuple[int, int | None]], texts: Mapping[int, str], filled_below: Collection[int]
) -> list[tuple[int, int | None]]:
    """Headers not found that a person typed over (or cleared) rather than deleted with their
    column: deleting a column moves every header right of it one to the left, so a missing
    header whose found neighbours keep the same distance on both sides (one found before every
    header: no move to the left; one after every header found: its cell, or the cell below it,
    holds something) is where its neighbours say. The rules then name the changed header."""
    anchors = [(a, b) for a, b in found if b is not None]
    taken = {b for _, b in anchors}
    out: list[tuple[int, int | None]] = []
    for layout, match in found:
        if match is None and anchors:
            left = [b - a for a, b in anchors if a < layout]
            right = [b - a for a, b in anchors if a > layout]
            at: int | None = None
            if left and right and left[-1] == right[0]:
                at = layout + left[-1]
            elif right and not left and right[0] >= 0:
                at = layout + right[0]
            elif left and not right:
                at = layout + left[-1]
                if not texts.get(at) and at not in filled_below:
                    at = None  # nothing where it was: the last column deleted
            if at is not None and at >= 0 and at not in taken:
                match = at
        out.append((layout, match))
    return out


def _header_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


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
    pin = 0  # the first pin below the row (the rows go down, so it only moves on)
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
        while pin < len(pinned) and pinned[pin][0] <= row:
            pin += 1
        ceiling = pinned[pin][1] if pin < len(pinned) else None
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
    layout: WorkbookLayout,
    names: Mapping[str, str],
    maps: Mapping[str, RowMap],
    cols: Mapping[str, ColMap] | None = None,
) -> WorkbookLayout:
    """The layout moved to where the workbook has it.

    ``names`` renames sheets (layout name -> workbook name), ``maps`` gives each sheet's
    :class:`RowMap` and ``cols`` its :class:`ColMap` (by layout name). A cell in a deleted
    column is left out. Returns ``layout`` itself when nothing moved.
    """
    renamed = {old: new for old, new in names.items() if old != new}
    moved = {name: m for name, m in maps.items() if not m.identity}
    shifted = {name: c for name, c in (cols or {}).items() if not c.identity}
    if not renamed and not moved and not shifted:
        return layout

    def row_of(sheet: str, row: int) -> int:
        return moved[sheet](row) if sheet in moved else row

    def formula(text: str, sheet: str) -> str:
        return repoint(text, sheet, renamed, moved, shifted)

    sheets = []
    for sheet in layout.sheets:
        m = moved.get(sheet.name, IDENTITY)
        c = shifted.get(sheet.name, SAME_COLUMNS)

        new = SheetLayout(renamed.get(sheet.name, sheet.name))
        for cell in sheet.cells.values():
            if c(cell.col) is None:
                continue  # its column was deleted
            text = formula(cell.formula, sheet.name) if cell.formula else None
            moved_cell = replace(cell, row=m(cell.row), col=c.place(cell.col), formula=text)
            new.cells[(moved_cell.row, moved_cell.col)] = moved_cell
        new.widths = {c.place(k): w for k, w in sheet.widths.items()}
        new.heights = {m(r): h for r, h in sheet.heights.items()}
        new.merges = [(m(a), c.place(b), m(r), c.place(d)) for a, b, r, d in sheet.merges]
        new.validations = [
            Validation(
                m(v.first_row), c.place(v.first_col), m(v.last_row), c.place(v.last_col), v.options
            )
            for v in sheet.validations
        ]
        new.conditional = [
            ConditionalFormat(
                m(f.first_row),
                c.place(f.first_col),
                m(f.last_row),
                c.place(f.last_col),
                f.options,
                f.style,
            )
            for f in sheet.conditional
        ]
        new.links = [
            Link(m(k.row), c.place(k.col), _link(k.target, renamed, moved), k.text)
            for k in sheet.links
        ]
        new.charts = list(sheet.charts)
        new.freeze, new.repeat_rows, new.tab_color = (
            sheet.freeze,
            sheet.repeat_rows,
            sheet.tab_color,
        )
        sheets.append(new)
    defined = {
        name: repoint(reference, None, renamed, moved, shifted)
        for name, reference in layout.names.items()
    }

    def col_of(sheet: str, col: int) -> int:
        return shifted[sheet].place(col) if sheet in shifted else col

    anchors = {
        key: (renamed.get(sheet, sheet), row_of(sheet, row), col_of(sheet, col))
        for key, (sheet, row, col) in layout.anchors.items()
    }
    return WorkbookLayout(
        sheets, defined, anchors, layout.totals, layout.projects, layout.parameters
    )


def repoint(
    formula: str,
    sheet: str | None,
    renamed: Mapping[str, str],
    moved: Mapping[str, RowMap],
    shifted: Mapping[str, ColMap] | None = None,
) -> str:
    """A formula's references re-pointed to renamed sheets, moved rows and moved columns."""

    def one(match: Any) -> str:
        if match.group(1) is not None:
            return str(match.group(0))
        prefix = match.group(2)
        target = unquote_sheet(prefix) if prefix else sheet
        m = moved.get(target) if target is not None else None
        c = shifted.get(target) if shifted and target is not None else None
        if prefix and target is not None and target in renamed:
            prefix = ref(renamed[target], "")
        text = (prefix or "") + _cell(match, 3, m, c)
        if match.group(7) is not None:
            text += ":" + _cell(match, 7, m, c)
        return text

    return reference_pattern().sub(one, formula)


def _cell(match: Any, group: int, m: RowMap | None, c: ColMap | None = None) -> str:
    col_abs, letters, row_abs, digits = (match.group(group + i) for i in range(4))
    row = int(digits) - 1
    if m is not None:
        row = m(row)
    if c is not None and (col := c(col_index(letters))) is not None:
        letters = col_letter(col)
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


__all__ = [
    "IDENTITY",
    "SAME_COLUMNS",
    "ColMap",
    "RowMap",
    "align",
    "columns_by_header",
    "headers_found",
    "name_anchors",
    "relocate",
    "repoint",
]
