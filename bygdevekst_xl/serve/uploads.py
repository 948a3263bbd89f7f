"""Uploads: a multipart body streamed to a private temporary folder, bounded, removed after.

The body is never held in memory: python-multipart's streaming parser hands each piece of a
file to :class:`Received`, which appends it to a file in a folder only this process can read
(``tempfile.mkdtemp``: mode 0700) and counts every byte. Past :data:`MAX_UPLOAD_BYTES` (or
more files or fields than a page sends) the upload is refused with :class:`UploadRefused`
before another byte is read. :func:`received` removes the folder when the request is done,
whatever happened.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import tempfile
import unicodedata
from collections.abc import AsyncIterator
from pathlib import Path
from typing import IO, Any

from ..dataclass import dataclass, field
from ..xlsx.limits import DEFAULT_LIMITS

MAX_UPLOAD_BYTES = DEFAULT_LIMITS.fast_part_bytes
"""Bytes of one request's body, from the reader's limits: its ``fast_part_bytes`` (64 MB), the
largest sheet part it reads whole. A budget workbook is well under 1 MB, and the largest the
reader takes (``max_cells`` = 100 000 cells) about 5 MB."""
MAX_FILES = 2
"""Files in one request: a workbook, and a second workbook or a spec."""
MAX_FIELDS = 20
MAX_FIELD_BYTES = 2 << 20
"""Bytes of one text field (a spec posted as JSON text by the pilot form)."""
MAX_DRAINED = 1 << 30
"""Bytes of a refused body read and dropped before answering; past it the connection closes."""
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
MAX_NAME = 100
"""Characters of a file name kept (the rest of a longer name is cut)."""


class UploadRefused(Exception):
    """The upload is not taken; ``key`` names the sentence in ``serve.words`` and ``params``
    fills it."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass
class Upload:
    """One file received: the name the person's file had, and where it lies now."""

    field: str
    name: str
    path: Path
    size: int = 0


@dataclass
class Received:
    """A request's fields and files; the files lie in ``folder``."""

    folder: Path
    fields: dict[str, str] = field(default_factory=dict)
    files: dict[str, Upload] = field(default_factory=dict)
    total: int = 0

    def file(self, name: str) -> Upload | None:
        """The file of field ``name``, or None when none was chosen (an empty file input)."""
        upload = self.files.get(name)
        return upload if upload is not None and upload.name else None


def safe_name(name: str, fallback: str = "fil") -> str:
    """A file name as the person's file had it, safe to create in our folder: no folders, no
    control characters, not hidden, at most :data:`MAX_NAME` characters."""
    base = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    name = _CONTROL.sub("", base).strip().lstrip(".")
    if len(name) > MAX_NAME:
        stem, dot, suffix = name.rpartition(".")
        name = (stem[: MAX_NAME - len(suffix) - 1] + dot + suffix) if dot else name[:MAX_NAME]
    return name or fallback


class _Parser:
    """The callbacks of python-multipart's streaming parser: headers of each part, its data
    appended to a file in the folder or to a bounded text field."""

    def __init__(self, received: Received) -> None:
        self.received = received
        self.header_field = b""
        self.header_value = b""
        self.headers: dict[bytes, bytes] = {}
        self.handle: IO[bytes] | None = None
        self.upload: Upload | None = None
        self.text: bytearray | None = None
        self.name = ""

    def callbacks(self) -> dict[str, Any]:
        return {
            "on_part_begin": self.part_begin,
            "on_header_field": lambda d, s, e: self._grow("header_field", d[s:e]),
            "on_header_value": lambda d, s, e: self._grow("header_value", d[s:e]),
            "on_header_end": self.header_end,
            "on_headers_finished": self.headers_finished,
            "on_part_data": self.part_data,
            "on_part_end": self.part_end,
        }

    def _grow(self, attribute: str, data: bytes) -> None:
        value = getattr(self, attribute) + data
        if len(value) > 4096:
            raise UploadRefused("upload-damaged")
        setattr(self, attribute, value)

    def part_begin(self) -> None:
        self.headers = {}

    def header_end(self) -> None:
        self.headers[self.header_field.strip().lower()] = self.header_value.strip()
        self.header_field = self.header_value = b""

    def headers_finished(self) -> None:
        from python_multipart.multipart import parse_options_header

        _, options = parse_options_header(self.headers.get(b"content-disposition", b""))
        self.name = options.get(b"name", b"").decode("utf-8", "replace")
        filename = options.get(b"filename")
        received = self.received
        if filename is None:
            if len(received.fields) >= MAX_FIELDS:
                raise UploadRefused("upload-damaged")
            self.text = bytearray()
            return
        if len(received.files) >= MAX_FILES or self.name in received.files:
            raise UploadRefused("upload-too-many")
        shown = filename.decode("utf-8", "replace")
        stored = safe_name(shown, f"fil-{len(received.files) + 1}")
        if any(u.path.name == stored for u in received.files.values()):
            stored = f"{len(received.files) + 1}-{stored}"
        folder = received.folder / f"{len(received.files) + 1}"
        folder.mkdir()
        self.upload = Upload(self.name, safe_name(shown, "") if shown else "", folder / stored)
        received.files[self.name] = self.upload
        self.handle = self.upload.path.open("xb")

    def part_data(self, data: bytes, start: int, end: int) -> None:
        size = end - start
        self.received.total += size
        if self.received.total > MAX_UPLOAD_BYTES:
            raise UploadRefused("upload-too-large", limit=MAX_UPLOAD_BYTES >> 20)
        if self.handle is not None and self.upload is not None:
            self.handle.write(data[start:end])
            self.upload.size += size
        elif self.text is not None:
            if len(self.text) + size > MAX_FIELD_BYTES:
                raise UploadRefused("upload-damaged")
            self.text += data[start:end]

    def part_end(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None
            self.upload = None
        elif self.text is not None:
            self.received.fields[self.name] = self.text.decode("utf-8", "replace")
            self.text = None

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()


@contextlib.asynccontextmanager
async def received(request: Any) -> AsyncIterator[Received]:
    """The request's multipart body, streamed into a private temporary folder that is removed
    when the block ends. Raises :class:`UploadRefused` for a body too large, a body that is
    not multipart, or more files or fields than a page sends."""
    from python_multipart.exceptions import FormParserError
    from python_multipart.multipart import MultipartParser, parse_options_header

    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_UPLOAD_BYTES + 64 * 1024:
        await _drain(request)
        raise UploadRefused("upload-too-large", limit=MAX_UPLOAD_BYTES >> 20)
    kind, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise UploadRefused("upload-damaged")
    folder = Path(tempfile.mkdtemp(prefix="bygdevekst-serve-"))
    parser = _Parser(Received(folder))
    try:
        try:
            multipart = MultipartParser(boundary, parser.callbacks())  # type: ignore[arg-type]
            async for chunk in request.stream():
                multipart.write(chunk)
            multipart.finalize()
        except FormParserError:
            raise UploadRefused("upload-damaged") from None
        except UploadRefused as exc:
            if exc.key == "upload-too-large":
                await _drain(request)
            raise
        finally:
            parser.close()
        yield parser.received
    finally:
        shutil.rmtree(folder, ignore_errors=True)


async def _drain(request: Any) -> None:
    """Read and drop the rest of a refused body (at most :data:`MAX_DRAINED` bytes), so that
    a browser still sending it gets the answer and not a broken connection."""
    drained = 0
    with contextlib.suppress(Exception):
        async for chunk in request.stream():
            drained += len(chunk)
            if drained > MAX_DRAINED:
                break
