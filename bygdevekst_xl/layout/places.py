"""A project's tables as found in an edited workbook: the map's rows, moved where they are.

The layout's row plan (:class:`~.rows.ProjectRows`) says where each table is in a generated
sheet. People insert rows above tables; the defined names move with them, and the tables'
labels too. A :class:`ProjectPlace` is the plan plus how far each table moved, and gives the
workbook row of every input. Only this module and the rest of ``layout/`` do row arithmetic.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..dataclass import dataclass
from ..excel import a1
from ..texts import COST_HEADER, COST_TOTAL_LABEL, FINANCING_LABELS, SUM_HEADER
from .relocate import SAME_COLUMNS, ColMap, columns_by_header
from .rows import (
    LINE_CATEGORY_COL,
    LINE_DESCRIPTION_COL,
    PARAM_VALUE_COL,
    PROJECT_WG_COL,
    ParameterRows,
    ProjectRows,
    sum_col,
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
    financing_rows: dict[str, int]
    """"kdd" and "statsforvalteren" -> their rows."""
    found_by: str
    """"name" when the defined names found the tables, "labels" when the labels did."""
    cols: ColMap = SAME_COLUMNS
    """Where each of the sheet's columns is (columns inserted or deleted, by the headers)."""

    def at(self, row: int, col: int) -> str | None:
        """The workbook address of a layout column at a workbook row; None when the column
        was deleted."""
        found = self.cols(col)
        return None if found is None else a1(row, found)

    def cost_row(self, line: int) -> int:
        """The workbook row of cost line ``line`` (0-based)."""
        return self.rows.cost_first + line + self.shift["costs"]

    @property
    def kdd_row(self) -> int:
        return self.financing_rows["kdd"]

    @property
    def statsforvalteren_row(self) -> int:
        return self.financing_rows["statsforvalteren"]

    def cell(self, table: str, index: int | str, year: int) -> str:
        """The address of an input: ``("cost", line, y)``, ``("category", line, 0)``,
        ``("description", line, 0)``, ``("hours", municipality, y)``,
        ``("kdd", 0, y)`` or ``("statsforvalteren", 0, y)`` (years 0-based)."""
        if table in ("category", "description"):  # a cost line's text columns
            col = LINE_CATEGORY_COL if table == "category" else LINE_DESCRIPTION_COL
            return a1(self.cost_row(int(index)), self._col(col))
        if table == "cost":
            row = self.cost_row(int(index))
        elif table == "hours":
            row = self.hours_rows[str(index)]
        else:
            row = self.kdd_row if table == "kdd" else self.statsforvalteren_row
        return a1(row, self._col(year_col(year)))

    def _col(self, col: int) -> int:
        found = self.cols(col)
        return col if found is None else found

    def counted_rows(self) -> Iterator[int]:
        """Every row that holds counted inputs: cost lines, hours, financing."""
        yield from (self.cost_row(i) for i in range(self.rows.capacity))
        yield from self.hours_rows.values()
        yield from (self.kdd_row, self.statsforvalteren_row)


def header_text(rows: ProjectRows, col: int, years: tuple[int, ...]) -> str:
    """The cost table's header text of a layout column (what a deleted column was)."""
    headers = {LINE_CATEGORY_COL: COST_HEADER[0], LINE_DESCRIPTION_COL: COST_HEADER[1]}
    headers |= {year_col(y): str(year) for y, year in enumerate(years)}
    headers[sum_col(len(years))] = SUM_HEADER
    return headers.get(col, "")


def project_columns(
    values: dict[str, Any], header_row: int, years: tuple[int, ...], width: int
) -> ColMap:
    """Where the project sheet's columns are, from its cost header row (``width``: how many
    columns to look at)."""
    row = {col: values.get(a1(header_row, col)) for col in range(width)}
    row = {col: value for col, value in row.items() if value is not None}
    expected = [
        (LINE_CATEGORY_COL, COST_HEADER[0]),
        (LINE_DESCRIPTION_COL, COST_HEADER[1]),
        *((year_col(y), str(year)) for y, year in enumerate(years)),
        (sum_col(len(years)), SUM_HEADER),
    ]
    return columns_by_header(row, expected)


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


def labelled_rows(
    values: dict[str, Any],
    labels: tuple[str, ...],
    planned: list[int],
    area: range | None,
    label_col: int = 0,
) -> dict[str, int]:
    """Each label's row: found in the label column (A, unless columns were inserted before
    it) of the table's named area (rows may have been inserted or sorted inside it), else
    where the plan puts it."""
    if area is not None:
        found = {str(values.get(a1(row, label_col))): row for row in area}
        if all(label in found for label in labels):
            return {label: found[label] for label in labels}
    return dict(zip(labels, planned, strict=True))


def place_of(
    capacity: int,
    n_categories: int,
    sheet: str,
    registered: str,
    values: dict[str, Any],
    municipalities: tuple[str, ...],
    areas: dict[str, range | None],
    found_by: str,
    cols: ColMap = SAME_COLUMNS,
) -> ProjectPlace:
    """Where a project's tables are, given the cost table's capacity and the rows each
    table's defined name covers (``areas["costs" | "hours" | "financing"]``, None where a
    name is gone)."""
    rows = ProjectRows(capacity, len(municipalities), n_categories)
    costs, hours, financing = areas.get("costs"), areas.get("hours"), areas.get("financing")
    shift = {"costs": costs[0] - rows.cost_first if costs else 0}
    shift["hours"] = hours[0] - rows.hours_first if hours else shift["costs"]
    shift["financing"] = financing[0] - rows.kdd if financing else shift["hours"]
    planned_hours = [rows.hours_first + m + shift["hours"] for m in range(len(municipalities))]
    label_col = cols(0) or 0
    by_municipality = labelled_rows(values, municipalities, planned_hours, hours, label_col)
    sources = tuple(FINANCING_LABELS)
    planned = [rows.kdd + shift["financing"], rows.statsforvalteren + shift["financing"]]
    labels = tuple(FINANCING_LABELS[source] for source in sources)
    by_label = labelled_rows(values, labels, planned, financing, label_col)
    by_source = {source: by_label[FINANCING_LABELS[source]] for source in sources}
    return ProjectPlace(sheet, registered, rows, shift, by_municipality, by_source, found_by, cols)


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


def parameter_fact_cell(row: int, shift: int) -> str:
    """The value cell of a Parametre fact (``ParameterRows.deadline`` ...) moved ``shift`` rows."""
    return a1(parameter_row(row, shift), PARAM_VALUE_COL)
