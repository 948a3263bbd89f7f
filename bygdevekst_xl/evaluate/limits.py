"""The work budget of one evaluation: what a formula, a range and a whole run may cost.

Excel's own limits where it has them (8 192 characters a formula, 64 nested levels; the
32 767 characters of a text are ``values.MAX_TEXT``); ours where Excel has none, set far
above what a budget workbook needs and low enough that no input can take the checker's
time, memory or Python's stack: a formula past them is not evaluated and is reported at its
cell (``unsupported-formula``)."""

from __future__ import annotations

import re

from .values import VALUE, Problem

MAX_FORMULA_CHARS = 8_192  # Excel's limit on a formula's text
MAX_NESTING = 64  # Excel's limit on nested functions; parentheses count the same here
MAX_OPERATORS = 150  # a formula of the combined sheet of 100 projects has about 100
MAX_SCANS = 10_000  # formulas that differ in more than their row numbers, scanned
MAX_SHAPES = 2_000  # distinct formulas (rows of one formula share a shape) compiled
MAX_SHAPE_CHARS = 100_000  # their characters, in all (compiling costs ~0.3 ms + ~10 µs a char)
MAX_FALLBACK_SHAPES = 300  # shapes compiled through the slow formulas package
CLIP_AREA = 65_536  # larger ranges are read only as far as the sheet is used
MAX_AREA = 2_000_000  # cells of one range, after that clipping
MAX_CELLS_READ = 20_000_000  # cells read through ranges in one evaluation, in all
MAX_TEXT_BUILT = 20_000_000  # characters one call of the formulas package may build (~80 MB)

_STRING = re.compile(r'"(?:[^"]|"")*"')
_OPERATORS = "+-*/^&=<>%"


def check_text(text: str) -> None:
    """Refuse a formula longer than Excel allows (checked on every cell, before scanning)."""
    if len(text) > MAX_FORMULA_CHARS:
        raise Problem(
            f"formula of {len(text)} characters (Excel allows {MAX_FORMULA_CHARS}); not evaluated"
        )


def check_shape(shape: str) -> None:
    """Refuse a shape nested deeper than Excel allows or with more operators than the
    checker evaluates (checked once per distinct shape, before parsing)."""
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
    if operators > MAX_OPERATORS:
        raise Problem(
            f"formula with {operators} operators (the checker evaluates up to "
            f"{MAX_OPERATORS}); not evaluated"
        )


class CellsRead:
    """Cells read through ranges so far in one evaluation, against MAX_CELLS_READ."""

    count = 0

    @classmethod
    def reset(cls) -> None:
        cls.count = 0

    @classmethod
    def spend(cls, n: int) -> None:
        cls.count += n
        if cls.count > MAX_CELLS_READ:
            raise Problem(
                f"the workbook's formulas read more than {MAX_CELLS_READ} cells in all; "
                "this one was not evaluated",
                VALUE,
            )
