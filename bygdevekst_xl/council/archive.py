"""What makes the council PDF an archive copy (PDF/A-2b) as far as reportlab can take it.

Reportlab's open-source edition has no PDF/A switch (that is in ReportLab PLUS), but it gives
the parts: TrueType fonts embedded as subsets (``fonts``), a document language (``/Lang``), an
XMP metadata stream (``pdfdoc.XMP``) and catalog entries. This module adds the rest PDF/A-2b
asks for: the XMP packet that declares PDF/A-2b and repeats the title, author, subject,
keywords, producer, tool and dates of the document information exactly, and an output intent
with an sRGB ICC profile (made by Pillow's littleCMS, which reportlab already depends on, with
a fixed date so the bytes stay the same). A PDF is only declared PDF/A when its fonts are
embedded and the profile could be made. No validator (veraPDF) runs here: the tests check the
parts with poppler (``pdffonts``, ``pdfinfo -meta``), not conformance as a whole.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from typing import Any
from xml.sax.saxutils import escape

from ..dataclass import dataclass

PDF_VERSION = (1, 7)  # PDF/A-2 rests on ISO 32000-1, that is PDF 1.7
SRGB = "sRGB IEC61966-2.1"
ICC_DATE = bytes.fromhex("07d000010001000000000000")  # 2000-01-01 00:00:00


@dataclass(frozen=True)
class Described:
    """What the document says about itself, in its information and its XMP packet."""

    title: str
    author: str
    subject: str
    keywords: str
    creator: str
    language: str
    date: dt.date


def srgb_profile() -> bytes | None:
    """An sRGB ICC profile with a fixed date, or None when Pillow has no littleCMS."""
    try:
        from PIL import ImageCms
    except ImportError:
        return None
    try:
        data = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    except (OSError, ValueError, ImageCms.PyCMSError):
        return None
    data[24:36] = ICC_DATE
    data[84:100] = bytes(16)  # no profile ID (its MD5 would cover the date)
    return bytes(data)


def pdf_date(day: dt.date) -> str:
    """``D:20231122120000+00'00'``: noon UTC on ``day`` (the information's date form)."""
    return f"D:{day:%Y%m%d}120000+00'00'"


def make_archival(canvas: Any, described: Described, profile: bytes | None) -> bool:
    """Date the document ``described.date``, add its XMP packet and, with ``profile``, the
    sRGB output intent and the PDF/A-2b claim. Returns whether the PDF claims PDF/A-2b."""
    from reportlab.pdfbase.pdfdoc import (
        PDFArray,
        PDFCatalog,
        PDFDictionary,
        PDFName,
        PDFStream,
        PDFString,
    )

    class ArchiveCatalog(PDFCatalog):
        """Reportlab's catalog, with the output intents PDF/A asks for."""

        __NoDefault__ = (*PDFCatalog.__NoDefault__, "OutputIntents")

    document = canvas._doc
    stamp = pdf_date(described.date)
    document.info._dateFormatter = lambda *_: stamp
    claims = profile is not None
    if profile is not None:
        icc = PDFStream(PDFDictionary({"N": 3}), profile)
        intent = PDFDictionary(
            {
                "Type": PDFName("OutputIntent"),
                "S": PDFName("GTS_PDFA1"),
                "OutputConditionIdentifier": PDFString(SRGB),
                "Info": PDFString(SRGB),
                "RegistryName": PDFString("http://www.color.org"),
                "DestOutputProfile": document.Reference(icc),
            }
        )
        document.Catalog.__class__ = ArchiveCatalog
        document.Catalog.OutputIntents = PDFArray([intent])
    document.Catalog.Metadata = _metadata_class()(described, claims)
    return claims


def _metadata_class() -> type:
    """A metadata stream written as it is: no filter, ``Length`` in bytes, an end of line
    before ``endstream`` (reportlab's ``XMP`` adds an empty filter and counts characters)."""
    from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFObject, format

    class Metadata(PDFObject):
        def __init__(self, described: Described, claims: bool) -> None:
            self.described, self.claims = described, claims

        def format(self, document: Any) -> bytes:
            packet = xmp_packet(self.described, document.info.producer, self.claims)
            content = packet.encode("utf-8")
            head = PDFDictionary(
                {"Type": PDFName("Metadata"), "Subtype": PDFName("XML"), "Length": len(content)}
            )
            return format(head, document) + b"\nstream\n" + content + b"\nendstream\n"

    return Metadata


@contextlib.contextmanager
def eol_before_endstream() -> Iterator[None]:
    """During one build, an end of line before every ``endstream``.

    PDF/A (ISO 19005-2, 6.1.7.1) wants one there; reportlab writes a binary stream straight up
    to the keyword. The stream's ``Length`` (its own bytes) stays right, and the offsets of the
    cross-reference table are counted from what is written, so they follow.
    """
    from reportlab.pdfbase.pdfdoc import PDFStream

    original = PDFStream.format
    tail = b"endstream\n"

    def format_with_eol(self: Any, document: Any) -> bytes:
        out = original(self, document)
        if out.endswith(tail) and not out.endswith(b"\n" + tail):
            out = out[: -len(tail)] + b"\n" + tail
        return out

    PDFStream.format = format_with_eol
    try:
        yield
    finally:
        PDFStream.format = original


def xmp_packet(described: Described, producer: str, pdfa: bool) -> str:
    """The XMP packet: the document information again, and the PDF/A-2b claim when ``pdfa``."""
    d = described
    when = f"{d.date:%Y-%m-%d}T12:00:00+00:00"
    claim = (
        '<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">'
        "<pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>"
        "</rdf:Description>"
        if pdfa
        else ""
    )
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        f"{claim}"
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        "<dc:format>application/pdf</dc:format>"
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{_x(d.title)}</rdf:li></rdf:Alt></dc:title>'
        f"<dc:creator><rdf:Seq><rdf:li>{_x(d.author)}</rdf:li></rdf:Seq></dc:creator>"
        f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{_x(d.subject)}</rdf:li>'
        "</rdf:Alt></dc:description>"
        f"<dc:language><rdf:Bag><rdf:li>{_x(d.language)}</rdf:li></rdf:Bag></dc:language>"
        "</rdf:Description>"
        '<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">'
        f"<pdf:Producer>{_x(producer)}</pdf:Producer><pdf:Keywords>{_x(d.keywords)}</pdf:Keywords>"
        "</rdf:Description>"
        '<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">'
        f"<xmp:CreatorTool>{_x(d.creator)}</xmp:CreatorTool>"
        f"<xmp:CreateDate>{when}</xmp:CreateDate><xmp:ModifyDate>{when}</xmp:ModifyDate>"
        f"<xmp:MetadataDate>{when}</xmp:MetadataDate>"
        "</rdf:Description>"
        "</rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>'
    )


def _x(text: str) -> str:
    return escape(text, {'"': "&quot;"})
