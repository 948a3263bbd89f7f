"""The small parts around the sheets: workbook.xml, shared strings, content types,
custom properties, external links, and the comments and drawings of a sheet.

Each is a function of the :class:`~bygdevekst_xl.xlsx.xmlparts.Parts` being read.
"""

from __future__ import annotations

import posixpath
import zipfile

from ..dataclass import dataclass
from .content import Table
from .xmlparts import MC, Parts, Rel, Text, local, rel_id, tags, unescape


@dataclass
class Book:
    """What ``xl/workbook.xml`` says."""

    sheets: list[tuple[str, str, str | None]]  # name, state, relationship id
    names: list[tuple[str, str | None, str]]  # name, localSheetId, reference
    calc_mode: str | None
    date1904: bool = False


def parse_workbook(parts: Parts, info: zipfile.ZipInfo) -> Book:
    """The sheets, defined names, calculation mode and date system of ``xl/workbook.xml``."""
    book = Book([], [], None)
    sheet, defined, calc = tags("sheet"), tags("definedName"), tags("calcPr")
    properties = tags("workbookPr")
    text = Text(parts, info.filename)
    max_sheets = parts.limits.max_sheets
    name_attrs: tuple[str, str | None] | None = None

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal name_attrs
        if name in sheet:
            title = attrs.get("name")
            if not title:
                parts.fail(f"part {info.filename}: a sheet without a name")
            if len(book.sheets) >= max_sheets:
                parts.fail(f"part {info.filename}: more than {max_sheets} sheets; refusing")
            book.sheets.append((title, attrs.get("state", "visible"), rel_id(attrs)))
        elif name in defined:
            name_attrs = (attrs.get("name", ""), attrs.get("localSheetId"))
            text.start()
        elif name in calc:
            book.calc_mode = attrs.get("calcMode")
        elif name in properties:
            book.date1904 = attrs.get("date1904", "").strip().lower() in ("1", "true")

    def end(name: str) -> None:
        nonlocal name_attrs
        if name in defined and name_attrs is not None:
            reference = text.take()
            parts.keep("defined names")
            book.names.append((*name_attrs, reference.removeprefix("=")))
            name_attrs = None

    parts.parse(info.filename, info, start, end, text.add)
    if not book.sheets:
        parts.fail(f"part {info.filename} lists no sheets")
    return book


def content_types(parts: Parts) -> list[str]:
    """Every content type named in ``[Content_Types].xml``, lower-cased."""
    info = parts.find("[Content_Types].xml")
    types: list[str] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        if local(name) in ("Default", "Override"):
            parts.keep("content types")
            types.append(attrs.get("ContentType", "").lower())

    if info is not None:
        parts.parse(info.filename, info, start)
    return types


def shared_strings(parts: Parts, rels: dict[str, Rel], workbook: str) -> list[str]:
    """The shared string table: rich text runs joined, phonetic runs left out."""
    target = next(
        (r.target for r in rels.values() if r.type == "sharedStrings" and not r.external), None
    )
    info = parts.find(target) or parts.find(
        posixpath.join(posixpath.dirname(workbook), "sharedStrings.xml")
    )
    strings: list[str] = []
    if info is None:
        return strings
    si, t, rph = tags("si"), tags("t"), tags("rPh")
    text = Text(parts, info.filename)
    pieces: list[str] = []
    phonetic = False
    max_cells = parts.limits.max_cells

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal phonetic
        if name in t and not phonetic:
            text.start()
        elif name in si:
            pieces.clear()
        elif name in rph:
            phonetic = True

    def end(name: str) -> None:
        nonlocal phonetic
        if name in t and text.on:
            pieces.append(text.take())
        elif name in si:
            strings.append(unescape("".join(pieces)))
            if len(strings) > max_cells:
                parts.fail(
                    f"part {info.filename}: more than {max_cells} shared strings "
                    "(max_cells); refusing"
                )
        elif name in rph:
            phonetic = False

    parts.parse(info.filename, info, start, end, text.add)
    return strings


def external_links(parts: Parts, rels: dict[str, Rel]) -> list[str]:
    """The target (the other file) of each external link part of the workbook."""
    links = []
    for rel in rels.values():
        if rel.type != "externalLink":
            continue
        if rel.external:
            links.append(rel.target)
            continue
        targets = [r.target for r in parts.rels(rel.target).values() if r.external]
        links.append(targets[0] if targets else rel.target)
    return links


def custom_properties(parts: Parts, package: dict[str, Rel]) -> dict[str, str]:
    """``docProps/custom.xml``: each property's name and its value as text."""
    target = next(
        (r.target for r in package.values() if r.type == "custom-properties" and not r.external),
        None,
    )
    info = parts.find(target) or parts.find("docProps/custom.xml")
    props: dict[str, str] = {}
    if info is None:
        return props
    text = Text(parts, info.filename)
    current: str | None = None
    depth = 0  # elements open inside the current <property>: its value is the first child

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal current, depth
        if local(name) == "property":
            current, depth = attrs.get("name"), 0
        elif current is not None:
            depth += 1
            if depth == 1:
                text.start()  # the value element: white space around it (indented XML) is not

    def end(name: str) -> None:
        nonlocal current, depth
        if local(name) == "property":
            current = None
        elif current is not None:
            depth -= 1
            if depth == 0:
                parts.keep("custom properties")
                props[current] = text.take()

    parts.parse(info.filename, info, start, end, text.add)
    return props


def count_comments(parts: Parts, part: str, threaded: bool) -> set[str]:
    """The cells that a comments (or threaded comments) part comments on."""
    info = parts.find(part)
    refs: set[str] = set()
    if info is None:
        return refs
    tag = "threadedComment" if threaded else "comment"

    def start(name: str, attrs: dict[str, str]) -> None:
        if local(name) == tag and not (threaded and attrs.get("parentId")):
            parts.keep("comments")
            refs.add(attrs.get("ref", f"#{len(refs)}").upper())

    parts.parse(info.filename, info, start)
    return refs


def count_drawings(parts: Parts, part: str) -> int:
    """The drawing objects (pictures, charts, shapes) anchored in a drawing part."""
    info = parts.find(part)
    if info is None:
        return 0
    state = {"count": 0, "fallback": 0}

    def start(name: str, attrs: dict[str, str]) -> None:
        if local(name) in ("twoCellAnchor", "oneCellAnchor", "absoluteAnchor"):
            if not state["fallback"]:
                state["count"] += 1
        elif name == MC + "Fallback":
            state["fallback"] += 1

    def end(name: str) -> None:
        if name == MC + "Fallback":
            state["fallback"] -= 1

    parts.parse(info.filename, info, start, end)
    return state["count"]


def read_table(parts: Parts, part: str) -> Table | None:
    """The Excel Table in a table part, or None when the part is missing or has no usable
    name or area (then references to it stay unsupported)."""
    info = parts.find(part)
    if info is None:
        return None
    found: dict[str, str] = {}
    columns: list[str] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        tag = local(name)
        if tag == "table" and not found:
            parts.keep("tables")
            found.update(attrs)
        elif tag == "tableColumn":
            parts.keep("tables")
            columns.append(attrs.get("name", ""))

    parts.parse(info.filename, info, start)
    name = found.get("displayName") or found.get("name") or ""
    ref = found.get("ref", "")
    if not name or not ref:
        return None
    header, totals = found.get("headerRowCount", "1"), found.get("totalsRowCount", "0")
    return Table(
        name=name,
        ref=ref.replace("$", "").upper(),
        header_rows=1 if header != "0" else 0,
        totals_rows=1 if totals not in ("", "0") else 0,
        columns=tuple(columns),
    )
