"""Cell keys and range descriptors: how the evaluator addresses cells.

Callers name a cell ``(sheet name, "A1")`` (:data:`CellKey`). Inside the evaluator a cell is
one int, ``(sheet << 36) | (row << 15) | column`` with columns 1..16384, and a range is a
descriptor ``(keys, rows, cols)``: ``keys`` is a ``range`` of int keys for a single row or
column, else a tuple of one ``range`` per row.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from .limits import CellsRead

CellKey = tuple[str, str]

_CBITS = 15
W = 1 << _CBITS
"""The step from one row to the next in an int key."""
SBITS = 36
"""The shift of the sheet index in an int key."""
MAX_COL = 16384
MAX_ROW = 1048576

_ADDR_RE = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)\Z")


def row_of(key: int) -> int:
    """The row of an int key."""
    return (key >> _CBITS) & ((1 << (SBITS - _CBITS)) - 1)


def col_of(key: int) -> int:
    """The column of an int key."""
    return key & (W - 1)


@functools.cache
def col_index(letters: str) -> int:
    """The column number of letters such as ``"AB"`` (any case; not checked against XFD)."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def address_offset(addr: object) -> int | None:
    """``row * W + column`` of an address such as ``"$C$8"``; None if it is not a cell."""
    m = _ADDR_RE.match(addr) if isinstance(addr, str) else None
    row, col = (int(m.group(2)), col_index(m.group(1))) if m else (0, 0)
    return row * W + col if 0 < row <= MAX_ROW and 0 < col <= MAX_COL else None


def gather(g: Callable[[int], Any], d: tuple) -> list:
    """The values of a range descriptor ``(keys, rows, cols)``, row by row (counted against
    the evaluation's budget of cells read)."""
    CellsRead.spend(d[1] * d[2])
    keys = d[0]
    if type(keys) is range:
        return list(map(g, keys))
    return [v for r in keys for v in map(g, r)]


def first_key(d: tuple) -> int:
    """The int key of a range descriptor's top left cell."""
    keys = d[0]
    return keys.start if type(keys) is range else keys[0].start


def cell_desc(key: int) -> tuple:
    """A single cell as a 1x1 range descriptor."""
    return (range(key, key + 1), 1, 1)
