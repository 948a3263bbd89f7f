"""Where each table sits: row plans derived from counts alone.

The writer lays sheets out from these plans, and the reader finds a workbook's tables from the
same plans, given the counts it reads from the workbook (cost-table capacity, municipalities,
categories, projects).
"""

from __future__ import annotations

from functools import cached_property

from ..dataclass import dataclass

FIRST_YEAR_COL = 2
"""Column C: the first project year; one column per year follows, then the row's sum."""

SPARE_COST_ROWS = 5
"""Empty input rows under the cost lines of a generated sheet, for lines added in Excel."""


def year_col(year_index: int) -> int:
    """The column of a project year (0-based index of the year)."""
    return FIRST_YEAR_COL + year_index


def sum_col(n_years: int) -> int:
    """The column of the row sum, right of the last year."""
    return FIRST_YEAR_COL + n_years


def cost_capacity(n_lines: int) -> int:
    """Input rows for a cost table holding ``n_lines`` lines: room to add lines in Excel."""
    return n_lines + SPARE_COST_ROWS


@dataclass(frozen=True)
class ProjectRows:
    """Row plan of a project sheet.

    Each row is derived from the one above it, once: a sheet's builders and its readers ask
    for the rows far down (the balance, the margin) thousands of times.
    """

    capacity: int
    n_municipalities: int
    n_categories: int

    title = 0
    subtitle = 1
    description = 2
    cost_heading = 4
    cost_header = 5
    cost_first = 6

    @cached_property
    def cost_last(self) -> int:
        return self.cost_first + self.capacity - 1

    @cached_property
    def cost_total(self) -> int:
        return self.cost_last + 1

    @cached_property
    def hours_heading(self) -> int:
        return self.cost_total + 2

    @cached_property
    def hours_header(self) -> int:
        return self.hours_heading + 1

    @cached_property
    def hours_first(self) -> int:
        return self.hours_header + 1

    @cached_property
    def hours_last(self) -> int:
        return self.hours_first + self.n_municipalities - 1

    def hours_row(self, municipality: int) -> int:
        """The row of a municipality's hours (0-based index in the pilot's order)."""
        return self.hours_first + municipality

    @cached_property
    def hours_total(self) -> int:
        return self.hours_last + 1

    @cached_property
    def in_kind(self) -> int:
        return self.hours_total + 1

    @cached_property
    def working_group(self) -> int:
        return self.in_kind + 1

    @cached_property
    def financing_heading(self) -> int:
        return self.working_group + 2

    @cached_property
    def financing_header(self) -> int:
        return self.financing_heading + 1

    @cached_property
    def kdd(self) -> int:
        return self.financing_header + 1

    @cached_property
    def statsforvalteren(self) -> int:
        return self.kdd + 1

    @cached_property
    def own_share(self) -> int:
        return self.statsforvalteren + 1

    @cached_property
    def financing_total(self) -> int:
        return self.own_share + 1

    @cached_property
    def category_heading(self) -> int:
        return self.financing_total + 2

    @cached_property
    def category_header(self) -> int:
        return self.category_heading + 1

    @cached_property
    def category_first(self) -> int:
        return self.category_header + 1

    @cached_property
    def category_last(self) -> int:
        return self.category_first + self.n_categories - 1

    @cached_property
    def uncategorised(self) -> int:
        return self.category_last + 1

    @cached_property
    def kdd_eligible(self) -> int:
        return self.uncategorised + 1

    @cached_property
    def balance_heading(self) -> int:
        return self.kdd_eligible + 2

    @cached_property
    def total_costs(self) -> int:
        return self.balance_heading + 1

    @cached_property
    def balance(self) -> int:
        return self.total_costs + 1

    @cached_property
    def kdd_margin(self) -> int:
        """KDD-eligible costs − KDD per year, with the project's eligibility flag."""
        return self.balance + 1


