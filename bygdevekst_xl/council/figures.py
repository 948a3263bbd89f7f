"""The figures a council pack prints, computed from a workbook's inputs (no I/O, no PDF).

Tables are in thousands of kroner, rounded by ``rounding.controlled_round`` so that every row and
column adds up to the totals printed. A municipality's own share is in hours and whole kroner:
each project year's in-kind value (hours x rate, rounded as the workbook rounds it) is shared
among the municipalities in proportion to their hours by the largest-remainder method, so the
shares add up to the workbook's value to the krone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..compute import BudgetTotals, ProjectTotals, budget_totals, project_totals
from ..model import Budget
from .rounding import Cell, Rounded, RoundingError, controlled_round, largest_remainder

SOURCES = ("kdd", "statsforvalteren", "in_kind")
SOURCE_NAMES = {
    "kdd": "KDD",
    "statsforvalteren": "Statsforvalteren",
    "in_kind": "Egeninnsats (kommunenes timer)",
}
ROUNDING_RULE = (
    "Tabellene viser hele 1 000 kr. Summene «Sum kostnader» og «Sum finansiering» for hele "
    "perioden er rundet til nærmeste hele 1 000 kr (halve tusen rundes opp). Alle andre tall er "
    "rundet opp eller ned til ett av de to nærmeste hele 1 000 kr, valgt slik at hver rad og hver "
    "kolonne summerer til summen som vises, med minst mulig samlet avvik (de største restene "
    "rundes opp). Et beløp som allerede er helt tusen, endres ikke. Hver tabell er avrundet for "
    "seg; nøyaktige beløp i kroner står under «Nøkkeltall» og i kommunens egeninnsats."
)
ROUNDING_FALLBACK = (
    " I denne tabellen lot ikke «Sum kostnader» og «Sum finansiering» seg runde til nærmeste tusen "
    "samtidig som alt summerer; de er rundet til ett av de to nærmeste hele 1 000 kr."
)


class FiguresError(ValueError):
    """A figure cannot be printed (an input beyond any spreadsheet number)."""


def whole(value: float, what: str) -> int:
    """An amount as whole kroner; refuses infinity and NaN, naming what it is."""
    if not math.isfinite(value):
        raise FiguresError(f"{what}: the amount ({value}) is no number that can be printed")
    return round(value)


@dataclass(frozen=True)
class Plan:
    """Cost plan (project x year) and financing plan (source x year), rounded together."""

    years: tuple[int, ...]
    projects: tuple[str, ...]
    costs: list[list[int]]
    """Per project: one figure per year, then the project's total."""
    cost_totals: list[int]
    """Per year, then the grand total."""
    financing: dict[str, list[int]]
    financing_totals: list[int]
    exact_totals: bool


@dataclass(frozen=True)
class DetailRow:
    """One line of the detailed table: costs, sources, financing and balance."""

    label: str
    cost: int
    sources: dict[str, int]
    financing: int
    balance: int
    total: bool = False


@dataclass(frozen=True)
class Detail:
    """Costs and financing per project and year, with year and period totals."""

    blocks: list[tuple[str, list[DetailRow]]]
    exact_totals: bool


@dataclass(frozen=True)
class ShareRow:
    """A municipality's hours and their value for one project."""

    project: str
    hours: list[float]
    kroner: list[int]


@dataclass(frozen=True)
class Share:
    """A municipality's own share: hours and kroner per project and year, with totals."""

    municipality: str
    rows: list[ShareRow]
    hours_per_year: list[float]
    kroner_per_year: list[int]

    @property
    def hours(self) -> float:
        return sum(self.hours_per_year)

    @property
    def kroner(self) -> int:
        return sum(self.kroner_per_year)


@dataclass(frozen=True)
class RuleStatus:
    """One rule of the scheme and whether the budget keeps it."""

    text: str
    ok: bool
    status: str


@dataclass(frozen=True)
class Figures:
    """Everything a council pack prints about the budget."""

    budget: Budget
    per_project: list[ProjectTotals]
    totals: BudgetTotals
    plan: Plan
    detail: Detail
    rules: list[RuleStatus]


def figures(budget: Budget) -> Figures:
    """All figures of the pack for ``budget``."""
    per_project = [project_totals(budget, p) for p in budget.projects]
    totals = budget_totals(budget, per_project)
    return Figures(
        budget,
        per_project,
        totals,
        plan(budget, per_project),
        detail(budget, per_project),
        rule_statuses(budget, per_project, totals),
    )


def _rounded(cells: list[Cell], fixed: set[tuple[str, tuple]]) -> tuple[Rounded, bool]:
    """Round with the grand totals fixed; when that cannot add up, with only the rest."""
    try:
        return controlled_round(cells, fixed=frozenset(fixed)), True
    except RoundingError:
        return controlled_round(cells), False


