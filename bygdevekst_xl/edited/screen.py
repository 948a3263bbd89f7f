"""Texts screened once, in the reading: what no file, digest or report can carry.

A workbook's XML may escape any UTF-16 unit (``_xD800_``), so a cell can hold a lone
surrogate: a character that exists in no encoding. Left in, it crashes the first command that
writes or digests it. The reading puts U+FFFD in its place, so every command goes on, and
remembers the cell, so ``check`` reports it there and ``extract`` and ``regenerate`` refuse to
carry a text they cannot write as typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

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
            for address, value in cells.items():
                if isinstance(value, str) and not value.isascii() and _UNENCODABLE.search(value):
                    shown = _UNENCODABLE.sub(REPLACEMENT, value)
                    cells[address] = shown
                    found.append(Screened(name, address, shown))
    return tuple(found)


def screened_text(value: str) -> str:
    """``value`` with U+FFFD for each character no file can carry."""
    return _UNENCODABLE.sub(REPLACEMENT, value)
