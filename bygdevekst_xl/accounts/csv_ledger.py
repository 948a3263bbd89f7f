"""A general-ledger CSV export, read streaming: one posting a row, columns named in the map.

``;`` or ``,`` (whichever the header holds more of), UTF-8 with or without a BOM, or
ISO-8859-1 (chosen at the first line that is not UTF-8, as long as no earlier line used
UTF-8's multi-byte letters). Decimal comma, space or no-break space as thousands separator,
minus or parentheses (:func:`.ledger.parse_ore`). Every problem is one line naming the file and
the line; the file is hashed as it is read, and nothing is kept but the current row.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import BinaryIO

from .ledger import (
    DEFAULT_LIMITS,
    LedgerError,
    LedgerInfo,
    Limits,
    Posting,
    kostra_art,
    open_bounded,
    parse_date,
    parse_ore,
)

REQUIRED_COLUMNS = ("voucher", "date", "account", "amount")
"""Roles every CSV ledger must name in the map (``line``, ``project`` and ``text`` optional)."""
MAX_LINE_BYTES = 64 * 1024
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def read_csv(
    path: Path, columns: Mapping[str, str], info: LedgerInfo, limits: Limits = DEFAULT_LIMITS
) -> Iterator[Posting]:
    """The postings of a CSV ledger, one at a time; ``info`` learns the count and the hash."""
    open_bounded(path, limits)
    digest = hashlib.sha256()
    source = info.source
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below, also when the caller stops
    except OSError as exc:
        raise LedgerError(path, None, f"cannot read the file: {exc.strerror or exc}") from None
    with handle:
        lines = Decoder(path, handle, digest)
        text_lines = iter(lines)
        header_line = next(text_lines, None)
        if header_line is None:
            raise LedgerError(path, None, "the file is empty")
        delimiter = ";" if header_line.count(";") >= header_line.count(",") else ","
        header = next(csv.reader([header_line], delimiter=delimiter))
        where = _columns(path, header, columns)
        width = len(header)
        reader = csv.reader(_joined(header_line, text_lines), delimiter=delimiter, strict=True)
        next(reader)  # the header again
        count = 0
        try:
            for row in reader:
                number = reader.line_num
                if not row or all(not cell.strip() for cell in row):
                    continue
                count += 1
                if count > limits.max_lines:
                    raise LedgerError(path, number, f"more than {limits.max_lines} lines; refusing")
                if len(row) != width:
                    raise LedgerError(
                        path, number, f"has {len(row)} fields; the header has {width}"
                    )
                yield _posting(path, source, row, where, number, limits)
        except csv.Error as exc:
            raise LedgerError(path, reader.line_num, f"not valid CSV ({exc})") from None
        info.postings += count
    info.sha256 = digest.hexdigest()


def _joined(first: str, rest: Iterator[str]) -> Iterable[str]:
    yield first
    yield from rest


def _columns(path: Path, header: list[str], columns: Mapping[str, str]) -> dict[str, int]:
    """Where each named column is (case and surrounding space ignored); LedgerError if one
    the map names is missing."""
    found = {name.strip().casefold(): i for i, name in enumerate(header)}
    where = {}
    for role, name in columns.items():
        index = found.get(name.strip().casefold())
        if index is None:
            shown = ", ".join(repr(h.strip()) for h in header[:12])
            raise LedgerError(
                path, 1, f"no column {name!r} ({role} in the map); the columns are {shown}"
            )
        where[role] = index
    missing = [role for role in REQUIRED_COLUMNS if role not in where]
    if missing:
        raise LedgerError(path, 1, f"the map names no column for {', '.join(missing)}")
    return where


def _posting(
    path: Path, source: str, row: list[str], where: Mapping[str, int], number: int, limits: Limits
) -> Posting:
    if max(map(len, row)) > limits.max_field_chars:
        raise LedgerError(
            path, number, f"a field is longer than {limits.max_field_chars} characters"
        )
    amount = row[where["amount"]]
    try:
        ore = parse_ore(amount)
    except ValueError as exc:
        raise LedgerError(path, number, f"amount: {exc}") from None
    try:
        date = parse_date(row[where["date"]])
    except ValueError as exc:
        raise LedgerError(path, number, f"date: {exc}") from None
    account = row[where["account"]].strip()
    if not account:
        raise LedgerError(path, number, "the account is blank")
    line = row[where["line"]].strip() if "line" in where else str(number)
    return Posting(
        source=source,
        voucher=row[where["voucher"]].strip(),
        line=line,
        date=date,
        account=account,
        project=row[where["project"]].strip() if "project" in where else "",
        ore=ore,
        text=row[where["text"]].strip() if "text" in where else "",
        art=kostra_art(account),
        row=number,
    )


class Decoder:
    """The file's lines as text, each decoded as UTF-8 or ISO-8859-1, and hashed on the way."""

    def __init__(self, path: Path, handle: BinaryIO, digest: hashlib._Hash) -> None:
        self.path, self.handle, self.digest = path, handle, digest
        self.encoding = ""  # "" until a line needs a decision; then utf-8 or latin-1

    def __iter__(self) -> Iterator[str]:
        number = 0
        while True:
            raw = self.handle.readline(MAX_LINE_BYTES + 1)
            if not raw:
                return
            number += 1
            self.digest.update(raw)
            if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
                raise LedgerError(self.path, number, f"is longer than {MAX_LINE_BYTES} bytes")
            if number == 1:
                raw = self._first(raw)
            if b"\x00" in raw:
                raise LedgerError(
                    self.path,
                    number,
                    "holds NUL bytes: unknown encoding (UTF-16?); export as UTF-8 or ISO-8859-1",
                )
            yield self._decode(raw, number)

    def _first(self, raw: bytes) -> bytes:
        if raw.startswith(_UTF16_BOMS):
            raise LedgerError(
                self.path, 1, "is UTF-16 or UTF-32: unknown encoding; export as UTF-8 or ISO-8859-1"
            )
        if raw.startswith(_UTF8_BOM):
            self.encoding = "utf-8"
            return raw[len(_UTF8_BOM) :]
        return raw

    def _decode(self, raw: bytes, number: int) -> str:
        if self.encoding == "latin-1" or raw.isascii():
            return raw.decode("latin-1")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            if self.encoding == "utf-8":
                raise LedgerError(
                    self.path, number, f"byte {exc.start + 1} is not UTF-8, but earlier lines were"
                ) from None
            self.encoding = "latin-1"
            return raw.decode("latin-1")
        self.encoding = "utf-8"
        return text
