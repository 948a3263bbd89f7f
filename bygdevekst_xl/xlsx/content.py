"""What a workbook read returns or raises: the content dataclasses and :class:`ReadError`.

``bygdevekst_xl.xlsx`` re-exports these; the ``xlsx_*`` modules that fill them import them
from here, below the facade, so nothing imports ``reader``. Records that are never changed
after the read are named tuples: a dataclass costs four times as much to create at import.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

from ..dataclass import dataclass, field
from ..errors import BygdevekstError

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\x85]+")


def one_line(text: str) -> str:
    """``text`` with control characters and line breaks replaced by one space each run."""
    return _CONTROL.sub(" ", text)


def short(text: str, limit: int = 60) -> str:
    """A piece of file-supplied text short enough for a one-line message."""
    text = one_line(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class ReadError(BygdevekstError, ValueError):
    """The file cannot be read as a workbook; str(exc) is ONE line naming the file (and
    part/sheet/cell where known)."""

    def __init__(self, message: str) -> None:
        super().__init__(one_line(message))


class Validation(NamedTuple):
    """One ``<dataValidation>`` (or x14 extension validation) of a sheet."""

    sqref: str
    type: str | None
    operator: str | None
    formula1: str | None


class Table(NamedTuple):
    """An Excel Table a person made (``xl/tables/tableN.xml``): its name as formulas use it
    (``displayName``), its area (``A1:D10``, headers and totals included), how many header
    and totals rows it has, and its column names in order."""

    name: str
    ref: str
    header_rows: int
    totals_rows: int
    columns: tuple[str, ...]


@dataclass
class SheetContent:
    """What one sheet holds. Cell keys are A1 addresses without ``$``, e.g. ``"C8"``.

    ``values``: constants (float, str, bool; datetime for ``t="d"``; numbers formatted as
    dates stay numbers). ``formulas``: ``"=..."`` for every formula cell, shared formulas
    translated to each cell, an array formula on its top-left cell (the other cells of the
    array hold their cached values as constants, as openpyxl reads them). ``cached``: the value
    saved with each formula (float, str, bool or ErrorValue), None when none was saved.
    ``errors``: constant error cells. ``comments``: cells with a comment or a comment thread.
    ``drawings``: pictures, charts and shapes anchored on the sheet, plus a background picture.
    """

    name: str
    state: str
    values: dict[str, object] = field(default_factory=dict)
    formulas: dict[str, str] = field(default_factory=dict)
    cached: dict[str, object] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    validations: list[Validation] = field(default_factory=list)
    protected: bool = False
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: list[tuple[int, int]] = field(default_factory=list)
    date_cells: set[str] = field(default_factory=set)
    """Cells holding a number shown as a date (their style's number format is a date)."""
    """Hidden columns as (first, last) column numbers, 1-based, as ``<col min max>`` says."""
    comments: int = 0
    drawings: int = 0
    tables: list[Table] = field(default_factory=list)
    """The Excel Tables on the sheet (structured references ``Table[Column]`` use them)."""


@dataclass
class WorkbookContent:
    """What a workbook holds, as far as the checker, ``extract`` and ``regenerate`` need.

    ``names`` are workbook-level defined names and ``local_names`` sheet-scoped ones (including
    Excel's own, such as ``_xlnm.Print_Area``), each to its reference without ``=``.
    ``calc_mode`` is None unless ``<calcPr calcMode>`` says otherwise. ``external_links``
    holds the target of each external link part (the other file), ``has_macros`` whether
    there is a VBA project, a macro-enabled content type or an Excel 4 macro sheet.
    """

    path: Path
    sheets: dict[str, SheetContent]
    names: dict[str, str]
    local_names: dict[tuple[str, str], str]
    calc_mode: str | None
    external_links: list[str]
    has_macros: bool
    custom_properties: dict[str, str]
    date1904: bool = False
    """The workbook counts dates from 1904 (``<workbookPr date1904="1">``, old Mac Excel)."""
