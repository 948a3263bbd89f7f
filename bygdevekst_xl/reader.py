"""Read an .xlsx that anyone may have edited or damaged: fast, bounded and without trusting it.

openpyxl's full load needs seconds for 100 000 formulas and its read-only mode drops data
validation and protection, so this module reads the OOXML parts itself: ``zipfile`` plus
expat with callbacks (no tree is built, so memory does not grow with the XML). Sheet parts
up to 64 MB take a fast path: the ``<sheetData>`` element is checked well-formed by expat at
C speed and its cells read with regular expressions that must account for every character;
anything unusual in it (comments, CDATA, other attribute orders, rich inline text, ...)
sends the whole part to the general expat path instead, which reads any valid XML.

Safety: a DOCTYPE in any part is refused as soon as expat sees it (before any entity is
declared, the same guard as defusedxml's ``forbid_dtd``); nothing is fetched, nothing is
expanded, nothing is run and the input is never written. Every part is inflated in chunks
with its declared size, its compression ratio and the bytes actually inflated checked
against limits; the number of zip entries, cells, XML elements and characters in one text
node are capped too. Every failure is a :class:`ReadError` whose message is one line naming
the file (and the part, sheet and cell where known).
"""

from __future__ import annotations

import datetime as dt
import lzma
import math
import mmap
import posixpath
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, NoReturn
from urllib.parse import unquote
from xml.parsers import expat

from .evaluate import ErrorValue

__all__ = ["ReadError", "SheetContent", "Validation", "WorkbookContent", "read_workbook"]

MAX_ENTRIES = 10_000  # zip entries; a workbook has dozens
MAX_CENTRAL_DIRECTORY = 16 << 20  # bytes of zip central directory
MAX_CELLS = 1_000_000  # cells in all; about 5 s and 300 MB at the limit (a pilot has ~2 000)
MAX_PART_BYTES = 200 << 20  # inflated bytes of one part
MAX_TOTAL_BYTES = 500 << 20  # inflated bytes of all parts read
MAX_RATIO = 250  # inflated/compressed, checked for parts over RATIO_FLOOR bytes
RATIO_FLOOR = 20 << 20
ELEMENTS_PER_CELL = 4  # XML elements allowed per max_cells cell (c, f, v and some more) ...
ELEMENT_SLACK = 1_000_000  # ... plus this many, for rows and everything else
MAX_TEXT = 1_000_000  # characters in one text node (Excel allows 32 767 in a cell)
MAX_ITEMS = 1_000_000  # other things kept: names, validations, hidden rows, relationships, ...
MAX_SHEETS = 10_000
MAX_NAMES = 10_000  # different XML element names in one part (expat keeps each one)
MAX_SHARED_FORMULA_TEXT = 100_000_000  # characters of formulas made from shared formulas
FAST_PART_BYTES = 64 << 20  # sheet parts up to this size are read whole (for the fast path)
CHUNK = 1 << 16
MAX_ROW = 1_048_576
MAX_COL = 16_384

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_NAMES = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))
_ZIP_ERRORS = (
    zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, OSError, RuntimeError,
    NotImplementedError, struct.error, ValueError, IndexError, OverflowError,
)


class ReadError(ValueError):
    """The file cannot be read as a workbook; str(exc) is ONE line naming the file (and
    part/sheet/cell where known)."""

    def __init__(self, message: str) -> None:
        super().__init__(_one_line(message))


@dataclass
class Validation:
    """One ``<dataValidation>`` (or x14 extension validation) of a sheet."""

    sqref: str
    type: str | None
    operator: str | None
    formula1: str | None


@dataclass
class SheetContent:
    """What one sheet holds. Cell keys are A1 addresses without ``$``, e.g. ``"C8"``.

    ``values``: constants (float, str, bool; datetime for ``t="d"``; numbers formatted as
    dates stay numbers). ``formulas``: ``"=..."`` for every formula cell, shared formulas
    translated to each cell, an array formula on its top-left cell (the other cells of the
    array hold their cached values as constants, as openpyxl reads them). ``cached``: the value
    saved with each formula (float, str, bool or ErrorValue), None when none was saved.
    ``errors``: constant error cells. ``comments``: cells with a comment or a comment thread.
    ``drawings``: pictures, charts and shapes anchored on the sheet, plus a background picture.
    """

    name: str
    state: str
    values: dict[str, object] = field(default_factory=dict)
    formulas: dict[str, str] = field(default_factory=dict)
    cached: dict[str, object] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    validations: list[Validation] = field(default_factory=list)
    protected: bool = False
    hidden_rows: set[int] = field(default_factory=set)
    comments: int = 0
    drawings: int = 0


@dataclass
class WorkbookContent:
    """What a workbook holds, as far as the checker, ``extract`` and ``regenerate`` need.

    ``names`` are workbook-level defined names and ``local_names`` sheet-scoped ones (including
    Excel's own, such as ``_xlnm.Print_Area``), each to its reference without ``=``.
    ``calc_mode`` is None unless ``<calcPr calcMode>`` says otherwise. ``external_links``
    holds the target of each external link part (the other file), ``has_macros`` whether
    there is a VBA project, a macro-enabled content type or an Excel 4 macro sheet.
    """

    path: Path
    sheets: dict[str, SheetContent]
    names: dict[str, str]
    local_names: dict[tuple[str, str], str]
    calc_mode: str | None
    external_links: list[str]
    has_macros: bool
    custom_properties: dict[str, str]


def read_workbook(path: Path | str, *, max_cells: int = MAX_CELLS) -> WorkbookContent:
    """Read the sheets, names, validations and flags of the .xlsx at ``path``.

    More than ``max_cells`` cells in the workbook is an error; the XML elements allowed grow
    with it (``ELEMENTS_PER_CELL`` each), so time and memory are bounded in proportion to it.
    Raises :class:`ReadError` for anything that is not a readable workbook; nothing else.
    """
    path = Path(path)
    try:
        with _open_zip(path) as archive:
            return _Reader(path, archive, max_cells).read()
    except ReadError:
        raise
    except MemoryError:
        raise ReadError(f"{path}: ran out of memory reading the workbook") from None
    except Exception as exc:
        raise ReadError(
            f"{path}: unexpected damage ({type(exc).__name__}: {_short(str(exc), 120)})"
        ) from exc


