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


_AZ = [chr(c) for c in range(ord("A"), ord("Z") + 1)]
COLS = [
    "",
    *_AZ,
    *(a + b for a in _AZ for b in _AZ),
    *(a + b + c for a in _AZ for b in _AZ for c in _AZ),
][: MAX_COL + 1]
"""Column letters by number: ``["", "A", "B", ..., "XFD"]`` (built in one pass: at every start)."""
COL_INDEX = {letters: number for number, letters in enumerate(COLS) if number}

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
