"""A project's tables as found in an edited workbook: the map's rows, moved where they are.

The layout's row plan (:class:`~.rows.ProjectRows`) says where each table is in a generated
sheet. People insert rows above tables; the defined names move with them, and the tables'
labels too. A :class:`ProjectPlace` is the plan plus how far each table moved, and gives the
workbook row of every input. Only this module and the rest of ``layout/`` do row arithmetic.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from ..dataclass import dataclass
from ..excel import a1, parse_a1
from ..texts import COST_HEADER, COST_TOTAL_LABEL, FINANCING_LABELS, FRONT_HEADINGS, SUM_HEADER
from .parameter_sheet import register_header
from .relocate import SAME_COLUMNS, ColMap, columns_by_header, headers_found
from .rows import (
    LINE_CATEGORY_COL,
    LINE_DESCRIPTION_COL,
    PARAM_VALUE_COL,
    PROJECT_WG_COL,
    ParameterRows,
    ProjectRows,
    SummaryRows,
    sum_col,
    year_col,
)
from .summary_sheet import whole_period_header

MAX_SCAN_ROWS = 100_000
MAX_INSERTED_COLUMNS = 30
"""Columns a person may insert in a sheet's tables and still have them found."""


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
    def cost_header(self) -> int:
        """The workbook row of the cost table's header (it finds the sheet's columns)."""
        return self.cost_row(0) - 1

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
            return a1(self.cost_row(int(index)), self.cols.place(col))
        if table == "cost":
            row = self.cost_row(int(index))
        elif table == "hours":
            row = self.hours_rows[str(index)]
        else:
            row = self.kdd_row if table == "kdd" else self.statsforvalteren_row
        return a1(row, self.cols.place(year_col(year)))

    def counted_rows(self) -> Iterator[int]:
        """Every row that holds counted inputs: cost lines, hours, financing."""
        yield from (self.cost_row(i) for i in range(self.rows.capacity))
        yield from self.hours_rows.values()
        yield from (self.kdd_row, self.statsforvalteren_row)


def project_header(years: tuple[int, ...]) -> tuple[tuple[int, str], ...]:
    """The cost table's header, (layout column, text) left to right."""
    return (
        (LINE_CATEGORY_COL, COST_HEADER[0]),
        (LINE_DESCRIPTION_COL, COST_HEADER[1]),
        *((year_col(y), str(year)) for y, year in enumerate(years)),
        (sum_col(len(years)), SUM_HEADER),
    )


def header_years(values: Mapping[str, Any], header_row: int) -> list[int]:
    """The years a cost table's header shows (between the description and the sum), wherever
    its columns are."""
    row = {c: values.get(a1(header_row, c)) for c in range(MAX_INSERTED_COLUMNS * 2)}
    texts = [str(int(v)) if isinstance(v, float) else str(v).strip() for v in row.values() if v]
    if COST_HEADER[1] not in texts or SUM_HEADER not in texts:
        return []
    between = texts[texts.index(COST_HEADER[1]) + 1 : texts.index(SUM_HEADER)]
    return [int(t) for t in between if t.isdecimal()]


def project_columns(
    values: dict[str, Any],
    header_row: int,
    years: tuple[int, ...],
    width: int,
    formulas: Mapping[str, str] | None = None,
) -> ColMap:
    """Where the project sheet's columns are, from its cost header row (``width``: how many
    columns to look at; ``formulas``: the sheet's, for what lies below the header)."""
    return _columns_at(values, formulas or {}, header_row, project_header(years), width)


def _columns_at(
    values: Mapping[str, Any],
    formulas: Mapping[str, str],
    row: int,
    expected: Sequence[tuple[int, str]],
    width: int,
) -> ColMap:
    """The columns the header ``row`` shows (``width`` columns looked at), and what the row
    below holds (a header cleared above something is its column still)."""
    found = {c: v for c in range(width) if (v := values.get(a1(row, c))) is not None}
    below = {
        c
        for c in range(width)
        if values.get(address := a1(row + 1, c)) is not None or address in formulas
    }
    return columns_by_header(found, expected, below)


@dataclass(frozen=True)
class SheetColumns:
    """Where a sheet's columns are: the header row that found them (workbook row), the map,
    and each header's text by layout column (what a deleted column was)."""

    sheet: str
    header: int
    cols: ColMap
    texts: tuple[tuple[int, str], ...]

    def text(self, col: int) -> str:
        """The header text of a layout column."""
        return dict(self.texts).get(col, "")


