"""The combined budget and financing sheet: every number a live link to the project sheets."""

from __future__ import annotations

from collections.abc import Callable

from ..compute import BudgetTotals, ProjectTotals
from ..dataclass import dataclass, field
from ..model import Budget, Project
from ..texts import (
    ELIGIBLE,
    ELIGIBLE_FLAG,
    IN_KIND,
    MISSING_HOURS,
    NOT_BALANCED,
    OK,
    OVER_CAP,
    OVER_ELIGIBLE,
    SEE_RULES,
    SUMMARY_SHEET,
    UNCATEGORISED,
    period_label,
)
from .cells import Chart, SheetLayout, a1, a1_range, ref, wrapped_height
from .rows import (
    BLOCK_BALANCE,
    BLOCK_COSTS,
    BLOCK_ELIGIBLE,
    BLOCK_FINANCING,
    BLOCK_IN_KIND,
    BLOCK_KDD,
    BLOCK_MISSING_HOURS,
    BLOCK_OWN_SHARE,
    BLOCK_PROJECT,
    BLOCK_STATSFORVALTEREN,
    BLOCK_TOTAL_COSTS,
    RULE_LIMIT,
    RULE_MARGIN,
    RULE_NAME,
    RULE_STATUS,
    RULE_VALUE,
    ProjectRows,
    SummaryRows,
    sum_col,
    year_col,
)
from .validation import status_formats, zero_formats

BLOCK_HEADERS = {
    BLOCK_PROJECT: "Prosjekt",
    BLOCK_COSTS: "Kontante kostnader",
    BLOCK_IN_KIND: IN_KIND,
    BLOCK_TOTAL_COSTS: "Sum kostnader inkl. egeninnsats",
    BLOCK_KDD: "KDD",
    BLOCK_STATSFORVALTEREN: "Statsforvalteren",
    BLOCK_OWN_SHARE: "Kommunal egenandel",
    BLOCK_FINANCING: "Sum finansiering",
    BLOCK_BALANCE: "Balanse",
    BLOCK_ELIGIBLE: ELIGIBLE,
    BLOCK_MISSING_HOURS: "Kommuner uten timer",
}


def whole_period_header(years: tuple[int, ...]) -> tuple[tuple[int, str], ...]:
    """The whole period block's header, (column, text) left to right: it spans every column
    of the sheet, so it finds the sheet's columns again."""
    title = f"Sum {period_label(years)}"
    return ((BLOCK_PROJECT, title), *((c, t) for c, t in BLOCK_HEADERS.items() if c))


RULE_NAMES = (
    ("rule_cap", "KDD-midlene er innenfor taket for hele perioden"),
    ("rule_eligible", "KDD-midlene er innenfor de støtteberettigede kostnadene"),
    (
        "rule_eligible_projects",
        "KDD-midlene i hvert prosjekt og år er innenfor prosjektets støtteberettigede kostnader",
    ),
    ("rule_balance", "Finansiering = kostnader i hvert prosjekt og hvert år"),
    ("rule_hours", "Alle kommuner har timer i prosjekter med arbeidsgruppe"),
    ("rule_categories", "Alle kostnader har en gyldig kategori"),
)


@dataclass
class _Context:
    """What every section of the combined sheet needs: the sheet, the plans, the totals."""

    budget: Budget
    rows: SummaryRows
    project_rows: list[ProjectRows]
    project_totals: list[ProjectTotals]
    totals: BudgetTotals
    sheet: SheetLayout
    anchors: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def years(self) -> tuple[int, ...]:
        return self.budget.pilot.years

    @property
    def n_years(self) -> int:
        return len(self.years)

    @property
    def total_col(self) -> int:
        return sum_col(self.n_years)


def summary_sheet(
    budget: Budget,
    rows: SummaryRows,
    project_rows: list[ProjectRows],
    project_totals: list[ProjectTotals],
    totals: BudgetTotals,
    parameters: dict[str, str],
) -> tuple[SheetLayout, dict[str, tuple[int, int]]]:
    """Lay out the combined sheet; returns it with its anchor cells (key -> (row, col))."""
    sheet = SheetLayout(SUMMARY_SHEET, tab_color="#1F4E79")
    ctx = _Context(budget, rows, project_rows, project_totals, totals, sheet)
    _title(ctx)
    for period in range(ctx.n_years + 1):
        _period_block(ctx, period)
    _whole_period_anchors(ctx)
    uncategorised = _categories(ctx, parameters)
    _rules(ctx, uncategorised)
    _charts(ctx)
    return sheet, ctx.anchors


