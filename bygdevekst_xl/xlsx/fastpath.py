"""The fast path through a sheet part: plain ``<sheetData>`` read with regular expressions.

Sheet parts up to ``Limits.fast_part_bytes`` are read whole. When their ``<sheetData>``
element is in the plain form most writers produce, its cells are read with regular
expressions that must account for every character. Their grammar admits only well-formed
XML (no markup or control character in a text, attribute names given once, rows nested),
save for character references and other entities than the five of XML, ``]]>``, two
non-characters and attributes of ``<sheetData>`` itself: when the element has any of these,
expat (without handlers: C speed) checks it. Anything unusual in it (comments, CDATA, other
attribute orders, rich inline text, ...) sends the whole part to the general expat path
instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from xml.parsers import expat

from .address import COL_INDEX, MAX_ROW, is_digits
from .cells import SheetBuilder
from .content import ReadError
from .xmlparts import DTDRefused, refuse


def read_plain_cells(builder: SheetBuilder, text: str) -> bool:
    """Store the cells of a plain ``<sheetData>`` element (``text``) with regular expressions.

    They must account for every character of ``text``, which must be well-formed XML (expat
    checks what their grammar leaves open). False when it is not plain enough or a cell is
    bad: the caller then forgets what was read and parses the whole part with expat, which
    names the first fault (broken XML or the bad cell) as it would have without the fast path.
    """
    try:
        return fast_cells(builder, text) and (_surely_well_formed(text) or _well_formed(text))
    except ReadError:
        return False


def fast_cells(builder: SheetBuilder, text: str) -> bool:
    """Store the cells of a ``<sheetData>`` element; False when one is not plain.

    One pass of :data:`_FAST_TOKEN` splits ``text`` into cells (each with the usual
    ``</row><row r="N">`` before it) and the rest (the first and last row tags, blanks,
    anything unusual), which :func:`_fast_rows` reads. Numbers, shared strings, empty cells
    and formulas of no special type with a number (or for ``t="str"`` a text) or nothing
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
    depth, row_number = 0, 0
    cells, limit, last = parts.cells, builder.max_cells, builder.last
    digits_seen, row, row_start, shared = "", 0, 0, len(strings)
    unique = {"", "<f"}  # attribute lists (of rows and <f>) that name no attribute twice
    for window_start, window_stop in _windows(text, begin, stop):
        for (
            gap_row,
            gap_attrs,
            key,
            letters,
            digits,
            style,
            ctype,
            f_raw,
            f_text,
            v_int,
            v_number,
            v_other,
            inline,
            other,
        ) in _FAST_TOKEN.findall(text, window_start, window_stop):
            if not key:  # row tags and blanks, or anything unusual
                depth, row_number = _fast_rows(other, depth, row_number, hidden_rows, parts.keep)
                if depth < 0:
                    return False
                continue
            if gap_row:
                if depth != 1:
                    return False
                if gap_attrs not in unique:
                    if not _unique_names(gap_attrs, "r"):
                        return False
                    unique.add(gap_attrs)
                row_number = int(gap_row)
                if not 1 <= row_number <= MAX_ROW:
                    return False
                if "hidden" in gap_attrs and _ROW_HIDDEN.search(gap_attrs):
                    parts.keep("hidden rows")
                    hidden_rows.add(row_number)
            elif depth != 1:
                return False
            if digits != digits_seen:  # the cells of a row share its number
                digits_seen, row = digits, int(digits)
                if row > MAX_ROW:
                    return False
                row_start = row * 16_385
            col = col_index[letters]  # 0: no column
            if not col:
                return False
            position = row_start + col  # row-major, as in store
            if position > last and cells < limit and not inline:
                if not f_raw:
                    if ctype == "s":
                        if v_int and (index := int(v_int)) < shared:
                            values[key] = strings[index]
                            cells += 1
                            last = position
                            continue
                    elif not ctype or ctype == "n":
                        number = v_int or v_number  # a number as OOXML writes it (ASCII)
                        if number:
                            value = float(number)
                            if value - value == 0:  # finite
                                values[key] = value
                                if style in date_styles:
                                    date_cells.add(key)
                                cells += 1
                                last = position
                                continue
                    if not (v_int or v_number or v_other):  # an empty cell stores nothing
                        cells += 1
                        last = position
                        continue
                elif f_raw == "<f" or _plain_formula_tag(f_raw, unique):
                    # A plain formula with a number, or for t="str" a text, or nothing cached.
                    result: object = None
                    number = v_int or v_number
                    if not ctype or ctype == "n":
                        if number:
                            result = value = float(number)
                            plain = value - value == 0  # finite
                        else:
                            plain = v_other in _NO_VALUE
                    else:
                        plain = ctype == "str"
                        if number or v_other:
                            result = _xml_text(number or _v_text(v_other))
                    if plain:
                        formulas[key] = "=" + (f_text if "&" not in f_text else _xml_text(f_text))
                        cached[key] = result
                        cells += 1
                        last = position
                        continue
            # Anything else: the general rules.
            parts.cells, builder.last = cells, last
            f_attrs = None
            if f_raw:
                f_attrs = _fast_attrs(f_raw[2:])
                if f_attrs is None:
                    return False
                if "&" in f_text:
                    f_text = _xml_text(f_text)
            v_text = v_int or v_number or (_xml_text(_v_text(v_other)) if v_other else None)
            store(
                key,
                row,
                col,
                ctype or "n",
                f_attrs,
                f_text,
                v_text,
                [_xml_text(inline.partition(">")[2].partition(">")[2])] if inline else None,
            )
            if style in date_styles and isinstance(values.get(key), float):
                date_cells.add(key)
            cells, last = parts.cells, builder.last
    parts.cells, builder.last = cells, last
    return depth == 0


