"""Render a layout as an .xlsx file with xlsxwriter: same layout, same bytes."""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import warnings
from collections.abc import Sequence
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ..errors import BygdevekstError
from ..excel import date_serial
from ..layout import LAYOUT_PROPERTY, LAYOUT_VERSION, Cell, SheetLayout, WorkbookLayout
from ..model import Formula
from .pages import print_setup
from .styles import AXIS_FORMAT, CONDITIONAL_STYLES, cell_style

FOOTER = "&L&A&RSide &P av &N"
PAPER_A4 = 9


class WriteError(BygdevekstError, RuntimeError):
    """xlsxwriter refused something the layout asked for."""


class _Worksheet(Worksheet):
    """xlsxwriter's worksheet, minus ~30 regex passes per formula (~200 for a conditional
    format, each a regex compiled at every start) that only matter for newer Excel functions
    (which need a ``_xlfn.`` prefix). Formulas using only the plain functions below, none of
    which has such a prefix, skip them; any other formula goes through xlsxwriter's own
    preparation."""

    PLAIN_FUNCTIONS = frozenset(
        {"SUM", "SUMIF", "COUNTIF", "IF", "AND", "OR", "MIN", "MAX", "ROUND", "ABS"}
    )
    _CALLS = re.compile(r"([A-Za-z_][A-Za-z0-9_.]*)\(")

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        calls = set(self._CALLS.findall(formula))
        if self.use_future_functions or not calls <= self.PLAIN_FUNCTIONS or formula[:1] == "{":
            return super()._prepare_formula(formula, expand_future_functions)
        return formula.removeprefix("=")


def render(
    layout: WorkbookLayout,
    *,
    created: dt.datetime,
    title: str,
    properties: Sequence[tuple[str, str]] = (),
) -> bytes:
    """The .xlsx bytes of a layout. ``created`` is fixed so the same layout gives the same bytes;
    ``properties`` are more custom document properties (the generation record), in order."""
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter(
            "error"
        )  # an xlsxwriter warning is a bug in the layout: fail the build
        try:
            workbook = xlsxwriter.Workbook(
                buffer,
                {
                    "in_memory": True,
                    "strings_to_formulas": False,
                    "strings_to_numbers": False,
                    "strings_to_urls": False,
                },
            )
            _Renderer(workbook).render(layout)
            workbook.set_properties(
                {
                    "title": title,
                    "author": "bygdevekst_xl",
                    "created": created,
                    "comments": "Generert av bygdevekst_xl",
                }
            )
            workbook.set_custom_property(LAYOUT_PROPERTY, LAYOUT_VERSION)
            for name, value in properties:
                workbook.set_custom_property(name, value)
            workbook.close()
        except Warning as exc:
            raise WriteError(f"xlsxwriter: {exc}") from None
    return buffer.getvalue()