def _title(ctx: _Context) -> None:
    """Column widths, frozen panes, the title, the subtitle and the blocks' heading."""
    sheet, rows = ctx.sheet, ctx.rows
    sheet.widths = {0: 52, **{c: 15 for c in range(1, BLOCK_MISSING_HOURS + 1)}}
    sheet.freeze = (rows.title + 1, 0)
    sheet.repeat_rows = (rows.title, rows.title)
    sheet.label(
        rows.title, 0, f"Samlet budsjett og finansiering – {ctx.budget.pilot.name}", "title"
    )
    sheet.label(
        rows.subtitle,
        0,
        f"Bygdevekstavtale {period_label(ctx.years)}. Alle tall er formler "
        "som henter fra prosjektarkene.",
        "subtitle",
    )
    sheet.label(rows.block_heading, 0, "Kostnader og finansiering per prosjekt", "heading")


def _period_block(ctx: _Context, period: int) -> None:
    """One block of the combined sheet: a year (or the whole period when *period* = n_years)."""
    sheet, rows, n_years = ctx.sheet, ctx.rows, ctx.n_years
    whole = period == n_years
    src_col = sum_col(n_years) if whole else year_col(period)
    header = rows.block_header(period)
    last_col = BLOCK_MISSING_HOURS if whole else BLOCK_ELIGIBLE
    if whole:
        headers = whole_period_header(ctx.years)
    else:
        year = (BLOCK_PROJECT, str(ctx.years[period]))
        headers = (year, *((c, t) for c, t in BLOCK_HEADERS.items() if 0 < c <= last_col))
    sheet.heights[header] = 30  # room for two-line column headings
    for col, text in headers:
        sheet.label(header, col, text, "header" if col == BLOCK_PROJECT else "header_num")

    def pick(values: list[float]) -> float:
        return sum(values) if whole else values[period]

    for p, (project, prow, ptot) in enumerate(
        zip(ctx.budget.projects, ctx.project_rows, ctx.project_totals, strict=True)
    ):
        row = rows.block_first(period) + p

        def link(
            col: int, src_row: int, value: float, project: Project = project, row: int = row
        ) -> None:
            sheet.formula(row, col, ref(project.sheet, a1(src_row, src_col)), value, "amount")

        sheet.label(row, BLOCK_PROJECT, project.name, "text")
        link(BLOCK_COSTS, prow.cost_total, pick(ptot.costs))
        link(BLOCK_IN_KIND, prow.in_kind, pick(ptot.in_kind))
        sheet.formula(
            row,
            BLOCK_TOTAL_COSTS,
            f"{a1(row, BLOCK_COSTS)}+{a1(row, BLOCK_IN_KIND)}",
            pick(ptot.total_costs),
            "amount",
        )
        link(BLOCK_KDD, prow.kdd, pick(ptot.kdd))
        link(BLOCK_STATSFORVALTEREN, prow.statsforvalteren, pick(ptot.statsforvalteren))
        link(BLOCK_OWN_SHARE, prow.own_share, pick(ptot.in_kind))
        sheet.formula(
            row,
            BLOCK_FINANCING,
            f"SUM({a1(row, BLOCK_KDD)}:{a1(row, BLOCK_OWN_SHARE)})",
            pick(ptot.financing),
            "amount",
        )
        sheet.formula(
            row,
            BLOCK_BALANCE,
            f"{a1(row, BLOCK_FINANCING)}-{a1(row, BLOCK_TOTAL_COSTS)}",
            pick(ptot.balance),
            "amount",
        )
        link(BLOCK_ELIGIBLE, prow.kdd_eligible, pick(ptot.kdd_eligible))
        if whole and project.working_group:
            sheet.formula(
                row,
                BLOCK_MISSING_HOURS,
                ref(project.sheet, a1(prow.working_group, year_col(0))),
                ptot.municipalities_without_hours,
                "count",
            )
    total = rows.block_total(period)
    sheet.label(total, BLOCK_PROJECT, "Sum alle prosjekter", "total_label")
    first, last = rows.block_first(period), rows.block_last(period)
    for col in range(1, last_col + 1):
        cached = sum(
            sheet.cells[(r, col)].value for r in range(first, last + 1) if (r, col) in sheet.cells
        )
        style = "count_total" if col == BLOCK_MISSING_HOURS else "amount_total"
        sheet.formula(total, col, f"SUM({a1_range(first, col, last, col)})", cached, style)
    sheet.conditional += zero_formats(first, BLOCK_BALANCE, total, BLOCK_BALANCE)
    if not whole:
        ctx.anchors[f"kdd_year:{period}"] = (total, BLOCK_KDD)


