"""One project's budget sheet: costs, in-kind hours, financing, categories, balance."""

from __future__ import annotations

from ..compute import HOURS_DECIMALS, ProjectTotals, number
from ..dataclass import dataclass, field
from ..excel import col_letter, row_number
from ..model import Budget, Project
from ..texts import (
    BULLET,
    COST_HEADER,
    COST_TOTAL_LABEL,
    ELIGIBLE_FLAG,
    FINANCING_LABELS,
    KDD_MARGIN,
    MISSING_HOURS,
    NOT_BALANCED,
    OK,
    OVER_ELIGIBLE,
    OWN_SHARE,
    SUM_HEADER,
    UNCATEGORISED,
    period_label,
)
from .cells import SheetLayout, Validation, a1, a1_range, wrapped_height
from .rows import (
    FIRST_YEAR_COL,
    LINE_CATEGORY_COL,
    LINE_DESCRIPTION_COL,
    ProjectRows,
    sum_col,
    year_col,
)
from .validation import AMOUNT, CATEGORY, HOURS, TEXT, status_formats

LABEL, TEXT_COL = LINE_CATEGORY_COL, LINE_DESCRIPTION_COL


@dataclass
class _Context:
    """What every section of one project sheet needs: the sheet, the plan, the totals."""

    budget: Budget
    project: Project
    rows: ProjectRows
    totals: ProjectTotals
    sheet: SheetLayout
    years: tuple[int, ...]
    n_years: int = field(init=False)
    total_col: int = field(init=False)
    year_cols: tuple[int, ...] = field(init=False)
    year_letters: tuple[str, str] = field(init=False)
    """The letters of the first and the last year column (every row's sum spans them)."""

    def __post_init__(self) -> None:
        self.n_years = len(self.years)
        self.total_col = sum_col(self.n_years)
        self.year_cols = tuple(year_col(y) for y in range(self.n_years))
        self.year_letters = (col_letter(FIRST_YEAR_COL), col_letter(self.total_col - 1))

    def header(self, row: int, first: str, second: str, last: str = SUM_HEADER) -> None:
        """A table header: two text columns, one column per year, the sum column."""
        self.sheet.label(row, LABEL, first, "header")
        self.sheet.label(row, TEXT_COL, second, "header")
        for y, year in enumerate(self.years):
            self.sheet.label(row, year_col(y), str(year), "header_num")
        self.sheet.label(row, self.total_col, last, "header_num")

    def row_sum(self, row: int, value: float, style: str = "amount") -> None:
        """The sum of a row's year cells, in the sum column."""
        first, last = self.year_letters
        n = row_number(row)
        self.sheet.formula(row, self.total_col, f"SUM({first}{n}:{last}{n})", value, style)

    def column_sum(self, row: int, first: int, last: int, values: list[float], style: str) -> None:
        """Each year column summed from *first* to *last*, and the row's sum."""
        for y in range(self.n_years):
            col = year_col(y)
            self.sheet.formula(
                row, col, f"SUM({a1_range(first, col, last, col)})", values[y], style
            )
        self.row_sum(row, sum(values), style)


def project_sheet(
    budget: Budget,
    project: Project,
    number_in_order: int,
    rows: ProjectRows,
    totals: ProjectTotals,
    parameters: dict[str, str],
) -> SheetLayout:
    """Lay out one project's sheet; ``parameters`` holds references to the category cells."""
    sheet = SheetLayout(project.sheet, tab_color="#5B8C5A", portrait=True)
    ctx = _Context(budget, project, rows, totals, sheet, budget.pilot.years)
    _title(ctx, number_in_order)
    _costs(ctx)
    _hours(ctx)
    _financing(ctx)
    _categories(ctx, parameters)
    _balance(ctx)
    kdd_margin(sheet, rows, totals, ctx.n_years)
    return sheet


def _title(ctx: _Context, number_in_order: int) -> None:
    """Column widths, frozen panes, the title, the subtitle and the description."""
    sheet, rows, project, total_col = ctx.sheet, ctx.rows, ctx.project, ctx.total_col
    sheet.widths = {
        LABEL: 40,
        TEXT_COL: 46,
        **{year_col(y): 15 for y in range(ctx.n_years)},
        total_col: 16,
    }
    sheet.freeze = (rows.title + 1, 0)
    sheet.repeat_rows = (rows.title, rows.title)

    sheet.label(rows.title, LABEL, f"Prosjekt {number_in_order}: {project.name}", "title")
    group = (
        "arbeidsgruppe med en representant fra hver kommune"
        if project.working_group
        else ("uten egen arbeidsgruppe")
    )
    sheet.label(
        rows.subtitle,
        LABEL,
        f"{ctx.budget.pilot.name} · budsjett {period_label(ctx.years)} · {group}",
        "subtitle",
    )
    description = "\n".join(f"{BULLET}{line}" for line in project.description)
    sheet.label(rows.description, LABEL, description, "wrap")
    sheet.merges.append((rows.description, LABEL, rows.description, total_col))
    sheet.heights[rows.description] = max(15, 15 * len(project.description))


