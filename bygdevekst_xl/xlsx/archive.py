"""The zip container of an .xlsx: what the file is, and its parts inflated within limits.

Before ``zipfile`` sees the file: a regular, non-empty file starting like a zip, else a
one-line account of what it is instead (legacy .xls, an encrypted workbook, PDF, HTML, XML,
CSV); the end record's entry count and central directory size checked. Then each part is
found case-insensitively (a name given twice is refused, and any method but stored and
deflate) and inflated in chunks with its declared size, its compression ratio
and the bytes actually inflated (per part and in all) checked against the limits; zips that are
OpenDocument, Word or PowerPoint files are named as such.
"""

from __future__ import annotations

import lzma
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote

from .content import ReadError, short
from .limits import Budget, Limits

CHUNK = 1 << 16  # bytes inflated (and given to expat) at a time
ACCEPTED_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
"""Compression methods read; bzip2 and LZMA inflate a whole read at once, past the counters."""

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_NAMES = ("EncryptionInfo", "EncryptedPackage")
"""The streams of an encrypted OOXML package (UTF-16 names in the OLE2 directory)."""
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    lzma.LZMAError,
    EOFError,
    OSError,
    RuntimeError,
    NotImplementedError,
    struct.error,
    ValueError,
    IndexError,
    OverflowError,
)


@contextmanager
def open_zip(path: Path, limits: Limits) -> Iterator[zipfile.ZipFile]:
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
        _check_directory(path, handle, info.st_size, limits)
        handle.seek(0)
        try:
            archive = zipfile.ZipFile(handle)
        except ZIP_ERRORS as exc:
            raise ReadError(f"{path}: damaged or truncated zip ({short(str(exc), 100)})") from None
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
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if head.startswith(bom):
            return head[len(bom) :].decode(codec, "replace")
    if b"\x00" in head:
        return None
    text = head.decode("utf-8", "replace")
    printable = sum(ch.isprintable() or ch in "\t\r\n" for ch in text)
    return text if printable >= 0.95 * len(text) else None


def _ole_is_encrypted(handle: BinaryIO) -> bool:
    """Whether an OLE2 compound file holds the streams of an encrypted OOXML package."""
    import mmap  # here: only a file that is not a zip gets this far

    try:
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
            return all(data.find(name.encode("utf-16-le")) >= 0 for name in _ENCRYPTED_NAMES)
    except (OSError, ValueError):
        return False


def _check_directory(path: Path, handle: BinaryIO, size: int, limits: Limits) -> None:
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
    if entries > limits.max_entries:
        raise ReadError(f"{path}: zip declares {entries} entries (more than {limits.max_entries})")
    if directory > limits.max_central_directory:
        raise ReadError(f"{path}: zip central directory of {directory} bytes is too large")


class Package(Budget):
    """One read of one zip: its parts by lower-cased name, inflated within the budget."""

    def __init__(self, path: Path, archive: zipfile.ZipFile, limits: Limits) -> None:
        super().__init__(path, limits)
        self.zip = archive
        infos = archive.infolist()
        if len(infos) > limits.max_entries:
            self.fail(f"zip has {len(infos)} entries (more than {limits.max_entries})")
        self.entries: dict[str, zipfile.ZipInfo] = {}
        decoded: set[str] = set()
        for info in infos:
            name = info.filename
            key, plain = name.lower(), unquote(name).lower()
            if key in self.entries or plain in decoded:
                # Readers differ on which copy counts (zipfile, openpyxl and LibreOffice take
                # the last, a scan the first): refuse rather than see another workbook.
                self.fail(f"zip holds the entry {short(name)} twice (names compared ignoring case)")
            if info.compress_type not in ACCEPTED_METHODS:
                self.fail(
                    f"entry {short(name)} uses compression method {info.compress_type}; "
                    "only stored and deflate (as Excel writes) are accepted"
                )
            self.entries[key] = info
            decoded.add(plain)

    def find(self, name: str | None) -> zipfile.ZipInfo | None:
        """The zip entry of a part name (case-insensitive, percent-encoded or not)."""
        if not name:
            return None
        info = self.entries.get(name.lower())
        if info is None and "%" in name:
            info = self.entries.get(unquote(name).lower())
        return info

    def chunks(self, info: zipfile.ZipInfo) -> Iterator[bytes]:
        """The inflated bytes of a part, in chunks, within the size and ratio limits."""
        name = info.filename
        limits = self.limits
        max_part, max_total = limits.max_part_bytes, limits.max_total_bytes
        if info.file_size > max_part:
            self.fail(
                f"part {name} declares {info.file_size} bytes uncompressed "
                f"(limit {max_part}); refusing (possible zip bomb)"
            )
        if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(
            info.compress_size, 1
        ):
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
                    if size > max_part:
                        self.fail(
                            f"part {name} inflates past {max_part} bytes; refusing "
                            "(possible zip bomb)"
                        )
                    if self.inflated > max_total:
                        self.fail(
                            f"parts inflate past {max_total} bytes in all; refusing "
                            "(possible zip bomb)"
                        )
                    yield chunk
        except ReadError:
            raise
        except ZIP_ERRORS as exc:
            self.fail(f"part {name} is damaged ({short(str(exc), 100)})")

    def read_bytes(self, info: zipfile.ZipInfo, limit: int) -> bytes:
        """The first ``limit`` inflated bytes of a part."""
        data = bytearray()
        for chunk in self.chunks(info):
            data += chunk
            if len(data) > limit:
                break
        return bytes(data[:limit])

    def check_kind(self) -> None:
        """Name packages that are zips but not workbooks."""
        mimetype = self.find("mimetype")
        if mimetype is not None:
            kind = self.read_bytes(mimetype, 200).decode("ascii", "replace").strip()
            if kind.startswith("application/vnd.oasis.opendocument.spreadsheet"):
                self.fail("an OpenDocument spreadsheet (.ods), not an .xlsx; save it as .xlsx")
            if kind.startswith("application/vnd.oasis.opendocument"):
                self.fail(f"an OpenDocument file ({short(kind)}), not an .xlsx")
        if self.find("[Content_Types].xml") is None:
            for part, kind in (
                ("word/document.xml", "a Word document (.docx)"),
                ("ppt/presentation.xml", "a PowerPoint file (.pptx)"),
            ):
                if self.find(part) is not None:
                    self.fail(f"{kind}, not an .xlsx")
            self.fail("missing [Content_Types].xml (a zip, but not an Office Open XML file)")