def _whole_period_anchors(ctx: _Context) -> None:
    """The whole period's totals, by key."""
    whole_total = ctx.rows.block_total(ctx.n_years)
    ctx.anchors.update(
        costs=(whole_total, BLOCK_COSTS),
        in_kind=(whole_total, BLOCK_IN_KIND),
        total_costs=(whole_total, BLOCK_TOTAL_COSTS),
        kdd_total=(whole_total, BLOCK_KDD),
        statsforvalteren=(whole_total, BLOCK_STATSFORVALTEREN),
        own_share=(whole_total, BLOCK_OWN_SHARE),
        financing=(whole_total, BLOCK_FINANCING),
        balance=(whole_total, BLOCK_BALANCE),
    )


def _across_projects(
    ctx: _Context, row: int, source_row: Callable[[ProjectRows], int], values: list[float]
) -> None:
    """One row that adds the same row of every project sheet, per year, and its sum."""
    sheet, total_col = ctx.sheet, ctx.total_col
    for y in range(ctx.n_years):
        col = year_col(y)
        terms = "+".join(
            ref(p.sheet, a1(source_row(r), col))
            for p, r in zip(ctx.budget.projects, ctx.project_rows, strict=True)
        )
        sheet.formula(row, col, terms, values[y], "amount")
    sheet.formula(
        row,
        total_col,
        f"SUM({a1(row, year_col(0))}:{a1(row, total_col - 1)})",
        sum(values),
        "amount",
    )


def _categories(ctx: _Context, parameters: dict[str, str]) -> list[float]:
    """Costs by category across all projects; returns the uncategorised costs per year."""
    sheet, rows, n_years, total_col = ctx.sheet, ctx.rows, ctx.n_years, ctx.total_col
    project_totals = ctx.project_totals
    sheet.label(rows.category_heading, 0, "Kostnader per kategori, alle prosjekter", "heading")
    sheet.label(rows.category_header, 0, "Kategori", "header")
    sheet.label(rows.category_header, 1, ELIGIBLE_FLAG, "header_num")
    sheet.heights[rows.category_header] = 30  # room for a two-line heading
    for y, year in enumerate(ctx.years):
        sheet.label(rows.category_header, year_col(y), str(year), "header_num")
    sheet.label(rows.category_header, total_col, "Sum", "header_num")

    for k, category in enumerate(ctx.budget.categories):
        row = rows.category_first + k
        sheet.formula(row, 0, parameters[f"category_name:{k}"], category.name, "text")
        sheet.formula(row, 1, parameters[f"category_kdd:{k}"], int(category.kdd_eligible), "flag")
        values = [
            sum(t.by_category[category.id][y] for t in project_totals) for y in range(n_years)
        ]
        _across_projects(ctx, row, _category_row(k), values)
    sheet.label(rows.uncategorised, 0, "Uten gyldig kategori", "text")
    uncategorised = [sum(t.uncategorised[y] for t in project_totals) for y in range(n_years)]
    _across_projects(ctx, rows.uncategorised, lambda r: r.uncategorised, uncategorised)
    sheet.label(rows.category_total, 0, "Sum kontante kostnader", "total_label")
    costs = [sum(t.costs[y] for t in project_totals) for y in range(n_years)]
    for y, col in enumerate([*map(year_col, range(n_years)), total_col]):
        cached = costs[y] if y < n_years else sum(costs)
        span = a1_range(rows.category_first, col, rows.uncategorised, col)
        sheet.formula(rows.category_total, col, f"SUM({span})", cached, "amount_total")
    sheet.label(rows.kdd_eligible, 0, "Herav støtteberettigede kostnader (KDD)", "total_label")
    flags = a1_range(rows.category_first, 1, rows.category_last, 1, absolute=True)
    eligible = [sum(t.kdd_eligible[y] for t in project_totals) for y in range(n_years)]
    for y, col in enumerate([*map(year_col, range(n_years)), total_col]):
        cached = eligible[y] if y < n_years else sum(eligible)
        span = a1_range(rows.category_first, col, rows.category_last, col)
        sheet.formula(rows.kdd_eligible, col, f"SUMIF({flags},1,{span})", cached, "amount_total")
    ctx.anchors["kdd_eligible"] = (rows.kdd_eligible, total_col)
    ctx.anchors["uncategorised"] = (rows.uncategorised, total_col)
    return uncategorised


