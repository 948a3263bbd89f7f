"""Read an .xlsx that anyone may have edited or damaged: fast, bounded and without trusting it.

openpyxl's full load needs seconds for 100 000 formulas and its read-only mode drops data
validation and protection, so this package reads the OOXML parts itself: ``zipfile`` plus
expat with callbacks (no tree is built, so memory does not grow with the XML). Sheet parts
up to 64 MB take a fast path: the cells of the ``<sheetData>`` element are read with regular
expressions that must account for every character and admit only well-formed XML (expat
checks, at C speed, what their grammar leaves open, such as references); anything unusual
in it (comments, CDATA, other attribute orders, rich inline text, ...) sends the whole part
to the general expat path instead, which reads any valid XML.

Safety: a DOCTYPE in any part is refused as soon as expat sees it (before any entity is
declared, the same guard as defusedxml's ``forbid_dtd``); nothing is fetched, nothing is
expanded, nothing is run and the input is never written. Every part is inflated in chunks
with its declared size, its compression ratio and the bytes actually inflated checked
against limits; the number of zip entries, cells, XML elements and characters in one text
node are capped too. Every failure is a :class:`ReadError` whose message is one line naming
the file (and the part, sheet and cell where known).

This module is the public face: :func:`read_workbook`, bounded by :class:`Limits` (defaults
documented there), what it returns, and the order in which a workbook's parts are read. The
work is done by the modules of this package: ``archive`` (the container), ``xmlparts`` (expat
under the limits), ``parts`` (the small parts), ``sheet`` with ``sheet_xml``, ``fastpath`` and
``cells`` (a sheet), ``formulas`` (shared formulas), ``address``, ``limits`` and ``content``
(the result types and :class:`ReadError`).
"""

from __future__ import annotations

from pathlib import Path

from .address import MAX_COL as MAX_COL
from .address import MAX_ROW as MAX_ROW
from .address import is_digits
from .archive import CHUNK as CHUNK
from .archive import open_zip
from .content import ReadError, SheetContent, Validation, WorkbookContent, short
from .limits import DEFAULT_LIMITS, Limits
from .parts import (
    content_types,
    custom_properties,
    external_links,
    parse_workbook,
    shared_strings,
)
from .sheet import read_sheet
from .styles import date_styles
from .xmlparts import Parts

__all__ = [
    "DEFAULT_LIMITS",
    "Limits",
    "ReadError",
    "SheetContent",
    "Validation",
    "WorkbookContent",
    "read_workbook",
]


def read_workbook(path: Path | str, *, limits: Limits = DEFAULT_LIMITS) -> WorkbookContent:
    """Read the sheets, names, validations and flags of the .xlsx at ``path``.

    Going past any of ``limits`` (zip entries, inflated bytes, cells, XML elements, ...) is
    an error naming the limit. Raises :class:`ReadError` for anything that is not a readable
    workbook; nothing else.
    """
    path = Path(path)
    try:
        with open_zip(path, limits) as archive:
            return _read(Parts(path, archive, limits))
    except ReadError:
        raise
    except MemoryError:
        raise ReadError(f"{path}: ran out of memory reading the workbook") from None
    except Exception as exc:
        raise ReadError(
            f"{path}: unexpected damage ({type(exc).__name__}: {short(str(exc), 120)})"
        ) from exc


def _read(parts: Parts) -> WorkbookContent:
    """The content of the workbook in ``parts``."""
    parts.check_kind()
    types = content_types(parts)
    has_macros = any(
        "macroenabled" in t or "vbaproject" in t or "macrosheet" in t for t in types
    ) or any(n.endswith("vbaproject.bin") for n in parts.entries)
    package = parts.rels("")
    main = next(
        (
            r.target
            for r in package.values()
            if r.type == "officeDocument" and not r.external and parts.find(r.target)
        ),
        "xl/workbook.xml",
    )
    if main.lower().endswith(".bin") or any("sheet.binary" in t for t in types):
        parts.fail("binary workbook (.xlsb) is not supported; save it as .xlsx")
    info = parts.find(main)
    if info is None:
        parts.fail(f"missing {main} (not a workbook)")
    book = parse_workbook(parts, info)
    rels = parts.rels(info.filename)
    strings = shared_strings(parts, rels, info.filename)
    styles = next((r.target for r in rels.values() if r.type == "styles" and not r.external), None)
    parts.date_styles = date_styles(parts, parts.find(styles) if styles else None)
    sheets: dict[str, SheetContent] = {}
    folded: set[str] = set()
    for name, state, rid in book.sheets:
        if name.lower() in folded:
            parts.fail(f"two sheets are named '{short(name)}'")
        folded.add(name.lower())
        rel = rels.get(rid or "")
        part = parts.find(rel.target) if rel is not None and not rel.external else None
        if part is None:
            where = rel.target if rel is not None else f"relationship {rid}"
            parts.fail(f"sheet '{short(name)}': its part ({short(where)}) is missing")
        sheets[name] = read_sheet(parts, part, name, state, strings)
    names: dict[str, str] = {}
    local_names: dict[tuple[str, str], str] = {}
    order = [name for name, _state, _rid in book.sheets]
    for name, scope, text in book.names:
        if scope is None:
            names[name] = text
        elif is_digits(scope) and len(scope) < 6 and int(scope) < len(order):
            local_names[(order[int(scope)], name)] = text
        else:
            parts.fail(
                f"defined name '{short(name)}' has localSheetId {short(scope)} but "
                f"the workbook has {len(order)} sheets"
            )
    return WorkbookContent(
        path=parts.path,
        sheets=sheets,
        names=names,
        local_names=local_names,
        calc_mode=book.calc_mode,
        external_links=external_links(parts, rels),
        has_macros=has_macros,
        custom_properties=custom_properties(parts, package),
        date1904=book.date1904,
    )
