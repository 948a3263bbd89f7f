"""The budget's totals computed in plain Python, the way the workbook's formulas compute them.

The layout attaches these numbers to its formulas as cached values, and the checker compares
them with what the workbook's own formulas give: two independent routes to the same totals.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from .dataclass import dataclass
from .model import Amount, Budget, Formula, Project


def number(value: Amount | object) -> float:
    """What SUM sees in a cell: numbers count, text, blanks and booleans are 0."""
    if type(value) is int or type(value) is float:  # the usual amount: no more questions
        return value
    if isinstance(value, Formula):
        value = value.value
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0
    return value


HOURS_DECIMALS = 6
"""Summed hours are rounded to this many decimals before they are priced.

Spreadsheets add in different ways: Excel and Python from left to right, LibreOffice and
Gnumeric with compensation, so 221 + 293.29 + 129.3 is 643.5899999999999 in one and 643.59 in
the other. Priced at 750 kr that is 482 692.49999999994 or 482 692.5 kr, and ROUND gives
482 692 or 482 693. Rounding the sum first gives every program the same number to price.
"""


def excel_round(value: float, digits: int = 0) -> float:
    """Excel's ROUND: the value taken at 15 significant digits, then rounded in decimal with
    halves away from zero. ``267.15*50`` is 13 357.499999999998 in binary but 13 357.5 to
    Excel, so ROUND gives 13 358 (Python's round() would give 13 357, and rounds halves to
    even besides)."""
    try:
        shown = float(f"{value:.14e}")
    except OverflowError:  # an int beyond any float: whole already
        return value
    if not math.isfinite(shown) or shown == 0 or abs(shown) >= 2.0**52:
        return shown if math.isfinite(shown) else value
    rounded = Decimal(repr(shown)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return float(rounded)


def priced_hours(hours: float, hourly_rate: float) -> float:
    """The in-kind value of *hours*: ``ROUND(ROUND(ROUND(hours, 6) * rate, 6), 0)``.

    The product is rounded to 6 decimals before kroner: ``267.15*50`` is 13 357.499999999998
    in binary, which Excel (at 15 significant digits), IronCalc and Gnumeric round to 13 358 and
    LibreOffice to 13 357; rounded to 13 357.5 first, every program shows 13 358 kr."""
    return excel_round(
        excel_round(excel_round(hours, HOURS_DECIMALS) * hourly_rate, HOURS_DECIMALS)
    )


def per_year(values: tuple[Amount, ...], years: int) -> list[float]:
    """The numeric value of each year's cell (a missing year reads as an empty cell)."""
    out = [v if type(v) is int or type(v) is float else number(v) for v in values[:years]]
    if len(out) < years:
        out += [0] * (years - len(out))
    return out


@dataclass(frozen=True)
class ProjectTotals:
    """One project's totals per year; each list has one entry per project year."""

    line_totals: list[float]
    costs: list[float]
    by_category: dict[str, list[float]]
    uncategorised: list[float]
    kdd_eligible: list[float]
    hours_by_municipality: list[list[float]]
    hours: list[float]
    in_kind: list[float]
    kdd: list[float]
    statsforvalteren: list[float]
    financing: list[float]
    total_costs: list[float]
    balance: list[float]
    municipalities_without_hours: int


def project_totals(budget: Budget, project: Project) -> ProjectTotals:
    """All totals of one project, computed from its inputs."""
    years = len(budget.pilot.years)
    lines = [per_year(line.amounts, years) for line in project.costs]
    costs = [sum(column) for column in zip(*lines, strict=True)] if lines else [0] * years
    by_category: dict[str, list[float]] = {c.id: [0] * years for c in budget.categories}
    for values, line in zip(lines, project.costs, strict=True):
        row = by_category.get(line.category)
        if row is not None:
            for y in range(years):
                row[y] += values[y]
    categorised = [sum(v[y] for v in by_category.values()) for y in range(years)]
    eligible = [
        sum(by_category[c.id][y] for c in budget.categories if c.kdd_eligible) for y in range(years)
    ]
    hours_rows = [per_year(project.hours_of(m), years) for m in budget.pilot.municipalities]
    hours = [sum(row[y] for row in hours_rows) for y in range(years)]
    in_kind = [priced_hours(h, budget.pilot.hourly_rate) for h in hours]
    kdd = per_year(project.kdd, years)
    statsforvalteren = per_year(project.statsforvalteren, years)
    financing = [kdd[y] + statsforvalteren[y] + in_kind[y] for y in range(years)]
    total_costs = [costs[y] + in_kind[y] for y in range(years)]
    return ProjectTotals(
        line_totals=[sum(line) for line in lines],
        costs=costs,
        by_category=by_category,
        uncategorised=[costs[y] - categorised[y] for y in range(years)],
        kdd_eligible=eligible,
        hours_by_municipality=hours_rows,
        hours=hours,
        in_kind=in_kind,
        kdd=kdd,
        statsforvalteren=statsforvalteren,
        financing=financing,
        total_costs=total_costs,
        balance=[financing[y] - total_costs[y] for y in range(years)],
        municipalities_without_hours=sum(1 for row in hours_rows if sum(row) <= 0),
    )


@dataclass(frozen=True)
class BudgetTotals:
    """The whole application's totals over both years, as the combined sheet shows them."""

    costs: float
    in_kind: float
    total_costs: float
    kdd: float
    statsforvalteren: float
    financing: float
    balance: float
    kdd_eligible: float
    kdd_cap: int

    @property
    def kdd_headroom(self) -> float:
        """How much more KDD money the cap allows."""
        return self.kdd_cap - self.kdd


def budget_totals(budget: Budget, totals: Sequence[ProjectTotals] | None = None) -> BudgetTotals:
    """The application's totals over all projects and years (from ``totals`` when given)."""
    if totals is None:
        totals = [project_totals(budget, p) for p in budget.projects]

    def total(attribute: str) -> float:
        return sum(sum(getattr(t, attribute)) for t in totals)

    return BudgetTotals(
        costs=total("costs"),
        in_kind=total("in_kind"),
        total_costs=total("total_costs"),
        kdd=total("kdd"),
        statsforvalteren=total("statsforvalteren"),
        financing=total("financing"),
        balance=total("balance"),
        kdd_eligible=total("kdd_eligible"),
        kdd_cap=budget.pilot.kdd_cap,
    )
