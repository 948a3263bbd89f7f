"""``accounts``: the approved budget against the municipalities' ledgers.

:func:`run_accounts` reads the approved budget (``approved.py``), the map (``mapping.py``),
each ledger streaming (``csv_ledger.py``, ``saft.py``) through the classifier
(``classify.py``), the time sheets (``hours.py``); computes the figures (``report.py``), runs
the checks (``checks.py``), lays out the workbook (``layout/accounts_sheets.py``) and the
in-kind statement (``inkind_pdf.py``). ``readback.py`` confirms the written workbook.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from ..dataclass import dataclass
from ..errors import BygdevekstError
from .approved import approved_budget
from .checks import run_checks
from .classify import Classifier
from .csv_ledger import read_csv
from .findings import AccountsFinding
from .hours import TimeSheet, read_hours
from .ledger import DEFAULT_LIMITS, LedgerInfo, Limits
from .mapping import AccountsMap, MapError, load_map
from .report import Report, build_report, grant_period
from .saft import looks_like_saft, read_saft

__all__ = ["AccountsRun", "TooLarge", "parse_as_of", "run_accounts"]


class BadDate(BygdevekstError, ValueError):
    """``--as-of`` is not a date."""


def parse_as_of(text: str) -> dt.date:
    """``--as-of``: an ISO date; one error line otherwise."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise BadDate(f"--as-of: {text!r} is not a date (YYYY-MM-DD)") from None


class TooLarge(BygdevekstError, ValueError):
    """The accounts do not fit in a workbook (rows or formula length); nothing is written."""


@dataclass
class AccountsRun:
    """What one run found: the report, the findings, and the files to write."""

    report: Report
    findings: list[AccountsFinding]
    workbook: bytes
    statement: bytes
    checks: list[tuple[str, str, object]]
    cells: int
    """Cells written (the read-back's limits follow it)."""

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")


def read_ledgers(
    paths: Sequence[Path], mapping: AccountsMap, classifier: Classifier, limits: Limits
) -> list[LedgerInfo]:
    """Stream every ledger through the classifier; what each file was. Postings carry the
    file's name, or its path when two ledgers share a name (two municipalities'
    ``hovedbok.csv``), so their keys never meet."""
    paths = [Path(p) for p in paths]
    names = Counter(p.name for p in paths)
    infos = []
    for path in paths:
        source = path.name if names[path.name] == 1 else str(path)
        if looks_like_saft(path):
            info = LedgerInfo(path, "saf-t", source)
            classifier.add_all(read_saft(path, info, mapping.project_analysis_type, limits))
        else:
            if not mapping.columns:
                raise MapError(mapping.source, [f"columns: missing; {path.name} is a CSV ledger"])
            info = LedgerInfo(path, "csv", source)
            classifier.add_all(read_csv(path, mapping.columns, info, limits))
        infos.append(info)
    return infos


def run_accounts(
    workbook: Path,
    ledgers: Sequence[Path],
    map_path: Path,
    hours: Sequence[Path] = (),
    as_of: dt.date | None = None,
    spec: Path | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> AccountsRun:
    """Everything ``accounts`` computes, nothing written."""
    from ..layout.accounts_sheets import accounts_layout
    from ..writer import render
    from .inkind_pdf import inkind_pdf

    budget = approved_budget(workbook, spec)
    mapping = load_map(map_path, budget)
    classifier = Classifier(mapping, grant_period(budget))
    infos = read_ledgers(ledgers, mapping, classifier, limits)
    project_ids = {p.id for p in budget.projects}
    sheets: list[TimeSheet] = [
        read_hours(Path(p), mapping.projects, project_ids, limits) for p in hours
    ]
    report = build_report(budget, mapping, classifier.result, infos, sheets, as_of)
    report.findings = run_checks(report)
    try:
        layout = accounts_layout(report)
    except ValueError as exc:  # more postings than a sheet holds, a formula past Excel's limit
        raise TooLarge(f"{workbook}: {exc}") from None
    stamp = dt.datetime(report.as_of.year, report.as_of.month, report.as_of.day)
    data = render(layout.workbook, created=stamp, title=f"Regnskap – {budget.pilot.name}")
    cells = sum(len(sheet.cells) for sheet in layout.workbook.sheets)
    return AccountsRun(report, report.findings, data, inkind_pdf(report), layout.checks, cells)