def _costs(ctx: _Context) -> None:
    """The cost lines (category, description, one amount per year) and their total."""
    sheet, rows, project, totals = ctx.sheet, ctx.rows, ctx.project, ctx.totals
    sheet.label(rows.cost_heading, LABEL, "Kostnader", "heading")
    ctx.header(rows.cost_header, *COST_HEADER)
    names = {c.id: c.name for c in ctx.budget.categories}
    for i in range(rows.capacity):
        row = rows.cost_first + i
        line = project.costs[i] if i < len(project.costs) else None
        category: object = names.get(line.category, line.category) if line else None
        if line and line.category_formula is not None:
            category = line.category_formula  # kept as the person typed it
        sheet.input(row, LABEL, category, "category", "input_text")
        sheet.input(row, TEXT_COL, line.description if line else None, "text", "input_text")
        if line and len(line.description) > sheet.widths[TEXT_COL]:  # wraps: room for it all
            sheet.heights[row] = wrapped_height(line.description, sheet.widths[TEXT_COL])
        amounts = line.amounts if line else ()
        for y, col in enumerate(ctx.year_cols):
            value = amounts[y] if y < len(amounts) else None
            sheet.input(row, col, value, "amount", "input_amount")
        ctx.row_sum(row, totals.line_totals[i] if line else 0)
    sheet.label(rows.cost_total, LABEL, COST_TOTAL_LABEL, "total_label")
    sheet.label(rows.cost_total, TEXT_COL, None, "total_label")
    ctx.column_sum(rows.cost_total, rows.cost_first, rows.cost_last, totals.costs, "amount_total")
    sheet.validations += [
        Validation(rows.cost_first, LABEL, rows.cost_last, LABEL, CATEGORY),
        Validation(rows.cost_first, TEXT_COL, rows.cost_last, TEXT_COL, TEXT),
        Validation(rows.cost_first, FIRST_YEAR_COL, rows.cost_last, ctx.total_col - 1, AMOUNT),
    ]


def _hours(ctx: _Context) -> None:
    """In-kind hours per municipality and year, their value, and the working-group check."""
    sheet, rows, project, totals = ctx.sheet, ctx.rows, ctx.project, ctx.totals
    n_years, total_col = ctx.n_years, ctx.total_col
    sheet.label(
        rows.hours_heading, LABEL, "Egeninnsats i timer (arbeidsgruppe og oppfølging)", "heading"
    )
    ctx.header(rows.hours_header, "Kommune", "", "Sum timer")
    for m, municipality in enumerate(ctx.budget.pilot.municipalities):
        row = rows.hours_first + m
        hours = project.hours_of(municipality)
        sheet.label(row, LABEL, municipality, "text")
        for y in range(n_years):
            value = hours[y] if y < len(hours) else None
            sheet.input(row, year_col(y), value, "hours", "input_hours")
        ctx.row_sum(row, sum(totals.hours_by_municipality[m]), "hours")
    sheet.label(rows.hours_total, LABEL, "Sum timer", "total_label")
    ctx.column_sum(rows.hours_total, rows.hours_first, rows.hours_last, totals.hours, "hours_total")
    sheet.label(rows.in_kind, LABEL, "Verdi av egeninnsatsen (timer × timesats, kr)", "text")
    for y in range(n_years):
        col = year_col(y)
        sheet.formula(
            rows.in_kind,
            col,
            f"ROUND(ROUND(ROUND({a1(rows.hours_total, col)},{HOURS_DECIMALS})*Timesats,"
            f"{HOURS_DECIMALS}),0)",
            totals.in_kind[y],
            "amount",
        )
    ctx.row_sum(rows.in_kind, sum(totals.in_kind))
    sheet.validations.append(
        Validation(rows.hours_first, FIRST_YEAR_COL, rows.hours_last, total_col - 1, HOURS)
    )
    if project.working_group:
        _working_group(ctx)
    else:
        sheet.label(rows.working_group, LABEL, "Prosjektet har ingen egen arbeidsgruppe", "note")


