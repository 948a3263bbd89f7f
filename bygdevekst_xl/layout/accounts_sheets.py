"""The map of the accounts workbook: every sheet, cell and formula of ``accounts``' output.

The voucher list (Bilagsliste) holds the pilot's postings sorted by place, project, category
(or funder) and year, so each figure is a live formula over one contiguous block of it:
``ROUND(SUM(Bilagsliste!K12:K40),0)``; the cumulative figure adds the as-of date
(``SUMIFS(block, dates, "<="&Per_dato)``). Financing, the cost reports and the in-kind
statement refer to those cells. ``checks`` lists every figure cell with the value the report
computed, so the written workbook can be read back and compared.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from ..accounts.classify import Booked
from ..accounts.report import FUNDER_NAMES, Report
from ..dataclass import dataclass, field
from ..excel import MAX_ROW
from .cells import SheetLayout, WorkbookLayout, a1, a1_range, ref

BVA_SHEET = "Budsjett mot regnskap"
COST_SHEETS = {"kdd": "Kostnadsrapport KDD", "statsforvalteren": "Kostnadsrapport SF"}
FINANCING_SHEET = "Finansiering og utbetaling"
INKIND_SHEET = "Egeninnsats per kommune"
VOUCHER_SHEET = "Bilagsliste"
HOURS_SHEET = "Timelister"
AS_OF_NAME = "Per_dato"
PLACE_WORDS = {
    "cost": "Kostnad",
    "income": "Inntekt",
    "ignored": "Ignorert",
    "outside": "Utenfor piloten",
    "refused": "Avvist",
}
REASON_WORDS = {
    "vat": "mva-kompensasjon (KOSTRA 429/729)",
    "map": "ignorert i kartet",
    "duplicate": "samme bilag og linje to ganger",
    "period": "utenfor tilskuddsperioden",
    "unplaced": "konto ikke plassert i kartet",
}
FIRST_VOUCHER_COL_NAMES = (
    "Plass",
    "Prosjekt",
    "Kategori / finansiør / grunn",
    "År",
    "Dato",
    "Fil",
    "Bilag",
    "Linje",
    "Konto",
    "Tekst",
    "Beløp",
)
V_DATE, V_AMOUNT = 4, 10


@dataclass
class AccountsLayout:
    """The workbook's layout and each figure cell with the value it must show."""

    workbook: WorkbookLayout
    checks: list[tuple[str, str, Any]] = field(default_factory=list)
    """(sheet, A1, expected value) of every figure."""


@dataclass
class _Blocks:
    """Where each group of postings lies in the voucher list (first and last 0-based row)."""

    cost_year: dict[tuple[str, str, int], tuple[int, int]] = field(default_factory=dict)
    cost: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)
    income: dict[str, tuple[int, int]] = field(default_factory=dict)


def accounts_layout(report: Report) -> AccountsLayout:
    """Lay out the accounts workbook for a report."""
    out = AccountsLayout(WorkbookLayout([], {}, {}))
    vouchers, blocks = _voucher_sheet(report, out)
    hours, hour_blocks = _hours_sheet(report)
    bva, bva_rows = _bva_sheet(report, blocks, out)
    sheets = [bva]
    for funder in ("kdd", "statsforvalteren"):
        sheets.append(_cost_sheet(report, funder, bva_rows, out))
    sheets.append(_financing_sheet(report, blocks, bva_rows, out))
    sheets.append(_inkind_sheet(report, hour_blocks, out))
    sheets.extend([vouchers, hours])
    out.workbook.sheets = sheets
    out.workbook.names[AS_OF_NAME] = ref(BVA_SHEET, a1(2, 1, absolute=True))
    return out


def _v(col: int, first: int, last: int) -> str:
    """An absolute range of one voucher-list column."""
    return ref(VOUCHER_SHEET, a1_range(first, col, last, col, absolute=True))