# ---------------------------------------------------------------------------------------
# Opening the file: what is it, and is it a sane zip?


@contextmanager
def _open_zip(path: Path) -> Iterator[zipfile.ZipFile]:
    """Open ``path`` as a zip after checking it is a regular, non-empty zip file."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ReadError(f"{path}: no such file") from None
    except PermissionError:
        raise ReadError(f"{path}: no permission to read the file") from None
    except OSError as exc:
        raise ReadError(f"{path}: cannot open ({exc.strerror or exc})") from None
    if stat.S_ISDIR(info.st_mode):
        raise ReadError(f"{path}: is a directory, not a workbook")
    if not stat.S_ISREG(info.st_mode):
        raise ReadError(f"{path}: not a regular file")
    if info.st_size == 0:
        raise ReadError(f"{path}: empty file (0 bytes)")
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed by the with statement below
    except PermissionError:
        raise ReadError(f"{path}: no permission to read the file") from None
    except OSError as exc:
        raise ReadError(f"{path}: cannot open ({exc.strerror or exc})") from None
    with handle:
        head = handle.read(4096)
        if not head.startswith(b"PK"):
            raise ReadError(f"{path}: {_not_a_zip(handle, head)}")
        _check_directory(path, handle, info.st_size)
        handle.seek(0)
        try:
            archive = zipfile.ZipFile(handle)
        except _ZIP_ERRORS as exc:
            raise ReadError(f"{path}: damaged or truncated zip ({_short(str(exc), 100)})") from None
        yield archive


def _not_a_zip(handle: BinaryIO, head: bytes) -> str:
    """Say what a file that is not a zip looks like."""
    if head.startswith(_OLE_MAGIC):
        if _ole_is_encrypted(handle):
            return "encrypted (password-protected) workbook; save it without a password"
        return "legacy .xls (Excel 97-2003) file, not an .xlsx; save it as .xlsx"
    if head.startswith(b"%PDF"):
        return "not a zip: looks like a PDF"
    text = _as_text(head)
    if text is not None:
        start = text.lstrip("\ufeff \t\r\n").lower()
        if "urn:schemas-microsoft-com:office:spreadsheet" in start:
            return "not a zip: looks like an Excel 2003 XML spreadsheet"
        if start.startswith(("<!doctype html", "<html", "<table")) or "<html" in start[:512]:
            return "not a zip: looks like HTML (a web page saved as .xlsx)"
        if start.startswith("<"):
            return "not a zip: looks like XML text"
        return "not a zip: looks like text/CSV"
    return f"not a zip (unrecognised content starting {head[:4].hex(' ')})"


def _as_text(head: bytes) -> str | None:
    """``head`` decoded when it looks like text, else None."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"),
                       (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom):].decode(codec, "replace")
    if b"\x00" in head:
        return None
    text = head.decode("utf-8", "replace")
    printable = sum(ch.isprintable() or ch in "\t\r\n" for ch in text)
    return text if printable >= 0.95 * len(text) else None


def _ole_is_encrypted(handle: BinaryIO) -> bool:
    """Whether an OLE2 compound file holds the streams of an encrypted OOXML package."""
    try:
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
            return all(data.find(name) >= 0 for name in _ENCRYPTED_NAMES)
    except (OSError, ValueError):
        return False


def _check_directory(path: Path, handle: BinaryIO, size: int) -> None:
    """Refuse a zip whose end record declares too many entries or a huge central directory.

    Checked before ``zipfile`` reads the directory, which it would hold in memory whole.
    """
    tail_size = min(size, 65_536 + 22)
    handle.seek(size - tail_size)
    tail = handle.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return  # zipfile names the damage
    entries, directory = struct.unpack("<HI", tail[at + 10 : at + 16])
    locator = tail.rfind(b"PK\x06\x07", 0, at)
    if locator >= 0 and at - locator == 20:
        (offset,) = struct.unpack("<Q", tail[locator + 8 : locator + 16])
        if 0 <= offset < size:
            handle.seek(offset)
            record = handle.read(56)
            if len(record) == 56 and record.startswith(b"PK\x06\x06"):
                entries, directory = struct.unpack("<QQ", record[32:48])
    if entries > MAX_ENTRIES:
        raise ReadError(f"{path}: zip declares {entries} entries (more than {MAX_ENTRIES})")
    if directory > MAX_CENTRAL_DIRECTORY:
        raise ReadError(f"{path}: zip central directory of {directory} bytes is too large")


# ---------------------------------------------------------------------------------------
# Namespaces. Element names arrive from expat as "uri}local" (or "local" without a namespace).

_MAIN = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main}",
    "http://purl.oclc.org/ooxml/spreadsheetml/main}",
    "",
)
_X14 = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main}"
_XM = "http://schemas.microsoft.com/office/excel/2006/main}"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006}"
_REL_NS = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships}",
    "http://purl.oclc.org/ooxml/officeDocument/relationships}",
)


def _tags(*locals_: str) -> dict[str, str]:
    """Map each main-namespace name (transitional, strict or none) to its local name."""
    return {ns + name: name for ns in _MAIN for name in locals_}


def _rel_id(attrs: dict[str, str]) -> str | None:
    """The ``r:id`` attribute in either namespace."""
    for ns in _REL_NS:
        value = attrs.get(ns + "id")
        if value is not None:
            return value
    return None


def _local(name: str) -> str:
    return name.rpartition("}")[2]


# ---------------------------------------------------------------------------------------
# Cell addresses and shared formula translation.



def _column_letters() -> list[str]:
    """Column letters by number: ``["", "A", "B", ..., "XFD"]``."""
    letters = [""]
    for number in range(1, MAX_COL + 1):
        name = ""
        while number:
            number, rest = divmod(number - 1, 26)
            name = chr(65 + rest) + name
        letters.append(name)
    return letters


_COLS = _column_letters()
_COL_INDEX = {letters: number for number, letters in enumerate(_COLS) if number}

