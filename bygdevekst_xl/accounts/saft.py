"""SAF-T Financial (Norwegian, versions 1.10, 1.20 and 1.30), read streaming with expat.

Namespace ``urn:StandardAuditFile-Taxation-Financial:NO``. From the master files: each general
ledger account's GroupingCode (the KOSTRA art of a municipality) and, from the
AnalysisTypeTable, each project's description, start and end date and status. From
GeneralLedgerEntries: Journal -> Transaction (TransactionID, TransactionDate, Description) ->
Line (RecordID, AccountID, DebitAmount/CreditAmount, Description, Analysis*).

A line may carry several Analysis entries of the project type, each with the share of the line
booked to that project (``AnalysisAmount`` in 1.10/1.20, whose sign follows the line's
debit/credit; ``DebitAnalysisAmount``/``CreditAnalysisAmount`` in 1.30): each share is its own
posting (line ``RecordID/AnalysisID``), and what the shares leave of the line is one posting
without a project. The parser is the workbook reader's hardened expat (no DTD, no entities,
nothing fetched); elements and distinct names are bounded; postings are handed on per chunk,
so memory does not grow with the file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from xml.parsers import expat

from ..xlsx.archive import CHUNK
from ..xlsx.xmlparts import DTDRefused, hardened_parser
from .ledger import (
    DEFAULT_LIMITS,
    LedgerError,
    LedgerInfo,
    LedgerProject,
    Limits,
    Posting,
    kostra_art,
    open_bounded,
)

NAMESPACE = "urn:StandardAuditFile-Taxation-Financial:NO"
VERSIONS = ("1.10", "1.20", "1.30")
_NS = NAMESPACE + "}"
_AMOUNT = re.compile(r"-?\d{1,15}(?:\.\d{1,2})?", re.ASCII)
_FIELDS = {
    "AccountID",
    "GroupingCode",
    "AnalysisType",
    "AnalysisID",
    "AnalysisIDDescription",
    "StartDate",
    "EndDate",
    "Status",
    "TransactionID",
    "TransactionDate",
    "RecordID",
    "Description",
    "Amount",
}
_AMOUNT_PARENTS = {
    "DebitAmount": 1,
    "CreditAmount": -1,
    "AnalysisAmount": 0,  # sign follows the line's debit/credit
    "DebitAnalysisAmount": 1,
    "CreditAnalysisAmount": -1,
}


_FIELD, _LINE, _AMOUNT_PARENT, _ANALYSIS, _TRANSACTION, _ACCOUNT, _ENTRY, _ROOT = range(8)
_KINDS: dict[str, int] = {
    **{_NS + local: _FIELD for local in _FIELDS},
    **{_NS + local: _AMOUNT_PARENT for local in _AMOUNT_PARENTS},
    _NS + "Line": _LINE,
    _NS + "Analysis": _ANALYSIS,
    _NS + "Transaction": _TRANSACTION,
    _NS + "Account": _ACCOUNT,
    _NS + "AnalysisTypeTableEntry": _ENTRY,
    _NS + "AuditFile": _ROOT,
}
"""What each element of the SAF-T namespace the reader uses is, by its full expat name."""
_MAX_CHUNKS = 64  # expat hands text on in buffers of up to 64 KiB


def saft_ore(text: str) -> int:
    """A SAF-T amount (``9487049.35``) in øre; ValueError when it is not one."""
    raw = text.strip()
    if not _AMOUNT.fullmatch(raw):
        raise ValueError(f"{raw[:40]!r} is not a SAF-T amount")
    negative = raw.startswith("-")
    whole, _, decimals = raw.lstrip("-").partition(".")
    ore = int(whole) * 100 + int((decimals + "00")[:2])
    return -ore if negative else ore


def looks_like_saft(path: Path) -> bool:
    """Whether a ledger is XML (then it is read as SAF-T): a regular file whose first
    non-blank byte is ``<``. Anything else is read as CSV, which names what is wrong."""
    try:
        if not path.is_file():
            return False
        with open(path, "rb") as handle:
            head = handle.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError:
        return False
    return head.startswith(b"<")


def read_saft(
    path: Path, info: LedgerInfo, project_type: str = "P", limits: Limits = DEFAULT_LIMITS
) -> Iterator[Posting]:
    """The postings of a SAF-T Financial file, a chunk at a time; ``info`` learns its projects,
    the count and the hash."""
    open_bounded(path, limits)
    reader = _Reader(path, info, project_type, limits)
    digest = hashlib.sha256()
    parser = reader.parser
    try:
        with open(path, "rb") as handle:
            while True:
                chunk = handle.read(CHUNK)
                digest.update(chunk)
                parser.Parse(chunk, not chunk)
                if reader.ready:
                    yield from reader.ready
                    reader.ready.clear()
                if not chunk:
                    break
    except DTDRefused:
        raise LedgerError(
            path, parser.CurrentLineNumber, "contains a DTD; refusing (possible XML entity attack)"
        ) from None
    except (expat.ExpatError, LookupError) as exc:
        line = getattr(exc, "lineno", None) or parser.CurrentLineNumber
        raise LedgerError(path, line, f"not well-formed XML ({str(exc)[:80]})") from None
    except OSError as exc:
        raise LedgerError(path, None, f"cannot read the file: {exc.strerror or exc}") from None
    if not reader.root_seen:
        raise LedgerError(path, None, "holds no SAF-T AuditFile")
    info.postings += reader.count
    info.sha256 = digest.hexdigest()


class _Reader:
    """The expat handlers and the state of one SAF-T read."""

    def __init__(self, path: Path, info: LedgerInfo, project_type: str, limits: Limits) -> None:
        self.path, self.info, self.project_type, self.limits = path, info, project_type, limits
        self.source = info.source
        self.parser = parser = hardened_parser()
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        self.ready: list[Posting] = []
        self.count = 0
        self.elements = 0
        self.max_elements = limits.max_xml_elements
        self.names: set[str] = set()
        self.root_seen = False
        self.text: list[str] | None = None
        self.groupings: dict[str, str] = {}
        self.in_account = self.in_entry = self.in_line = self.in_analysis = False
        self.in_transaction = False
        self.record: dict[str, str] = {}
        self.transaction: dict[str, str] = {}
        self.analyses: list[tuple[str, str, int | None, int]] = []
        self.analysis: dict[str, str] = {}
        self.amount_sign: int | None = None
        self.amount_parent = ""
        self.line_ore = 0
        self.line_at = 0

    def fail(self, problem: str, line: int | None = None) -> LedgerError:
        return LedgerError(self.path, line or self.parser.CurrentLineNumber, problem)

    def start(self, name: str, _attrs: dict[str, str]) -> None:
        self.elements += 1
        if self.elements > self.max_elements:
            raise self.fail(f"more than {self.max_elements} XML elements; refusing")
        kind = _KINDS.get(name)
        if kind is None or not self.root_seen:
            if kind == _ROOT:
                self.root_seen = True
                return
            self.unknown(name)  # counted, and refused as the root
            if kind is None:
                return
        if kind == _FIELD:
            self.text = []
            self.parser.CharacterDataHandler = self.data
        elif kind == _LINE:
            self.in_line, self.record, self.analyses = True, {}, []
            self.line_ore, self.line_at = 0, self.parser.CurrentLineNumber
        elif kind == _AMOUNT_PARENT:
            self.amount_parent = name[len(_NS) :]
        elif kind == _ANALYSIS:
            if self.in_line:
                self.in_analysis, self.analysis = True, {}
        elif kind == _TRANSACTION:
            self.in_transaction, self.transaction = True, {}
        elif kind == _ACCOUNT:
            self.in_account, self.record = True, {}
        elif kind == _ENTRY:
            self.in_entry, self.record = True, {}

    def unknown(self, name: str) -> None:
        """An element the reader does not use: counted among the names, and never the root."""
        if name not in self.names:
            self.names.add(name)
            if len(self.names) > self.limits.max_xml_names:
                raise self.fail(f"more than {self.limits.max_xml_names} element names; refusing")
        if not self.root_seen:  # the first element, and not AuditFile
            space, _, local = name.rpartition("}")
            raise self.fail(
                f"is not SAF-T Financial: the root element is {local!r} in namespace "
                f"{space or '(none)'!r}, not AuditFile in {NAMESPACE}"
            )

    def data(self, text: str) -> None:
        if self.text is not None:
            self.text.append(text)
            if len(self.text) > _MAX_CHUNKS:  # a text node of megabytes: no field is that long
                raise self.fail(f"a text is longer than {self.limits.max_field_chars} characters")

    def end(self, name: str) -> None:
        text = self.text
        if text is not None:
            self.text = None
            self.parser.CharacterDataHandler = None
            value = "".join(text).strip()
            local = name[len(_NS) :]
            if len(value) > self.limits.max_field_chars:
                raise self.fail(f"{local} is longer than {self.limits.max_field_chars} characters")
            if local == "Amount":  # the field's place decides where it goes (inlined: hot)
                if self.amount_parent:
                    self.amount(value)
            elif self.in_analysis:
                self.analysis[local] = value
            elif self.in_line:
                self.record[local] = value
            elif self.in_transaction:
                self.transaction[local] = value
            elif self.in_account or self.in_entry:
                self.record[local] = value
            return
        kind = _KINDS.get(name)
        if kind is None or kind == _FIELD:
            return
        if kind == _LINE:
            self.finish_line()
            self.in_line = False
        elif kind == _AMOUNT_PARENT:
            self.amount_parent = ""
        elif kind == _ANALYSIS:
            if self.in_analysis:
                self.finish_analysis()
        elif kind == _TRANSACTION:
            self.in_transaction = False
        elif kind == _ACCOUNT:
            account = self.record.get("AccountID", "")
            if account and self.record.get("GroupingCode"):
                self.groupings[account] = self.record["GroupingCode"]
            self.in_account = False
        elif kind == _ENTRY:
            self.finish_entry()

    def amount(self, value: str) -> None:
        try:
            ore = saft_ore(value)
        except ValueError as exc:
            raise self.fail(f"{self.amount_parent}: {exc}") from None
        parent = self.amount_parent
        if self.in_analysis:
            sign = _AMOUNT_PARENTS[parent]
            self.analysis["_ore"] = str(ore)
            self.analysis["_sign"] = str(sign)
        elif parent in ("DebitAmount", "CreditAmount"):
            self.line_ore += _AMOUNT_PARENTS[parent] * ore

    def finish_analysis(self) -> None:
        self.in_analysis = False
        found = self.analysis
        if found.get("AnalysisType") != self.project_type:
            return
        share = int(found["_ore"]) if "_ore" in found else None
        sign = int(found.get("_sign", "0"))
        self.analyses.append(
            (found.get("AnalysisID", ""), found.get("AnalysisType", ""), share, sign)
        )

    def finish_entry(self) -> None:
        self.in_entry = False
        entry = self.record
        if entry.get("AnalysisType") != self.project_type or not entry.get("AnalysisID"):
            return
        code = entry["AnalysisID"]
        self.info.projects[code] = LedgerProject(
            code,
            entry.get("AnalysisIDDescription", ""),
            self.date(entry.get("StartDate", ""), "StartDate"),
            self.date(entry.get("EndDate", ""), "EndDate"),
            entry.get("Status", ""),
        )

    def date(self, text: str, what: str, required: bool = False) -> dt.date | None:
        if not text:
            if required:
                raise self.fail(f"{what} is missing", self.line_at)
            return None
        try:
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            raise self.fail(f"{what}: {text[:40]!r} is not a date (YYYY-MM-DD)") from None

    def finish_line(self) -> None:
        record, at = self.record, self.line_at
        account = record.get("AccountID", "")
        if not account:
            raise self.fail("the line has no AccountID", at)
        date = self.date(self.transaction.get("TransactionDate", ""), "TransactionDate", True)
        assert date is not None
        voucher = self.transaction.get("TransactionID", "")
        line = record.get("RecordID", "") or str(at)
        text = record.get("Description") or self.transaction.get("Description", "")
        art = self.groupings.get(account) or kostra_art(account)
        debit = self.line_ore >= 0
        parts: list[tuple[str, str, int]] = []
        if not self.analyses:
            parts.append(("", line, self.line_ore))
        elif len(self.analyses) == 1 and self.analyses[0][2] is None:
            parts.append((self.analyses[0][0], line, self.line_ore))
        else:
            missing = [a for a in self.analyses if a[2] is None]
            if len(missing) > 1:
                raise self.fail(
                    "several project Analysis entries without an amount on one line", at
                )
            booked = 0
            for project, _type, share, sign in self.analyses:
                if share is None:
                    continue
                ore = share * (sign or (1 if debit else -1))
                booked += ore
                parts.append((project, f"{line}/{project}", ore))
            rest = self.line_ore - booked
            if missing:
                parts.append((missing[0][0], f"{line}/{missing[0][0]}", rest))
            elif rest:
                parts.append(("", f"{line}/-", rest))
        for project, key, ore in parts:
            self.count += 1
            if self.count > self.limits.max_lines:
                raise self.fail(f"more than {self.limits.max_lines} lines; refusing", at)
            self.ready.append(
                Posting(self.source, voucher, key, date, account, project, ore, text, art, at)
            )
