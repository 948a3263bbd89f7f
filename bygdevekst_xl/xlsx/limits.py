"""The budget of one workbook read: its limits, and what it has spent against them.

The limits' values are the constants of ``bygdevekst_xl.xlsx`` (``MAX_CELLS``, ...), taken
when ``read_workbook`` is called, so setting ``reader.X`` takes effect on the next read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, NoReturn

from .content import ReadError


@dataclass(frozen=True)
class Limits:
    """How much one read may take; see the constants of ``reader`` for each one's meaning."""

    max_entries: int
    max_central_directory: int
    max_cells: int
    max_part_bytes: int
    max_total_bytes: int
    max_ratio: int
    ratio_floor: int
    max_elements: int  # ELEMENTS_PER_CELL * max_cells + ELEMENT_SLACK
    max_text: int
    max_items: int
    max_sheets: int
    max_names: int
    max_shared_formula_text: int
    fast_part_bytes: int

    @classmethod
    def from_constants(cls, constants: Mapping[str, Any], max_cells: int) -> Limits:
        """The limits for ``max_cells`` cells, every other one from the constant named like
        it in upper case (``max_text`` from ``MAX_TEXT``), and ``max_elements`` from
        ``ELEMENTS_PER_CELL`` and ``ELEMENT_SLACK``."""
        values = {
            f.name: constants[f.name.upper()] for f in fields(cls) if f.name != "max_elements"
        }
        values["max_cells"] = max_cells
        values["max_elements"] = (
            constants["ELEMENTS_PER_CELL"] * max_cells + constants["ELEMENT_SLACK"]
        )
        return cls(**values)


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
