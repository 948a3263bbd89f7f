"""A1 cell addresses: the bounds of a sheet and the column letters by number and back."""

from __future__ import annotations

import re

MAX_ROW = 1_048_576
MAX_COL = 16_384


def _column_letters() -> list[str]:
    """Column letters by number: ``["", "A", "B", ..., "XFD"]``."""
    letters = [""]
    for number in range(1, MAX_COL + 1):
        name = ""
        while number:
            number, rest = divmod(number - 1, 26)
            name = chr(65 + rest) + name
        letters.append(name)
    return letters


COLS = _column_letters()
COL_INDEX = {letters: number for number, letters in enumerate(COLS) if number}

CELL_FAST = re.compile(r"([A-Z]{1,3})([1-9][0-9]{0,6})").fullmatch
"""A plain ``C8`` (groups: letters, row)."""
CELL_SLOW = re.compile(r"\$?([A-Za-z]{1,3})\$?0*([1-9][0-9]{0,6})").fullmatch
"""Any cell address a writer may put in ``<c r>``: ``$c$08`` (groups: letters, row)."""