_CELL_FAST = re.compile(r"([A-Z]{1,3})([1-9][0-9]{0,6})").fullmatch
_CELL_SLOW = re.compile(r"\$?([A-Za-z]{1,3})\$?0*([1-9][0-9]{0,6})").fullmatch
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_SPECIAL = re.compile(r"[\"'\[]")
_REF = re.compile(
    r"""(?<![\w.$\\])(?:
        (\$?)([A-Za-z]{1,3})(\$?)([0-9]{1,7})(?![\w.(!\[])            # A1, $A$1
       |(\$?)([A-Za-z]{1,3}):(\$?)([A-Za-z]{1,3})(?![\w.(!\[])         # A:C
       |(\$?)([0-9]{1,7}):(\$?)([0-9]{1,7})(?![\w.(!\[])               # 1:3
    )""",
    re.X,
)

_Template = list[Any]  # str pieces and (kind, abs1, n1, abs2, n2) reference tuples


def _template(formula: str) -> _Template:
    """Split formula text into literal pieces and relocatable references.

    String literals, quoted sheet names and anything in brackets (structured references,
    external workbook indexes) are never touched; names and functions are not references.
    """
    parts: _Template = []
    code_start = i = 0
    n = len(formula)
    while True:
        found = _SPECIAL.search(formula, i)
        end = found.start() if found else n
        _template_code(formula[code_start:end], parts)
        if not found:
            return parts
        quote = formula[end]
        j = end + 1
        if quote == "[":
            depth = 1
            while j < n and depth:
                depth += {"[": 1, "]": -1}.get(formula[j], 0)
                j += 1
        else:
            while j < n:
                if formula[j] == quote:
                    if j + 1 < n and formula[j + 1] == quote:
                        j += 2
                        continue
                    j += 1
                    break
                j += 1
        parts.append(formula[end:j])
        code_start = i = j


def _template_code(code: str, parts: _Template) -> None:
    last = 0
    for match in _REF.finditer(code):
        g = match.groups()
        if g[1] is not None:
            col, row = _COL_INDEX.get(g[1].upper()), int(g[3])
            if col is None or not 1 <= row <= MAX_ROW:
                continue
            ref = (0, g[0], col, g[2], row)
        elif g[5] is not None:
            first, second = _COL_INDEX.get(g[5].upper()), _COL_INDEX.get(g[7].upper())
            if first is None or second is None:
                continue
            ref = (1, g[4], first, g[6], second)
        else:
            first, second = int(g[9]), int(g[11])
            if not (1 <= first <= MAX_ROW and 1 <= second <= MAX_ROW):
                continue
            ref = (2, g[8], first, g[10], second)
        parts.append(code[last : match.start()])
        parts.append(ref)
        last = match.end()
    parts.append(code[last:])


def _shift(template: _Template, rows: int, cols: int) -> str:
    """The formula of ``template`` moved by ``rows`` and ``cols``, as Excel fills it."""
    out = []
    for part in template:
        if part.__class__ is str:
            out.append(part)
            continue
        kind, abs1, n1, abs2, n2 = part
        if kind == 0:
            col = n1 if abs1 else n1 + cols
            row = n2 if abs2 else n2 + rows
            ok = 1 <= col <= MAX_COL and 1 <= row <= MAX_ROW
            out.append(f"{abs1}{_COLS[col]}{abs2}{row}" if ok else "#REF!")
        elif kind == 1:
            a = n1 if abs1 else n1 + cols
            b = n2 if abs2 else n2 + cols
            ok = 1 <= a <= MAX_COL and 1 <= b <= MAX_COL
            out.append(f"{abs1}{_COLS[a]}:{abs2}{_COLS[b]}" if ok else "#REF!")
        else:
            a = n1 if abs1 else n1 + rows
            b = n2 if abs2 else n2 + rows
            ok = 1 <= a <= MAX_ROW and 1 <= b <= MAX_ROW
            out.append(f"{abs1}{a}:{abs2}{b}" if ok else "#REF!")
    return "".join(out)


def _unescape(text: str) -> str:
    """Undo the ``_xHHHH_`` escapes of OOXML strings (``_x000D_`` is a carriage return)."""
    return _ESCAPE.sub(lambda m: chr(int(m[1], 16)), text) if "_x" in text else text


# ---------------------------------------------------------------------------------------
# The package.


@dataclass
class _Rel:
    type: str  # the last segment of the relationship type, e.g. "worksheet"
    target: str  # a part name, or the raw target of an external relationship
    external: bool


class _DTDRefused(Exception):
    pass


class _NotWellFormed(ReadError):
    """Expat's error; its line and column are those of what expat was given."""


def _refuse(*_args: object) -> None:
    raise _DTDRefused