def _sum_block(block: tuple[int, int] | None) -> str | None:
    if block is None:
        return None
    return f"ROUND(SUM({_v(V_AMOUNT, *block)}),0)"


def _figure(
    sheet: SheetLayout, out: AccountsLayout, row: int, col: int, formula: str | None, value: Any
) -> None:
    """A figure: a formula when there is one (recorded for the read-back), else the value."""
    style = "amount"
    if formula is None:
        sheet.label(row, col, value, style)
    else:
        sheet.formula(row, col, formula, value, style)
    out.checks.append((sheet.name, a1(row, col), value))


# --- Bilagsliste -------------------------------------------------------------------------


def _order(report: Report) -> list[Booked]:
    budget = report.budget
    projects = {p.id: i for i, p in enumerate(budget.projects)}
    categories = {c.id: i for i, c in enumerate(budget.categories)}
    funders = {"kdd": 0, "statsforvalteren": 1}
    places = {"cost": 0, "income": 1, "ignored": 2, "refused": 3}

    def key(b: Booked) -> tuple[Any, ...]:
        p = b.posting
        if b.place == "cost":
            group: tuple[Any, ...] = (projects[b.project], categories.get(b.target, 0), p.date.year)
        elif b.place == "income":
            group = (funders.get(b.target, 2), b.target, projects[b.project], 0)
        else:
            group = (projects[b.project], b.target, 0, 0)
        return (places[b.place], *group, p.date, p.source, p.voucher, p.line)

    return sorted(report.classified.booked, key=key)


def _voucher_sheet(report: Report, out: AccountsLayout) -> tuple[SheetLayout, _Blocks]:
    sheet = SheetLayout(VOUCHER_SHEET)
    sheet.label(0, 0, "Bilagsliste: postene bak hvert tall", "title")
    row = 2
    sheet.label(row, 0, "Fil", "header")
    sheet.label(row, 1, "Type", "header")
    sheet.label(row, 2, "Linjer", "header_num")
    sheet.label(row, 3, "SHA-256", "header")
    for info in report.ledgers:
        row += 1
        sheet.label(row, 0, info.path.name)
        sheet.label(row, 1, info.kind)
        sheet.label(row, 2, info.postings, "count")
        sheet.label(row, 3, info.sha256)
    for ts in report.sheets:
        row += 1
        sheet.label(row, 0, ts.path.name)
        sheet.label(row, 1, "timeliste")
        sheet.label(row, 2, len(ts.entries), "count")
        sheet.label(row, 3, ts.sha256)
    row += 2
    counts = report.classified.counts()
    sheet.label(row, 0, "Linjer", "header")
    sheet.label(row, 1, "Antall", "header_num")
    sheet.label(row, 2, "Sum", "header_num")
    first_count = row + 1
    outside_ore = sum(o.ore for o in report.classified.outside.values())
    for place, word in PLACE_WORDS.items():
        row += 1
        sheet.label(row, 0, word)
        sheet.label(row, 1, counts[place], "count")
        if place == "outside":
            sheet.label(row, 2, outside_ore / 100, "amount")
    row += 1
    sheet.label(row, 0, "Sum plassert", "total_label")
    sheet.formula(
        row,
        1,
        f"SUM({a1_range(first_count, 1, row - 1, 1)})",
        sum(counts[p] for p in PLACE_WORDS),
        "count_total",
    )
    out.checks.append((VOUCHER_SHEET, a1(row, 1), counts["read"]))
    row += 1
    sheet.label(row, 0, "Linjer lest", "total_label")
    sheet.label(row, 1, counts["read"], "count_total")
    for source, outside in sorted(report.classified.outside.items()):
        row += 1
        sheet.label(row, 0, f"Utenfor piloten i {source}", "note")
        sheet.label(row, 1, outside.count, "count")
        sheet.label(row, 2, outside.ore / 100, "amount")
    row += 2
    for col, name in enumerate(FIRST_VOUCHER_COL_NAMES):
        sheet.label(row, col, name, "header_num" if col == V_AMOUNT else "header")
    header = row
    sheet.freeze = (header + 1, 0)
    sheet.repeat_rows = (header, header)
    projects = {p.id: p.name for p in report.budget.projects}
    categories = {c.id: c.name for c in report.budget.categories}
    blocks = _Blocks()
    ordered = _order(report)
    if header + 1 + len(ordered) > MAX_ROW:
        raise ValueError(
            f"{len(ordered)} postings do not fit in one sheet ({MAX_ROW} rows); "
            "split the ledgers by period"
        )
    for item in ordered:
        row += 1
        p = item.posting
        what = REASON_WORDS.get(item.target, item.target)
        if item.place == "cost":
            what = categories.get(item.target, item.target)
        elif item.place == "income":
            what = FUNDER_NAMES.get(item.target, "annen inntekt")
        cells = (
            PLACE_WORDS[item.place],
            projects.get(item.project, item.project),
            what,
            p.date.year,
        )
        for col, value in enumerate(cells):
            sheet.label(row, col, value, "year" if col == 3 else "text")
        sheet.label(row, V_DATE, dt.datetime(p.date.year, p.date.month, p.date.day), "date")
        for col, value in enumerate((p.source, p.voucher, p.line, p.account, p.text), 5):
            sheet.label(row, col, value)
        sheet.label(row, V_AMOUNT, p.ore / 100, "amount")
        if item.place == "cost":
            _grow(blocks.cost_year, (item.project, item.target, p.date.year), row)
            _grow(blocks.cost, (item.project, item.target), row)
        elif item.place == "income":
            _grow(blocks.income, item.target, row)
    sheet.widths = {0: 12, 1: 22, 2: 26, 3: 6, 4: 11, 5: 18, 6: 10, 7: 8, 8: 9, 9: 40, 10: 14}
    return sheet, blocks


