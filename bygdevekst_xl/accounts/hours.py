"""Time sheets (CSV): the in-kind hours each municipality registers, row by row.

Columns (headers, case ignored): ``kommune; person; dato; prosjekt; aktivitet; timer;
attestert_av; attestert_dato``, read like a ledger CSV (``;`` or ``,``, UTF-8 or ISO-8859-1,
decimal comma). ``prosjekt`` is a ledger project code of the map or the spec's project id.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from collections.abc import Mapping
from pathlib import Path

from ..dataclass import dataclass
from .csv_ledger import Decoder
from .ledger import DEFAULT_LIMITS, LedgerError, Limits, open_bounded, parse_date, parse_ore

COLUMNS = (
    "kommune",
    "person",
    "dato",
    "prosjekt",
    "aktivitet",
    "timer",
    "attestert_av",
    "attestert_dato",
)
MAX_HOURS_A_ROW = 24


@dataclass(frozen=True, slots=True)
class TimeEntry:
    """One time-sheet row."""

    source: str
    row: int
    municipality: str
    person: str
    date: dt.date
    project: str
    """The spec's project id ("" when the code is not the pilot's)."""
    code: str
    """The project as the row wrote it."""
    activity: str
    centihours: int
    attested_by: str
    attested_date: dt.date | None

    @property
    def hours(self) -> float:
        return self.centihours / 100


@dataclass(frozen=True)
class TimeSheet:
    """One time-sheet file: its rows and its SHA-256."""

    path: Path
    entries: tuple[TimeEntry, ...]
    sha256: str


def read_hours(
    path: Path,
    projects: Mapping[str, str],
    project_ids: set[str],
    limits: Limits = DEFAULT_LIMITS,
) -> TimeSheet:
    """Every row of a time sheet; ``projects`` maps ledger codes to project ids."""
    open_bounded(path, limits)
    digest = hashlib.sha256()
    entries: list[TimeEntry] = []
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed by the with below
    except OSError as exc:
        raise LedgerError(path, None, f"cannot read the file: {exc.strerror or exc}") from None
    with handle:
        lines = iter(Decoder(path, handle, digest))
        header_line = next(lines, None)
        if header_line is None:
            raise LedgerError(path, None, "the file is empty")
        delimiter = ";" if header_line.count(";") >= header_line.count(",") else ","
        header = [
            h.strip().casefold() for h in next(csv.reader([header_line], delimiter=delimiter))
        ]
        missing = [c for c in COLUMNS if c not in header]
        if missing:
            raise LedgerError(path, 1, f"the time sheet lacks the columns {', '.join(missing)}")
        at = {c: header.index(c) for c in COLUMNS}
        reader = csv.reader(lines, delimiter=delimiter, strict=True)
        try:
            for row in reader:
                number = reader.line_num + 1
                if not row or all(not c.strip() for c in row):
                    continue
                if len(entries) >= limits.max_lines:
                    raise LedgerError(path, number, f"more than {limits.max_lines} rows; refusing")
                entries.append(_entry(path, row, at, number, projects, project_ids))
        except csv.Error as exc:
            raise LedgerError(path, reader.line_num + 1, f"not valid CSV ({exc})") from None
    return TimeSheet(path, tuple(entries), digest.hexdigest())


def _entry(
    path: Path,
    row: list[str],
    at: Mapping[str, int],
    number: int,
    projects: Mapping[str, str],
    project_ids: set[str],
) -> TimeEntry:
    if len(row) < len(at) or max(at.values()) >= len(row):
        raise LedgerError(path, number, f"has {len(row)} fields; the header has more")
    cell = {name: row[i].strip() for name, i in at.items()}
    try:
        centihours = parse_ore(cell["timer"])
    except ValueError as exc:
        raise LedgerError(path, number, f"timer: {exc}") from None
    if not 0 <= centihours <= MAX_HOURS_A_ROW * 100:
        raise LedgerError(path, number, f"timer: {cell['timer']!r} is not 0 to 24 hours")
    try:
        date = parse_date(cell["dato"])
        attested = parse_date(cell["attestert_dato"]) if cell["attestert_dato"] else None
    except ValueError as exc:
        raise LedgerError(path, number, f"date: {exc}") from None
    code = cell["prosjekt"]
    project = projects.get(code, code if code in project_ids else "")
    return TimeEntry(
        path.name,
        number,
        cell["kommune"],
        cell["person"],
        date,
        project,
        code,
        cell["aktivitet"],
        centihours,
        cell["attestert_av"],
        attested,
    )
