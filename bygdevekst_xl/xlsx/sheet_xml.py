"""The general path through a sheet part: expat callbacks for any valid XML.

Reads cells (handed to :class:`~bygdevekst_xl.xlsx.cells.SheetBuilder`), hidden rows, sheet
protection, data validations (plain and x14), drawings and the background picture; counts
elements and distinct element names itself, one call per element fewer.
"""

from __future__ import annotations

import zipfile

from .address import CELL_FAST, COL_INDEX, COLS, MAX_COL, MAX_ROW, is_digits
from .cells import TRUE, SheetBuilder
from .content import Validation, short
from .xmlparts import X14, XM, rel_id, tags

# Sheet elements the general path acts on, by kind (one dict lookup per element).
(
    _K_C,
    _K_V,
    _K_F,
    _K_ROW,
    _K_IS,
    _K_T,
    _K_RPH,
    _K_PROTECTION,
    _K_DV,
    _K_FORMULA1,
    _K_DRAWING,
    _K_PICTURE,
    _K_SHEET_DATA,
    _K_X14_DV,
    _K_X14_FORMULA1,
    _K_XM_F,
    _K_XM_SQREF,
    _K_COL,
) = range(1, 19)
_SHEET_KINDS = {
    name: kind
    for kind, local in enumerate(
        (
            "c",
            "v",
            "f",
            "row",
            "is",
            "t",
            "rPh",
            "sheetProtection",
            "dataValidation",
            "formula1",
            "drawing",
            "picture",
            "sheetData",
        ),
        start=1,
    )
    for name in tags(local)
}
_SHEET_KINDS.update(
    {
        X14 + "dataValidation": _K_X14_DV,
        X14 + "formula1": _K_X14_FORMULA1,
        XM + "f": _K_XM_F,
        XM + "sqref": _K_XM_SQREF,
        **{name: _K_COL for name in tags("col")},
    }
)


