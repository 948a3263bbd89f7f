"""The work budget of one evaluation: what a formula, a range and a whole run may cost.

Excel's own limits where it has them (8 192 characters a formula, 64 nested levels; the
32 767 characters of a text are ``values.MAX_TEXT``); ours where Excel has none, in
:class:`Limits`, set far above what a budget workbook needs and low enough that no input can
take the checker's time, memory or Python's stack. A caller that wants another budget passes
its own (``evaluate(values, formulas, limits=Limits(max_shapes=100))``). A formula past them
is not evaluated and is reported at its cell (``unsupported-formula``)."""

from __future__ import annotations

import re

from ..dataclass import dataclass
from ..excel import MAX_FORMULA_CHARS
from .values import VALUE, Problem

MAX_NESTING = 64  # Excel's limit on nested functions; parentheses count the same here


@dataclass(frozen=True)
class Limits:
    """The work budget of one evaluation, where Excel sets none."""

    max_operators: int = 150
    """Operators in one formula; a formula of the combined sheet of 100 projects has about
    100."""
    max_scans: int = 10_000
    """Formulas that differ in more than their row numbers, scanned in full."""
    max_shapes: int = 2_000
    """Distinct formulas compiled (rows of one formula share a shape)."""
    max_shape_chars: int = 100_000
    """Their characters, in all (compiling costs about 0.3 ms and 10 µs a character)."""
    max_fallback_shapes: int = 300
    """Of those, shapes compiled through the slow ``formulas`` package."""
    clip_area: int = 65_536
    """Ranges of more cells are read only as far as the sheet is used (like ``A:B``)."""
    max_area: int = 2_000_000
    """Cells of one range, after that clipping."""
    max_cells_read: int = 20_000_000
    """Cells read through ranges in one evaluation, in all."""


MAX_TEXT_BUILT = 20_000_000
"""Characters one call of a ``formulas`` function may build (about 80 MB); the fallback's
functions are bounded once for every evaluation, so this is no field of :class:`Limits`."""

DEFAULT_LIMITS = Limits()
"""The work budget of an evaluation when the caller gives none."""

_STRING = re.compile(r'"(?:[^"]|"")*"')
_OPERATORS = "+-*/^&=<>%"


def check_text(text: str) -> None:
    """Refuse a formula longer than Excel allows (checked on every cell, before scanning)."""
    if len(text) > MAX_FORMULA_CHARS:
        raise Problem(
            f"formula of {len(text)} characters (Excel allows {MAX_FORMULA_CHARS}); not evaluated"
        )


def check_shape(shape: str, max_operators: int) -> None:
    """Refuse a shape nested deeper than Excel allows or with more than ``max_operators``
    operators (checked once per distinct shape, before parsing)."""
    bare = _STRING.sub('""', shape[1:])  # the leading "=" is no operator
    if bare.count("(") + bare.count("{") > MAX_NESTING:
        depth = deepest = 0
        for ch in bare:
            if ch in "({":
                depth += 1
                deepest = max(deepest, depth)
            elif ch in ")}":
                depth -= 1
        if deepest > MAX_NESTING:
            raise Problem(f"formula nested {deepest} levels deep (Excel allows {MAX_NESTING})")
    operators = sum(bare.count(op) for op in _OPERATORS)
    if operators > max_operators:
        raise Problem(
            f"formula with {operators} operators (the checker evaluates up to "
            f"{max_operators}); not evaluated"
        )


class CellsRead:
    """Cells read through ranges so far in the running evaluation, against its
    ``max_cells_read`` (kept here, not passed along, so compiled formulas stay lean)."""

    count = 0
    limit = DEFAULT_LIMITS.max_cells_read

    @classmethod
    def reset(cls, limit: int) -> None:
        """Start an evaluation that may read ``limit`` cells through ranges."""
        cls.count = 0
        cls.limit = limit

    @classmethod
    def spend(cls, n: int) -> None:
        cls.count += n
        if cls.count > cls.limit:
            raise Problem(
                f"the workbook's formulas read more than {cls.limit} cells in all; "
                "this one was not evaluated",
                VALUE,
            )