_TEXT = r"[^<\x00-\x08\x0b-\x1f]*"
"""Character data: no markup, no control character (XML allows tab and line feed)."""
_ATTRIBUTES = r'(?:[ \t\n]+[A-Za-z_][\w.:-]*="[^"<&\x00-\x08\x0b-\x1f]*")*'
"""Attributes in double quotes, with plain values (ASCII names: ``\\w`` is ASCII here)."""
_FAST_TOKEN = re.compile(
    r'(?:</row><row r="([0-9]{1,7})"(' + _ATTRIBUTES + r")>|)"
    r'<c r="(([A-Z]{1,3})([1-9][0-9]{0,6}))"(?: s="([0-9]{1,9})"|)(?: t="([A-Za-z]{1,9})"|)'
    r"[ \t\n]*(?:/>|>"
    r"(?:(<f" + _ATTRIBUTES + r")[ \t\n]*(?:/>|>(" + _TEXT + r")</f>)|)"
    r"(?:<v>(?:([0-9]{1,9})|([+-]?(?:[0-9]+(?:\.[0-9]*|)|\.[0-9]+)(?:[eE][+-]?[0-9]+|)))</v>"
    r"|(<v>" + _TEXT + r"</v>|<v/>)|)"
    r'(?:(<is><t(?: xml:space="preserve"|)>' + _TEXT + r")</t></is>|)"
    r"</c>)"
    r"|(<?[^<]*)",
    re.ASCII,
)
"""A cell in its plain form with the row change before it, or anything else up to the next
``<``. Groups (empty when absent): the row's number and its other attributes; the cell's
reference, letters and digits, style and type; ``<f`` with its attributes, and its text;
``<v>`` as a shared string index, as a number, or whole (anything else, or empty);
``<is><t>`` with the text of an inline string; anything else. Optional parts are written
``(?:X|)``, not ``(?:X)?``: ``re`` runs ``?`` as a repeat, which saves and restores the
groups at every branch inside it; the alternation does not (a quarter fewer instructions)."""
_FAST_ATTR = re.compile(r'([A-Za-z_][\w.-]*)="([^"]*)"')
_FAST_ROW = re.compile(r"[ \t\n]+|<row(" + _ATTRIBUTES + r")[ \t\n]*(/?)>|</row[ \t\n]*>", re.ASCII)
_NAMES = re.compile(r'([^\s="]+)="')
_ODD_REFERENCE = re.compile(r"&(?!(?:amp|lt|gt|quot|apos);)")
_ROW_R = re.compile(r'\sr\s*=\s*"([^"]*)"')
_ROW_HIDDEN = re.compile(r'\shidden\s*=\s*"(?:1|true)"')
_ENTITY = re.compile(r"&(?:#x([0-9A-Fa-f]+)|#([0-9]+)|(amp|lt|gt|quot|apos));")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


_NO_VALUE = ("", "<v></v>", "<v/>")
_WINDOW = 1 << 18


def _windows(text: str, begin: int, stop: int) -> Iterator[tuple[int, int]]:
    """Spans of ``text[begin:stop]`` of about ``_WINDOW`` characters, each but the last
    ending where a row ends: a regular expression's ``findall`` lists a span's tokens at
    once, and a small span keeps that list small."""
    while begin < stop:
        end = text.find("</row>", begin + _WINDOW, stop)
        end = stop if end < 0 else end
        yield begin, end
        begin = end