def _grow(blocks: dict[Any, tuple[int, int]], key: Any, row: int) -> None:
    first, _ = blocks.get(key, (row, row))
    blocks[key] = (first, row)


# --- Budsjett mot regnskap ---------------------------------------------------------------


@dataclass
class _BvaRows:
    rows: dict[tuple[str, str], int] = field(default_factory=dict)
    cumulative_col: int = 0
    approved_col: int = 0
    funder_col: int = 0
    eligible_col: int = 0
    first: int = 0
    last: int = 0


def _bva_sheet(
    report: Report, blocks: _Blocks, out: AccountsLayout
) -> tuple[SheetLayout, _BvaRows]:
    budget = report.budget
    years = budget.pilot.years
    sheet = SheetLayout(BVA_SHEET)
    sheet.label(0, 0, f"Budsjett mot regnskap – {budget.pilot.name}", "title")
    sheet.label(2, 0, "Per dato", "text_bold")
    as_of = report.as_of
    sheet.label(2, 1, dt.datetime(as_of.year, as_of.month, as_of.day), "date")
    first, last = report.period
    sheet.label(3, 0, "Periode", "text_bold")
    sheet.label(3, 1, f"{first:%d.%m.%Y} – {last:%d.%m.%Y}")
    header = 5
    heads = ["Prosjekt", "Kategori"]
    for y in years:
        heads += [f"Godkjent {y}", f"Regnskap {y}"]
    heads += [
        "Godkjent totalt",
        "Regnskap i perioden",
        "Akkumulert til dato",
        "Avvik kr",
        "Avvik %",
        "Terskel",
        "Gjenstår",
        "Forklaring",
        "Finansiør",
        "KDD-berettiget",
    ]
    for col, text in enumerate(heads):
        sheet.label(
            header, col, text, "header" if col < 2 or col >= len(heads) - 3 else "header_num"
        )
    n = len(years)
    c_total = 2 + 2 * n
    c_actual, c_cum, c_dev, c_pct, c_thr, c_rem, c_expl, c_fund, c_elig = range(
        c_total + 1, c_total + 10
    )
    names = {p.id: p.name for p in budget.projects}
    categories = {c.id: c for c in budget.categories}
    plan = _BvaRows(cumulative_col=c_cum, approved_col=c_total, funder_col=c_fund)
    plan.eligible_col = c_elig
    row = header
    for line in report.lines:
        row += 1
        plan.rows[(line.project, line.category)] = row
        sheet.label(row, 0, names[line.project])
        category = categories[line.category]
        sheet.label(row, 1, category.name)
        for i, y in enumerate(years):
            sheet.label(row, 2 + 2 * i, line.approved[i], "amount")
            _figure(
                sheet,
                out,
                row,
                3 + 2 * i,
                _sum_block(blocks.cost_year.get((line.project, line.category, y))),
                line.actual[i],
            )
        approved = "+".join(a1(row, 2 + 2 * i) for i in range(n))
        sheet.formula(row, c_total, approved, line.total_approved, "amount")
        _figure(
            sheet,
            out,
            row,
            c_actual,
            _sum_block(blocks.cost.get((line.project, line.category))),
            line.total_actual,
        )
        block = blocks.cost.get((line.project, line.category))
        cumulative = None
        if block is not None:
            cumulative = (
                f'ROUND(SUMIFS({_v(V_AMOUNT, *block)},{_v(V_DATE, *block)},"<="&{AS_OF_NAME}),0)'
            )
        _figure(sheet, out, row, c_cum, cumulative, line.cumulative)
        total, actual, cum = a1(row, c_total), a1(row, c_actual), a1(row, c_cum)
        _figure(sheet, out, row, c_dev, f"{actual}-{total}", line.deviation)
        percent = line.deviation_percent
        sheet.formula(
            row,
            c_pct,
            f'IF({total}=0,"",{a1(row, c_dev)}/{total})',
            "" if percent is None else percent,
            "percent",
        )
        sheet.label(row, c_thr, line.threshold, "amount")
        _figure(sheet, out, row, c_rem, f"{total}-{cum}", line.remaining)
        sheet.input(row, c_expl, line.explanation, "text", "input_text")
        sheet.label(row, c_fund, FUNDER_NAMES[report.funder_of(line)])
        sheet.label(row, c_elig, "Ja" if category.kdd_eligible else "Nei")
    plan.first, plan.last = header + 1, row
    row += 1
    sheet.label(row, 0, "Sum", "total_label")
    if plan.last >= plan.first:
        sums = [2 + 2 * i for i in range(n)] + [3 + 2 * i for i in range(n)]
        sums += [c_total, c_actual, c_cum, c_dev, c_rem]
        for col in sorted(sums):
            column = a1_range(plan.first, col, plan.last, col)
            value = sum(_cached(sheet, r, col) for r in range(plan.first, plan.last + 1))
            sheet.formula(row, col, f"SUM({column})", value, "amount_total")
            out.checks.append((BVA_SHEET, a1(row, col), value))
    sheet.freeze = (header + 1, 2)
    sheet.repeat_rows = (header, header)
    sheet.widths = {
        0: 24,
        1: 24,
        **{c: 14 for c in range(2, c_expl)},
        c_expl: 40,
        c_fund: 16,
        c_elig: 10,
    }
    return sheet, plan


