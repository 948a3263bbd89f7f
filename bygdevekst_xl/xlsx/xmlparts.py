"""The XML of the package's parts, read with expat under the read's limits.

Expat with callbacks (no tree is built, so memory does not grow with the XML). A DOCTYPE is
refused as soon as expat sees it (before any entity is declared, the same guard as
defusedxml's ``forbid_dtd``); nothing is fetched or expanded. Elements count against the
workbook's budget, and the different element names of one part are capped (expat keeps each).
Also here: the namespaces of element names, relationships, and the text of an element.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Callable
from typing import NamedTuple, NoReturn
from xml.parsers import expat

from .archive import CHUNK, Package
from .content import ReadError, short

# Element names arrive from expat as "uri}local" (or "local" without a namespace).
MAIN = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main}",
    "http://purl.oclc.org/ooxml/spreadsheetml/main}",
    "",
)
X14 = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main}"
XM = "http://schemas.microsoft.com/office/excel/2006/main}"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006}"
REL_NS = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships}",
    "http://purl.oclc.org/ooxml/officeDocument/relationships}",
)


def tags(*locals_: str) -> dict[str, str]:
    """Map each main-namespace name (transitional, strict or none) to its local name."""
    return {ns + name: name for ns in MAIN for name in locals_}


def rel_id(attrs: dict[str, str]) -> str | None:
    """The ``r:id`` attribute in either namespace."""
    for ns in REL_NS:
        value = attrs.get(ns + "id")
        if value is not None:
            return value
    return None


def local(name: str) -> str:
    """The local part of an element name from expat."""
    return name.rpartition("}")[2]


_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def unescape(text: str) -> str:
    """Undo the ``_xHHHH_`` escapes of OOXML strings (``_x000D_`` is a carriage return)."""
    return _ESCAPE.sub(lambda m: chr(int(m[1], 16)), text) if "_x" in text else text


class Rel(NamedTuple):
    """One relationship of a part."""

    type: str  # the last segment of the relationship type, e.g. "worksheet"
    target: str  # a part name, or the raw target of an external relationship
    external: bool


def resolve(folder: str, target: str) -> str:
    """The part name a relationship target points at, from the folder of its source part."""
    target = target.replace("\\", "/")
    path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
    path = posixpath.normpath(path) if path else path
    return "" if path.startswith("../") or path in (".", "..") else path


class DTDRefused(Exception):
    """Raised by :func:`refuse` inside expat: the part declares a DTD or an entity."""


class NotWellFormed(ReadError):
    """Expat's error; its line and column are those of what expat was given."""


def refuse(*_args: object) -> NoReturn:
    """Expat handler for DTDs and entity declarations: stop the parse."""
    raise DTDRefused


def hardened_parser() -> expat.XMLParserType:
    """An expat parser that refuses DTDs and entity declarations (:func:`refuse` raises
    :class:`DTDRefused`) and fetches nothing; names arrive as ``uri}local``; text buffered.

    The one hardened setup for every XML this package reads (workbook parts, SAF-T ledgers).
    """
    # intern=None: pyexpat would otherwise keep every element and attribute name it sees.
    parser = expat.ParserCreate(namespace_separator="}", intern=None)
    parser.buffer_text = True
    parser.buffer_size = CHUNK
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    return parser


class Parts(Package):
    """A package whose parts are read as XML: the expat parse, and relationships."""

    date_styles: frozenset[str] = frozenset()
    """The cell styles that show a number as a date (see :mod:`.styles`)."""

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
        parser = hardened_parser()
        budget = self.element_budget()
        max_names = self.limits.max_names
        count = 0
        names: set[str] = set()

        def counting_start(name: str, attrs: dict[str, str]) -> None:
            nonlocal count
            count += 1
            if count > budget:
                self.too_many_elements(part)
            if name not in names:
                names.add(name)
                if len(names) > max_names:
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
        except DTDRefused:
            self.fail(f"part {part} contains a DTD; refusing (possible XML entity attack)")
        except (expat.ExpatError, LookupError) as exc:  # LookupError: an unknown encoding
            raise NotWellFormed(
                f"{self.path}: part {part} is not well-formed XML ({short(str(exc), 100)})"
            ) from None
        finally:
            self.elements += count

    def element_budget(self) -> int:
        """How many more XML elements the workbook may have."""
        return self.limits.max_elements - self.elements

    def too_many_names(self, part: str) -> NoReturn:
        """Refuse a part with more than max_names different element names."""
        self.fail(
            f"part {part}: more than {self.limits.max_names} different XML element names; refusing"
        )

    def too_many_elements(self, part: str) -> NoReturn:
        """Refuse a workbook with more than max_elements XML elements."""
        self.fail(
            f"part {part}: more than {self.limits.max_elements} XML elements in the "
            "workbook; refusing"
        )

    def rels(self, part: str) -> dict[str, Rel]:
        """The relationships of a part by id (empty when it has none)."""
        folder, base = posixpath.split(part)
        info = self.find(posixpath.join(folder, "_rels", base + ".rels"))
        rels: dict[str, Rel] = {}
        if info is None:
            return rels

        def start(name: str, attrs: dict[str, str]) -> None:
            if local(name) != "Relationship":
                return
            rid, target = attrs.get("Id"), attrs.get("Target")
            if rid is None or target is None:
                return
            kind = attrs.get("Type", "").rstrip("/").rpartition("/")[2]
            external = attrs.get("TargetMode", "").lower() == "external"
            self.keep("relationships")
            rels[rid] = Rel(kind, target if external else resolve(folder, target), external)

        self.parse(info.filename, info, start)
        return rels


class Text:
    """The text of one element, collected from expat's character data, at most max_text long."""

    def __init__(self, reader: Parts, part: str) -> None:
        self.reader, self.part = reader, part
        self.limit = reader.limits.max_text
        self.pieces: list[str] = []
        self.size = 0
        self.on = False

    def start(self) -> None:
        """Collect from now on, afresh."""
        self.pieces, self.size, self.on = [], 0, True

    def add(self, text: str) -> None:
        """Expat's character data handler: keep ``text`` while collecting."""
        if self.on:
            self.pieces.append(text)
            self.size += len(text)
            if self.size > self.limit:
                self.reader.fail(f"part {self.part}: a text longer than {self.limit} characters")

    def take(self) -> str:
        """Stop collecting; the text collected."""
        self.on = False
        return "".join(self.pieces)
