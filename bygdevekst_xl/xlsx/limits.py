"""The budget of one workbook read: its limits, and what it has spent against them.

:class:`Limits` holds how much one read may take, each default documented next to it; a
caller that wants other bounds passes its own (``read_workbook(path,
limits=Limits(max_cells=10_000))``). :class:`Budget` counts what one read has spent.
"""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

from ..dataclass import dataclass
from .content import ReadError


@dataclass(frozen=True)
class Limits:
    """How much one read of one workbook may take; the defaults are far above what a budget
    workbook needs (a pilot's has about 2 000 cells) and bound time and memory."""

    max_entries: int = 10_000
    """Zip entries; a workbook has dozens."""
    max_central_directory: int = 16 << 20
    """Bytes of the zip's central directory."""
    max_cells: int = 100_000
    """Cells in all: the largest budget has about 70 000; ``check`` of 97 000 distinct
    formulas takes 7 s and 290 MB (300 000 formula cells took 10 s and 370 MB)."""
    max_part_bytes: int = 200 << 20
    """Inflated bytes of one part."""
    max_total_bytes: int = 500 << 20
    """Inflated bytes of all parts read."""
    max_ratio: int = 250
    """Inflated/compressed, checked for parts over ``ratio_floor`` bytes."""
    ratio_floor: int = 20 << 20
    """Parts up to this many inflated bytes may compress by any ratio."""
    elements_per_cell: int = 4
    """XML elements allowed per ``max_cells`` cell (c, f, v and some more) ..."""
    element_slack: int = 1_000_000
    """... plus this many, for rows and everything else (see :attr:`max_elements`)."""
    max_text: int = 1_000_000
    """Characters in one text node (Excel allows 32 767 in a cell)."""
    max_items: int = 1_000_000
    """Other things kept: names, validations, hidden rows, relationships, ..."""
    max_sheets: int = 10_000
    """Sheets in the workbook."""
    max_names: int = 10_000
    """Different XML element names in one part (expat keeps each one)."""
    max_shared_formula_text: int = 100_000_000
    """Characters of formulas made from shared formulas."""
    fast_part_bytes: int = 64 << 20
    """Sheet parts up to this size are read whole, for the fast path (-1: never)."""

    @property
    def max_elements(self) -> int:
        """XML elements in the whole workbook: they grow with ``max_cells``, so time and
        memory are bounded in proportion to it."""
        return self.elements_per_cell * self.max_cells + self.element_slack


DEFAULT_LIMITS = Limits()
"""The limits of a read when the caller gives none."""


class Budget:
    """What one read of one file has spent so far, and how it fails (naming the file)."""

    def __init__(self, path: Path, limits: Limits) -> None:
        self.path = path
        self.limits = limits
        self.cells = 0
        self.elements = 0
        self.inflated = 0
        self.items = 0
        self.shared_text = 0

    def fail(self, reason: str) -> NoReturn:
        """Raise the :class:`ReadError` ``"<path>: <reason>"``."""
        raise ReadError(f"{self.path}: {reason}")

    def keep(self, what: str) -> None:
        """Count one more thing kept in memory that is not a cell; refuse past max_items."""
        self.items += 1
        if self.items > self.limits.max_items:
            self.fail(f"more than {self.limits.max_items} {what} and the like; refusing")

    def spent(self) -> tuple[int, int, int, int, int]:
        """The counters now, for :meth:`restore` when a read is to be done again."""
        return self.cells, self.elements, self.inflated, self.items, self.shared_text

    def restore(self, spent: tuple[int, int, int, int, int]) -> None:
        """Set the counters back to what :meth:`spent` returned."""
        self.cells, self.elements, self.inflated, self.items, self.shared_text = spent
