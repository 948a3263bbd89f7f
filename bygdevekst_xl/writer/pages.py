"""Print layout: A4, the sheet's width on one page, and page breaks only between blocks.

``fit_to_pages`` would make Excel ignore manual page breaks, so the scale is computed here from
the column widths, and a page break goes before every block (a table with its heading, the
rules, a chart) that would not fit on what is left of the page. Heights are estimated the way
Excel sizes rows: 15 pt a line, wrapped text one line per column width of characters.
"""

from __future__ import annotations

import bisect
import math

from ..dataclass import dataclass
from ..layout.cells import SheetLayout

# A4 in points, less Excel's default margins (0.7" left and right, 0.75" top and bottom).
A4_LONG, A4_SHORT = 842.0, 595.0
MARGIN_X, MARGIN_Y = 2 * 50.4, 2 * 54.0
DEFAULT_WIDTH = 8.43  # characters
DEFAULT_HEIGHT = 15.0  # points
CHART_HEIGHT = 260.0  # points: xlsxwriter's 288 px chart at y_scale 0.9, in points
SAFETY = 0.85
_WRAPPED = frozenset({"wrap", "input_text"})
"""The styles whose text wraps, growing its row."""
"""Room left for programs that draw columns a little wider than Excel (LibreOffice)."""


@dataclass(frozen=True)
class PrintSetup:
    """How a sheet prints: orientation, scale in per cent and the rows that start a page."""

    landscape: bool
    scale: int
    breaks: tuple[int, ...]


def column_points(width: float) -> float:
    """A column of ``width`` characters in points (Calibri 11: 7 px a character + 5 px)."""
    return (width * 7 + 5) * 0.75


def row_heights(sheet: SheetLayout) -> dict[int, float]:
    """Each used row's estimated height in points (wrapped text grows its row)."""
    last_row = max([r for r, _ in sheet.cells] + [c.row for c in sheet.charts], default=0)
    heights = {row: sheet.heights.get(row, DEFAULT_HEIGHT) for row in range(last_row + 1)}
    merged = {(r, c): c2 for r, c, _, c2 in sheet.merges}
    widths: dict[tuple[int, int], float] = {}  # (first, last column) -> width, summed once
    for (row, col), cell in sheet.cells.items():
        text = cell.value
        if cell.style not in _WRAPPED or row in sheet.heights or not isinstance(text, str):
            continue
        span = (col, merged.get((row, col), col))
        width = widths.get(span)
        if width is None:
            width = widths[span] = sum(
                sheet.widths.get(c, DEFAULT_WIDTH) for c in range(span[0], span[1] + 1)
            )
        if len(text) <= max(width, 1) and "\n" not in text:
            continue  # one line (or none): the row keeps its height
        lines = sum(max(1, math.ceil(len(part) / max(width, 1))) for part in text.split("\n"))
        heights[row] = max(heights[row], DEFAULT_HEIGHT * lines)
    for chart in sheet.charts:
        heights[chart.row] = max(heights.get(chart.row, DEFAULT_HEIGHT), CHART_HEIGHT)
    return heights


def blocks(sheet: SheetLayout, heights: dict[int, float]) -> list[tuple[int, int]]:
    """The spans of rows (first, last) that print on one page: each heading with everything up
    to the next heading (its table), and each chart."""
    headings = sorted(r for (r, _), cell in sheet.cells.items() if cell.style == "heading")
    used = sorted({r for r, _ in sheet.cells})
    spans = []
    for i, first in enumerate(headings):
        end = headings[i + 1] if i + 1 < len(headings) else max(heights) + 1
        below = bisect.bisect_left(used, end) - 1  # the last used row above the next heading
        last = used[below] if below >= 0 and used[below] >= first else first
        spans.append((first, last))
    spans += [(chart.row, chart.row) for chart in sheet.charts]
    return spans


def print_setup(sheet: SheetLayout) -> PrintSetup:
    """The orientation, scale and page breaks that keep every block of the sheet on one page."""
    last_col = max([c for _, c in sheet.cells] + list(sheet.widths), default=0)
    width = sum(column_points(sheet.widths.get(c, DEFAULT_WIDTH)) for c in range(last_col + 1))
    landscape = not sheet.portrait
    page_w = (A4_LONG if landscape else A4_SHORT) - MARGIN_X
    page_h = (A4_SHORT if landscape else A4_LONG) - MARGIN_Y - 30  # header and footer
    scale = max(10, min(100, math.floor(100 * SAFETY * page_w / width)))
    heights = row_heights(sheet)
    repeat = 0.0
    if sheet.repeat_rows:
        first, last = sheet.repeat_rows
        repeat = sum(heights.get(r, DEFAULT_HEIGHT) for r in range(first, last + 1))
    room = page_h * 100 / scale
    starts = dict(blocks(sheet, heights))
    breaks: list[int] = []
    used = 0.0
    for row in sorted(heights):
        if row in starts:
            block = sum(heights.get(r, DEFAULT_HEIGHT) for r in range(row, starts[row] + 1))
            if used + block > room and used > repeat and block <= room - repeat:
                breaks.append(row)
                used = repeat
        used += heights[row]
        if used > room:  # a block taller than a page, or rows outside blocks: Excel breaks
            used = repeat + heights[row]
    return PrintSetup(landscape, scale, tuple(breaks))