def _cached(sheet: SheetLayout, row: int, col: int) -> int:
    cell = sheet.cells.get((row, col))
    value = cell.value if cell is not None else 0
    return value if isinstance(value, int) else 0


# --- Kostnadsrapport --------------------------------------------------------------------


def _cost_sheet(report: Report, funder: str, bva: _BvaRows, out: AccountsLayout) -> SheetLayout:
    sheet = SheetLayout(COST_SHEETS[funder])
    name = FUNDER_NAMES[funder]
    sheet.label(
        0,
        0,
        f"Kostnadsrapport til {name} – akkumulerte kostnader per godkjent kostnadsplanrad",
        "title",
    )
    sheet.label(1, 0, "I den rekkefølgen de skrives inn i portalen. Beløp i hele kroner.", "note")
    header = 3
    for col, text in enumerate(
        ("Prosjekt", "Kostnadsplanrad", "Godkjent", "Akkumulert kostnad", "Gjenstår")
    ):
        sheet.label(header, col, text, "header" if col < 2 else "header_num")
    names = {p.id: p.name for p in report.budget.projects}
    categories = {c.id: c.name for c in report.budget.categories}
    row = header
    for line in report.lines_of(funder):
        row += 1
        source = bva.rows[(line.project, line.category)]
        sheet.label(row, 0, names[line.project])
        sheet.label(row, 1, categories[line.category])
        sheet.formula(
            row, 2, ref(BVA_SHEET, a1(source, bva.approved_col)), line.total_approved, "amount"
        )
        _figure(sheet, out, row, 3, ref(BVA_SHEET, a1(source, bva.cumulative_col)), line.cumulative)
        _figure(sheet, out, row, 4, f"{a1(row, 2)}-{a1(row, 3)}", line.remaining)
    if row > header:
        total = row + 1
        sheet.label(total, 0, "Sum", "total_label")
        for col, attr in ((2, "total_approved"), (3, "cumulative"), (4, "remaining")):
            value = sum(getattr(line, attr) for line in report.lines_of(funder))
            sheet.formula(
                total, col, f"SUM({a1_range(header + 1, col, row, col)})", value, "amount_total"
            )
            out.checks.append((sheet.name, a1(total, col), value))
    else:
        sheet.label(header + 1, 0, f"Ingen kostnadsplanrader finansieres av {name}.", "note")
    sheet.widths = {0: 26, 1: 30, 2: 16, 3: 18, 4: 16}
    sheet.repeat_rows = (header, header)
    return sheet