class _Reader:
    """One read of one workbook: the zip, the limits spent so far and the parsed parts."""

    def __init__(self, path: Path, archive: zipfile.ZipFile, max_cells: int) -> None:
        self.path = path
        self.zip = archive
        self.max_cells = max_cells
        self.max_elements = ELEMENTS_PER_CELL * max_cells + ELEMENT_SLACK
        self.cells = 0
        self.elements = 0
        self.inflated = 0
        self.items = 0
        self.shared_text = 0
        infos = archive.infolist()
        if len(infos) > MAX_ENTRIES:
            self.fail(f"zip has {len(infos)} entries (more than {MAX_ENTRIES})")
        self.parts: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            self.parts.setdefault(info.filename.lower(), info)

    def fail(self, reason: str) -> NoReturn:
        raise ReadError(f"{self.path}: {reason}")

    def keep(self, what: str) -> None:
        """Count one more thing kept in memory that is not a cell; refuse past MAX_ITEMS."""
        self.items += 1
        if self.items > MAX_ITEMS:
            self.fail(f"more than {MAX_ITEMS} {what} and the like; refusing")

    # -- reading parts ------------------------------------------------------------------

    def find(self, name: str | None) -> zipfile.ZipInfo | None:
        """The zip entry of a part name (case-insensitive, percent-encoded or not)."""
        if not name:
            return None
        info = self.parts.get(name.lower())
        if info is None and "%" in name:
            info = self.parts.get(unquote(name).lower())
        return info

    def chunks(self, info: zipfile.ZipInfo) -> Iterator[bytes]:
        """The inflated bytes of a part, in chunks, within the size and ratio limits."""
        name = info.filename
        if info.file_size > MAX_PART_BYTES:
            self.fail(
                f"part {name} declares {info.file_size} bytes uncompressed "
                f"(limit {MAX_PART_BYTES}); refusing (possible zip bomb)"
            )
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            self.fail(f"part {name} compresses {ratio}:1; refusing (possible zip bomb)")
        size = 0
        try:
            with self.zip.open(info) as stream:
                while True:
                    chunk = stream.read(CHUNK)
                    if not chunk:
                        return
                    size += len(chunk)
                    self.inflated += len(chunk)
                    if size > MAX_PART_BYTES:
                        self.fail(f"part {name} inflates past {MAX_PART_BYTES} bytes; refusing "
                                  "(possible zip bomb)")
                    if self.inflated > MAX_TOTAL_BYTES:
                        self.fail(f"parts inflate past {MAX_TOTAL_BYTES} bytes in all; refusing "
                                  "(possible zip bomb)")
                    yield chunk
        except ReadError:
            raise
        except _ZIP_ERRORS as exc:
            self.fail(f"part {name} is damaged ({_short(str(exc), 100)})")

    def read_bytes(self, info: zipfile.ZipInfo, limit: int) -> bytes:
        data = bytearray()
        for chunk in self.chunks(info):
            data += chunk
            if len(data) > limit:
                break
        return bytes(data[:limit])

    def parse(
        self,
        part: str,
        source: zipfile.ZipInfo | bytes,
        start: Callable[[str, dict[str, str]], None],
        end: Callable[[str], None] | None = None,
        data: Callable[[str], None] | None = None,
        *,
        counted: bool = False,
    ) -> None:
        """Feed a part (a zip entry, or its bytes) through expat; no DTD, nothing fetched.

        Elements count against the workbook's budget; a ``counted`` start handler does that
        itself (with :meth:`element_budget`) to save a call per element.
        """
        # intern=None: pyexpat would otherwise keep every element and attribute name it sees.
        parser = expat.ParserCreate(namespace_separator="}", intern=None)
        parser.buffer_text = True
        parser.buffer_size = CHUNK
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartDoctypeDeclHandler = _refuse
        parser.EntityDeclHandler = _refuse
        parser.UnparsedEntityDeclHandler = _refuse
        parser.ExternalEntityRefHandler = _refuse
        budget = self.element_budget()
        count = 0
        names: set[str] = set()

        def counting_start(name: str, attrs: dict[str, str]) -> None:
            nonlocal count
            count += 1
            if count > budget:
                self.too_many_elements(part)
            if name not in names:
                names.add(name)
                if len(names) > MAX_NAMES:
                    self.too_many_names(part)
            start(name, attrs)

        parser.StartElementHandler = start if counted else counting_start
        if end is not None:
            parser.EndElementHandler = end
        if data is not None:
            parser.CharacterDataHandler = data
        try:
            if isinstance(source, bytes):
                parser.Parse(source, True)
            else:
                for chunk in self.chunks(source):
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
        except _DTDRefused:
            self.fail(f"part {part} contains a DTD; refusing (possible XML entity attack)")
        except (expat.ExpatError, LookupError) as exc:  # LookupError: an unknown encoding
            raise _NotWellFormed(
                f"{self.path}: part {part} is not well-formed XML ({_short(str(exc), 100)})"
            ) from None
        finally:
            self.elements += count

    def element_budget(self) -> int:
        """How many more XML elements the workbook may have."""
        return self.max_elements - self.elements

    def too_many_names(self, part: str) -> NoReturn:
        self.fail(f"part {part}: more than {MAX_NAMES} different XML element names; refusing")

    def too_many_elements(self, part: str) -> NoReturn:
        self.fail(f"part {part}: more than {self.max_elements} XML elements in the "
                  "workbook; refusing")

    def rels(self, part: str) -> dict[str, _Rel]:
        """The relationships of a part by id (empty when it has none)."""
        folder, base = posixpath.split(part)
        info = self.find(posixpath.join(folder, "_rels", base + ".rels"))
        rels: dict[str, _Rel] = {}
        if info is None:
            return rels

        def start(name: str, attrs: dict[str, str]) -> None:
            if _local(name) != "Relationship":
                return
            rid, target = attrs.get("Id"), attrs.get("Target")
            if rid is None or target is None:
                return
            kind = attrs.get("Type", "").rstrip("/").rpartition("/")[2]
            external = attrs.get("TargetMode", "").lower() == "external"
            self.keep("relationships")
            rels[rid] = _Rel(kind, target if external else _resolve(folder, target), external)

        self.parse(info.filename, info, start)
        return rels

    # -- the workbook -------------------------------------------------------------------

    def read(self) -> WorkbookContent:
        self.check_kind()
        types = self.content_types()
        has_macros = any("macroenabled" in t or "vbaproject" in t or "macrosheet" in t
                         for t in types) or any(n.endswith("vbaproject.bin") for n in self.parts)
        package = self.rels("")
        main = next((r.target for r in package.values() if r.type == "officeDocument"
                     and not r.external and self.find(r.target)), "xl/workbook.xml")
        if main.lower().endswith(".bin") or any("sheet.binary" in t for t in types):
            self.fail("binary workbook (.xlsb) is not supported; save it as .xlsx")
        info = self.find(main)
        if info is None:
            self.fail(f"missing {main} (not a workbook)")
        book = _parse_workbook(self, info)
        rels = self.rels(info.filename)
        strings = self.shared_strings(rels, info.filename)
        sheets: dict[str, SheetContent] = {}
        folded: set[str] = set()
        for name, state, rid in book.sheets:
            if name.lower() in folded:
                self.fail(f"two sheets are named '{_short(name)}'")
            folded.add(name.lower())
            rel = rels.get(rid or "")
            part = self.find(rel.target) if rel is not None and not rel.external else None
            if part is None:
                where = rel.target if rel is not None else f"relationship {rid}"
                self.fail(f"sheet '{_short(name)}': its part ({_short(where)}) is missing")
            sheets[name] = _SheetReader(self, part, name, state, strings).read()
        names: dict[str, str] = {}
        local_names: dict[tuple[str, str], str] = {}
        order = [name for name, _state, _rid in book.sheets]
        for name, scope, text in book.names:
            if scope is None:
                names[name] = text
            elif scope.isdigit() and int(scope) < len(order):
                local_names[(order[int(scope)], name)] = text
            else:
                self.fail(f"defined name '{_short(name)}' has localSheetId {_short(scope)} but "
                          f"the workbook has {len(order)} sheets")
        return WorkbookContent(
            path=self.path,
            sheets=sheets,
            names=names,
            local_names=local_names,
            calc_mode=book.calc_mode,
            external_links=self.external_links(rels),
            has_macros=has_macros,
            custom_properties=self.custom_properties(package),
        )

    def check_kind(self) -> None:
        """Name packages that are zips but not workbooks."""
        mimetype = self.find("mimetype")
        if mimetype is not None:
            kind = self.read_bytes(mimetype, 200).decode("ascii", "replace").strip()
            if kind.startswith("application/vnd.oasis.opendocument.spreadsheet"):
                self.fail("an OpenDocument spreadsheet (.ods), not an .xlsx; save it as .xlsx")
            if kind.startswith("application/vnd.oasis.opendocument"):
                self.fail(f"an OpenDocument file ({_short(kind)}), not an .xlsx")
        if self.find("[Content_Types].xml") is None:
            for part, kind in (("word/document.xml", "a Word document (.docx)"),
                               ("ppt/presentation.xml", "a PowerPoint file (.pptx)")):
                if self.find(part) is not None:
                    self.fail(f"{kind}, not an .xlsx")
            self.fail("missing [Content_Types].xml (a zip, but not an Office Open XML file)")

    def content_types(self) -> list[str]:
        """Every content type named in ``[Content_Types].xml``, lower-cased."""
        info = self.find("[Content_Types].xml")
        types: list[str] = []

        def start(name: str, attrs: dict[str, str]) -> None:
            if _local(name) in ("Default", "Override"):
                self.keep("content types")
                types.append(attrs.get("ContentType", "").lower())

        if info is not None:
            self.parse(info.filename, info, start)
        return types

    def shared_strings(self, rels: dict[str, _Rel], workbook: str) -> list[str]:
        """The shared string table: rich text runs joined, phonetic runs left out."""
        target = next((r.target for r in rels.values() if r.type == "sharedStrings"
                       and not r.external), None)
        info = self.find(target) or self.find(posixpath.join(posixpath.dirname(workbook),
                                                              "sharedStrings.xml"))
        strings: list[str] = []
        if info is None:
            return strings
        si, t, rph = _tags("si"), _tags("t"), _tags("rPh")
        text = _Text(self, info.filename)
        pieces: list[str] = []
        phonetic = False

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
                strings.append(_unescape("".join(pieces)))
                if len(strings) > self.max_cells:
                    self.fail(f"part {info.filename}: more than {self.max_cells} shared strings "
                              "(max_cells); refusing")
            elif name in rph:
                phonetic = False

        self.parse(info.filename, info, start, end, text.add)
        return strings

    def external_links(self, rels: dict[str, _Rel]) -> list[str]:
        links = []
        for rel in rels.values():
            if rel.type != "externalLink":
                continue
            if rel.external:
                links.append(rel.target)
                continue
            targets = [r.target for r in self.rels(rel.target).values() if r.external]
            links.append(targets[0] if targets else rel.target)
        return links

    def custom_properties(self, package: dict[str, _Rel]) -> dict[str, str]:
        """``docProps/custom.xml``: each property's name and its value as text."""
        target = next((r.target for r in package.values()
                       if r.type == "custom-properties" and not r.external), None)
        info = self.find(target) or self.find("docProps/custom.xml")
        props: dict[str, str] = {}
        if info is None:
            return props
        text = _Text(self, info.filename)
        current: str | None = None

        def start(name: str, attrs: dict[str, str]) -> None:
            nonlocal current
            if _local(name) == "property":
                current = attrs.get("name")
                text.start()

        def end(name: str) -> None:
            nonlocal current
            if _local(name) == "property" and current is not None:
                self.keep("custom properties")
                props[current] = text.take()
                current = None

        self.parse(info.filename, info, start, end, text.add)
        return props

    def count_comments(self, part: str, threaded: bool) -> set[str]:
        """The cells that a comments (or threaded comments) part comments on."""
        info = self.find(part)
        refs: set[str] = set()
        if info is None:
            return refs
        tag = "threadedComment" if threaded else "comment"

        def start(name: str, attrs: dict[str, str]) -> None:
            if _local(name) == tag and not (threaded and attrs.get("parentId")):
                self.keep("comments")
                refs.add(attrs.get("ref", f"#{len(refs)}").upper())

        self.parse(info.filename, info, start)
        return refs

    def count_drawings(self, part: str) -> int:
        """The drawing objects (pictures, charts, shapes) anchored in a drawing part."""
        info = self.find(part)
        if info is None:
            return 0
        state = {"count": 0, "fallback": 0}

        def start(name: str, attrs: dict[str, str]) -> None:
            local = _local(name)
            if local in ("twoCellAnchor", "oneCellAnchor", "absoluteAnchor"):
                if not state["fallback"]:
                    state["count"] += 1
            elif name == _MC + "Fallback":
                state["fallback"] += 1

        def end(name: str) -> None:
            if name == _MC + "Fallback":
                state["fallback"] -= 1

        self.parse(info.filename, info, start, end)
        return state["count"]


