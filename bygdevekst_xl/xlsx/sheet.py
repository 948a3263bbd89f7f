"""Read one sheet part: choose the fast or the general path, then count comments and drawings.

A sheet part up to ``Limits.fast_part_bytes`` whose ``<sheetData>`` is plain takes the fast path
(:mod:`~bygdevekst_xl.xlsx.fastpath`); when it turns out not to be, what it read and spent is
forgotten and the whole part goes through expat (:mod:`~bygdevekst_xl.xlsx.sheet_xml`).
"""

from __future__ import annotations

import zipfile

from .cells import SheetBuilder
from .content import SheetContent
from .fastpath import read_plain_cells, split_sheet_data
from .parts import count_comments, count_drawings, read_table
from .sheet_xml import parse_sheet_xml
from .xmlparts import NotWellFormed, Parts


def read_sheet(
    parts: Parts, info: zipfile.ZipInfo, name: str, state: str, strings: list[str]
) -> SheetContent:
    """The content of the sheet ``name`` in part ``info``, with its comments and drawings."""
    builder = _parse_part(parts, info, name, state, strings)
    sheet = builder.sheet
    rels = parts.rels(info.filename)
    commented: set[str] = set()
    for rel in rels.values():
        if rel.external:
            continue
        if rel.type == "comments":
            commented |= count_comments(parts, rel.target, threaded=False)
        elif rel.type == "threadedComment":
            commented |= count_comments(parts, rel.target, threaded=True)
        elif rel.type == "table":
            table = read_table(parts, rel.target)
            if table is not None:
                sheet.tables.append(table)
    sheet.comments = len(commented)
    for rid in builder.drawing_ids:
        drawing = rels.get(rid)
        if drawing is not None and not drawing.external:
            sheet.drawings += count_drawings(parts, drawing.target)
    sheet.drawings += builder.picture
    return sheet


def _parse_part(
    parts: Parts, info: zipfile.ZipInfo, name: str, state: str, strings: list[str]
) -> SheetBuilder:
    """Read the part: the fast path when its cells are plain, else expat throughout."""
    builder = SheetBuilder(parts, info, name, state, strings)
    if info.file_size > parts.limits.fast_part_bytes:
        parse_sheet_xml(builder, info)
        return builder
    data = b"".join(parts.chunks(info))
    split = split_sheet_data(data)
    if split is None:
        parse_sheet_xml(builder, data)
        return builder
    del data  # keep one copy of the cells in memory, not two
    outer, text = split
    del split
    spent = parts.spent()
    if _parse_fast(builder, outer, text):
        return builder
    parts.restore(spent)
    builder = SheetBuilder(parts, info, name, state, strings)
    parse_sheet_xml(builder, info)
    return builder


def _parse_fast(builder: SheetBuilder, outer: bytes, text: str) -> bool:
    """Read a part whose ``<sheetData>`` element (``text``) is in the plain form most
    writers produce.

    The rest of the part (``outer``, with an empty ``<sheetData/>``) goes through the general
    path; the cells through :func:`~bygdevekst_xl.xlsx.fastpath.read_plain_cells`. False when
    it is not plain enough; the caller then forgets what was read and parses the whole part
    with expat.
    """
    try:
        parse_sheet_xml(builder, outer)
    except NotWellFormed:
        return False  # the general path names the line and column in the part itself
    if not builder.saw_sheet_data:
        return False
    return read_plain_cells(builder, text)
