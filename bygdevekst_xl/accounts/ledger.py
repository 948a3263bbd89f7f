"""A ledger posting and what every ledger reader shares: the key, amounts in øre, dates, limits.

A posting is one line of a general ledger (or one project's share of a SAF-T line), keyed by
(source, voucher, line). Amounts are whole øre (``int``), so sums are exact; debit is
positive, credit negative. Readers yield postings one at a time, so memory does not grow with
the number of lines read.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import stat
from pathlib import Path

from ..dataclass import dataclass, field
from ..errors import BygdevekstError
from ..messages import Message


@dataclass(frozen=True, slots=True)
class Posting:
    """One ledger line (or one project's share of a line)."""

    source: str
    """The ledger file's name."""
    voucher: str
    line: str
    date: dt.date
    account: str
    project: str
    """The ledger's project code; "" when the line has none."""
    ore: int
    """The amount in øre: debit positive, credit negative."""
    text: str = ""
    art: str = ""
    """The KOSTRA art (SAF-T GroupingCode, else from the account: :func:`kostra_art`)."""
    row: int = 0
    """Where the line is in its file: the CSV line number or the SAF-T line's XML line."""

    @property
    def key(self) -> tuple[str, str, str]:
        """(source, voucher, line): what makes a posting unique."""
        return (self.source, self.voucher, self.line)


@dataclass(frozen=True)
class LedgerProject:
    """A project as the ledger's own tables describe it (SAF-T's AnalysisTypeTable)."""

    code: str
    name: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    status: str = ""
    """Active, Closed, Observation, Passive; "" when not given."""


@dataclass(frozen=True)
class Limits:
    """How much one ledger may hold before it is refused (the reader stops there)."""

    max_bytes: int = 4 * 1024**3
    max_lines: int = 20_000_000
    max_field_chars: int = 4_000
    max_xml_elements: int = 400_000_000
    max_xml_names: int = 2_000


DEFAULT_LIMITS = Limits()


class LedgerError(BygdevekstError, ValueError):
    """A ledger that cannot be read; the one line names the file and the line."""

    def __init__(self, source: str | Path, row: int | None, problem: str) -> None:
        self.source, self.row, self.problem = str(source), row, problem
        where = f"{self.source}, line {row}" if row else self.source
        if isinstance(problem, Message) and not row:
            super().__init__(Message("at", place=where, text=problem))
        else:
            super().__init__(f"{where}: {problem}")


MAX_AMOUNT_DIGITS = 15  # beyond what a spreadsheet holds exactly
_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009'")
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*", re.ASCII)


_PLAIN = re.compile(r"\s*(-?)(\d{1,3}(?:[ \u00a0]\d{3}){1,4}|\d{1,15}),(\d\d)\s*", re.ASCII)
"""The notation almost every municipal export uses (``-1 234,50``): read without the rest."""


def parse_ore(text: str) -> int:
    """``1 234,50`` -> 123450; see :func:`parse_any_ore` for every notation."""
    plain = _PLAIN.fullmatch(text)
    if plain is None:
        return parse_any_ore(text)
    sign, whole, decimals = plain.groups()
    ore = int(whole.replace(" ", "").replace("\u00a0", "")) * 100 + int(decimals)
    return -ore if sign else ore


def parse_any_ore(text: str) -> int:
    """``1 234,50`` -> 123450. Decimal comma (or point), thousands by space, no-break space or
    point, a leading minus or parentheses for a negative amount; at most two decimals.

    Raises ValueError naming what is wrong.
    """
    raw = text.strip()
    negative = False
    if raw.startswith("(") and raw.endswith(")"):
        negative, raw = True, raw[1:-1].strip()
    if raw[:1] in "-\u2212":
        negative, raw = not negative, raw[1:].strip()
    elif raw[:1] == "+":
        raw = raw[1:].strip()
    raw = raw.removesuffix("kr").strip().translate(_SPACES)
    if not raw or not _DIGITS.fullmatch(raw):
        raise ValueError(f"{text.strip()!r} is not an amount")
    whole, decimals = raw, ""
    comma, point = raw.rfind(","), raw.rfind(".")
    decimal_mark = max(comma, point)
    if comma >= 0 and point >= 0:  # 1.234,50 or 1,234.50: the last one is the decimal mark
        whole, decimals = raw[:decimal_mark], raw[decimal_mark + 1 :]
    elif comma >= 0:
        if raw.count(",") > 1:
            raise ValueError(f"{text.strip()!r} has more than one decimal comma")
        whole, decimals = raw[:comma], raw[comma + 1 :]
    elif point >= 0:
        groups = raw.split(".")
        if len(groups) > 2 or len(groups[-1]) == 3:  # 1.234.567 or 1.234: thousands
            if any(len(g) != 3 for g in groups[1:]):
                raise ValueError(f"{text.strip()!r} has misplaced thousands separators")
            whole = raw.replace(".", "")
        else:
            whole, decimals = groups
    whole = whole.replace(".", "").replace(",", "")
    if len(decimals) > 2:
        raise ValueError(f"{text.strip()!r} has more than two decimals (øre)")
    if len(whole) > MAX_AMOUNT_DIGITS:
        raise ValueError(f"{text.strip()!r} has more than {MAX_AMOUNT_DIGITS} digits")
    ore = int(whole or "0") * 100 + int((decimals + "00")[:2])
    return -ore if negative else ore


_DMY = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", re.ASCII)


@functools.lru_cache(maxsize=8192)
def parse_date(text: str) -> dt.date:
    """``2025-03-14`` or ``14.03.2025`` (a time after it is ignored); ValueError otherwise."""
    raw = text.strip()[:10]
    match = _DMY.fullmatch(raw) or _DMY.fullmatch(text.strip().split(" ")[0])
    if match:
        return dt.date(int(match[3]), int(match[2]), int(match[1]))
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ValueError(
            f"{text.strip()[:40]!r} is not a date (YYYY-MM-DD or DD.MM.YYYY)"
        ) from None


@functools.lru_cache(maxsize=65536)
def kostra_art(account: str) -> str:
    """The KOSTRA art of a municipal account: a three-digit account is the art itself; a
    longer one starts with the account class (0 investment, 1 operations) and the art follows
    (``14290`` -> ``429``, ``17090`` -> ``709``, ``1429`` -> ``429``). "" otherwise."""
    code = account.strip()
    if not code.isdigit():
        return ""
    if len(code) == 3:
        return code
    return code[1:4] if len(code) >= 4 and code[0] in "01" else ""


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def kroner(ore: int) -> int:
    """Whole kroner from øre, halves away from zero (as Excel's ROUND)."""
    sign = -1 if ore < 0 else 1
    return sign * ((abs(ore) + 50) // 100)


@dataclass
class LedgerInfo:
    """What a reader learns about one ledger file while it reads it."""

    path: Path
    kind: str
    """``csv`` or ``saf-t``."""
    source: str = ""
    """The name postings carry (the file's name; its path when two ledgers share a name)."""
    sha256: str = ""
    """Set when the whole file has been read (hashed as it is read)."""
    projects: dict[str, LedgerProject] = field(default_factory=dict)
    postings: int = 0

    def __post_init__(self) -> None:
        self.source = self.source or self.path.name


def open_bounded(path: Path, limits: Limits) -> int:
    """The size of a regular ledger file within ``limits``; LedgerError otherwise."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise LedgerError(path, None, Message("spec-not-found")) from None
    except OSError as exc:
        raise LedgerError(path, None, f"cannot read the file: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise LedgerError(path, None, "is not a regular file")
    if info.st_size > limits.max_bytes:
        raise LedgerError(
            path, None, f"file is {info.st_size} bytes; a ledger may be at most {limits.max_bytes}"
        )
    return info.st_size
