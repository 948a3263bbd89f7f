"""A project's tables as found in an edited workbook: the map's rows, moved where they are.

The layout's row plan (:class:`~.rows.ProjectRows`) says where each table is in a generated
sheet. People insert rows above tables; the defined names move with them, and the tables'
labels too. A :class:`ProjectPlace` is the plan plus how far each table moved, and gives the
workbook row of every input. Only this module and the rest of ``layout/`` do row arithmetic.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..excel import a1
from ..texts import COST_HEADER, COST_TOTAL_LABEL
from .rows import (
    LINE_CATEGORY_COL,
    LINE_DESCRIPTION_COL,
    PROJECT_WG_COL,
    ParameterRows,
    ProjectRows,
    year_col,
)

MAX_SCAN_ROWS = 100_000


class TableNotFound(ValueError):
    """A table's name is gone and its labels do not say where it is."""


@dataclass(frozen=True)
class ProjectPlace:
    """Where one project's tables are in the workbook.

    ``rows`` is the layout's row plan (with the workbook's cost-table capacity); each table
    lies ``shift[table]`` rows below where the plan puts it (rows a person inserted above).
    ``hours_rows`` gives each municipality's row in the hours table (sorted or not).
    """

    sheet: str
    registered: str
    rows: ProjectRows
    shift: dict[str, int]
    hours_rows: dict[str, int]
    found_by: str
    """"name" when the defined names found the tables, "labels" when the labels did."""

    def cost_row(self, line: int) -> int:
        """The workbook row of cost line ``line`` (0-based)."""
        return self.rows.cost_first + line + self.shift["costs"]

    @property
    def kdd_row(self) -> int:
        return self.rows.kdd + self.shift["financing"]

    @property
    def statsforvalteren_row(self) -> int:
        return self.rows.statsforvalteren + self.shift["financing"]

    def cell(self, table: str, index: int | str, year: int) -> str:
        """The address of an input: ``("cost", line, y)``, ``("hours", municipality, y)``,
        ``("kdd", 0, y)`` or ``("statsforvalteren", 0, y)`` (years 0-based)."""
        if table == "cost":
            row = self.cost_row(int(index))
        elif table == "hours":
            row = self.hours_rows[str(index)]
        else:
            row = self.kdd_row if table == "kdd" else self.statsforvalteren_row
        return a1(row, year_col(year))

    def counted_rows(self) -> Iterator[int]:
        """Every row that holds counted inputs: cost lines, hours, financing."""
        yield from (self.cost_row(i) for i in range(self.rows.capacity))
        yield from self.hours_rows.values()
        yield from (self.kdd_row, self.statsforvalteren_row)


def cost_table_by_labels(values: dict[str, Any], sheet: str) -> tuple[int, int]:
    """First row and capacity of a cost table found by its header and its total label."""
    header = None
    for row in range(MAX_SCAN_ROWS):
        first = values.get(a1(row, LINE_CATEGORY_COL))
        if header is None:
            if (
                first == COST_HEADER[0]
                and values.get(a1(row, LINE_DESCRIPTION_COL)) == COST_HEADER[1]
            ):
                header = row
        elif first == COST_TOTAL_LABEL and values.get(a1(row, LINE_DESCRIPTION_COL)) is None:
            return header + 1, row - header - 1
        if row > 1000 and header is None and first is None:
            break
    raise TableNotFound(
        f"sheet {sheet!r}: no cost table (a {COST_HEADER[0]!r} header row and a "
        f"{COST_TOTAL_LABEL!r} row below it in column A); type the label back to check the sheet"
    )


def hours_rows(
    values: dict[str, Any], rows: ProjectRows, shift: int, municipalities: tuple[str, ...]
) -> dict[str, int]:
    """Each municipality's row in the hours table: by its label, else by its planned place."""
    planned = [rows.hours_first + m + shift for m in range(len(municipalities))]
    labels = {str(values.get(a1(row, 0))): row for row in planned}
    if set(labels) == set(municipalities):
        return {m: labels[m] for m in municipalities}
    return dict(zip(municipalities, planned, strict=True))


def place_of(
    capacity: int,
    n_categories: int,
    sheet: str,
    registered: str,
    values: dict[str, Any],
    municipalities: tuple[str, ...],
    firsts: dict[str, int | None],
    found_by: str,
) -> ProjectPlace:
    """Where a project's tables are, given the cost table's capacity and the first row each
    table's defined name points at (``firsts["costs" | "hours" | "financing"]``, None where a
    name is gone)."""
    rows = ProjectRows(capacity, len(municipalities), n_categories)
    cost_first = firsts.get("costs")
    shift = {"costs": (cost_first if cost_first is not None else rows.cost_first) - rows.cost_first}
    hours = firsts.get("hours")
    shift["hours"] = hours - rows.hours_first if hours is not None else shift["costs"]
    financing = firsts.get("financing")
    shift["financing"] = financing - rows.kdd if financing is not None else shift["hours"]
    by_municipality = hours_rows(values, rows, shift["hours"], municipalities)
    return ProjectPlace(sheet, registered, rows, shift, by_municipality, found_by)


def parameter_shift(kdd_cap_row: int) -> int:
    """How far Parametre's facts block moved: where its first fact (the cap) is now."""
    return kdd_cap_row - ParameterRows.kdd_cap


def rows_under_heading(values: dict[str, Any], heading: str, header: bool, limit: int) -> list[int]:
    """The rows of a Parametre table found by its heading (and header): until a blank row."""
    start = None
    for row in range(MAX_SCAN_ROWS):
        value = values.get(a1(row, 0))
        if value == heading:
            start = row
            break
        if row > 1000 and value is None:
            break
    if start is None:
        return []
    rows, row = [], start + (2 if header else 1)
    while any(values.get(a1(row, c)) is not None for c in range(PROJECT_WG_COL + 1)):
        rows.append(row)
        row += 1
        if len(rows) > limit:
            break
    return rows


def parameter_row(row: int, shift: int) -> int:
    """A Parametre fact's row when its block moved ``shift`` rows (rows inserted above)."""
    return row + shift
