"""The figures: the approved budget against the classified postings, in whole kroner.

Every actual figure is the sum of the postings behind it, rounded once to whole kroner (halves
away from zero, as Excel's ROUND): per project x category x year, per project x category in the
period and cumulative to the as-of date; per funder the tilsagn, what was received, the grant
income booked, what is earned, the amount to request and any repayment; per municipality the
in-kind hours budgeted and registered. The workbook lays out the same figures as formulas over
the voucher list (``layout/accounts_sheets.py``); ``as_dict`` is the ``--json`` report.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from ..dataclass import dataclass, field
from ..model import Amount, Budget, Formula, FunderGrant
from .classify import Booked, Classified
from .hours import TimeEntry, TimeSheet
from .ledger import LedgerInfo, kroner
from .mapping import AccountsMap

FUNDERS = ("kdd", "statsforvalteren")
FUNDER_NAMES = {"kdd": "KDD", "statsforvalteren": "Statsforvalteren"}


def round_half_away(value: float) -> int:
    """Whole kroner, halves away from zero (Excel's ROUND(x, 0))."""
    return int(math.copysign(math.floor(abs(value) + 0.5), value))


def whole(amount: Amount) -> int:
    """An approved amount as whole kroner (a formula's value; text or blank is 0)."""
    if isinstance(amount, Formula):
        amount = amount.value
    if isinstance(amount, bool) or not isinstance(amount, int | float):
        return 0
    return round_half_away(float(amount))


@dataclass(frozen=True)
class Line:
    """Budget against accounts for one project and category."""

    project: str
    category: str
    approved: tuple[int, ...]
    """Per project year."""
    actual: tuple[int, ...]
    """Per project year: the costs dated in it."""
    total_approved: int
    total_actual: int
    cumulative: int
    """Costs dated up to the as-of date."""
    explanation: str
    threshold: int
    """A deviation beyond this many kroner needs an explanation."""

    @property
    def deviation(self) -> int:
        return self.total_actual - self.total_approved

    @property
    def deviation_percent(self) -> float | None:
        return None if not self.total_approved else self.deviation / self.total_approved

    @property
    def remaining(self) -> int:
        return self.total_approved - self.cumulative

    @property
    def over_threshold(self) -> bool:
        return abs(self.deviation) > self.threshold


@dataclass(frozen=True)
class Financing:
    """One funder: what was granted, received, booked and earned, and what to ask for."""

    funder: str
    projects: tuple[str, ...]
    tilsagn: int
    received: int
    booked: int
    """Grant income booked to the pilot's projects for this funder."""
    eligible: int
    """Its projects' actual costs it may pay for, cumulative to the as-of date."""
    share: float
    hold_back_percent: float
    from_grant: bool
    """Whether the tilsagn and payments come from the spec's grant block."""

    @property
    def earned(self) -> int:
        return min(self.tilsagn, round_half_away(self.eligible * self.share))

    @property
    def hold_back(self) -> int:
        return round_half_away(self.tilsagn * self.hold_back_percent / 100)

    @property
    def request(self) -> int:
        return max(
            0, min(self.earned - self.received, self.tilsagn - self.received - self.hold_back)
        )

    @property
    def repayment(self) -> int:
        return max(0, self.received - self.earned)


@dataclass(frozen=True)
class InKind:
    """One municipality's hours on one project in one year."""

    municipality: str
    project: str
    year: int
    budgeted: float
    registered_centi: int
    """Registered hours in hundredths (exact sums)."""
    unattested_centi: int
    rate: int

    @property
    def registered(self) -> float:
        return self.registered_centi / 100

    @property
    def unattested(self) -> float:
        return self.unattested_centi / 100

    @property
    def approved_value(self) -> int:
        return round_half_away(float(Decimal(repr(self.budgeted)) * self.rate))

    @property
    def value(self) -> int:
        return kroner(self.registered_centi * self.rate)


@dataclass
class Report:
    """Every figure of the accounts, and what it was made from."""

    budget: Budget
    as_of: dt.date
    period: tuple[dt.date, dt.date]
    ledgers: list[LedgerInfo]
    sheets: list[TimeSheet]
    classified: Classified
    lines: list[Line]
    financing: list[Financing]
    in_kind: list[InKind]
    entries: list[TimeEntry]
    final: bool
    """The as-of date is at or after the period's end: a final report."""
    findings: list[Any] = field(default_factory=list)

    def funder_of(self, line: Line) -> str:
        return line_funder(self.budget, line.project, line.category)

    def lines_of(self, funder: str) -> list[Line]:
        """The cost-plan rows a funder pays for, in the budget's order."""
        return [line for line in self.lines if self.funder_of(line) == funder]


def line_funder(budget: Budget, project_id: str, category_id: str) -> str:
    """Who pays for a cost-plan row: KDD for a KDD-eligible category of a project KDD
    finances; else the Statsforvalteren when it finances the project; else KDD."""
    project = next(p for p in budget.projects if p.id == project_id)
    category = budget.category(category_id)
    kdd = sum(whole(a) for a in project.kdd)
    sf = sum(whole(a) for a in project.statsforvalteren)
    if category is not None and category.kdd_eligible and kdd > 0:
        return "kdd"
    return "statsforvalteren" if sf > 0 else "kdd"


def grant_period(budget: Budget) -> tuple[dt.date, dt.date]:
    """The grant's period (the widest of the funders'), else the pilot's years whole."""
    if budget.grant:
        starts = [dt.date.fromisoformat(g.period_start) for g in budget.grant]
        ends = [dt.date.fromisoformat(g.period_end) for g in budget.grant]
        return min(starts), max(ends)
    years = budget.pilot.years
    return dt.date(min(years), 1, 1), dt.date(max(years), 12, 31)


def build_report(
    budget: Budget,
    mapping: AccountsMap,
    classified: Classified,
    ledgers: list[LedgerInfo],
    sheets: list[TimeSheet],
    as_of: dt.date | None = None,
) -> Report:
    """The figures of the accounts, cumulative to ``as_of`` (default: today, at most the
    period's end)."""
    period = classified.period
    as_of = as_of or min(dt.date.today(), period[1])  # a run mid-period is not the final report
    years = budget.pilot.years
    costs: dict[tuple[str, str], list[Booked]] = defaultdict(list)
    for item in classified.booked:
        if item.place == "cost":
            costs[(item.project, item.target)].append(item)
    lines = []
    for project in budget.projects:
        approved: dict[str, list[int]] = {}
        for cost in project.costs:
            if cost.is_blank:
                continue
            row = approved.setdefault(cost.category, [0] * len(years))
            for i, amount in enumerate(cost.amounts[: len(years)]):
                row[i] += whole(amount)
        for category in budget.categories:
            postings = costs.get((project.id, category.id), [])
            if category.id not in approved and not postings:
                continue
            planned = approved.get(category.id, [0] * len(years))
            per_year = tuple(
                kroner(sum(b.posting.ore for b in postings if b.posting.date.year == y))
                for y in years
            )
            total = sum(planned)
            lines.append(
                Line(
                    project.id,
                    category.id,
                    tuple(planned),
                    per_year,
                    total,
                    kroner(sum(b.posting.ore for b in postings)),
                    kroner(sum(b.posting.ore for b in postings if b.posting.date <= as_of)),
                    mapping.explanations.get(f"{project.id}.{category.id}", ""),
                    threshold_for(budget, line_funder(budget, project.id, category.id), total),
                )
            )
    entries = [e for sheet in sheets for e in sheet.entries]
    report = Report(
        budget,
        as_of,
        period,
        ledgers,
        sheets,
        classified,
        lines,
        [],
        _in_kind(budget, entries),
        entries,
        final=as_of >= period[1],
    )
    report.financing = [_financing(budget, report, funder, as_of) for funder in FUNDERS]
    return report


def threshold_for(budget: Budget, funder: str, approved: int) -> int:
    """Kroner a deviation may be before it needs an explanation: the larger of the grant's
    per cent of ``approved`` (default 20 %) and its floor (default 50 000 kr)."""
    grant = budget.funder_grant(funder)
    percent = grant.deviation_percent if grant else 20.0
    floor = grant.deviation_kroner if grant else 50_000
    return max(round_half_away(approved * percent / 100), floor)


def _financing(budget: Budget, report: Report, funder: str, as_of: dt.date) -> Financing:
    lines = report.lines_of(funder)
    projects = tuple(dict.fromkeys(line.project for line in lines))
    approved_costs = sum(line.total_approved for line in lines)
    approved_financing = sum(whole(a) for p in budget.projects for a in getattr(p, funder))
    eligible = sum(line.cumulative for line in lines)
    booked = -sum(
        b.posting.ore
        for b in report.classified.booked
        if b.place == "income" and b.target == funder and b.posting.date <= as_of
    )
    grant: FunderGrant | None = budget.funder_grant(funder)
    if grant is not None and grant.share_percent is not None:
        share = grant.share_percent / 100
    else:
        share = min(1.0, approved_financing / approved_costs) if approved_costs else 0.0
    return Financing(
        funder,
        projects,
        grant.tilsagn if grant else approved_financing,
        sum(p.amount for p in grant.payments if p.date <= as_of.isoformat()) if grant else 0,
        kroner(booked),
        eligible,
        round(share, 6),
        grant.hold_back_percent if grant else 0.0,
        grant is not None,
    )


def _in_kind(budget: Budget, entries: Iterable[TimeEntry]) -> list[InKind]:
    pilot = budget.pilot
    names = {m.casefold(): m for m in pilot.municipalities}
    registered: dict[tuple[str, str, int], list[TimeEntry]] = defaultdict(list)
    for entry in entries:
        municipality = names.get(entry.municipality.casefold())
        if municipality and entry.project:
            registered[(municipality, entry.project, entry.date.year)].append(entry)
    rows = []
    for municipality in pilot.municipalities:
        for project in budget.projects:
            budgeted = project.hours_of(municipality)
            for i, year in enumerate(pilot.years):
                planned = budgeted[i] if i < len(budgeted) else 0
                planned = planned.value if isinstance(planned, Formula) else planned
                planned = float(planned) if isinstance(planned, int | float) else 0.0
                found = registered.get((municipality, project.id, year), [])
                if not planned and not found:
                    continue
                rows.append(
                    InKind(
                        municipality,
                        project.id,
                        year,
                        planned,
                        sum(e.centihours for e in found),
                        sum(e.centihours for e in found if not e.attested_by),
                        pilot.hourly_rate,
                    )
                )
    return rows