PROJECT_ROW_ROLES = (
    "cost_total",
    "hours_total",
    "in_kind",
    "working_group",
    "kdd",
    "statsforvalteren",
    "own_share",
    "financing_total",
    "uncategorised",
    "kdd_eligible",
    "total_costs",
    "balance",
)
"""The rows of a project sheet that formulas a person types may refer to, by role."""

RowRole = tuple[str, int] | tuple[str]
"""``("cost", line)``, ``("hours", municipality index)``, ``("category", k)`` or
``(name,)`` for one of :data:`PROJECT_ROW_ROLES`."""


def project_row_role(rows: ProjectRows, row: int) -> RowRole | None:
    """What a project sheet's (layout) row holds, or None for headings and blank rows."""
    if rows.cost_first <= row <= rows.cost_last:
        return ("cost", row - rows.cost_first)
    if rows.hours_first <= row <= rows.hours_last:
        return ("hours", row - rows.hours_first)
    if rows.category_first <= row <= rows.category_last:
        return ("category", row - rows.category_first)
    for name in PROJECT_ROW_ROLES:
        if getattr(rows, name) == row:
            return (name,)
    return None


def project_role_row(rows: ProjectRows, role: RowRole) -> int | None:
    """The (layout) row of a role on a project sheet, or None when the sheet has no such row."""
    if len(role) == 2:
        kind, index = role  # type: ignore[misc]
        first, count = {
            "cost": (rows.cost_first, rows.capacity),
            "hours": (rows.hours_first, rows.n_municipalities),
            "category": (rows.category_first, rows.n_categories),
        }[kind]
        return first + index if 0 <= index < count else None
    return getattr(rows, role[0]) if role[0] in PROJECT_ROW_ROLES else None


ColumnRole = tuple[str, int] | tuple[str]
"""``("year", index)``, ``("sum",)``, ``("category",)`` or ``("description",)``."""


def project_col_role(col: int, n_years: int) -> ColumnRole | None:
    """What a project sheet's column holds."""
    if col == LINE_CATEGORY_COL:
        return ("category",)
    if col == LINE_DESCRIPTION_COL:
        return ("description",)
    if FIRST_YEAR_COL <= col < FIRST_YEAR_COL + n_years:
        return ("year", col - FIRST_YEAR_COL)
    return ("sum",) if col == sum_col(n_years) else None


def project_role_col(role: ColumnRole, n_years: int) -> int | None:
    """The column of a role on a project sheet with ``n_years`` years."""
    if role[0] == "year":
        index = role[1]  # type: ignore[misc]
        return year_col(index) if 0 <= index < n_years else None
    return {
        "category": LINE_CATEGORY_COL,
        "description": LINE_DESCRIPTION_COL,
        "sum": sum_col(n_years),
    }.get(role[0])


PILOT_FACT_ROWS = {
    "kdd_cap": "kdd_cap",
    "hourly_rate": "hourly_rate",
    "years": "years",
    "name": "pilot_name",
    "application_deadline": "deadline",
    "council_meeting": "council_meeting",
    "project_leader": "project_leader",
    "reservation": "reservation",
    "lead_municipality": "lead_municipality",
    "organisation_number": "organisation_number",
    "contact_person": "contact_person",
}
"""A pilot fact of the spec (``pilot.<field>``) -> its row on Parametre (``ParameterRows``)."""


