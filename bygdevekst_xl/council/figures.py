"""The figures a council pack prints, computed from a workbook's inputs (no I/O, no PDF).

Tables are in thousands of kroner, rounded by ``rounding.controlled_round`` so that every row and
column adds up to the totals printed. A municipality's own share is in hours and whole kroner:
each project year's in-kind value (hours x rate, rounded as the workbook rounds it) is shared
among the municipalities in proportion to their hours by the largest-remainder method, so the
shares add up to the workbook's value to the krone.
"""

from __future__ import annotations

import math

from ..compute import BudgetTotals, ProjectTotals, budget_totals, project_totals
from ..dataclass import dataclass
from ..model import Budget
from .rounding import Cell, controlled_round, largest_remainder

SOURCES = ("kdd", "statsforvalteren", "in_kind")
SOURCE_NAMES = {
    "kdd": "KDD",
    "statsforvalteren": "Statsforvalteren",
    "in_kind": "Egeninnsats (kommunenes timer)",
}
ROUNDING_RULE = (
    "Tabellene viser hele 1 000 kr, og alle bygger på de samme avrundede tallene. Summen for hele "
    "perioden er rundet til nærmeste hele 1 000 kr (halve tusen rundes opp). Hvert annet tall er "
    "rundet opp eller ned til ett av de to nærmeste hele 1 000 kr, valgt slik at hver rad og hver "
    "kolonne summerer til summen som vises, med minst mulig samlet avvik (de største restene "
    "rundes opp). Et beløp som allerede er helt tusen, endres ikke. Nøyaktige beløp i kroner står "
    "under «Nøkkeltall» og i kommunens egeninnsats."
)
ROUNDING_NOT_BALANCED = (
    " Budsjettet er ikke i balanse: kostnadene og finansieringen er rundet hver for seg, så "
    "«Sum kostnader» og «Sum finansiering» er hver rundet til nærmeste hele 1 000 kr, og "
    "balansen er differansen mellom dem."
)
ROUNDING_WIDER = (
    " Unntak: for at alt skal summere, avviker minst én sum som vises med mer enn 1 000 kr fra "
    "det nøyaktige beløpet."
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
    """Cost plan (project x year) and financing plan (source x year), each with totals."""

    years: tuple[int, ...]
    projects: tuple[str, ...]
    costs: list[list[int]]
    """Per project: one figure per year, then the project's total."""
    cost_totals: list[int]
    """Per year, then the grand total."""
    financing: dict[str, list[int]]
    financing_totals: list[int]


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


@dataclass(frozen=True)
class Tables:
    """The tables in 1 000 kr and the rounding rule that made them, as printed."""

    plan: Plan
    detail: Detail
    rule: str


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
    tables: Tables
    rules: list[RuleStatus]


def figures(budget: Budget) -> Figures:
    """All figures of the pack for ``budget``."""
    per_project = [project_totals(budget, p) for p in budget.projects]
    totals = budget_totals(budget, per_project)
    return Figures(
        budget,
        per_project,
        totals,
        tables(budget, per_project),
        rule_statuses(budget, per_project, totals),
    )


Key = tuple[str, int, str]
"""A cell of the budget: (project id, year index, "cost" or a source)."""


def tables(budget: Budget, per_project: list[ProjectTotals]) -> Tables:
    """The cost plan, the financing plan and the detailed table, in 1 000 kr.

    Every table is built from one set of rounded cells (each project's cost and each source per
    year), and every total is the sum of the figures it adds up, so the tables agree with each
    other and add up as printed. In a balanced budget a project year's cost *is* its financing,
    so only the sources are rounded and the costs are their sums; the rounding is a flow with
    projects and years on one side and sources and years on the other.
    """
    n = len(budget.pilot.years)
    exact: dict[Key, int] = {}
    for p, t in zip(budget.projects, per_project, strict=True):
        for y in range(n):
            exact[(p.id, y, "cost")] = whole(t.total_costs[y], p.name)
            for s in SOURCES:
                exact[(p.id, y, s)] = whole(getattr(t, s)[y], p.name)
    balanced = all(b == 0 for t in per_project for b in t.balance)
    sources = {k: v for k, v in exact.items() if k[2] != "cost"}
    costs = {k: v for k, v in exact.items() if k[2] == "cost"}
    layouts = (lambda k: (k[1], k[2]), lambda k: (k[2], k[1]))  # years first, or sources first
    chosen = None
    for columns in layouts:
        rounded = _round(sources, columns)
        if balanced:
            for pid, y, _ in costs:
                rounded[(pid, y, "cost")] = sum(rounded[(pid, y, s)] for s in SOURCES)
        else:
            rounded |= _round(costs, lambda k: (k[1],))
        printed = _build(budget, rounded)
        if chosen is None:
            chosen = printed
        if _adjacent(printed, _build(budget, exact)):
            chosen = printed
            break
    else:
        assert chosen is not None
        chosen = Tables(chosen.plan, chosen.detail, chosen.rule + ROUNDING_WIDER)
    if not balanced:
        return Tables(chosen.plan, chosen.detail, chosen.rule + ROUNDING_NOT_BALANCED)
    return chosen


def _round(values: dict[Key, int], columns) -> dict[Key, int]:
    """Each value in whole thousands, rounded as one table (rows: project and year)."""
    keys = list(values)
    cells = [Cell(values[k], (k[0], k[1]), columns(k)) for k in keys]
    return dict(zip(keys, controlled_round(cells).cells, strict=True))


def _build(budget: Budget, cell: dict[Key, int]) -> Tables:
    """The printed tables from cell values; every total is a sum of what it adds up."""
    years = budget.pilot.years
    n = len(years)
    ids = [p.id for p in budget.projects]
    costs = [[cell[(pid, y, "cost")] for y in range(n)] for pid in ids]
    costs = [[*row, sum(row)] for row in costs]
    cost_totals = [sum(row[y] for row in costs) for y in range(n + 1)]
    financing = {s: [sum(cell[(pid, y, s)] for pid in ids) for y in range(n)] for s in SOURCES}
    financing = {s: [*row, sum(row)] for s, row in financing.items()}
    financing_totals = [sum(financing[s][y] for s in SOURCES) for y in range(n + 1)]

    def line(label: str, cost: int, sources: dict[str, int], total: bool = False) -> DetailRow:
        funded = sum(sources.values())
        return DetailRow(label, cost, sources, funded, funded - cost, total)

    blocks = []
    for y, year in enumerate(years):
        lines = [
            line(p.name, cell[(p.id, y, "cost")], {s: cell[(p.id, y, s)] for s in SOURCES})
            for p in budget.projects
        ]
        lines.append(
            line(f"Sum {year}", cost_totals[y], {s: financing[s][y] for s in SOURCES}, True)
        )
        blocks.append((str(year), lines))
    period = line("Sum hele perioden", cost_totals[n], {s: financing[s][n] for s in SOURCES}, True)
    blocks.append(("", [period]))
    plan = Plan(
        years,
        tuple(p.name for p in budget.projects),
        costs,
        cost_totals,
        financing,
        financing_totals,
    )
    return Tables(plan, Detail(blocks), ROUNDING_RULE)


def _figures_of(t: Tables) -> list[int]:
    """Every number the tables print, in a fixed order."""
    p = t.plan
    out = [v for row in p.costs for v in row] + p.cost_totals + p.financing_totals
    out += [v for s in SOURCES for v in p.financing[s]]
    for _, lines in t.detail.blocks:
        for row in lines:
            out += [row.cost, *row.sources.values(), row.financing, row.balance]
    return out


def _adjacent(printed: Tables, exact: Tables) -> bool:
    """Every printed figure is one of the two whole thousands nearest its exact value."""
    return all(
        e // 1000 <= r <= -(-e // 1000)
        for r, e in zip(_figures_of(printed), _figures_of(exact), strict=True)
    )


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
        "rule_eligible_projects": (
            all(k <= e for t in per_project for k, e in zip(t.kdd, t.kdd_eligible, strict=True)),
            OVER_ELIGIBLE,
        ),
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