def header_row(
    values: Mapping[str, Any], expected: Sequence[tuple[int, str]], pinned: int | None
) -> int | None:
    """The workbook row of a header row: ``pinned`` (where a defined name puts it) when it
    holds the headers, else the first row that does. A row holds them when at most one is
    missing (a deleted column), found left to right."""
    least = max(2, len(expected) - 1)
    if pinned is not None and pinned >= 0:
        width = max(c for c, _ in expected) + MAX_INSERTED_COLUMNS
        row = {c: values.get(a1(pinned, c)) for c in range(width)}
        if _found(row, expected) >= least:
            return pinned
    texts = {text for _, text in expected}
    rows: dict[int, dict[int, Any]] = {}
    for address, value in values.items():
        if isinstance(value, str) and value.strip() in texts:
            position = parse_a1(address)
            if position is not None:
                rows.setdefault(position[0], {})[position[1]] = value
    return next((r for r in sorted(rows) if _found(rows[r], expected) >= least), None)


def _found(row: Mapping[int, Any], expected: Sequence[tuple[int, str]]) -> int:
    """How many of the expected headers a row holds, left to right."""
    return headers_found({c: v for c, v in row.items() if v is not None}, expected)


def sheet_columns(
    sheet: str,
    values: Mapping[str, Any],
    expected: Sequence[tuple[int, str]],
    pinned: int | None,
    formulas: Mapping[str, str] | None = None,
) -> SheetColumns | None:
    """A sheet's columns, found by a header row of its layout (``expected``: layout column,
    text; ``formulas``: the sheet's, for what lies below it); None when no row holds it."""
    row = header_row(values, expected, pinned)
    if row is None:
        return None
    width = max(c for c, _ in expected) + MAX_INSERTED_COLUMNS
    cols = _columns_at(values, formulas or {}, row, expected, width)
    return SheetColumns(sheet, row, cols, tuple(expected))


def parameter_columns(
    sheet: str,
    values: Mapping[str, Any],
    register_first: int | None,
    formulas: Mapping[str, str] | None = None,
) -> SheetColumns | None:
    """Where Parametre's columns are, from its project register's header (the row above the
    register's first row, when its defined name says where that is)."""
    pinned = None if register_first is None else register_first - 1
    return sheet_columns(sheet, values, register_header(), pinned, formulas)


def summary_columns(
    sheet: str,
    values: Mapping[str, Any],
    years: tuple[int, ...],
    n_projects: int,
    kdd_total_row: int | None,
    formulas: Mapping[str, str] | None = None,
) -> SheetColumns | None:
    """Where the combined sheet's columns are, from the whole period block's header (above
    its KDD total, when the defined name says where that is)."""
    pinned = None
    if kdd_total_row is not None:
        rows = SummaryRows(len(years), n_projects, 0)
        pinned = rows.block_header(len(years)) + kdd_total_row - rows.block_total(len(years))
    return sheet_columns(sheet, values, whole_period_header(years), pinned, formulas)


def front_columns(sheet: str, values: Mapping[str, Any]) -> SheetColumns | None:
    """Where the Forside's columns are: its labels (column A of the layout) and figures (B)
    are where most of its fixed headings are found (a column inserted before them moves them
    right); None when none is found."""
    found: dict[int, list[int]] = {}
    for address, value in values.items():
        if isinstance(value, str) and value.strip() in FRONT_HEADINGS:
            position = parse_a1(address)
            if position is not None and position[1] <= MAX_INSERTED_COLUMNS:
                found.setdefault(position[1], []).append(position[0])
    if not found:
        return None
    col = max(found, key=lambda c: (len(found[c]), -c))
    cols = ColMap(((0, col), (1, col + 1)))
    return SheetColumns(sheet, min(found[col]), cols, ((0, FRONT_HEADINGS[0]), (1, "")))


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


def rows_under_heading(
    values: dict[str, Any], heading: str, header: bool, limit: int, cols: ColMap = SAME_COLUMNS
) -> list[int]:
    """The rows of a Parametre table found by its heading (and header): until a blank row
    (``cols``: where the sheet's columns are)."""
    label = cols(0) or 0
    width = [c for c in map(cols, range(PROJECT_WG_COL + 1)) if c is not None]
    start = None
    for row in range(MAX_SCAN_ROWS):
        value = values.get(a1(row, label))
        if value == heading:
            start = row
            break
        if row > 1000 and value is None:
            break
    if start is None:
        return []
    rows, row = [], start + (2 if header else 1)
    while any(values.get(a1(row, c)) is not None for c in width):
        rows.append(row)
        row += 1
        if len(rows) > limit:
            break
    return rows


def parameter_row(row: int, shift: int) -> int:
    """A Parametre fact's row when its block moved ``shift`` rows (rows inserted above)."""
    return row + shift


def parameter_fact_cell(row: int, shift: int, cols: ColMap = SAME_COLUMNS) -> str:
    """The value cell of a Parametre fact (``ParameterRows.deadline`` ...) moved ``shift`` rows
    (``cols``: where the sheet's columns are; a deleted value column is named where it was)."""
    return a1(parameter_row(row, shift), cols.place(PARAM_VALUE_COL))