def _category_row(k: int) -> Callable[[ProjectRows], int]:
    """The row of category *k* on a project sheet."""
    return lambda r: r.category_first + k


RULE_FAILURES = {
    "rule_cap": OVER_CAP,
    "rule_eligible": OVER_ELIGIBLE,
    "rule_eligible_projects": OVER_ELIGIBLE,
    "rule_balance": NOT_BALANCED,
    "rule_hours": MISSING_HOURS,
    "rule_categories": UNCATEGORISED,
}


def _rules(ctx: _Context, uncategorised: list[float]) -> None:
    """The rules table: value, limit, margin and status per rule, and the overall status."""
    sheet, rows, n_years, totals = ctx.sheet, ctx.rows, ctx.n_years, ctx.totals
    project_totals, total_col = ctx.project_totals, ctx.total_col
    whole_total = rows.block_total(n_years)
    sheet.label(rows.rule_heading, 0, "Regler", "heading")
    for col, text in (
        (RULE_NAME, "Regel"),
        (RULE_VALUE, "Verdi"),
        (RULE_LIMIT, "Grense"),
        (RULE_MARGIN, "Margin"),
        (RULE_STATUS, "Status"),
    ):
        sheet.label(rows.rule_header, col, text, "header" if col == RULE_NAME else "header_num")
    kdd = a1(whole_total, BLOCK_KDD)
    rule_rows = {key: rows.rule_first + i for i, (key, _) in enumerate(RULE_NAMES)}
    for key, text in RULE_NAMES:
        sheet.label(rule_rows[key], RULE_NAME, text, "wrap")
        sheet.heights[rule_rows[key]] = wrapped_height(text, sheet.widths[RULE_NAME])
        ctx.anchors[key] = (rule_rows[key], RULE_STATUS)

    def rule(
        key: str, value: str, cached: float, status: str, ok: bool, style: str = "amount"
    ) -> None:
        row = rule_rows[key]
        sheet.formula(row, RULE_VALUE, value, cached, style)
        sheet.formula(row, RULE_STATUS, status, OK if ok else RULE_FAILURES[key], "status")
        sheet.conditional += status_formats(row, RULE_STATUS)

    def limit(key: str, formula: str, cached: float) -> None:
        row = rule_rows[key]
        sheet.formula(row, RULE_LIMIT, formula, cached, "amount")
        sheet.formula(
            row,
            RULE_MARGIN,
            f"{a1(row, RULE_LIMIT)}-{a1(row, RULE_VALUE)}",
            cached - totals.kdd,
            "amount",
        )

    row = rule_rows["rule_cap"]
    rule(
        "rule_cap",
        kdd,
        totals.kdd,
        f'IF({a1(row, RULE_VALUE)}<={a1(row, RULE_LIMIT)},"{OK}","{OVER_CAP}")',
        totals.kdd <= totals.kdd_cap,
    )
    limit("rule_cap", "KDD_Tak", totals.kdd_cap)
    row = rule_rows["rule_eligible"]
    rule(
        "rule_eligible",
        kdd,
        totals.kdd,
        f'IF({a1(row, RULE_VALUE)}<={a1(row, RULE_LIMIT)},"{OK}","{OVER_ELIGIBLE}")',
        totals.kdd <= totals.kdd_eligible,
    )
    limit("rule_eligible", a1(rows.kdd_eligible, total_col), totals.kdd_eligible)
    over = sum(
        1
        for t in project_totals
        for eligible, project_kdd in zip(t.kdd_eligible, t.kdd, strict=True)
        if project_kdd > eligible
    )
    margins = (
        ref(p.sheet, a1_range(r.kdd_margin, year_col(0), r.kdd_margin, year_col(n_years - 1)))
        for p, r in zip(ctx.budget.projects, ctx.project_rows, strict=True)
    )
    counts = "+".join(f'COUNTIF({span},"<0")' for span in margins)
    row = rule_rows["rule_eligible_projects"]
    rule(
        "rule_eligible_projects",
        counts or "0",
        over,
        f'IF({a1(row, RULE_VALUE)}=0,"{OK}","{OVER_ELIGIBLE}")',
        over == 0,
        "count",
    )
    balances = ",".join(
        a1_range(rows.block_first(p), BLOCK_BALANCE, rows.block_last(p), BLOCK_BALANCE)
        for p in range(n_years)
    )
    all_balanced = all(b == 0 for t in project_totals for b in t.balance)
    rule(
        "rule_balance",
        a1(whole_total, BLOCK_BALANCE),
        totals.balance,
        f'IF(AND(MIN({balances})=0,MAX({balances})=0),"{OK}","{NOT_BALANCED}")',
        all_balanced,
    )
    missing = sum(
        t.municipalities_without_hours
        for p, t in zip(ctx.budget.projects, project_totals, strict=True)
        if p.working_group
    )
    row = rule_rows["rule_hours"]
    rule(
        "rule_hours",
        a1(whole_total, BLOCK_MISSING_HOURS),
        missing,
        f'IF({a1(row, RULE_VALUE)}=0,"{OK}","{MISSING_HOURS}")',
        missing == 0,
        "count",
    )
    row = rule_rows["rule_categories"]
    rule(
        "rule_categories",
        a1(rows.uncategorised, total_col),
        sum(uncategorised),
        f'IF({a1(row, RULE_VALUE)}=0,"{OK}","{UNCATEGORISED}")',
        not any(uncategorised),
    )
    statuses = a1_range(rows.rule_first, RULE_STATUS, rows.rule_last, RULE_STATUS)
    all_ok = all(sheet.cells[(r, RULE_STATUS)].value == OK for r in rule_rows.values())
    sheet.label(rows.rule_all, RULE_NAME, "Alle regler oppfylt", "total_label")
    sheet.formula(
        rows.rule_all,
        RULE_STATUS,
        f'IF(COUNTIF({statuses},"{OK}")={len(RULE_NAMES)},"{OK}","{SEE_RULES}")',
        OK if all_ok else SEE_RULES,
        "status",
    )
    sheet.conditional += status_formats(rows.rule_all, RULE_STATUS)
    ctx.anchors["rule_all"] = (rows.rule_all, RULE_STATUS)