class _Renderer:
    def __init__(self, workbook: Workbook) -> None:
        self.workbook = workbook
        self.formats: dict[str, Any] = {}

    def render(self, layout: WorkbookLayout) -> None:
        for sheet in layout.sheets:
            self.sheet(sheet)
        for name, reference in layout.names.items():
            self.check(self.workbook.define_name(name, "=" + reference), f"defined name {name}")
        first = self.workbook.worksheets()[0]
        first.activate()

    def fmt(self, style: str) -> Any:
        found = self.formats.get(style)
        if found is None:
            found = self.formats[style] = self.workbook.add_format(cell_style(style))
        return found

    def check(self, code: int | None, what: str) -> None:
        if code not in (0, None):
            raise WriteError(f"xlsxwriter refused {what} (code {code})")

    def sheet(self, layout: SheetLayout) -> None:
        ws: Worksheet = self.workbook.add_worksheet(layout.name, worksheet_class=_Worksheet)
        for col, width in layout.widths.items():
            ws.set_column(col, col, width)
        for row, height in layout.heights.items():
            ws.set_row(row, height)
        merged = {(r1, c1) for r1, c1, _, _ in layout.merges}
        for r1, c1, r2, c2 in layout.merges:
            cell = layout.cells[(r1, c1)]
            self.check(
                ws.merge_range(r1, c1, r2, c2, "", self.fmt(cell.style)),
                f"merge at {layout.name}!{cell.address}",
            )
        for cell in layout.cells.values():
            self.cell(ws, layout.name, cell, merged)
        for link in layout.links:
            self.check(
                ws.write_url(link.row, link.col, link.target, self.fmt("link"), string=link.text),
                f"link to {link.target}",
            )
        for v in layout.validations:
            self.check(
                ws.data_validation(
                    v.first_row, v.first_col, v.last_row, v.last_col, dict(v.options)
                ),
                f"validation on {layout.name}",
            )
        for c in layout.conditional:
            options = {**c.options, "format": self.conditional(c.style)}
            self.check(
                ws.conditional_format(c.first_row, c.first_col, c.last_row, c.last_col, options),
                f"conditional format on {layout.name}",
            )
        for chart in layout.charts:
            ws.insert_chart(
                chart.row, chart.col, self.chart(chart), {"x_scale": 1.3, "y_scale": 0.9}
            )
        if layout.freeze:
            ws.freeze_panes(*layout.freeze)
        if layout.repeat_rows:
            ws.repeat_rows(*layout.repeat_rows)
        if layout.tab_color:
            ws.set_tab_color(layout.tab_color)
        setup = print_setup(layout)
        if setup.landscape:
            ws.set_landscape()
        else:
            ws.set_portrait()
        ws.set_paper(PAPER_A4)
        ws.set_print_scale(setup.scale)
        if setup.breaks:
            ws.set_h_pagebreaks(list(setup.breaks))
        ws.set_footer(FOOTER)
        ws.protect(
            "",
            {"insert_rows": True, "delete_rows": True, "format_columns": True, "format_rows": True},
        )

    def conditional(self, style: str) -> Any:
        key = "conditional:" + style
        if key not in self.formats:
            self.formats[key] = self.workbook.add_format(CONDITIONAL_STYLES[style])
        return self.formats[key]

    def cell(self, ws: Worksheet, sheet: str, cell: Cell, merged: set[tuple[int, int]]) -> None:
        """Write one cell (``merged``: the first cells of merged ranges, written already)."""
        fmt = self.fmt(cell.style)
        row, col, value = cell.row, cell.col, cell.value
        if cell.kind == "formula":
            cached = value if isinstance(value, str) else _number(value)
            code = ws.write_formula(row, col, cell.formula, fmt, cached)
        elif isinstance(value, Formula):  # an input a person made a formula: kept as typed
            cached = value.value if isinstance(value.value, str) else _number(value.value)
            code = ws.write_formula(row, col, value.text, fmt, cached)
        elif value is None or value == "":
            code = None if (row, col) in merged else ws.write_blank(row, col, None, fmt)
        elif isinstance(value, str):
            code = ws.write_string(row, col, value, fmt)  # never a formula, whatever it starts with
        elif isinstance(value, bool):
            code = ws.write_boolean(row, col, value, fmt)
        elif isinstance(value, dt.datetime):
            code = ws.write_datetime(row, col, value, fmt)
        elif isinstance(value, int | float):
            code = ws.write_number(row, col, value, fmt)
        else:
            raise WriteError(
                f"{sheet}!{cell.address}: cannot write a value of type {type(value).__name__}"
            )
        if code not in (0, None):  # the cell's name is made only for the message
            self.check(code, f"{sheet}!{cell.address}")

    def chart(self, spec: Any) -> Any:
        options = {"type": spec.kind}
        if spec.stacked:
            options["subtype"] = "stacked"
        chart = self.workbook.add_chart(options)
        for name, categories, values in spec.series:
            chart.add_series(
                {
                    "name": name,
                    "categories": "=" + categories,
                    "values": "=" + values,
                    "data_labels": {"value": spec.kind == "pie", "percentage": False},
                }
            )
        chart.set_title({"name": spec.title})
        if spec.kind != "pie":
            values_axis = {"num_format": AXIS_FORMAT}
            if spec.kind == "bar":  # horizontal bars: names on the left, first on top
                chart.set_x_axis(values_axis)
                chart.set_y_axis({"reverse": True})
            else:
                chart.set_y_axis(values_axis)
            chart.set_legend({"position": "bottom"})
        return chart


def _number(value: Any) -> float | int | str:
    """A cached number as Excel stores it: dates as serials, integral values without a .0, and
    #NUM! for what no spreadsheet number holds (a total of inputs near 1E308)."""
    if isinstance(value, dt.datetime):
        value = date_serial(value)
    if isinstance(value, float) and not math.isfinite(value):
        return "#NUM!"
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