# --- Finansiering og utbetaling ---------------------------------------------------------


def _financing_sheet(
    report: Report, blocks: _Blocks, bva: _BvaRows, out: AccountsLayout
) -> SheetLayout:
    sheet = SheetLayout(FINANCING_SHEET)
    sheet.label(0, 0, "Finansiering og utbetaling per finansiør", "title")
    sheet.label(
        1, 0, "Anmodning om utbetaling: aldri over tilsagn − mottatt − tilbakeholdt.", "note"
    )
    row = 2
    for f in report.financing:
        row += 1
        sheet.label(row, 0, FUNDER_NAMES[f.funder], "heading")
        source = "tilskuddsbrevet (spesifikasjonens grant)" if f.from_grant else "godkjent budsjett"
        sheet.label(row, 1, f"Tilsagn fra {source}", "note")
        r_tilsagn, r_received, r_booked, r_eligible, r_share, r_earned = range(row + 1, row + 7)
        r_pct, r_hold, r_request, r_repay = range(row + 7, row + 11)
        sheet.label(r_tilsagn, 0, "Tilsagn")
        sheet.label(r_tilsagn, 1, f.tilsagn, "amount")
        sheet.label(r_received, 0, "Mottatt")
        sheet.label(r_received, 1, f.received, "amount")
        sheet.label(r_booked, 0, "Tilskuddsinntekt ført i regnskapet")
        block = blocks.income.get(f.funder)
        booked = None if block is None else f"-ROUND(SUM({_v(V_AMOUNT, *block)}),0)"
        if block is not None and report.as_of < report.period[1]:
            booked = (
                f'-ROUND(SUMIFS({_v(V_AMOUNT, *block)},{_v(V_DATE, *block)},"<="&{AS_OF_NAME}),0)'
            )
        _figure(sheet, out, r_booked, 1, booked, f.booked)
        sheet.label(r_eligible, 0, "Støtteberettigede kostnader til dato")
        if bva.last >= bva.first:
            cum = ref(
                BVA_SHEET,
                a1_range(
                    bva.first, bva.cumulative_col, bva.last, bva.cumulative_col, absolute=True
                ),
            )
            fund = ref(
                BVA_SHEET,
                a1_range(bva.first, bva.funder_col, bva.last, bva.funder_col, absolute=True),
            )
            formula = f'SUMIFS({cum},{fund},"{FUNDER_NAMES[f.funder]}")'
            _figure(sheet, out, r_eligible, 1, formula, f.eligible)
        else:
            _figure(sheet, out, r_eligible, 1, None, f.eligible)
        sheet.label(r_share, 0, "Andel finansiøren dekker")
        sheet.label(r_share, 1, f.share, "percent")
        t, rec, el, sh = (a1(r, 1) for r in (r_tilsagn, r_received, r_eligible, r_share))
        sheet.label(r_earned, 0, "Opptjent")
        _figure(sheet, out, r_earned, 1, f"MIN({t},ROUND({el}*{sh},0))", f.earned)
        sheet.label(r_pct, 0, "Tilbakeholdt, prosent av tilsagn")
        sheet.label(r_pct, 1, f.hold_back_percent / 100, "percent")
        sheet.label(r_hold, 0, "Tilbakeholdt")
        _figure(sheet, out, r_hold, 1, f"ROUND({t}*{a1(r_pct, 1)},0)", f.hold_back)
        earned, hold = a1(r_earned, 1), a1(r_hold, 1)
        sheet.label(r_request, 0, "Til utbetaling (anmodning)", "total_label")
        _figure(sheet, out, r_request, 1, f"MAX(0,MIN({earned}-{rec},{t}-{rec}-{hold}))", f.request)
        sheet.label(r_repay, 0, "Tilbakebetaling (opptjent under mottatt)")
        _figure(sheet, out, r_repay, 1, f"MAX(0,{rec}-{earned})", f.repayment)
        row = r_repay + 1
    sheet.widths = {0: 42, 1: 18}
    sheet.portrait = True
    return sheet


