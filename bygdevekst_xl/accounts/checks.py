"""The accounts checks: each a small function over the report, yielding findings.

Each names its place: a ledger line (file, voucher, line), a time-sheet row, or a figure.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator

from ..layout.accounts_sheets import BVA_SHEET, FINANCING_SHEET, INKIND_SHEET
from .classify import Booked
from .findings import AccountsFinding, Place
from .mapping import VAT_ARTS
from .report import FUNDER_NAMES, Report, threshold_for

Check = Callable[[Report], Iterator[AccountsFinding]]


def _at(item: Booked) -> Place:
    p = item.posting
    return Place(p.source, p.voucher, p.line, p.row)


def refused_lines(report: Report) -> Iterator[AccountsFinding]:
    """Lines refused: outside the period, the same key twice, an account the map does not place."""
    first, last = report.period
    for item in report.classified.booked:
        if item.place != "refused":
            continue
        p = item.posting
        if item.target == "period":
            params = {
                "date": p.date.isoformat(),
                "start": first.isoformat(),
                "end": last.isoformat(),
            }
            yield AccountsFinding("posting-outside-period", _at(item), params)
        elif item.target == "duplicate":
            yield AccountsFinding("duplicate-posting", _at(item))
        else:
            params = {"account": p.account, "code": p.project}
            yield AccountsFinding("account-not-placed", _at(item), params)


def closed_projects(report: Report) -> Iterator[AccountsFinding]:
    """A posting on a project the ledger has as closed, or dated outside its start and end."""
    projects = {info.source: info.projects for info in report.ledgers}
    for item in report.classified.booked:
        if item.place not in ("cost", "income"):
            continue
        p = item.posting
        known = projects.get(p.source, {}).get(p.project)
        if known is None:
            continue
        status = ""
        if known.status.casefold() == "closed":
            status = "avsluttet (Closed)"
        elif known.end and p.date > known.end:
            status = f"avsluttet {known.end.isoformat()}"
        elif known.start and p.date < known.start:
            status = f"ikke startet før {known.start.isoformat()}"
        if status:
            params = {"date": p.date.isoformat(), "code": p.project, "status": status}
            yield AccountsFinding("posting-closed-project", _at(item), params)


def vat_among_costs(report: Report) -> Iterator[AccountsFinding]:
    """A cost on KOSTRA art 429 or 729 (only when the map counts VAT)."""
    for item in report.classified.booked:
        if item.place == "cost" and item.posting.art in VAT_ARTS:
            params = {"account": item.posting.account, "art": item.posting.art}
            yield AccountsFinding("vat-among-costs", _at(item), params)


def kdd_over_eligible(report: Report) -> Iterator[AccountsFinding]:
    """KDD income booked to a project above its actual KDD-eligible costs."""
    eligible = {c.id for c in report.budget.categories if c.kdd_eligible}
    costs: dict[str, int] = defaultdict(int)
    for line in report.lines:
        if line.category in eligible:
            costs[line.project] += line.total_actual
    income: dict[str, int] = defaultdict(int)
    for item in report.classified.booked:
        if item.place == "income" and item.target == "kdd":
            income[item.project] -= item.posting.ore
    for project, ore in income.items():
        booked = (ore + 50) // 100 if ore >= 0 else -((-ore + 50) // 100)
        if booked > costs.get(project, 0):
            params = {"project": project, "found": booked, "expected": costs.get(project, 0)}
            yield AccountsFinding("kdd-over-eligible-actual", Place(what=BVA_SHEET), params)


def deviations(report: Report) -> Iterator[AccountsFinding]:
    """A deviation over the threshold without an explanation: an error in a final report;
    before it, a warning over the project years that have ended by the as-of date."""
    years = report.budget.pilot.years
    done = [i for i, y in enumerate(years) if dt.date(y, 12, 31) <= report.as_of]
    for line in report.lines:
        if line.explanation:
            continue
        if report.final:
            approved, deviation, threshold = line.total_approved, line.deviation, line.threshold
        elif done:
            approved = sum(line.approved[i] for i in done)
            deviation = sum(line.actual[i] for i in done) - approved
            threshold = threshold_for(report.budget, report.funder_of(line), approved)
        else:
            continue
        if abs(deviation) <= threshold:
            continue
        params = {
            "project": line.project,
            "category": line.category,
            "found": deviation,
            "expected": threshold,
            "percent": f"{deviation / approved * 100:.0f} %" if approved else "—",
        }
        code = "deviation-unexplained-final" if report.final else "deviation-unexplained"
        yield AccountsFinding(code, Place(what=BVA_SHEET), params)


def financing(report: Report) -> Iterator[AccountsFinding]:
    """Grant income against what was received, and the request against the tilsagn."""
    for f in report.financing:
        name = FUNDER_NAMES[f.funder]
        where = Place(what=FINANCING_SHEET)
        if f.from_grant and f.booked != f.received:
            params = {"funder": name, "found": f.booked, "expected": f.received}
            yield AccountsFinding("grant-income-mismatch", where, params)
        if f.received > f.tilsagn:
            params = {"funder": name, "found": f.received, "expected": f.tilsagn}
            yield AccountsFinding("received-over-tilsagn", where, params)
        elif f.earned - f.received > f.request:
            params = {"funder": name, "found": f.earned - f.received, "expected": f.request}
            yield AccountsFinding("request-capped", where, params)


def hours(report: Report) -> Iterator[AccountsFinding]:
    """Time-sheet rows: unattested, self-attested, not the pilot's; budgeted hours without
    time sheets; in-kind value above the approved."""
    names = {m.casefold() for m in report.budget.pilot.municipalities}
    years = report.budget.pilot.years
    for e in report.entries:
        where = Place(e.source, row=e.row)
        shown = {"person": e.person, "hours": f"{e.hours:g}", "date": e.date.isoformat()}
        if e.municipality.casefold() not in names or not e.project:
            params = {"municipality": e.municipality, "code": e.code}
            yield AccountsFinding("hours-unknown", where, params)
        elif e.date.year not in years:
            yield AccountsFinding("hours-outside-period", where, shown)
        elif not e.attested_by:
            yield AccountsFinding("hours-unattested", where, shown)
        elif e.attested_by.strip().casefold() == e.person.strip().casefold():
            yield AccountsFinding("hours-self-attested", where, shown)
    for row in report.in_kind:
        if row.budgeted and not row.registered_centi and row.year <= report.as_of.year:
            missing: dict[str, object] = {
                "municipality": row.municipality,
                "project": row.project,
                "year": row.year,
                "hours": f"{row.budgeted:g}",
            }
            yield AccountsFinding("hours-without-timesheet", Place(what=INKIND_SHEET), missing)
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in report.in_kind:
        totals[row.municipality][0] += row.value
        totals[row.municipality][1] += row.approved_value
    for municipality, (value, approved) in totals.items():
        if value > approved:
            over: dict[str, object] = {
                "municipality": municipality,
                "found": value,
                "expected": approved,
            }
            yield AccountsFinding("inkind-over-approved", Place(what=INKIND_SHEET), over)


def nothing_lost(report: Report) -> Iterator[AccountsFinding]:
    """Every line read is in exactly one place."""
    counts = report.classified.counts()
    placed = sum(v for k, v in counts.items() if k != "read")
    if placed != counts["read"]:
        yield AccountsFinding(
            "lines-lost", Place(what="Bilagsliste"), {"read": counts["read"], "placed": placed}
        )


CHECKS: tuple[Check, ...] = (
    nothing_lost,
    refused_lines,
    closed_projects,
    vat_among_costs,
    kdd_over_eligible,
    deviations,
    financing,
    hours,
)


def run_checks(report: Report) -> list[AccountsFinding]:
    """Every check's findings, errors first, in the order of the checks."""
    found = [finding for check in CHECKS for finding in check(report)]
    return sorted(found, key=lambda f: f.severity != "error")