def _resolve(folder: str, target: str) -> str:
    """The part name a relationship target points at, from the folder of its source part."""
    target = target.replace("\\", "/")
    path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
    path = posixpath.normpath(path) if path else path
    return "" if path.startswith("../") or path in (".", "..") else path


@dataclass
class _Book:
    sheets: list[tuple[str, str, str | None]]  # name, state, relationship id
    names: list[tuple[str, str | None, str]]  # name, localSheetId, reference
    calc_mode: str | None


def _parse_workbook(reader: _Reader, info: zipfile.ZipInfo) -> _Book:
    """The sheets, defined names and calculation mode of ``xl/workbook.xml``."""
    book = _Book([], [], None)
    sheet, defined, calc = _tags("sheet"), _tags("definedName"), _tags("calcPr")
    text = _Text(reader, info.filename)
    name_attrs: tuple[str, str | None] | None = None

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal name_attrs
        if name in sheet:
            title = attrs.get("name")
            if not title:
                reader.fail(f"part {info.filename}: a sheet without a name")
            if len(book.sheets) >= MAX_SHEETS:
                reader.fail(f"part {info.filename}: more than {MAX_SHEETS} sheets; refusing")
            book.sheets.append((title, attrs.get("state", "visible"), _rel_id(attrs)))
        elif name in defined:
            name_attrs = (attrs.get("name", ""), attrs.get("localSheetId"))
            text.start()
        elif name in calc:
            book.calc_mode = attrs.get("calcMode")

    def end(name: str) -> None:
        nonlocal name_attrs
        if name in defined and name_attrs is not None:
            reference = text.take()
            reader.keep("defined names")
            book.names.append((*name_attrs, reference.removeprefix("=")))
            name_attrs = None

    reader.parse(info.filename, info, start, end, text.add)
    if not book.sheets:
        reader.fail(f"part {info.filename} lists no sheets")
    return book