# --- Egeninnsats og timelister ---------------------------------------------------------


def _hours_sheet(report: Report) -> tuple[SheetLayout, dict[tuple[str, str, int], tuple[int, int]]]:
    sheet = SheetLayout(HOURS_SHEET)
    heads = (
        "Kommune",
        "Person",
        "Dato",
        "Prosjekt",
        "Aktivitet",
        "Timer",
        "Attestert",
        "Attestert av",
        "Attestert dato",
        "Fil",
        "Rad",
    )
    for col, text in enumerate(heads):
        sheet.label(0, col, text, "header")
    names = {m.casefold(): m for m in report.budget.pilot.municipalities}
    ordered = sorted(
        report.entries,
        key=lambda e: (
            names.get(e.municipality.casefold(), "~" + e.municipality),
            e.project,
            e.date.year,
            e.date,
            e.source,
            e.row,
        ),
    )
    blocks: dict[tuple[str, str, int], tuple[int, int]] = {}
    for row, e in enumerate(ordered, 1):
        municipality = names.get(e.municipality.casefold(), e.municipality)
        sheet.label(row, 0, municipality)
        sheet.label(row, 1, e.person)
        sheet.label(row, 2, dt.datetime(e.date.year, e.date.month, e.date.day), "date")
        sheet.label(row, 3, e.project or e.code)
        sheet.label(row, 4, e.activity)
        sheet.label(row, 5, e.centihours / 100, "hours")
        sheet.label(row, 6, "Ja" if e.attested_by else "Nei")
        sheet.label(row, 7, e.attested_by)
        if e.attested_date:
            d = e.attested_date
            sheet.label(row, 8, dt.datetime(d.year, d.month, d.day), "date")
        sheet.label(row, 9, e.source)
        sheet.label(row, 10, e.row, "count")
        if e.project and e.municipality.casefold() in names:
            _grow(blocks, (municipality, e.project, e.date.year), row)
    sheet.freeze = (1, 0)
    sheet.widths = {0: 16, 1: 22, 2: 11, 3: 18, 4: 30, 5: 8, 6: 9, 7: 22, 8: 12, 9: 18, 10: 6}
    return sheet, blocks


