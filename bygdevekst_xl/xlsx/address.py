"""A1 cell addresses: the bounds of a sheet and the column letters by number and back."""

from __future__ import annotations

import re

from ..excel import MAX_COL, MAX_ROW

__all__ = [
    "CELL_FAST",
    "CELL_SLOW",
    "COLS",
    "COL_INDEX",
    "MAX_COL",
    "MAX_ROW",
    "NUMBER",
    "is_digits",
]


class _Columns(dict[int, str]):
    """Column letters by number (``COLS[3]`` is ``"C"``, ``COLS[0]`` is ``""``), each made at
    its first use: building all 16 384 at every start cost ~4 ms."""

    def __missing__(self, number: int) -> str:
        if not 0 <= number <= MAX_COL:
            raise IndexError(number)
        letters, n = "", number
        while n:
            n, rest = divmod(n - 1, 26)
            letters = chr(65 + rest) + letters
        self[number] = letters
        return letters


class _ColumnIndex(dict[str, int]):
    """Column numbers by letters (``COL_INDEX["C"]`` is 3), each made at its first use;
    ``COL_INDEX[letters]`` is 0 for letters that name no column (past ``XFD``, lower case,
    anything else). Index it with ``[]`` on hot paths (a dict's own lookup); ``get`` works
    too but is a Python call."""

    def __missing__(self, letters: str) -> int:
        number = 0
        if 1 <= len(letters) <= 3 and letters.isascii() and letters.isalpha():
            for ch in letters:
                number = number * 26 + ord(ch) - 64
        if not 1 <= number <= MAX_COL or COLS[number] != letters:
            return 0
        self[letters] = number
        return number

    def get(self, letters: str, default: int | None = None) -> int | None:  # type: ignore[override]
        return self[letters] or default


COLS = _Columns()
"""Column letters by number: ``COLS[1]`` is ``"A"``, ``COLS[16384]`` is ``"XFD"``."""
COL_INDEX = _ColumnIndex()
"""Column numbers by letters: ``COL_INDEX["XFD"]`` is 16384; no entry for ``""`` or ``"XFE"``."""

CELL_FAST = re.compile(r"([A-Z]{1,3})([1-9][0-9]{0,6})").fullmatch
"""A plain ``C8`` (groups: letters, row)."""
CELL_SLOW = re.compile(r"([A-Za-z]{1,3})0*([1-9][0-9]{0,6})").fullmatch
"""Any cell address a writer may put in ``<c r>``, as LibreOffice reads it: ``c08`` is C8
(groups: letters, row). ``$C$7`` is not a cell reference there (LibreOffice drops the cell),
so it is refused rather than read as C7."""
NUMBER = re.compile(r"\s*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\s*").fullmatch
"""A number as the OOXML grammar (xsd:double) writes it; Python's ``float()`` also takes
``1_000`` and non-ASCII digits (``١٢٣``), which spreadsheets read as something else."""


def is_digits(text: str) -> bool:
    """Whether ``text`` is ASCII digits only (``str.isdecimal`` takes any script's digits)."""
    return text.isascii() and text.isdecimal()