def parse_sheet_xml(builder: SheetBuilder, source: zipfile.ZipInfo | bytes) -> None:
    """Parse the part (streamed, or bytes in memory) with expat; reads any valid XML."""
    sheet = builder.sheet
    parts = builder.parts
    store = builder.store
    part = builder.info.filename
    max_names, max_text = parts.limits.max_names, parts.limits.max_text
    kinds = _SHEET_KINDS
    fast, col_index, cols = CELL_FAST, COL_INDEX, COLS
    buf: list[str] = []
    # The cell being read: key, row, column, type, <f> attributes and text, <v> text, <is>.
    key = ""
    row = col = 0
    ctype = "n"
    style: str | None = None
    date_styles = parts.date_styles
    f_attrs: dict[str, str] | None = None
    f_text: str | None = None
    v_text: str | None = None
    inline: list[str] | None = None
    collecting = 0  # the kind of the element whose text is being collected
    size = row_number = col_number = 0
    phonetic = in_inline = in_x14_formula = False
    dv_attrs: dict[str, str] | None = None
    dv_formula: str | None = None
    dv_sqref: str | None = None
    elements, element_limit = 0, parts.element_budget()
    other_names: set[str] = set()

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal key, row, col, ctype, style, f_attrs, f_text, v_text, inline, collecting, size
        nonlocal row_number, col_number, phonetic, in_inline, in_x14_formula
        nonlocal dv_attrs, dv_formula, dv_sqref, elements
        elements += 1
        if elements > element_limit:
            parts.too_many_elements(part)
        kind = kinds.get(name)
        if kind is None:
            if name not in other_names:
                other_names.add(name)
                if len(other_names) > max_names:
                    parts.too_many_names(part)
            return
        if kind == _K_C:
            ref = attrs.get("r")
            if ref:
                m = fast(ref)
                if m and (col := col_index[m[1]]):
                    row = int(m[2])
                    key = ref
                    if row > MAX_ROW:
                        builder.fail(f"cell reference {short(ref)} is outside the sheet")
                else:
                    row, col, key = builder.address(ref)
            else:  # no reference: the next column of the row, as openpyxl reads it
                row, col = row_number, col_number + 1
                if col > MAX_COL or not row:
                    builder.fail(f"a cell without a reference in row {row} lies outside the sheet")
                key = cols[col] + str(row)
            col_number = col
            ctype = attrs.get("t", "n")
            style = attrs.get("s")
            f_attrs = f_text = v_text = inline = None
        elif kind in (_K_V, _K_F):
            collecting, size = kind, 0
            buf.clear()
            if kind == _K_F:
                f_attrs = attrs
        elif kind == _K_ROW:
            ref = attrs.get("r")
            if ref is None:
                row_number += 1
            elif is_digits(ref) and len(ref) <= 7:
                row_number = int(ref)
            else:
                builder.fail(f"row number {short(ref)!r} is not a row number")
            if not 1 <= row_number <= MAX_ROW:
                builder.fail(f"row {row_number} is outside the sheet")
            col_number = 0
            if attrs.get("hidden") in TRUE:
                parts.keep("hidden rows")
                sheet.hidden_rows.add(row_number)
        elif kind == _K_T:
            if in_inline and not phonetic:
                collecting, size = kind, 0
                buf.clear()
        elif kind == _K_IS:
            in_inline = True
            inline = []
        elif kind == _K_RPH:
            phonetic = True
        elif kind == _K_COL:
            low, high = attrs.get("min", ""), attrs.get("max", "")
            numbers = is_digits(low) and is_digits(high) and len(low) <= 5 and len(high) <= 5
            if attrs.get("hidden") in TRUE and numbers and 1 <= int(low) <= int(high) <= MAX_COL:
                parts.keep("hidden columns")
                sheet.hidden_cols.append((int(low), int(high)))
        elif kind == _K_PROTECTION:
            sheet.protected = attrs.get("sheet") in TRUE
        elif kind in (_K_DV, _K_X14_DV):
            dv_attrs, dv_formula, dv_sqref = attrs, None, attrs.get("sqref")
        elif kind == _K_SHEET_DATA:
            builder.saw_sheet_data = True
        elif dv_attrs is None:
            if kind == _K_DRAWING:
                rid = rel_id(attrs)
                if rid:
                    parts.keep("drawings")
                    builder.drawing_ids.append(rid)
            elif kind == _K_PICTURE:
                builder.picture = True
        elif kind == _K_X14_FORMULA1:
            in_x14_formula = True
        elif kind in (_K_FORMULA1, _K_XM_SQREF) or (kind == _K_XM_F and in_x14_formula):
            collecting, size = kind, 0
            buf.clear()

    def end(name: str) -> None:
        nonlocal collecting, f_text, v_text, phonetic, in_inline, in_x14_formula
        nonlocal dv_attrs, dv_formula, dv_sqref
        kind = kinds.get(name)
        if kind is None:
            return
        if kind == _K_C:
            store(key, row, col, ctype, f_attrs, f_text, v_text, inline)
            if style in date_styles and isinstance(sheet.values.get(key), float):
                sheet.date_cells.add(key)
        elif kind == collecting:
            collecting = 0
            if kind == _K_V:
                v_text = "".join(buf)
            elif kind == _K_F:
                f_text = "".join(buf)
            elif kind == _K_T:
                if inline is not None:
                    inline.append("".join(buf))
            elif kind == _K_XM_SQREF:
                dv_sqref = "".join(buf)
            else:
                dv_formula = "".join(buf)
        elif kind == _K_IS:
            in_inline = False
        elif kind == _K_RPH:
            phonetic = False
        elif kind == _K_X14_FORMULA1:
            in_x14_formula = False
        elif (kind in (_K_DV, _K_X14_DV)) and dv_attrs is not None:
            parts.keep("data validations")
            sheet.validations.append(
                Validation(
                    sqref=dv_sqref or "",
                    type=dv_attrs.get("type"),
                    operator=dv_attrs.get("operator"),
                    formula1=dv_formula,
                )
            )
            dv_attrs = None

    def data(text: str) -> None:
        nonlocal size
        if collecting:
            buf.append(text)
            size += len(text)
            if size > max_text:
                builder.fail(f"a text longer than {max_text} characters")

    try:
        parts.parse(part, source, start, end, data, counted=True)
    finally:
        parts.elements += elements