def _working_group(ctx: _Context) -> None:
    """The count of municipalities without hours in the working group, and its status."""
    sheet, rows, totals, total_col = ctx.sheet, ctx.rows, ctx.totals, ctx.total_col
    sheet.label(rows.working_group, LABEL, "Kommuner uten timer i arbeidsgruppen", "text")
    hours_range = a1_range(rows.hours_first, total_col, rows.hours_last, total_col)
    count_cell = a1(rows.working_group, FIRST_YEAR_COL)
    sheet.formula(
        rows.working_group,
        FIRST_YEAR_COL,
        f'COUNTIF({hours_range},"<=0")',
        totals.municipalities_without_hours,
        "count",
    )
    status = OK if totals.municipalities_without_hours == 0 else MISSING_HOURS
    sheet.formula(
        rows.working_group,
        TEXT_COL,
        f'IF({count_cell}=0,"{OK}","{MISSING_HOURS}")',
        status,
        "status",
    )
    sheet.conditional += status_formats(rows.working_group, TEXT_COL)


def _financing(ctx: _Context) -> None:
    """Financing per source and year: KDD, Statsforvalteren, the own share and the total."""
    sheet, rows, project, totals = ctx.sheet, ctx.rows, ctx.project, ctx.totals
    n_years = ctx.n_years
    sheet.label(rows.financing_heading, LABEL, "Finansiering", "heading")
    ctx.header(rows.financing_header, "Kilde", "")
    for row, name, values in (
        (rows.kdd, FINANCING_LABELS["kdd"], project.kdd),
        (rows.statsforvalteren, FINANCING_LABELS["statsforvalteren"], project.statsforvalteren),
    ):
        sheet.label(row, LABEL, name, "text")
        for y in range(n_years):
            sheet.input(
                row, year_col(y), values[y] if y < len(values) else None, "amount", "input_amount"
            )
        ctx.row_sum(row, sum(number(v) for v in values[:n_years]))
    sheet.validations.append(
        Validation(rows.kdd, FIRST_YEAR_COL, rows.statsforvalteren, ctx.total_col - 1, AMOUNT)
    )
    sheet.label(rows.own_share, LABEL, OWN_SHARE, "text")
    for y in range(n_years):
        col = year_col(y)
        sheet.formula(rows.own_share, col, a1(rows.in_kind, col), totals.in_kind[y], "amount")
    ctx.row_sum(rows.own_share, sum(totals.in_kind))
    sheet.label(rows.financing_total, LABEL, "Sum finansiering", "total_label")
    sheet.label(rows.financing_total, TEXT_COL, None, "total_label")
    ctx.column_sum(rows.financing_total, rows.kdd, rows.own_share, totals.financing, "amount_total")


def _categories(ctx: _Context, parameters: dict[str, str]) -> None:
    """Costs by category (SUMIF over the cost lines), the uncategorised rest, the KDD-eligible sum."""
    sheet, rows, totals = ctx.sheet, ctx.rows, ctx.totals
    sheet.label(rows.category_heading, LABEL, "Kostnader per kategori", "heading")
    ctx.header(rows.category_header, "Kategori", ELIGIBLE_FLAG)
    category_range = a1_range(rows.cost_first, LABEL, rows.cost_last, LABEL, absolute=True)
    for k, category in enumerate(ctx.budget.categories):
        row = rows.category_first + k
        sheet.formula(row, LABEL, parameters[f"category_name:{k}"], category.name, "text")
        sheet.formula(
            row, TEXT_COL, parameters[f"category_kdd:{k}"], int(category.kdd_eligible), "flag"
        )
        for y in range(ctx.n_years):
            col = year_col(y)
            letter = col_letter(col)
            amount_range = f"{letter}${rows.cost_first + 1}:{letter}${rows.cost_last + 1}"
            criterion = f"${col_letter(LABEL)}{row + 1}"
            sheet.formula(
                row,
                col,
                f"SUMIF({category_range},{criterion},{amount_range})",
                totals.by_category[category.id][y],
                "amount",
            )
        ctx.row_sum(row, sum(totals.by_category[category.id]))
    _uncategorised(ctx)
    _kdd_eligible(ctx)


def _uncategorised(ctx: _Context) -> None:
    """Costs without a valid category: the cost total less the category sums, and a status."""
    sheet, rows, totals = ctx.sheet, ctx.rows, ctx.totals
    sheet.label(rows.uncategorised, LABEL, "Uten gyldig kategori", "text")
    status = OK if not any(totals.uncategorised) else UNCATEGORISED
    sheet.formula(
        rows.uncategorised,
        TEXT_COL,
        f'IF({a1(rows.uncategorised, ctx.total_col)}=0,"{OK}","{UNCATEGORISED}")',
        status,
        "status",
    )
    sheet.conditional += status_formats(rows.uncategorised, TEXT_COL)
    for y in range(ctx.n_years):
        col = year_col(y)
        categories = a1_range(rows.category_first, col, rows.category_last, col)
        sheet.formula(
            rows.uncategorised,
            col,
            f"{a1(rows.cost_total, col)}-SUM({categories})",
            totals.uncategorised[y],
            "amount",
        )
    ctx.row_sum(rows.uncategorised, sum(totals.uncategorised))


