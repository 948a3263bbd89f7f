"""The vocabulary of a layout: cells, validations, formats, sheets (0-based rows and columns)."""

from __future__ import annotations

import re
from typing import Any, Literal

from ..dataclass import dataclass, field
from ..excel import MAX_FORMULA_CHARS, a1

CellKind = Literal["label", "input", "formula"]
InputType = Literal["amount", "hours", "category", "text"]


def a1_range(
    first_row: int, first_col: int, last_row: int, last_col: int, *, absolute: bool = False
) -> str:
    """The A1 range between two 0-based cells (a single cell when they are the same)."""
    start = a1(first_row, first_col, absolute=absolute)
    end = a1(last_row, last_col, absolute=absolute)
    return start if start == end else f"{start}:{end}"


_LOOKS_LIKE_A_REFERENCE = re.compile(r"[A-Z]{1,3}[0-9]+$|R[0-9]|R?C[0-9]|(R|C|RC|TRUE|FALSE)$")


def quote_sheet(name: str) -> str:
    """A sheet name as a formula reference prefix, quoted when Excel needs it.

    Plain ASCII identifiers stay bare, unless Excel would read them as something else: a cell
    (``XY12``), an R1C1 reference (``R2C3``, ``C5x``) or a logical (the rules of XlsxWriter's
    ``quote_sheetname``, a little stricter).
    """
    plain = name.isidentifier() and name.isascii() and not name[:1].isdigit()
    if plain and not _LOOKS_LIKE_A_REFERENCE.match(name.upper()):
        return name
    return "'" + name.replace("'", "''") + "'"


def ref(sheet: str, address: str) -> str:
    """A reference to a cell or range on another sheet: ``'2 Boligbygging'!C20``."""
    return f"{quote_sheet(sheet)}!{address}"


def wrapped_height(text: str, width: float, line: float = 15) -> float:
    """The row height in points that shows ``text`` whole, wrapped at ``width`` characters
    (proportional text fits a little more than a column width of digits)."""
    per_line = max(1, int(width * 1.1))
    return line * sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))


@dataclass(slots=True)
class Cell:
    """A cell: a label (locked text or number), an input (unlocked) or a formula with its value.

    A value: never assigned to, changed only by ``dataclasses.replace``. Not frozen, because a
    frozen dataclass takes four times as long to make, and a layout makes one per cell (about
    35 000 in a workbook of 50 projects).
    """

    row: int
    col: int
    kind: CellKind
    style: str
    value: Any = None
    formula: str | None = None
    input_type: InputType | None = None

    @property
    def address(self) -> str:
        """The cell's A1 address."""
        return a1(self.row, self.col)


@dataclass(frozen=True)
class Validation:
    """A data validation rule over a range, in xlsxwriter's option vocabulary."""

    first_row: int
    first_col: int
    last_row: int
    last_col: int
    options: dict[str, Any]


@dataclass(frozen=True)
class ConditionalFormat:
    """A conditional format over a range; ``style`` names a format in the style sheet."""

    first_row: int
    first_col: int
    last_row: int
    last_col: int
    options: dict[str, Any]
    style: str


@dataclass(frozen=True)
class Link:
    """A hyperlink to a place in the workbook."""

    row: int
    col: int
    target: str
    text: str


@dataclass(frozen=True)
class Chart:
    """A chart: type, title, series (name, categories, values) and its anchor cell."""

    kind: str
    title: str
    series: tuple[tuple[str, str, str], ...]
    row: int
    col: int
    stacked: bool = False


@dataclass
class SheetLayout:
    """Everything that goes on one sheet."""

    name: str
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    widths: dict[int, float] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    validations: list[Validation] = field(default_factory=list)
    conditional: list[ConditionalFormat] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    freeze: tuple[int, int] | None = None
    repeat_rows: tuple[int, int] | None = None
    tab_color: str | None = None
    portrait: bool = False
    """Print upright (narrow sheets) rather than in landscape."""

    # Each cell is put in its place by the method that makes it (no call more: a layout makes
    # ~35 000 cells), and put once: a second cell at the same place is a bug of the layout.

    def label(self, row: int, col: int, value: Any, style: str = "text") -> None:
        """A locked constant: text from the spec or the layout, or a fixed number."""
        cell = Cell(row, col, "label", style, value)
        if self.cells.setdefault((row, col), cell) is not cell:
            self._twice(cell)

    def input(self, row: int, col: int, value: Any, input_type: InputType, style: str) -> None:
        """An unlocked cell a person types into."""
        cell = Cell(row, col, "input", style, value, None, input_type)
        if self.cells.setdefault((row, col), cell) is not cell:
            self._twice(cell)

    def formula(self, row: int, col: int, formula: str, value: Any, style: str) -> None:
        """A locked formula with the value our Python recomputation gives it."""
        if len(formula) > MAX_FORMULA_CHARS:
            raise ValueError(
                f"{self.name}!{a1(row, col)}: formula of {len(formula)} characters "
                f"exceeds Excel's limit of {MAX_FORMULA_CHARS}"
            )
        cell = Cell(row, col, "formula", style, value, "=" + formula)
        if self.cells.setdefault((row, col), cell) is not cell:
            self._twice(cell)

    def _twice(self, cell: Cell) -> None:
        raise ValueError(f"{self.name}!{cell.address} is laid out twice")


@dataclass
class WorkbookLayout:
    """The whole workbook: sheets in order, defined names, named anchor cells, and the totals
    the layout's cached values come from (so nobody computes them twice)."""

    sheets: list[SheetLayout]
    names: dict[str, str]
    anchors: dict[str, tuple[str, int, int]]
    totals: Any = None
    """compute.BudgetTotals of the whole budget."""
    projects: dict[str, Any] = field(default_factory=dict)
    """Project id -> (layout.rows.ProjectRows, compute.ProjectTotals)."""
    parameters: Any = None
    """The row plan of Parametre (layout.rows.ParameterRows)."""

    def sheet(self, name: str) -> SheetLayout:
        """The sheet with this name."""
        for sheet in self.sheets:
            if sheet.name == name:
                return sheet
        raise KeyError(name)

    def anchor(self, key: str) -> Cell:
        """The cell behind a named anchor (``kdd_total``, ``status_all`` ...)."""
        sheet, row, col = self.anchors[key]
        return self.sheet(sheet).cells[(row, col)]
