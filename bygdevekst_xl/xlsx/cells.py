"""Store the cells of one sheet as a :class:`SheetContent`, whichever path parsed them.

A cell arrives as its pieces (reference, type, ``<f>`` attributes and text, ``<v>`` text,
inline string); this types the value, translates shared formulas from their master cell
and keeps the last of cells given twice or out of order, counting cells against max_cells.
"""

from __future__ import annotations

import datetime as dt
import math
import zipfile
from typing import Any, NoReturn

from ..excel import ErrorValue
from .address import CELL_SLOW, COL_INDEX, COLS, MAX_ROW, NUMBER, is_digits
from .content import SheetContent, short
from .xmlparts import Parts, unescape

TRUE = ("1", "true")


class SheetBuilder:
    """One sheet being read: its content so far and what the parse found around the cells."""

    def __init__(
        self, parts: Parts, info: zipfile.ZipInfo, name: str, state: str, strings: list[str]
    ) -> None:
        self.parts = parts
        self.info = info
        self.strings = strings
        self.max_cells = parts.limits.max_cells
        self.max_shared_text = parts.limits.max_shared_formula_text
        self.sheet = SheetContent(name=name, state=state)
        self.drawing_ids: list[str] = []
        self.picture = False
        self.saw_sheet_data = False
        self.masters: dict[str, list[Any]] = {}  # shared formula id -> row, col, text, template
        self.last = 0  # row-major position of the last cell, to notice cells out of order
        self.fast_pos = 0  # where the fast path is in <sheetData> when it stores a cell

    def fail(self, reason: str) -> NoReturn:
        """Raise the :class:`ReadError` of ``reason``, naming the sheet and its part."""
        self.parts.fail(f"sheet '{short(self.sheet.name)}' ({self.info.filename}): {reason}")

    def store(
        self,
        key: str,
        row: int,
        col: int,
        ctype: str,
        f_attrs: dict[str, str] | None,
        f_text: str | None,
        v_text: str | None,
        inline: list[str] | None,
    ) -> None:
        """Record one ``<c>``: a formula (with its cached value), a constant or an error."""
        parts = self.parts
        parts.cells += 1
        if parts.cells > self.max_cells:
            self.fail(f"more than {self.max_cells} cells in the workbook (max_cells); refusing")
        sheet = self.sheet
        position = row * 16_385 + col
        if position <= self.last:  # out of order or repeated: the last one wins
            sheet.values.pop(key, None)  # (and ``last`` stays the furthest yet, so that a
            sheet.formulas.pop(key, None)  # cell given again after this one is seen too)
            sheet.cached.pop(key, None)
            sheet.errors.pop(key, None)
        else:
            self.last = position
        if f_attrs is not None:
            sheet.formulas[key] = self.formula(key, row, col, f_attrs, f_text)
            sheet.cached[key] = (
                None if v_text is None else self.value(key, ctype, v_text, inline, True)
            )
        elif ctype == "inlineStr":
            if inline is not None:
                sheet.values[key] = unescape("".join(inline))
        elif v_text:
            if ctype == "n":
                sheet.values[key] = self.number(key, v_text)
            elif ctype == "e":
                sheet.errors[key] = v_text
            else:
                sheet.values[key] = self.value(key, ctype, v_text, inline, False)

    def number(self, key: str, text: str) -> float:
        """The finite number ``text`` of cell ``key``."""
        try:
            number = float(text) if NUMBER(text) else math.nan
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            self.fail(f"cell {key}: {short(text)!r} is not a number")
        return number

    def value(
        self, key: str, ctype: str, text: str, inline: list[str] | None, formula: bool
    ) -> object:
        """The value of a ``<v>`` of cell type ``ctype`` (a cached value when ``formula``)."""
        if ctype == "n":
            return self.number(key, text) if text else None
        if ctype == "str":
            return text if formula or text else None
        if ctype == "s":
            index = int(text) if is_digits(text) and len(text) < 10 else -1
            if 0 <= index < len(self.strings):
                return self.strings[index]
            self.fail(
                f"cell {key}: shared string {short(text)!r} does not exist "
                f"(the table has {len(self.strings)})"
            )
        if ctype == "b":
            if text in TRUE:
                return True
            if text in ("0", "false"):
                return False
            self.fail(f"cell {key}: {short(text)!r} is not a boolean")
        if ctype == "e":
            return ErrorValue(text)
        if ctype == "d":
            try:
                text = text.strip()
                return dt.datetime.fromisoformat(text[:-1] + "+00:00" if text[-1:] == "Z" else text)
            except ValueError:
                self.fail(f"cell {key}: {short(text)!r} is not an ISO 8601 date")
        if ctype == "inlineStr":
            return unescape("".join(inline)) if inline is not None else text
        self.fail(f"cell {key}: unknown cell type {short(ctype)!r}")

    def formula(self, key: str, row: int, col: int, attrs: dict[str, str], text: str | None) -> str:
        """The formula of a cell, shared formulas translated from their master cell."""
        kind = attrs.get("t")
        if kind == "shared":
            from .formulas import shift, template  # here: most writers share no formulas

            si = attrs.get("si", "")
            master = self.masters.get(si)
            if master is not None:
                if master[3] is None:
                    master[3] = template(master[2])
                formula = "=" + shift(master[3], row - master[0], col - master[1])
                self.parts.shared_text += len(formula)
                if self.parts.shared_text > self.max_shared_text:
                    self.fail(
                        f"cell {key}: shared formulas expand past "
                        f"{self.max_shared_text} characters; refusing"
                    )
                return formula
            if not text:
                self.fail(f"cell {key}: shared formula {short(si)} has no master cell before it")
            self.masters[si] = [row, col, text, None]
        elif kind == "dataTable":
            r1, r2 = attrs.get("r1", ""), attrs.get("r2", "")
            if attrs.get("dt2D") in TRUE:
                return f"=TABLE({r1},{r2})"
            return f"=TABLE({r1},)" if attrs.get("dtr") in TRUE else f"=TABLE(,{r1})"
        return "=" + (text or "")

    def address(self, ref: str) -> tuple[int, int, str]:
        """Row, column and canonical key of a cell reference that is not plain ``C8``."""
        m = CELL_SLOW(ref)
        col = COL_INDEX[m[1].upper()] if m else 0
        if not m or not col:
            self.fail(f"cell reference {short(ref)!r} is not a cell address")
        row = int(m[2])
        if row > MAX_ROW:
            self.fail(f"cell reference {short(ref)} is outside the sheet")
        return row, col, COLS[col] + str(row)
