"""The fast path through a sheet part: plain ``<sheetData>`` read with regular expressions.

Sheet parts up to ``Limits.fast_part_bytes`` are read whole. When their ``<sheetData>``
element is in the plain form most writers produce, its cells are read with regular
expressions that must account for every character, and expat (without handlers: C speed) checks it is
well-formed; anything unusual in it (comments, CDATA, other attribute orders, rich inline
text, ...) sends the whole part to the general expat path instead.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from xml.parsers import expat

from .address import COL_INDEX, MAX_ROW, NUMBER, is_digits
from .cells import SheetBuilder
from .content import ReadError
from .xmlparts import DTDRefused, refuse

_NO_ATTRS: dict[str, str] = {}


def read_plain_cells(builder: SheetBuilder, text: str) -> bool:
    """Store the cells of a plain ``<sheetData>`` element (``text``) with regular expressions.

    They must account for every character of ``text``, which expat then checks is well-formed
    XML. False when it is not plain enough (the caller then forgets what was read and parses
    the whole part with expat); a bad cell is a :class:`ReadError` unless the XML before it is
    broken (then expat names the damage).
    """
    try:
        plain = fast_cells(builder, text)
    except ReadError:
        if _well_formed(text[: builder.fast_pos], final=False):
            raise
        return False
    return plain and _well_formed(text)


def fast_cells(builder: SheetBuilder, text: str) -> bool:
    """Store the cells of a ``<sheetData>`` element; False when one is not plain.

    Numbers, shared strings and formulas of no special type with a number (or nothing)
    cached are stored here directly; every other cell goes through ``builder.store``, as in
    the general path.
    """
    store, col_index, strings, parts = builder.store, COL_INDEX, builder.strings, builder.parts
    date_styles, date_cells = parts.date_styles, builder.sheet.date_cells
    sheet = builder.sheet
    values, formulas, cached, hidden_rows = (
        sheet.values,
        sheet.formulas,
        sheet.cached,
        sheet.hidden_rows,
    )
    begin, stop = text.index(">") + 1, len(text) - len("</sheetData>")
    pos, depth, row_number = begin, 0, 0
    cells, limit, last = parts.cells, builder.max_cells, builder.last
    for m in _FAST_CELL.finditer(text, begin, stop):
        start = m.start()
        if start != pos:
            gap = _ROW_GAP(text, pos, start)  # the usual "</row><row r=...>"
            if gap is not None and depth == 1 and "'" not in gap[2] and not gap[2].endswith("/"):
                row_number = int(gap[1])
                if not 1 <= row_number <= MAX_ROW:
                    return False
                if "hidden" in gap[2] and _ROW_HIDDEN.search(gap[2]):
                    parts.keep("hidden rows")
                    hidden_rows.add(row_number)
            else:
                depth, row_number = _fast_rows(
                    text, pos, start, depth, row_number, hidden_rows, parts.keep
                )
        if depth != 1:
            return False
        pos = m.end()
        letters, digits, style, ctype, f_raw, f_text, v_text, v_empty, inline = m.groups()
        col = col_index[letters]  # 0: no column
        row = int(digits)
        if not col or row > MAX_ROW:
            return False
        position = row * 16_385 + col
        key = letters + digits
        if (
            position > last
            and cells < limit
            and inline is None
            and (v_text is None or "&" not in v_text)
        ):
            if f_raw is None:
                if v_text:
                    if ctype is None or ctype == "n":
                        try:
                            number = float(v_text) if NUMBER(v_text) else math.nan
                        except ValueError:
                            number = math.nan
                        if number - number == 0:
                            values[key] = number
                            if style in date_styles:
                                date_cells.add(key)
                            cells += 1
                            last = position
                            continue
                    elif (
                        ctype == "s"
                        and is_digits(v_text)
                        and len(v_text) < 10
                        and int(v_text) < len(strings)
                    ):
                        values[key] = strings[int(v_text)]
                        cells += 1
                        last = position
                        continue
            elif (not f_raw or "t=" not in f_raw) and (ctype is None or ctype == "n"):
                # A plain formula (LibreOffice adds aca="false", which changes nothing).
                result: float | None = None
                if v_text:
                    try:
                        result = float(v_text) if NUMBER(v_text) else math.nan
                    except ValueError:
                        result = math.nan
                if result is None or result - result == 0:
                    formulas[key] = "=" + _xml_text(f_text) if f_text else "="
                    cached[key] = result
                    cells += 1
                    last = position
                    continue
        # Anything else: the general rules.
        parts.cells, builder.last, builder.fast_pos = cells, last, pos
        f_attrs = None
        if f_raw is not None:
            f_attrs = _fast_attrs(f_raw) if f_raw else _NO_ATTRS
            if f_attrs is None:
                return False
            if f_text and "&" in f_text:
                f_text = _xml_text(f_text)
        if v_text is None:
            if v_empty is not None:
                v_text = ""
        elif "&" in v_text:
            v_text = _xml_text(v_text)
        store(
            key,
            row,
            col,
            ctype or "n",
            f_attrs,
            f_text,
            v_text,
            None if inline is None else [_xml_text(inline)],
        )
        if style in date_styles and isinstance(values.get(key), float):
            date_cells.add(key)
        cells, last = parts.cells, builder.last
    parts.cells, builder.last = cells, last
    depth, row_number = _fast_rows(text, pos, stop, depth, row_number, hidden_rows, parts.keep)
    return depth == 0


_FAST_CELL = re.compile(
    r'<c r="([A-Z]{1,3})([1-9][0-9]{0,6})"(?: s="([0-9]{1,9})")?(?: t="([A-Za-z]{1,9})")?\s*'
    r"(?:/>|>"
    r'(?:<f((?:\s+[A-Za-z_][\w.-]*="[^"<&]*")*)\s*(?:/>|>([^<]*)</f>))?'
    r"(?:<v>([^<]*)</v>|<v()/>)?"
    r'(?:<is><t(?: xml:space="preserve")?>([^<]*)</t></is>)?'
    r"</c>)"
)
_FAST_ATTR = re.compile(r'([A-Za-z_][\w.-]*)="([^"]*)"')
_ROW_GAP = re.compile(r'</row><row r="([0-9]{1,7})"([^>]*)>').fullmatch
_FAST_ROW = re.compile(r"\s+|<row\b([^>]*)>|</row\s*>")
_ROW_R = re.compile(r'\sr\s*=\s*"([^"]*)"')
_ROW_HIDDEN = re.compile(r'\shidden\s*=\s*"(?:1|true)"')
_ENTITY = re.compile(r"&(?:#x([0-9A-Fa-f]+)|#([0-9]+)|(amp|lt|gt|quot|apos));")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def _fast_attrs(raw: str) -> dict[str, str] | None:
    """The attributes of a plain tag; None when one repeats or declares a namespace."""
    pairs = _FAST_ATTR.findall(raw)
    attrs = dict(pairs)
    return None if len(attrs) != len(pairs) or "xmlns" in attrs else attrs


def _fast_rows(
    text: str,
    pos: int,
    stop: int,
    depth: int,
    row_number: int,
    hidden_rows: set[int],
    keep: Callable[[str], None],
) -> tuple[int, int]:
    """Read the row tags (and blanks) between two cells; depth -1 when anything else is there."""
    match = _FAST_ROW.match
    while pos < stop:
        m = match(text, pos, stop)
        if m is None:
            return -1, row_number
        pos = m.end()
        token = m[0]
        if token[0] != "<":
            continue
        if token[1] == "/":
            if depth != 1:
                return -1, row_number
            depth = 0
            continue
        attrs = m[1]
        if depth != 0 or "'" in attrs:
            return -1, row_number
        closed = attrs.endswith("/")
        r = _ROW_R.search(attrs)
        if r is None:
            row_number += 1
        elif is_digits(r[1]) and len(r[1]) <= 7:
            row_number = int(r[1])
        else:
            return -1, row_number
        if not 1 <= row_number <= MAX_ROW:
            return -1, row_number
        if _ROW_HIDDEN.search(attrs):
            keep("hidden rows")
            hidden_rows.add(row_number)
        depth = 0 if closed else 1
    return depth, row_number


def _xml_text(text: str) -> str:
    """Replace the five XML entities and character references (expat checked them)."""
    if "&" not in text:
        return text
    return _ENTITY.sub(
        lambda m: chr(int(m[1], 16)) if m[1] else chr(int(m[2])) if m[2] else _NAMED[m[3]], text
    )


def split_sheet_data(data: bytes) -> tuple[bytes, bytes] | None:
    """The part with an empty ``<sheetData/>``, and the ``<sheetData>`` element, when plain.

    Plain: UTF-8, no DTD, comment, CDATA or processing instruction (so ``<sheetData`` can only
    be the tag), one unprefixed ``<sheetData>``, no carriage returns or namespace
    declarations inside it.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"<!" in data or data.find(b"<?", 1) >= 0:
        return None
    if data.startswith(b"<?"):
        declaration = data[: data.find(b"?>")]
        encoding = _ENCODING.search(declaration)
        if encoding and encoding[1].lower() not in (b"utf-8", b"utf8"):
            return None
    start = data.find(b"<sheetData")
    if start < 0 or data[start + 10 : start + 11] not in (b">", b" ", b"\t", b"\n"):
        return None
    close = data.find(b"</sheetData>", start)
    if close < 0 or data.find(b"<sheetData", close) >= 0:
        return None
    end = close + len(b"</sheetData>")
    region = data[start:end]
    if b"\r" in region or b"xmlns" in region:
        return None
    return data[:start] + b"<sheetData/>" + data[end:], region


_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9._-]+)""")


def _well_formed(text: str, *, final: bool = True) -> bool:
    """Whether expat (without handlers: C speed) finds ``text`` well-formed XML; with
    ``final`` False, whether it finds no error in what there is of it.

    Called on text the regular expressions accepted, so it holds only the few element names
    of cells and rows (expat keeps every distinct name it meets).
    """
    parser = expat.ParserCreate(intern=None)
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    step = 1 << 20
    try:
        for start in range(0, len(text), step):
            parser.Parse(text[start : start + step], False)
        if final:
            parser.Parse("", True)
    except (expat.ExpatError, DTDRefused):
        return False
    return True