class _Text:
    """The text of one element, collected from expat's character data, at most MAX_TEXT long."""

    def __init__(self, reader: _Reader, part: str) -> None:
        self.reader, self.part = reader, part
        self.pieces: list[str] = []
        self.size = 0
        self.on = False

    def start(self) -> None:
        self.pieces, self.size, self.on = [], 0, True

    def add(self, text: str) -> None:
        if self.on:
            self.pieces.append(text)
            self.size += len(text)
            if self.size > MAX_TEXT:
                self.reader.fail(f"part {self.part}: a text longer than {MAX_TEXT} characters")

    def take(self) -> str:
        self.on = False
        return "".join(self.pieces)


# ---------------------------------------------------------------------------------------
# One sheet.

# Sheet elements the general path acts on, by kind (one dict lookup per element).
(_K_C, _K_V, _K_F, _K_ROW, _K_IS, _K_T, _K_RPH, _K_PROTECTION, _K_DV, _K_FORMULA1, _K_DRAWING,
 _K_PICTURE, _K_SHEET_DATA, _K_X14_DV, _K_X14_FORMULA1, _K_XM_F, _K_XM_SQREF) = range(1, 18)
_SHEET_KINDS = {
    name: kind
    for kind, local in enumerate(
        ("c", "v", "f", "row", "is", "t", "rPh", "sheetProtection", "dataValidation", "formula1",
         "drawing", "picture", "sheetData"),
        start=1,
    )
    for name in _tags(local)
}
_SHEET_KINDS.update({
    _X14 + "dataValidation": _K_X14_DV,
    _X14 + "formula1": _K_X14_FORMULA1,
    _XM + "f": _K_XM_F,
    _XM + "sqref": _K_XM_SQREF,
})
_TRUE = ("1", "true")
_NO_ATTRS: dict[str, str] = {}


