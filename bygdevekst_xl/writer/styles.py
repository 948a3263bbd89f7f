"""Cell formats by name, in xlsxwriter's vocabulary. Inputs share one fill and are unlocked."""

from __future__ import annotations

from typing import Any

NB_NO = "[$-414]"
"""Excel's locale tag for Norwegian bokmål (LCID 0x0414). LibreOffice formats a number whose
format carries it the Norwegian way whatever the reader's locale (``1 180 000 kr``, ``42,6 %``,
``1 234,5``). Excel takes month and day names from the tag but the thousands and decimal
separators from the reader's settings: an English Excel still shows ``1,180,000 kr``, and no
number format can say otherwise without losing the minus sign of negative amounts in one of the
two programs (literal spaces need a section per size, and Excel and LibreOffice sign the
sections differently)."""
AMOUNT_FORMAT = f'{NB_NO}#,##0 "kr";[Red]-#,##0 "kr"'
HOURS_FORMAT = f"{NB_NO}#,##0.0"
PERCENT_FORMAT = f"{NB_NO}0.0 %"
AXIS_FORMAT = f'{NB_NO}#,##0 "kr"'
FLAG_FORMAT = '"Ja";"Ja";"Nei"'
DATE_FORMAT = "dd.mm.yyyy"
INPUT_FILL = "#FFF2CC"
HEADER_FILL = "#DDEBF7"
GOOD_FILL, GOOD_FONT = "#C6EFCE", "#006100"
BAD_FILL, BAD_FONT = "#FFC7CE", "#9C0006"

_BASE: dict[str, Any] = {"font_name": "Calibri", "font_size": 11, "valign": "vcenter"}
_INPUT: dict[str, Any] = {
    "bg_color": INPUT_FILL,
    "locked": False,
    "border": 1,
    "border_color": "#BFBFBF",
}
_TOTAL: dict[str, Any] = {"bold": True, "top": 1}

CELL_STYLES: dict[str, dict[str, Any]] = {
    "title": {"bold": True, "font_size": 16, "font_color": "#1F4E79"},
    "subtitle": {"italic": True, "font_color": "#595959"},
    "heading": {
        "bold": True,
        "font_size": 12,
        "font_color": "#1F4E79",
        "bottom": 2,
        "bottom_color": "#1F4E79",
    },
    "header": {"bold": True, "bg_color": HEADER_FILL, "border": 1, "text_wrap": True},
    "header_num": {
        "bold": True,
        "bg_color": HEADER_FILL,
        "border": 1,
        "align": "right",
        "text_wrap": True,
    },
    "text": {},
    "text_bold": {"bold": True},
    "note": {"italic": True, "font_color": "#595959"},
    "wrap": {"text_wrap": True, "valign": "top"},
    "total_label": dict(_TOTAL),
    "input_text": {**_INPUT, "text_wrap": True},
    "input_amount": {**_INPUT, "num_format": AMOUNT_FORMAT},
    "input_hours": {**_INPUT, "num_format": HOURS_FORMAT},
    "amount": {"num_format": AMOUNT_FORMAT},
    "amount_total": {**_TOTAL, "num_format": AMOUNT_FORMAT},
    "hours": {"num_format": HOURS_FORMAT},
    "hours_total": {**_TOTAL, "num_format": HOURS_FORMAT},
    "count": {"num_format": "0", "align": "right"},
    "count_total": {**_TOTAL, "num_format": "0", "align": "right"},
    "year": {"num_format": "0", "align": "left"},
    "flag": {"num_format": FLAG_FORMAT, "align": "center"},
    "status": {"bold": True, "align": "center", "border": 1},
    "date": {"num_format": DATE_FORMAT, "align": "left"},
    "percent": {"num_format": PERCENT_FORMAT},
    "signature": {"bottom": 1},
    "link": {"font_color": "#0563C1", "underline": 1},
}
CONDITIONAL_STYLES: dict[str, dict[str, Any]] = {
    "good": {"bg_color": GOOD_FILL, "font_color": GOOD_FONT},
    "bad": {"bg_color": BAD_FILL, "font_color": BAD_FONT},
}


def cell_style(name: str) -> dict[str, Any]:
    """The full xlsxwriter format properties of a named cell style."""
    return {**_BASE, **CELL_STYLES[name]}
