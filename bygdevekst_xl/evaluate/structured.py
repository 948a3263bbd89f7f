"""Structured references to an Excel Table a person made: ``Kostnader2[2024]``,
``Kostnader2[[#Totals],[2024]]``, ``[@Beløp]`` (stored by Excel as ``[[#This Row],[Beløp]]``),
``Kostnader2[[Kategori]:[2025]]``, ``Kostnader2[#All]``.

A table is its area (headers and totals included), its header and totals row counts and its
column names; a reference picks rows (``#All``, ``#Data``, ``#Headers``, ``#Totals``,
``#This Row``; the data rows by default) and columns (all by default, one, or a span).
Column names match without regard to case; ``'`` escapes ``[ ] # '`` in them.
"""

from __future__ import annotations

import re
from typing import Any

from ..dataclass import dataclass
from .keys import MAX_COL, MAX_ROW, SBITS, col_index, col_of, row_of
from .values import REF, VALUE, Problem

_CELL = re.compile(r"([A-Z]{1,3})(\d+)\Z")
_ESCAPED = re.compile(r"'(.)")
_ITEM = re.compile(r"\[((?:[^\[\]']|'.)*)\]")
_SPECIALS = {"#ALL", "#DATA", "#HEADERS", "#TOTALS", "#THIS ROW"}


@dataclass(frozen=True)
class TableArea:
    """One Excel Table: where it is and what its columns are called."""

    name: str
    sheet: str
    r1: int
    c1: int
    r2: int
    c2: int
    header_rows: int
    totals_rows: int
    columns: tuple[str, ...]  # upper-cased

    def holds(self, wb: Any, key: int) -> bool:
        """Whether the cell ``key`` is inside the table."""
        s = wb.sheets.get(self.sheet.upper())
        return (
            s == key >> SBITS
            and self.r1 <= row_of(key) <= self.r2
            and self.c1 <= col_of(key) <= self.c2
        )


def table_area(sheet: str, table: Any) -> TableArea | None:
    """A reader's :class:`~bygdevekst_xl.xlsx.content.Table` on ``sheet`` as an area; None
    if its ``ref`` is no range inside the sheet (references to it are then unsupported)."""
    first, _, last = str(table.ref).partition(":")
    a, b = _CELL.match(first), _CELL.match(last or first)
    if a is None or b is None:
        return None
    r1, r2 = int(a.group(2)), int(b.group(2))
    c1, c2 = col_index(a.group(1)), col_index(b.group(1))
    if not (0 < r1 <= r2 <= MAX_ROW and 0 < c1 <= c2 <= MAX_COL):
        return None
    columns = tuple(str(c).upper() for c in table.columns)[: c2 - c1 + 1]
    return TableArea(
        table.name, sheet, r1, c1, r2, c2, table.header_rows, table.totals_rows, columns
    )


def _items(spec: str) -> list[str]:
    """The parts of a reference's brackets: ``[#Totals],[2024]`` -> ``#Totals``, ``2024``
    (a span ``[A]:[B]`` stays one part, ``A]:[B``)."""
    spec = spec.strip()
    if spec.startswith("@"):
        rest = spec[1:].strip()
        return ["#This Row", *(_items(rest) if rest.startswith("[") else [rest] if rest else [])]
    if "[" not in spec:
        return [spec] if spec else []
    out: list[str] = []
    pos = 0
    for m in _ITEM.finditer(spec):
        between = spec[pos : m.start()].strip()
        if between == ":" and out:
            out[-1] = out[-1] + "]:[" + m.group(1)
        elif between not in ("", ","):
            raise Problem(f"cannot read the structured reference [{spec}]", REF)
        else:
            out.append(m.group(1))
        pos = m.end()
    if spec[pos:].strip():
        raise Problem(f"cannot read the structured reference [{spec}]", REF)
    return out


def _column(table: TableArea, name: str) -> int:
    wanted = _ESCAPED.sub(r"\1", name).strip().upper()
    try:
        return table.c1 + table.columns.index(wanted)
    except ValueError:
        raise Problem(f"table {table.name!r} has no column {wanted!r}", REF) from None


def structured_area(table: TableArea, spec: str, host_row: int) -> tuple[int, int, int, int]:
    """(r1, c1, r2, c2) of the reference ``table[spec]`` in a formula on ``host_row`` (0 when
    the formula is on another sheet)."""
    specials: set[str] = set()
    c1, c2 = table.c1, table.c2
    for item in _items(spec):
        upper = " ".join(item.strip().upper().split())
        if upper in _SPECIALS:
            specials.add(upper)
        elif "]:[" in item:
            a, b = item.split("]:[", 1)
            c1, c2 = sorted((_column(table, a), _column(table, b)))
        else:
            c1 = c2 = _column(table, item)
    first_data = table.r1 + table.header_rows
    last_data = table.r2 - table.totals_rows
    if "#THIS ROW" in specials:
        if not first_data <= host_row <= last_data:
            raise Problem("[@column] outside the table's data rows", VALUE)
        return host_row, c1, host_row, c2
    if not specials or specials == {"#DATA"}:
        r1, r2 = first_data, last_data
    elif "#ALL" in specials:
        r1, r2 = table.r1, table.r2
    else:
        rows = []
        if "#HEADERS" in specials:
            rows += [table.r1, first_data - 1]
        if "#DATA" in specials:
            rows += [first_data, last_data]
        if "#TOTALS" in specials:
            rows += [last_data + 1, table.r2]
        r1, r2 = min(rows), max(rows)
    if r1 > r2:  # no header or totals row, or no data rows
        raise Problem(f"table {table.name!r} has no such rows ({spec})", REF)
    return r1, c1, r2, c2