class _SheetReader:
    """Read one sheet part: cells, rows, protection, validations, drawings."""

    def __init__(self, reader: _Reader, info: zipfile.ZipInfo, name: str, state: str,
                 strings: list[str]) -> None:
        self.reader = reader
        self.info = info
        self.strings = strings
        self.sheet = SheetContent(name=name, state=state)
        self.drawing_ids: list[str] = []
        self.picture = False
        self.saw_sheet_data = False
        self.masters: dict[str, list[Any]] = {}  # shared formula id -> row, col, text, template
        self.last = 0  # row-major position of the last cell, to notice cells out of order
        self.fast_pos = 0  # where the fast path is in <sheetData> when it stores a cell

    def fail(self, reason: str) -> NoReturn:
        self.reader.fail(f"sheet '{_short(self.sheet.name)}' ({self.info.filename}): {reason}")

    def read(self) -> SheetContent:
        self.parse_part()
        sheet = self.sheet
        rels = self.reader.rels(self.info.filename)
        commented: set[str] = set()
        for rel in rels.values():
            if rel.external:
                continue
            if rel.type == "comments":
                commented |= self.reader.count_comments(rel.target, threaded=False)
            elif rel.type == "threadedComment":
                commented |= self.reader.count_comments(rel.target, threaded=True)
        sheet.comments = len(commented)
        for rid in self.drawing_ids:
            rel = rels.get(rid)
            if rel is not None and not rel.external:
                sheet.drawings += self.reader.count_drawings(rel.target)
        sheet.drawings += self.picture
        return sheet

    def parse_part(self) -> None:
        """Read the part: the fast path when its cells are plain, else expat throughout."""
        reader = self.reader
        if self.info.file_size > FAST_PART_BYTES:
            self.parse_xml(self.info)
            return
        data = b"".join(reader.chunks(self.info))
        split = _split_sheet_data(data)
        if split is None:
            self.parse_xml(data)
            return
        del data  # keep one copy of the cells in memory, not three
        outer, region = split
        del split
        try:
            text: str | None = region.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        del region
        spent = reader.cells, reader.elements, reader.inflated, reader.items, reader.shared_text
        if text is not None and self.parse_fast(outer, text):
            return
        reader.cells, reader.elements, reader.inflated, reader.items, reader.shared_text = spent
        self.sheet = SheetContent(name=self.sheet.name, state=self.sheet.state)
        self.drawing_ids, self.picture, self.masters, self.last = [], False, {}, 0
        self.parse_xml(self.info)

    # -- storing one cell (both paths) --------------------------------------------------

    def store(self, key: str, row: int, col: int, ctype: str, f_attrs: dict[str, str] | None,
              f_text: str | None, v_text: str | None, inline: list[str] | None) -> None:
        """Record one ``<c>``: a formula (with its cached value), a constant or an error."""
        reader = self.reader
        reader.cells += 1
        if reader.cells > reader.max_cells:
            self.fail(f"more than {reader.max_cells} cells in the workbook (max_cells); refusing")
        sheet = self.sheet
        position = row * 16_385 + col
        if position <= self.last:  # out of order or repeated: the last one wins
            sheet.values.pop(key, None)
            sheet.formulas.pop(key, None)
            sheet.cached.pop(key, None)
            sheet.errors.pop(key, None)
        self.last = position
        if f_attrs is not None:
            sheet.formulas[key] = self.formula(key, row, col, f_attrs, f_text)
            sheet.cached[key] = (
                None if v_text is None else self.value(key, ctype, v_text, inline, True)
            )
        elif ctype == "inlineStr":
            if inline is not None:
                sheet.values[key] = _unescape("".join(inline))
        elif v_text:
            if ctype == "n":
                sheet.values[key] = self.number(key, v_text)
            elif ctype == "e":
                sheet.errors[key] = v_text
            else:
                sheet.values[key] = self.value(key, ctype, v_text, inline, False)

    def number(self, key: str, text: str) -> float:
        try:
            number = float(text)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            self.fail(f"cell {key}: {_short(text)!r} is not a number")
        return number

    def value(self, key: str, ctype: str, text: str, inline: list[str] | None,
              formula: bool) -> object:
        """The value of a ``<v>`` of cell type ``ctype`` (a cached value when ``formula``)."""
        if ctype == "n":
            return self.number(key, text) if text else None
        if ctype == "str":
            return text if formula or text else None
        if ctype == "s":
            index = int(text) if text.isdecimal() and len(text) < 10 else -1
            if 0 <= index < len(self.strings):
                return self.strings[index]
            self.fail(f"cell {key}: shared string {_short(text)!r} does not exist "
                      f"(the table has {len(self.strings)})")
        if ctype == "b":
            if text in _TRUE:
                return True
            if text in ("0", "false"):
                return False
            self.fail(f"cell {key}: {_short(text)!r} is not a boolean")
        if ctype == "e":
            return ErrorValue(text)
        if ctype == "d":
            try:
                text = text.strip()
                return dt.datetime.fromisoformat(text[:-1] + "+00:00" if text[-1:] == "Z" else text)
            except ValueError:
                self.fail(f"cell {key}: {_short(text)!r} is not an ISO 8601 date")
        if ctype == "inlineStr":
            return _unescape("".join(inline)) if inline is not None else text
        self.fail(f"cell {key}: unknown cell type {_short(ctype)!r}")

    def formula(self, key: str, row: int, col: int, attrs: dict[str, str],
                text: str | None) -> str:
        """The formula of a cell, shared formulas translated from their master cell."""
        kind = attrs.get("t")
        if kind == "shared":
            si = attrs.get("si", "")
            master = self.masters.get(si)
            if master is not None:
                if master[3] is None:
                    master[3] = _template(master[2])
                formula = "=" + _shift(master[3], row - master[0], col - master[1])
                self.reader.shared_text += len(formula)
                if self.reader.shared_text > MAX_SHARED_FORMULA_TEXT:
                    self.fail(f"cell {key}: shared formulas expand past "
                              f"{MAX_SHARED_FORMULA_TEXT} characters; refusing")
                return formula
            if not text:
                self.fail(f"cell {key}: shared formula {_short(si)} has no master cell before it")
            self.masters[si] = [row, col, text, None]
        elif kind == "dataTable":
            r1, r2 = attrs.get("r1", ""), attrs.get("r2", "")
            if attrs.get("dt2D") in _TRUE:
                return f"=TABLE({r1},{r2})"
            return f"=TABLE({r1},)" if attrs.get("dtr") in _TRUE else f"=TABLE(,{r1})"
        return "=" + (text or "")

    def address(self, ref: str) -> tuple[int, int, str]:
        """Row, column and canonical key of a cell reference that is not plain ``C8``."""
        m = _CELL_SLOW(ref)
        col = _COL_INDEX.get(m[1].upper(), 0) if m else 0
        if not col:
            self.fail(f"cell reference {_short(ref)!r} is not a cell address")
        row = int(m[2])
        if row > MAX_ROW:
            self.fail(f"cell reference {_short(ref)} is outside the sheet")
        return row, col, _COLS[col] + str(row)

    # -- the general path: expat callbacks ----------------------------------------------

    def parse_xml(self, source: zipfile.ZipInfo | bytes) -> None:
        """Parse the part (streamed, or bytes in memory) with expat; reads any valid XML."""
        sheet = self.sheet
        reader = self.reader
        store = self.store
        kinds = _SHEET_KINDS
        fast, col_index, cols = _CELL_FAST, _COL_INDEX, _COLS
        buf: list[str] = []
        # The cell being read: key, row, column, type, <f> attributes and text, <v> text, <is>.
        key = ""
        row = col = 0
        ctype = "n"
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
        elements, element_limit = 0, reader.element_budget()
        other_names: set[str] = set()

        def start(name: str, attrs: dict[str, str]) -> None:
            nonlocal key, row, col, ctype, f_attrs, f_text, v_text, inline, collecting, size
            nonlocal row_number, col_number, phonetic, in_inline, in_x14_formula
            nonlocal dv_attrs, dv_formula, dv_sqref, elements
            elements += 1
            if elements > element_limit:
                reader.too_many_elements(self.info.filename)
            kind = kinds.get(name)
            if kind is None:
                if name not in other_names:
                    other_names.add(name)
                    if len(other_names) > MAX_NAMES:
                        reader.too_many_names(self.info.filename)
                return
            if kind == _K_C:
                ref = attrs.get("r")
                if ref:
                    m = fast(ref)
                    col = col_index.get(m[1], 0) if m else 0
                    if col:
                        row = int(m[2])
                        key = ref
                        if row > MAX_ROW:
                            self.fail(f"cell reference {_short(ref)} is outside the sheet")
                    else:
                        row, col, key = self.address(ref)
                else:  # no reference: the next column of the row, as openpyxl reads it
                    row, col = row_number, col_number + 1
                    if col > MAX_COL or not row:
                        self.fail(f"a cell without a reference in row {row} lies outside the sheet")
                    key = cols[col] + str(row)
                col_number = col
                ctype = attrs.get("t", "n")
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
                elif ref.isdecimal() and len(ref) <= 7:
                    row_number = int(ref)
                else:
                    self.fail(f"row number {_short(ref)!r} is not a row number")
                if not 1 <= row_number <= MAX_ROW:
                    self.fail(f"row {row_number} is outside the sheet")
                col_number = 0
                if attrs.get("hidden") in _TRUE:
                    reader.keep("hidden rows")
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
            elif kind == _K_PROTECTION:
                sheet.protected = attrs.get("sheet") in _TRUE
            elif kind in (_K_DV, _K_X14_DV):
                dv_attrs, dv_formula, dv_sqref = attrs, None, attrs.get("sqref")
            elif kind == _K_SHEET_DATA:
                self.saw_sheet_data = True
            elif dv_attrs is None:
                if kind == _K_DRAWING:
                    rid = _rel_id(attrs)
                    if rid:
                        reader.keep("drawings")
                        self.drawing_ids.append(rid)
                elif kind == _K_PICTURE:
                    self.picture = True
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
                reader.keep("data validations")
                sheet.validations.append(Validation(
                    sqref=dv_sqref or "", type=dv_attrs.get("type"),
                    operator=dv_attrs.get("operator"), formula1=dv_formula,
                ))
                dv_attrs = None

        def data(text: str) -> None:
            nonlocal size
            if collecting:
                buf.append(text)
                size += len(text)
                if size > MAX_TEXT:
                    self.fail(f"a text longer than {MAX_TEXT} characters")

        try:
            reader.parse(self.info.filename, source, start, end, data, counted=True)
        finally:
            reader.elements += elements

    # -- the fast path: plain <sheetData> read with regular expressions ---------------

    def parse_fast(self, outer: bytes, text: str) -> bool:
        """Read a part whose ``<sheetData>`` element (``text``) is in the plain form most
        writers produce.

        The rest of the part (``outer``, with an empty ``<sheetData/>``) goes through
        :meth:`parse_xml`; the cells are read with regular expressions that must account for
        every character of ``text``, which expat then checks is well-formed XML. False when
        it is not plain enough; the caller then forgets what was read and parses the whole
        part with expat.
        """
        try:
            self.parse_xml(outer)
        except _NotWellFormed:
            return False  # the general path names the line and column in the part itself
        if not self.saw_sheet_data:
            return False
        try:
            plain = self.fast_cells(text)
        except ReadError:
            # A bad cell: report it, unless the XML before it is broken (then expat says so).
            if _well_formed(text[: self.fast_pos], final=False):
                raise
            return False
        return plain and _well_formed(text)

    def fast_cells(self, text: str) -> bool:
        """Store the cells of a ``<sheetData>`` element; False when one is not plain.

        Numbers, shared strings and formulas of no special type with a number (or nothing)
        cached are stored here directly; every other cell goes through :meth:`store`, as in the
        general path.
        """
        store, col_index, strings, reader = self.store, _COL_INDEX, self.strings, self.reader
        sheet = self.sheet
        values, formulas, cached, hidden_rows = (
            sheet.values, sheet.formulas, sheet.cached, sheet.hidden_rows)
        begin, stop = text.index(">") + 1, len(text) - len("</sheetData>")
        pos, depth, row_number = begin, 0, 0
        cells, limit, last = reader.cells, reader.max_cells, self.last
        for m in _FAST_CELL.finditer(text, begin, stop):
            start = m.start()
            if start != pos:
                gap = _ROW_GAP(text, pos, start)  # the usual "</row><row r=...>"
                if (gap is not None and depth == 1 and "'" not in gap[2]
                        and not gap[2].endswith("/")):
                    row_number = int(gap[1])
                    if not 1 <= row_number <= MAX_ROW:
                        return False
                    if "hidden" in gap[2] and _ROW_HIDDEN.search(gap[2]):
                        reader.keep("hidden rows")
                        hidden_rows.add(row_number)
                else:
                    depth, row_number = _fast_rows(text, pos, start, depth, row_number,
                                                   hidden_rows, reader.keep)
            if depth != 1:
                return False
            pos = m.end()
            letters, digits, ctype, f_raw, f_text, v_text, v_empty, inline = m.groups()
            col = col_index.get(letters)
            row = int(digits)
            if col is None or row > MAX_ROW:
                return False
            position = row * 16_385 + col
            key = letters + digits
            if (position > last and cells < limit and inline is None
                    and (v_text is None or "&" not in v_text)):
                if f_raw is None:
                    if v_text:
                        if ctype is None or ctype == "n":
                            try:
                                number = float(v_text)
                            except ValueError:
                                number = math.nan
                            if number - number == 0:
                                values[key] = number
                                cells += 1
                                last = position
                                continue
                        elif (ctype == "s" and v_text.isdecimal() and len(v_text) < 10
                              and int(v_text) < len(strings)):
                            values[key] = strings[int(v_text)]
                            cells += 1
                            last = position
                            continue
                elif (not f_raw or "t=" not in f_raw) and (ctype is None or ctype == "n"):
                    # A plain formula (LibreOffice adds aca="false", which changes nothing).
                    result: float | None = None
                    if v_text:
                        try:
                            result = float(v_text)
                        except ValueError:
                            result = math.nan
                    if result is None or result - result == 0:
                        formulas[key] = "=" + _xml_text(f_text) if f_text else "="
                        cached[key] = result
                        cells += 1
                        last = position
                        continue
            # Anything else: the general rules.
            reader.cells, self.last, self.fast_pos = cells, last, pos
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
            store(key, row, col, ctype or "n", f_attrs, f_text, v_text,
                  None if inline is None else [_xml_text(inline)])
            cells, last = reader.cells, self.last
        reader.cells, self.last = cells, last
        depth, row_number = _fast_rows(text, pos, stop, depth, row_number, hidden_rows,
                                       reader.keep)
        return depth == 0


_FAST_CELL = re.compile(
    r'<c r="([A-Z]{1,3})([1-9][0-9]{0,6})"(?: s="[0-9]{1,9}")?(?: t="([A-Za-z]{1,9})")?\s*'
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


def _fast_rows(text: str, pos: int, stop: int, depth: int, row_number: int,
               hidden_rows: set[int], keep: Callable[[str], None]) -> tuple[int, int]:
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
        elif r[1].isdecimal() and len(r[1]) <= 7:
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


def _split_sheet_data(data: bytes) -> tuple[bytes, bytes] | None:
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
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    step = 1 << 20
    try:
        for start in range(0, len(text), step):
            parser.Parse(text[start : start + step], False)
        if final:
            parser.Parse("", True)
    except (expat.ExpatError, _DTDRefused):
        return False
    return True


# ---------------------------------------------------------------------------------------
# Messages.

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\x85]+")


def _one_line(text: str) -> str:
    return _CONTROL.sub(" ", text)


def _short(text: str, limit: int = 60) -> str:
    """A piece of file-supplied text short enough for a one-line message."""
    text = _one_line(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"

