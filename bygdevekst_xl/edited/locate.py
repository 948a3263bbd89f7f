"""The expected layout, moved to where an edited workbook has it.

``check`` (and regenerate, for formulas in inputs) compares a workbook with the layout its own
inputs give. People insert rows and rename sheets; this module finds each sheet's rows again
(:func:`layout.relocate.align`, pinned by the defined names) and moves the layout there.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..dataclass import dataclass, field
from ..excel import MAX_ROW, a1, col_letter, parse_a1
from ..layout import WorkbookLayout
from ..layout.relocate import ColMap, RowMap, align, name_anchors, relocate
from .inputs import ReadBudget


@dataclass(frozen=True)
class Located:
    """A layout as the workbook has it, and how each sheet's rows were found."""

    layout: WorkbookLayout
    maps: dict[str, RowMap]
    """Layout sheet name -> its row map (absent: not moved)."""
    names: dict[str, str]
    """Layout sheet name -> the workbook's name for it."""
    cols: dict[str, ColMap] = field(default_factory=dict)
    """Layout sheet name -> its column map (absent: no column inserted or deleted)."""

    def address(self, sheet: str, row: int, col: int) -> str:
        """The workbook address of a layout cell (layout coordinates, layout sheet name)."""
        m = self.maps.get(sheet)
        c = self.cols.get(sheet)
        return a1(m(row) if m else row, c.place(col) if c else col)

    def sheet(self, name: str) -> str:
        """The workbook's name of a layout sheet."""
        return self.names.get(name, name)


def locate(
    layout: WorkbookLayout,
    read: ReadBudget,
    content: Any,
    computed: Mapping[tuple[str, str], Any] | None = None,
) -> Located:
    """Find ``layout`` in the workbook ``content`` (read as ``read``).

    ``computed`` gives formula cells' values by (sheet, address) (the workbook's evaluation);
    without it, the values saved with the formulas are used.
    """

    def value_at(sheet: str, address: str) -> Any:
        cells = content.sheets[sheet]
        if computed is not None and (sheet, address) in computed:
            return computed[(sheet, address)]
        value = cells.values.get(address)
        return cells.cached.get(address) if value is None else value

    names = read.sheet_names()
    file_names = {k.casefold(): v for k, v in content.names.items()}
    pins: dict[str, dict[int, int]] = {}
    for name, reference in layout.names.items():
        found = file_names.get(name.casefold())
        anchors = name_anchors(found, reference) if found else None
        if anchors is not None:
            pins.setdefault(anchors[0], {}).update(anchors[1])
    cols = {}
    for place in read.places.values():
        if not place.cols.identity:
            cols[place.registered] = cols[place.sheet] = place.cols
    layout_names = {found: name for name, found in names.items()}
    for columns in read.columns:  # Parametre and the combined sheet
        cols[layout_names.get(columns.sheet, columns.sheet)] = cols[columns.sheet] = columns.cols
    maps = {}
    for sheet in layout.sheets:
        actual = names.get(sheet.name, sheet.name)
        sheet_content = content.sheets.get(actual)
        if sheet_content is None:
            continue
        label_col = cols[sheet.name](0) if sheet.name in cols else 0
        labels = _column(sheet_content, label_col or 0)
        column_a = [(row, value_at(actual, address)) for row, address in labels]
        m = align(sheet, column_a, pins.get(actual, {}))
        if not m.identity:
            maps[sheet.name] = m
    cols = {sheet.name: cols[sheet.name] for sheet in layout.sheets if sheet.name in cols}
    moved = relocate(layout, names, maps, cols)
    return Located(moved, maps, names, cols)


def _column(content: Any, col: int) -> list[tuple[int, str]]:
    """The (row, address) of every cell in column ``col`` (A: 0) that holds something."""
    out = []
    letter = col_letter(col)
    width = len(letter)
    for cells in (content.values, content.formulas):
        for address in cells:
            if not address.startswith(letter):
                continue
            digits = address[width:]
            if digits.isascii() and digits.isdecimal() and digits[0] != "0":
                number = int(digits)  # a plain "A12" (most are), as parse_a1 reads it
                if number <= MAX_ROW:
                    out.append((number - 1, address))
            elif (position := parse_a1(address)) is not None and position[1] == col:
                out.append((position[0], address))
    return out
