"""Read the written workbook back and compare every figure with what was meant.

The bytes are written to a temporary file, read by the workbook reader, every formula
evaluated by the evaluator, and each figure cell compared with the report's value. Any
difference is a refusal: nothing is written.
"""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from ..dataclass import replace
from ..errors import BygdevekstError

CELL_SLACK = 1_000
BYTES_PER_CELL = 400
"""Inflated XML bytes a written cell may take at most (a voucher-list row is about 120 a cell)."""


class ReadBackError(BygdevekstError, RuntimeError):
    """The workbook as written does not show the figures meant; it is not written."""


def read_back(
    data: bytes, checks: Sequence[tuple[str, str, object]], name: str, cells: int = 0
) -> int:
    """Compare the figures of ``data`` (xlsx bytes) with ``checks``; the count compared.

    ``cells`` is how many cells were written: the reader's limits (made for budget workbooks)
    are raised to fit a long voucher list, and no further.
    """
    from ..evaluate import evaluate_workbook
    from ..xlsx import DEFAULT_LIMITS, read_workbook

    limits = DEFAULT_LIMITS
    if cells + CELL_SLACK > limits.max_cells:
        limits = replace(
            limits,
            max_cells=cells + CELL_SLACK,
            max_items=max(limits.max_items, 2 * cells),
            max_part_bytes=max(limits.max_part_bytes, BYTES_PER_CELL * cells),
            max_total_bytes=max(limits.max_total_bytes, BYTES_PER_CELL * cells),
        )

    fd, tmp = tempfile.mkstemp(suffix=".xlsx")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        content = read_workbook(Path(tmp), limits=limits)
        evaluation = evaluate_workbook(content)
    finally:
        os.unlink(tmp)
    wrong = []
    for sheet, address, expected in checks:
        found = evaluation.values.get((sheet, address))
        if found is None:
            found = content.sheets[sheet].values.get(address)
        if not _same(found, expected):
            wrong.append(f"{sheet}!{address}: meant {expected!r}, the workbook gives {found!r}")
    if wrong:
        shown = "; ".join(wrong[:5])
        raise ReadBackError(
            f"{name}: the workbook read back differs in {len(wrong)} figures ({shown}); "
            "nothing was written"
        )
    return len(checks)


def _same(found: object, expected: object) -> bool:
    if isinstance(expected, int | float) and isinstance(found, int | float):
        return math.isclose(float(found), float(expected), abs_tol=1e-6)
    return found == expected