def _kdd_eligible(ctx: _Context) -> None:
    """The KDD-eligible costs per year: the category sums whose flag is 1."""
    sheet, rows, totals = ctx.sheet, ctx.rows, ctx.totals
    sheet.label(rows.kdd_eligible, LABEL, "Herav støtteberettigede kostnader (KDD)", "total_label")
    flags = a1_range(rows.category_first, TEXT_COL, rows.category_last, TEXT_COL, absolute=True)
    for y in range(ctx.n_years):
        col = year_col(y)
        values = a1_range(rows.category_first, col, rows.category_last, col)
        sheet.formula(
            rows.kdd_eligible,
            col,
            f"SUMIF({flags},1,{values})",
            totals.kdd_eligible[y],
            "amount_total",
        )
    ctx.row_sum(rows.kdd_eligible, sum(totals.kdd_eligible), "amount_total")


def _balance(ctx: _Context) -> None:
    """Costs including in-kind work, the balance per year and its status."""
    sheet, rows, totals = ctx.sheet, ctx.rows, ctx.totals
    n_years, total_col = ctx.n_years, ctx.total_col
    sheet.label(rows.balance_heading, LABEL, "Balanse", "heading")
    sheet.label(rows.total_costs, LABEL, "Sum kostnader inkl. egeninnsats", "text")
    for y in range(n_years):
        col = year_col(y)
        sheet.formula(
            rows.total_costs,
            col,
            f"{a1(rows.cost_total, col)}+{a1(rows.in_kind, col)}",
            totals.total_costs[y],
            "amount",
        )
    ctx.row_sum(rows.total_costs, sum(totals.total_costs))
    sheet.label(rows.balance, LABEL, "Balanse (finansiering − kostnader)", "total_label")
    for y in range(n_years):
        col = year_col(y)
        sheet.formula(
            rows.balance,
            col,
            f"{a1(rows.financing_total, col)}-{a1(rows.total_costs, col)}",
            totals.balance[y],
            "amount_total",
        )
    sheet.formula(
        rows.balance,
        total_col,
        f"{a1(rows.financing_total, total_col)}-{a1(rows.total_costs, total_col)}",
        sum(totals.balance),
        "amount_total",
    )
    balances = ",".join(f"{a1(rows.balance, year_col(y))}=0" for y in range(n_years))
    balanced = all(b == 0 for b in totals.balance)
    sheet.formula(
        rows.balance,
        TEXT_COL,
        f'IF(AND({balances}),"{OK}","{NOT_BALANCED}")',
        OK if balanced else NOT_BALANCED,
        "status",
    )
    sheet.conditional += status_formats(rows.balance, TEXT_COL)


def kdd_margin(sheet: SheetLayout, rows: ProjectRows, totals: ProjectTotals, n_years: int) -> None:
    """KDD ≤ the project's KDD-eligible costs in every year: the margin per year and a flag."""
    total_col = sum_col(n_years)
    sheet.label(rows.kdd_margin, LABEL, KDD_MARGIN, "text")
    margins = [totals.kdd_eligible[y] - totals.kdd[y] for y in range(n_years)]
    for y in range(n_years):
        col = year_col(y)
        sheet.formula(
            rows.kdd_margin,
            col,
            f"{a1(rows.kdd_eligible, col)}-{a1(rows.kdd, col)}",
            margins[y],
            "amount",
        )
    first, last = a1(rows.kdd_margin, FIRST_YEAR_COL), a1(rows.kdd_margin, total_col - 1)
    sheet.formula(rows.kdd_margin, total_col, f"SUM({first}:{last})", sum(margins), "amount")
    within = ",".join(f"{a1(rows.kdd_margin, year_col(y))}>=0" for y in range(n_years))
    sheet.formula(
        rows.kdd_margin,
        TEXT_COL,
        f'IF(AND({within}),"{OK}","{OVER_ELIGIBLE}")',
        OK if all(m >= 0 for m in margins) else OVER_ELIGIBLE,
        "status",
    )
    sheet.conditional += status_formats(rows.kdd_margin, TEXT_COL)