def _charts(ctx: _Context) -> None:
    """Costs per project (stacked bars) and financing per source (pie), from the whole period."""
    sheet, rows, n_years = ctx.sheet, ctx.rows, ctx.n_years
    first, last = rows.block_first(n_years), rows.block_last(n_years)

    def column(col: int) -> str:
        return ref(SUMMARY_SHEET, a1_range(first, col, last, col, absolute=True))

    names = column(BLOCK_PROJECT)
    sheet.charts.append(
        Chart(
            "bar",
            "Kostnader per prosjekt",
            (
                ("Kontante kostnader", names, column(BLOCK_COSTS)),
                (IN_KIND, names, column(BLOCK_IN_KIND)),
            ),
            rows.chart_row,
            0,
            stacked=True,
        )
    )
    header, total = rows.block_header(n_years), rows.block_total(n_years)
    sources = ref(
        SUMMARY_SHEET, a1_range(header, BLOCK_KDD, header, BLOCK_OWN_SHARE, absolute=True)
    )
    amounts = ref(SUMMARY_SHEET, a1_range(total, BLOCK_KDD, total, BLOCK_OWN_SHARE, absolute=True))
    sheet.charts.append(
        Chart(
            "pie",
            "Finansiering per kilde",
            (("Finansiering", sources, amounts),),
            rows.chart_row,
            BLOCK_STATSFORVALTEREN,
        )
    )