@dataclass(frozen=True)
class ParameterRows:
    """Row plan of the Parametre sheet."""

    n_municipalities: int
    n_categories: int
    n_projects: int

    title = 0
    note = 1
    kdd_cap = 3
    hourly_rate = 4
    years = 5
    pilot_name = 6
    deadline = 7
    council_meeting = 8
    project_leader = 9
    reservation = 10
    lead_municipality = 11
    organisation_number = 12
    contact_person = 13
    municipality_heading = 15
    municipality_first = 16

    @property
    def municipality_last(self) -> int:
        return self.municipality_first + self.n_municipalities - 1

    @property
    def category_heading(self) -> int:
        return self.municipality_last + 2

    @property
    def category_header(self) -> int:
        return self.category_heading + 1

    @property
    def category_first(self) -> int:
        return self.category_header + 1

    @property
    def category_last(self) -> int:
        return self.category_first + self.n_categories - 1

    def category_row(self, k: int) -> int:
        """The row of category ``k`` (0-based) in the category table."""
        return self.category_first + k

    @property
    def all_rows(self) -> range:
        """Every row of the sheet's plan, first to last."""
        return range(self.project_last + 1)

    def category_of(self, row: int) -> int | None:
        """Which category (0-based) a row of the category table holds; None for other rows."""
        return (
            row - self.category_first if self.category_first <= row <= self.category_last else None
        )

    @property
    def project_heading(self) -> int:
        return self.category_last + 2

    @property
    def project_header(self) -> int:
        return self.project_heading + 1

    @property
    def project_first(self) -> int:
        return self.project_header + 1

    @property
    def project_last(self) -> int:
        return self.project_first + self.n_projects - 1


# Columns of a cost line (the years follow from FIRST_YEAR_COL).
LINE_CATEGORY_COL, LINE_DESCRIPTION_COL = 0, 1

# Columns of the Parametre tables.
PARAM_VALUE_COL = 1
CATEGORY_NAME_COL, CATEGORY_KDD_COL, CATEGORY_ID_COL, CATEGORY_NOTE_COL = 0, 1, 2, 3
PROJECT_NO_COL, PROJECT_ID_COL, PROJECT_NAME_COL, PROJECT_SHEET_COL, PROJECT_WG_COL = 0, 1, 2, 3, 4


@dataclass(frozen=True)
class SummaryRows:
    """Row plan of the combined budget sheet: one block per year, one for the whole period."""

    n_years: int
    n_projects: int
    n_categories: int

    title = 0
    subtitle = 1
    block_heading = 3
    n_rules = 6

    def block_header(self, period: int) -> int:
        """Header row of a period block: 0..n_years-1 are the years, n_years the whole period."""
        return self.block_heading + 1 + period * (self.n_projects + 3)

    def block_first(self, period: int) -> int:
        return self.block_header(period) + 1

    def block_last(self, period: int) -> int:
        return self.block_first(period) + self.n_projects - 1

    def block_total(self, period: int) -> int:
        return self.block_last(period) + 1

    @property
    def category_heading(self) -> int:
        return self.block_total(self.n_years) + 2

    @property
    def category_header(self) -> int:
        return self.category_heading + 1

    @property
    def category_first(self) -> int:
        return self.category_header + 1

    @property
    def category_last(self) -> int:
        return self.category_first + self.n_categories - 1

    @property
    def uncategorised(self) -> int:
        return self.category_last + 1

    @property
    def category_total(self) -> int:
        return self.uncategorised + 1

    @property
    def kdd_eligible(self) -> int:
        return self.category_total + 1

    @property
    def rule_heading(self) -> int:
        return self.kdd_eligible + 2

    @property
    def rule_header(self) -> int:
        return self.rule_heading + 1

    @property
    def rule_first(self) -> int:
        return self.rule_header + 1

    @property
    def rule_last(self) -> int:
        return self.rule_first + self.n_rules - 1

    @property
    def rule_all(self) -> int:
        return self.rule_last + 1

    @property
    def chart_row(self) -> int:
        return self.rule_all + 2


# Columns of the combined sheet's project blocks.
(
    BLOCK_PROJECT,
    BLOCK_COSTS,
    BLOCK_IN_KIND,
    BLOCK_TOTAL_COSTS,
    BLOCK_KDD,
    BLOCK_STATSFORVALTEREN,
    BLOCK_OWN_SHARE,
    BLOCK_FINANCING,
    BLOCK_BALANCE,
    BLOCK_ELIGIBLE,
    BLOCK_MISSING_HOURS,
) = range(11)
# Columns of the rules table.
RULE_NAME, RULE_VALUE, RULE_LIMIT, RULE_MARGIN, RULE_STATUS = range(5)
