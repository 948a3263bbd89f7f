"""What the reading settles once about a workbook's cells before anything reads them: texts no
file can carry, and dates counted from 1904.

A workbook's XML may escape any UTF-16 unit (``_xD800_``), so a cell can hold a lone
surrogate: a character that exists in no encoding. Left in, it crashes the first command that
writes or digests it. The reading puts U+FFFD in its place, so every command goes on, and
remembers the cell, so ``check`` reports it there and ``extract`` and ``regenerate`` refuse to
carry a text they cannot write as typed.
"""

from __future__ import annotations

import re
from typing import Any

from ..dataclass import dataclass
from ..excel import DAYS_1900_TO_1904

_UNENCODABLE = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


@dataclass(frozen=True)
class Screened:
    """One cell whose text held characters no file can carry."""

    sheet: str
    cell: str
    shown: str
    """The text as read, with U+FFFD for each such character."""


def screen_texts(content: Any) -> tuple[Screened, ...]:
    """Replace unencodable characters in every text of ``content`` (values, saved formula
    results, formulas) and return where they were."""
    found: list[Screened] = []
    for name, sheet in content.sheets.items():
        for cells in (sheet.values, sheet.cached, sheet.formulas):
            try:  # all of them at once (the common case: every text encodes)
                "".join([v for v in cells.values() if isinstance(v, str)]).encode("utf-8")
                continue
            except UnicodeEncodeError:
                pass
            for address, value in cells.items():
                if isinstance(value, str) and not value.isascii() and _UNENCODABLE.search(value):
                    shown = _UNENCODABLE.sub(REPLACEMENT, value)
                    cells[address] = shown
                    found.append(Screened(name, address, shown))
    return tuple(found)


def screened_text(value: str) -> str:
    """``value`` with U+FFFD for each character no file can carry."""
    return _UNENCODABLE.sub(REPLACEMENT, value)


def dates_from_1900(content: Any) -> None:
    """Express a 1904 workbook's dates as the 1900 system counts them, in place.

    Old Mac Excel counts from 1 January 1904 (``date1904``): the same date is 1 462 less.
    Every number shown as a date (its style's number format is a date) is moved, so the
    deadline and the council meeting keep their day through every command, and formulas over
    them (differences, DATE, YEAR) agree with the 1900 system the evaluator counts in.
    """
    if not getattr(content, "date1904", False):
        return
    for sheet in content.sheets.values():
        for address in sheet.date_cells:
            for cells in (sheet.values, sheet.cached):
                value = cells.get(address)
                if isinstance(value, int | float) and not isinstance(value, bool):
                    cells[address] = value + DAYS_1900_TO_1904
