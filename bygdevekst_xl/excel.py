"""Facts about Excel that the reader, the evaluator, the layout and the checker all rely on.

One home for them: the sheet bounds, column letters, A1 addresses and areas, the date epoch and
the error values. Nothing here knows about budgets.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable

from .dataclass import dataclass

MAX_ROW = 1_048_576
MAX_COL = 16_384
MAX_FORMULA_CHARS = 8192
MAX_TEXT_CHARS = 32_767
"""The most characters a cell (or a formula's text result) may hold."""
MAX_SHEET_NAME = 31
"""The most UTF-16 code units in a sheet name."""
EPOCH = dt.datetime(1899, 12, 30)
DAYS_1900_TO_1904 = 1462
"""A date's serial in the 1904 date system plus this is its serial in the 1900 system."""
"""Serial 0 of the 1900 date system (as counted after the fictitious 29 February 1900)."""


@dataclass(frozen=True)
class ErrorValue:
    """An Excel error value, e.g. ``ErrorValue("#DIV/0!")``; ``str()`` gives the code."""

    code: str

    def __str__(self) -> str:
        return self.code


ERROR_CODES = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA")


@functools.cache
def col_letter(col: int) -> str:
    """Column letters of a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def col_index(letters: str) -> int:
    """The 0-based index of column letters (A -> 0, AA -> 26); any case."""
    col = 0
    for ch in letters.upper():
        col = col * 26 + ord(ch) - 64
    return col - 1


def a1(row: int, col: int, *, absolute: bool = False) -> str:
    """The A1 address of a 0-based cell; ``absolute`` gives ``$C$8``."""
    if absolute:
        return f"${col_letter(col)}${row + 1}"
    return f"{col_letter(col)}{row + 1}"  # the common case, made directly (a hot path)


_CELL = re.compile(r"\$?([A-Za-z]{1,3})\$?([1-9][0-9]{0,6})")


def col_number(col: int) -> int:
    """The column number Excel counts (1-based, as ``<col min max>`` says) for a 0-based column."""
    return col + 1


def row_number(row: int) -> int:
    """The row number Excel shows (1-based) for a 0-based row."""
    return row + 1


def parse_a1(address: str) -> tuple[int, int] | None:
    """The 0-based (row, column) of ``C8`` or ``$C$8``; None when it is no cell address."""
    match = _CELL.fullmatch(address)
    if match is None:
        return None
    row, col = int(match.group(2)) - 1, col_index(match.group(1))
    return (row, col) if row < MAX_ROW and col < MAX_COL else None


@dataclass(frozen=True)
class Area:
    """A rectangle of cells on one sheet (0-based, inclusive)."""

    sheet: str | None
    first_row: int
    first_col: int
    last_row: int
    last_col: int

    @property
    def rows(self) -> range:
        """The area's rows (0-based)."""
        return range(self.first_row, self.last_row + 1)


def parse_area(reference: str) -> Area | None:
    """``'1 Prosjekt'!$A$7:$E$14`` (or a single cell) as an :class:`Area`; None otherwise.

    A defined name's reference as Excel, LibreOffice and Gnumeric write it: an optional sheet
    (quoted with doubled quotes inside) and one area. Anything else (several areas, #REF!,
    whole columns) is None.
    """
    text = reference.strip().lstrip("=")
    sheet: str | None = None
    if "!" in text:
        head, _, text = text.rpartition("!")
        if head.startswith("'") and head.endswith("'") and len(head) >= 2:
            sheet = head[1:-1].replace("''", "'")
        else:
            sheet = head
    first, _, last = text.partition(":")
    start = parse_a1(first)
    end = parse_a1(last) if last else start
    if start is None or end is None:
        return None
    return Area(
        sheet,
        min(start[0], end[0]),
        min(start[1], end[1]),
        max(start[0], end[0]),
        max(start[1], end[1]),
    )


def serial_date(value: float) -> dt.datetime:
    """The date of an Excel serial number."""
    return EPOCH + dt.timedelta(days=float(value))


def date_serial(value: dt.datetime | dt.date) -> float:
    """The Excel serial number of a date."""
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    return (value - EPOCH).total_seconds() / 86400


@functools.cache
def reference_pattern() -> re.Pattern[str]:
    """A cell or range reference in a formula's text (A1 style), or a string literal to skip.

    Compiled on first use (its character classes over U+00C0..U+FFFF take ~10 ms to compile).
    """
    return re.compile(
        r"""("(?:[^"]|"")*")"""  # a string literal: left alone
        r"""|(?<![\w.\u00c0-\uffff])"""  # not inside a name: no DER2 in Kostnader2[2024]
        r"""((?:'(?:[^']|'')+'|[A-Za-z_\u00c0-\uffff][\w.\u00c0-\uffff]*)!)?"""  # sheet!
        r"""(\$?)([A-Za-z]{1,3})(\$?)([0-9]{1,7})"""  # a cell
        r"""(?::(\$?)([A-Za-z]{1,3})(\$?)([0-9]{1,7}))?"""  # :cell (a range)
        r"""(?![\w(!.])"""  # not a function name, a defined name or a sheet prefix
    )


def unquote_sheet(prefix: str) -> str:
    """The sheet name of a reference prefix (``'1 Prosjekt'!`` or ``Parametre!``)."""
    name = prefix.removesuffix("!")
    if name.startswith("'") and name.endswith("'"):
        name = name[1:-1].replace("''", "'")
    return name


def references(formula: str) -> tuple[str, ...]:
    """The cell and range references a formula makes, as written (``C15``, ``'P 1'!C7:C9``)."""
    out = []
    for match in reference_pattern().finditer(formula):
        if match.group(1) is None:
            out.append(match.group(0))
    return tuple(out)


@functools.cache
def _name_token() -> re.Pattern[str]:
    """A bare identifier in a formula's text: a defined name where the workbook defines it
    (compiled on first use, as :func:`reference_pattern`)."""
    return re.compile(
        r"""("(?:[^"]|"")*")"""  # a string literal: left alone
        r"""|(?<![\w.$!'\]\[])([A-Za-z_\\\u00c0-\uffff][\w.\u00c0-\uffff]*)(?![\w(!\[.])"""
    )


def names_used(formula: str, defined: Iterable[str]) -> tuple[str, ...]:
    """The defined names (of ``defined``, compared case-insensitively as Excel does) a
    formula uses, as the workbook spells them, each once."""
    known = {name.casefold(): name for name in defined}
    out: list[str] = []
    for match in _name_token().finditer(formula):
        name = known.get((match.group(2) or "").casefold())
        if name is not None and name not in out:
            out.append(name)
    return tuple(out)