def _plain_formula_tag(tag: str, unique: set[str]) -> bool:
    """Whether ``<f`` with its attributes (``tag``) makes a formula of no special type, naming
    no attribute twice (LibreOffice adds ``aca="false"``, which changes nothing)."""
    if "t=" in tag or (tag not in unique and not _unique_names(tag)):
        return False
    unique.add(tag)
    return True


def _unique_names(attributes: str, *given: str) -> bool:
    """Whether the attributes (as :data:`_ATTRIBUTES` matched them) name none twice, nor any
    of the names ``given`` before them."""
    names = [*given, *_NAMES.findall(attributes)]
    return len(set(names)) == len(names)


def _surely_well_formed(text: str) -> bool:
    """Whether ``text``, which the tokens accounted for, is well-formed XML without asking
    expat: it has none of what the tokens' grammar leaves open."""
    return (
        text.startswith("<sheetData>")
        and ("&" not in text or not _ODD_REFERENCE.search(text))
        and ("]" not in text or "]]>" not in text)
        and (text.isascii() or ("\ufffe" not in text and "\uffff" not in text))
    )


def _v_text(whole: str) -> str:
    """The text of a whole ``<v>...</v>`` or ``<v/>``."""
    return whole[3:-4] if whole != "<v/>" else ""


def _fast_attrs(raw: str) -> dict[str, str] | None:
    """The attributes of a plain tag; None when one repeats or declares a namespace."""
    pairs = _FAST_ATTR.findall(raw)
    attrs = dict(pairs)
    return None if len(attrs) != len(pairs) or "xmlns" in attrs else attrs


def _fast_rows(
    between: str,
    depth: int,
    row_number: int,
    hidden_rows: set[int],
    keep: Callable[[str], None],
) -> tuple[int, int]:
    """Read the row tags (and blanks) between two cells; depth -1 when anything else is there."""
    match, pos, stop = _FAST_ROW.match, 0, len(between)
    while pos < stop:
        m = match(between, pos)
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
        if depth != 0 or not _unique_names(attrs):
            return -1, row_number
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
        depth = 0 if m[2] else 1  # <row .../> closes itself
    return depth, row_number


def _xml_text(text: str) -> str:
    """Replace the five XML entities and character references (expat checked them)."""
    if "&" not in text:
        return text
    if "&#" not in text:  # the five entities only: "&amp;" last, so "&amp;lt;" gives "&lt;"
        return (
            text.replace("&quot;", '"')
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&apos;", "'")
            .replace("&amp;", "&")
        )
    return _ENTITY.sub(
        lambda m: chr(int(m[1], 16)) if m[1] else chr(int(m[2])) if m[2] else _NAMED[m[3]], text
    )


def split_sheet_data(data: bytes) -> tuple[bytes, str] | None:
    """The part with an empty ``<sheetData/>``, and the ``<sheetData>`` element as text, when
    plain.

    Plain: UTF-8; no DTD, comment, CDATA or processing instruction before ``<sheetData`` (so
    it can only be the tag; inside the element the fast path takes none, after it expat reads
    them with the rest of the part); one unprefixed ``<sheetData>``, no carriage returns or
    namespace declarations inside it.
    """
    at = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    start = data.find(b"<sheetData", at)
    if start < 0 or data[start + 10 : start + 11] not in (b">", b" ", b"\t", b"\n"):
        return None
    head = data[at:start]
    if b"<!" in head or head.find(b"<?", 1) >= 0:
        return None
    if head.startswith(b"<?"):
        encoding = _ENCODING.search(head[: head.find(b"?>")])
        if encoding and encoding[1].lower() not in (b"utf-8", b"utf8"):
            return None
    close = data.find(b"</sheetData>", start)
    if close < 0 or data.find(b"<sheetData", close) >= 0:
        return None
    end = close + len(b"</sheetData>")
    try:
        text = str(memoryview(data)[start:end], "utf-8")
    except UnicodeDecodeError:
        return None
    if "\r" in text or "xmlns" in text:
        return None
    return head + b"<sheetData/>" + data[end:], text


_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9._-]+)""")


def _well_formed(text: str) -> bool:
    """Whether expat (without handlers: C speed) finds ``text`` well-formed XML.

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
        parser.Parse("", True)
    except (expat.ExpatError, DTDRefused):
        return False
    return True