def plan(budget: Budget, per_project: list[ProjectTotals]) -> Plan:
    """The cost plan and the financing plan in 1 000 kr, rounded as one table.

    Financing is entered negated, so a balanced year's column adds up to exactly zero and the
    rounded costs and financing of each year agree.
    """
    years = budget.pilot.years
    cells = []
    for p, t in zip(budget.projects, per_project, strict=True):
        for y in range(len(years)):
            cells.append(Cell(whole(t.total_costs[y], p.name), ("cost", p.id), (y, "cost")))
    for source in SOURCES:
        for y in range(len(years)):
            value = sum(whole(getattr(t, source)[y], source) for t in per_project)
            cells.append(Cell(-value, ("fin", source), (y, "fin")))
    r, exact = _rounded(cells, {("row", ("cost",)), ("row", ("fin",))})
    n = len(years)
    costs = [
        [r.cells[i * n + y] for y in range(n)] + [r.rows[("cost", p.id)]]
        for i, p in enumerate(budget.projects)
    ]
    cost_totals = [r.cols.get((y, "cost"), 0) for y in range(n)] + [r.rows.get(("cost",), 0)]
    first = len(costs) * n  # the financing cells follow the cost cells
    financing = {
        s: [-r.cells[first + k * n + y] for y in range(n)] + [-r.rows[("fin", s)]]
        for k, s in enumerate(SOURCES)
    }
    financing_totals = [-r.cols.get((y, "fin"), 0) for y in range(n)] + [-r.rows.get(("fin",), 0)]
    return Plan(
        years,
        tuple(p.name for p in budget.projects),
        costs,
        cost_totals,
        financing,
        financing_totals,
        exact,
    )


def detail(budget: Budget, per_project: list[ProjectTotals]) -> Detail:
    """Costs, each source, financing and balance per project and year, in 1 000 kr."""
    years = budget.pilot.years
    columns = ("cost", *SOURCES)
    cells, where = [], []
    for y in range(len(years)):
        for p, t in zip(budget.projects, per_project, strict=True):
            for column in columns:
                group = "cost" if column == "cost" else "fin"
                raw = t.total_costs[y] if column == "cost" else getattr(t, column)[y]
                value = whole(raw, p.name)
                cells.append(
                    Cell(
                        value if group == "cost" else -value,
                        (y, p.id, group),
                        (group, column, y),
                    )
                )
                where.append((y, p.id, column))
    r, exact = _rounded(cells, {("col", ("cost",)), ("col", ("fin",))})
    got = dict(zip(where, r.cells, strict=True))

    def row(label: str, cost: int, sources: dict[str, int], balance: int, total: bool) -> DetailRow:
        return DetailRow(label, cost, sources, sum(sources.values()), balance, total)

    blocks = []
    for y, year in enumerate(years):
        lines = [
            row(
                p.name,
                got[(y, p.id, "cost")],
                {s: -got[(y, p.id, s)] for s in SOURCES},
                -r.rows[(y, p.id)],
                False,
            )
            for p in budget.projects
        ]
        lines.append(
            row(
                f"Sum {year}",
                r.cols.get(("cost", "cost", y), 0),
                {s: -r.cols.get(("fin", s, y), 0) for s in SOURCES},
                -r.rows.get((y,), 0),
                True,
            )
        )
        blocks.append((str(year), lines))
    period = row(
        "Sum hele perioden",
        r.cols.get(("cost",), 0),
        {s: -r.cols.get(("fin", s), 0) for s in SOURCES},
        -r.rows[()],
        True,
    )
    blocks.append(("", [period]))
    return Detail(blocks, exact)


def municipality_share(
    budget: Budget, per_project: list[ProjectTotals], municipality: str
) -> Share:
    """A municipality's hours and their value in kroner per project and year."""
    index = budget.pilot.municipalities.index(municipality)
    n = len(budget.pilot.years)
    rows = []
    for p, t in zip(budget.projects, per_project, strict=True):
        hours = [t.hours_by_municipality[index][y] for y in range(n)]
        kroner = []
        for y in range(n):
            weights = [row[y] for row in t.hours_by_municipality]
            value = whole(t.in_kind[y], p.name)
            kroner.append(largest_remainder(value, weights)[index])
        rows.append(ShareRow(p.name, hours, kroner))
    return Share(
        municipality,
        rows,
        [sum(r.hours[y] for r in rows) for y in range(n)],
        [sum(r.kroner[y] for r in rows) for y in range(n)],
    )


def rule_statuses(
    budget: Budget, per_project: list[ProjectTotals], totals: BudgetTotals
) -> list[RuleStatus]:
    """The scheme's rules, as the combined sheet states them, with their status."""
    from ..layout.summary_sheet import RULE_NAMES
    from ..texts import MISSING_HOURS, NOT_BALANCED, OK, OVER_CAP, OVER_ELIGIBLE, UNCATEGORISED

    missing = sum(
        t.municipalities_without_hours
        for p, t in zip(budget.projects, per_project, strict=True)
        if p.working_group
    )
    kept = {
        "rule_cap": (totals.kdd <= totals.kdd_cap, OVER_CAP),
        "rule_eligible": (totals.kdd <= totals.kdd_eligible, OVER_ELIGIBLE),
        "rule_balance": (all(b == 0 for t in per_project for b in t.balance), NOT_BALANCED),
        "rule_hours": (missing == 0, MISSING_HOURS),
        "rule_categories": (
            not any(u for t in per_project for u in t.uncategorised),
            UNCATEGORISED,
        ),
    }
    return [
        RuleStatus(text, kept[key][0], OK if kept[key][0] else kept[key][1])
        for key, text in RULE_NAMES
    ]