def _inkind_sheet(
    report: Report, blocks: dict[tuple[str, str, int], tuple[int, int]], out: AccountsLayout
) -> SheetLayout:
    sheet = SheetLayout(INKIND_SHEET)
    rate = report.budget.pilot.hourly_rate
    sheet.label(0, 0, "Egeninnsats per kommune", "title")
    sheet.label(1, 0, "Timesats", "text_bold")
    sheet.label(1, 1, rate, "amount")
    rate_cell = a1(1, 1, absolute=True)
    names = {p.id: p.name for p in report.budget.projects}
    row = 2
    for municipality in report.budget.pilot.municipalities:
        rows = [r for r in report.in_kind if r.municipality == municipality]
        row += 2
        sheet.label(row, 0, municipality, "heading")
        row += 1
        heads = (
            "Prosjekt",
            "År",
            "Timer budsjettert",
            "Timer registrert",
            "Ikke attestert",
            "Godkjent verdi",
            "Verdi registrert",
        )
        for col, text in enumerate(heads):
            sheet.label(row, col, text, "header" if col < 2 else "header_num")
        first = row + 1
        for r in rows:
            row += 1
            sheet.label(row, 0, names[r.project])
            sheet.label(row, 1, r.year, "year")
            sheet.label(row, 2, r.budgeted, "hours")
            block = blocks.get((municipality, r.project, r.year))
            if block is None:
                sheet.label(row, 3, 0, "hours")
                sheet.label(row, 4, 0, "hours")
            else:
                hours = ref(HOURS_SHEET, a1_range(block[0], 5, block[1], 5, absolute=True))
                flags = ref(HOURS_SHEET, a1_range(block[0], 6, block[1], 6, absolute=True))
                sheet.formula(row, 3, f"SUM({hours})", r.registered, "hours")
                sheet.formula(row, 4, f'SUMIFS({hours},{flags},"Nei")', r.unattested, "hours")
                out.checks.append((sheet.name, a1(row, 3), r.registered))
                out.checks.append((sheet.name, a1(row, 4), r.unattested))
            _figure(sheet, out, row, 5, f"ROUND({a1(row, 2)}*{rate_cell},0)", r.approved_value)
            _figure(sheet, out, row, 6, f"ROUND({a1(row, 3)}*{rate_cell},0)", r.value)
        row += 1
        sheet.label(row, 0, "Sum", "total_label")
        if rows:
            for col, value in (
                (2, sum(r.budgeted for r in rows)),
                (3, sum(r.registered_centi for r in rows) / 100),
                (5, sum(r.approved_value for r in rows)),
                (6, sum(r.value for r in rows)),
            ):
                style = "hours_total" if col < 5 else "amount_total"
                sheet.formula(row, col, f"SUM({a1_range(first, col, row - 1, col)})", value, style)
                if col >= 5:
                    out.checks.append((sheet.name, a1(row, col), value))
        row += 2
        sheet.label(row, 0, "Attestert (kommunedirektør):", "text")
        sheet.label(row, 1, "", "signature")
        sheet.label(row, 2, "", "signature")
        sheet.label(row, 4, "Dato:", "text")
        sheet.label(row, 5, "", "signature")
    sheet.widths = {0: 28, 1: 8, 2: 14, 3: 14, 4: 14, 5: 16, 6: 16}
    return sheet


def figure_cells(layout: AccountsLayout) -> Sequence[tuple[str, str, Any]]:
    """Every figure cell and its expected value (the read-back compares them)."""
    return layout.checks
