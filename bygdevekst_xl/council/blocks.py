"""The parts of the council attachment: its look (fonts, styles, colours), tables and chart.

Each function returns one reportlab flowable for ``pdf.story``; every figure comes from
``Facts`` (amounts in 1 000 kr from ``figures.tables``, exact kroner where the page says so).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import ListFlowable, ListItem, Paragraph, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from ..dataclass import dataclass
from .facts import Facts
from .figures import SOURCE_NAMES, SOURCES
from .fonts import Fonts
from .words import date_text, hours_text, kroner_text, period_label, thousands

HEADER_FILL = colors.HexColor("#1F4E79")
TOTAL_FILL = colors.HexColor("#DDEBF7")
GRID = colors.HexColor("#9BB7D4")
OK_COLOUR = colors.HexColor("#2E7D32")
FAIL_COLOUR = colors.HexColor("#C62828")
WIDTH = A4[0] - 36 * mm
DESCRIPTION_CHARS = 1200
DESCRIPTION_CUT = "(forkortet; hele beskrivelsen står i arbeidsboka)"

_base = getSampleStyleSheet()


@dataclass(frozen=True)
class Look:
    """The fonts and paragraph styles one document is drawn with."""

    fonts: Fonts
    styles: dict[str, ParagraphStyle]


def look_for(fonts: Fonts) -> Look:
    """Paragraph styles in ``fonts``."""

    def style(name: str, parent: str, size: float, leading: float, **extra) -> ParagraphStyle:
        font = extra.pop("fontName", fonts.regular)
        return ParagraphStyle(
            name, _base[parent], fontName=font, fontSize=size, leading=leading, **extra
        )

    return Look(
        fonts,
        {
            "title": style("title", "Title", 17, 21, alignment=TA_LEFT, fontName=fonts.bold),
            "subtitle": style("subtitle", "Normal", 11, 14),
            "h2": style(
                "h2", "Heading2", 12.5, 15, spaceBefore=8, fontName=fonts.bold, keepWithNext=1
            ),
            "body": style("body", "Normal", 9.5, 12.5),
            "small": style("small", "Normal", 8, 10, textColor="#333333"),
            "cell": style("cell", "Normal", 8.5, 10),
            "cell_bold": style("cell_bold", "Normal", 8.5, 10, fontName=fonts.bold),
            "alert": style("alert", "Normal", 9.5, 12, textColor=FAIL_COLOUR),
        },
    )


def facts_table(look: Look, facts: Facts) -> Table:
    pilot = facts.figures.budget.pilot
    verdict = (
        f"FEIL ({len(facts.errors)} feil, {facts.warnings} advarsler)"
        if facts.errors
        else f"OK (0 feil, {facts.warnings} advarsler)"
    )
    rows = [
        ("Pilot", pilot.name),
        ("Kommuner", ", ".join(pilot.municipalities)),
        ("Prosjektperiode", period_label(pilot.years)),
        ("Søknadsfrist", date_text(pilot.application_deadline)),
        ("Kommunestyremøte", date_text(pilot.council_meeting)),
        ("Prosjektleder", pilot.project_leader),
        ("Arbeidsbok", facts.workbook),
        ("Innholds-ID", f"{facts.digest} (samme ID som i kontrollrapporten)"),
        ("Kontroll av arbeidsboka", verdict),
    ]
    table = Table(
        [
            [
                Paragraph(f"<b>{esc(k)}</b>", look.styles["body"]),
                Paragraph(esc(v), look.styles["body"]),
            ]
            for k, v in rows
        ],
        colWidths=[50 * mm, WIDTH - 50 * mm],
        splitInRow=1,  # a row longer than a page (every name at its longest) goes on over it
    )
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), *_grid(look)]))
    return table


def projects_list(look: Look, facts: Facts) -> Flowable:
    """Each project with its description, cut to ``DESCRIPTION_CHARS`` (said so where cut)."""
    items = []
    for project in facts.figures.budget.projects:
        text = short_description(project.description)
        items.append(
            ListItem(
                Paragraph(f"<b>{esc(project.name)}</b> – {esc(text)}", look.styles["body"]),
                spaceAfter=3,
            )
        )
    return ListFlowable(
        items,
        bulletType="1",
        bulletFormat="%s.",
        bulletFontName=look.fonts.regular,
        bulletFontSize=9.5,
        leftIndent=12,
    )


def short_description(lines: Sequence[str]) -> str:
    """A project's description for the attachment: whole when short, else its first
    ``DESCRIPTION_CHARS`` characters (at a word) and a note that the workbook has the rest.

    A council reads a summary: a spec may give a project twenty paragraphs of a thousand
    characters, which for fifty projects made a hundred pages to set for every municipality.
    """
    text = " ".join(lines)
    if len(text) <= DESCRIPTION_CHARS:
        return text
    cut = text[:DESCRIPTION_CHARS].rsplit(" ", 1)[0].rstrip(" ,;:.–-")
    return f"{cut} … {DESCRIPTION_CUT}"


def key_figures(look: Look, facts: Facts) -> Table:
    t = facts.figures.totals
    w = facts.whole
    rows = [
        ("Kostnader medregnet egeninnsats", w(t.total_costs)),
        ("   herav kontante kostnader", w(t.costs)),
        ("   herav kommunenes egeninnsats (timer × timesats)", w(t.in_kind)),
        ("KDD", w(t.kdd)),
        ("Statsforvalteren", w(t.statsforvalteren)),
        ("Egeninnsats (kommunenes timer)", w(t.in_kind)),
        ("Sum finansiering", w(t.financing)),
        ("Balanse (finansiering − kostnader)", w(t.balance)),
    ]
    return _amount_table(
        look, [("", "kr"), *[(k, kroner_text(v)) for k, v in rows]], [WIDTH - 45 * mm, 45 * mm]
    )


def plan_table(look: Look, facts: Facts) -> Table:
    plan = facts.figures.tables.plan
    header = ["Kostnadsplan", *map(str, plan.years), "Sum"]
    body = [
        [name, *map(thousands, row)] for name, row in zip(plan.projects, plan.costs, strict=True)
    ]
    total = ["Sum kostnader", *map(thousands, plan.cost_totals)]
    return _numbers_table(look, [header, *body, total], len(plan.years) + 1, totals=1)


def financing_table(look: Look, facts: Facts) -> Table:
    plan = facts.figures.tables.plan
    header = ["Finansieringsplan", *map(str, plan.years), "Sum"]
    body = [[SOURCE_NAMES[s], *map(thousands, plan.financing[s])] for s in SOURCES]
    total = ["Sum finansiering", *map(thousands, plan.financing_totals)]
    return _numbers_table(look, [header, *body, total], len(plan.years) + 1, totals=1)


def detail_table(look: Look, facts: Facts) -> Table:
    header = ["Prosjekt", "Kostnader", "KDD", "Statsforv.", "Egeninns.", "Sum fin.", "Balanse"]
    rows: list[list[str]] = [header]
    totals: list[int] = []
    headings: list[int] = []
    for label, lines in facts.figures.tables.detail.blocks:
        if label:
            headings.append(len(rows))
            rows.append([label, "", "", "", "", "", ""])
        for line in lines:
            if line.total:
                totals.append(len(rows))
            rows.append(
                [
                    _name(look, line.label, bold=line.total),
                    thousands(line.cost),
                    *(thousands(line.sources[s]) for s in SOURCES),
                    thousands(line.financing),
                    thousands(line.balance),
                ]
            )
    name_width = WIDTH - 6 * 18 * mm
    table = Table(rows, colWidths=[name_width] + [18 * mm] * 6, repeatRows=1, splitInRow=1)
    style = [
        *_grid(look),
        *_header_style(look),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    for r in totals:
        style += [
            ("BACKGROUND", (0, r), (-1, r), TOTAL_FILL),
            ("FONTNAME", (0, r), (-1, r), look.fonts.bold),
        ]
    for r in headings:
        style += [("SPAN", (0, r), (-1, r)), ("FONTNAME", (0, r), (-1, r), look.fonts.bold)]
    table.setStyle(TableStyle(style))
    return table


def kdd_table(look: Look, facts: Facts) -> Table:
    t = facts.figures.totals
    w = facts.whole
    headroom = t.kdd_cap - w(t.kdd)
    margin = w(t.kdd_eligible) - w(t.kdd)
    rows = [
        ("", "kr"),
        ("KDD-midler det søkes om", kroner_text(w(t.kdd))),
        ("Taket for hele perioden", kroner_text(t.kdd_cap)),
        ("Igjen under taket" if headroom >= 0 else "Over taket", kroner_text(abs(headroom))),
        ("Kostnader KDD kan finansiere", kroner_text(w(t.kdd_eligible))),
        (
            "Margin mot støtteberettigede kostnader"
            if margin >= 0
            else "Over støtteberettigede kostnader",
            kroner_text(abs(margin)),
        ),
    ]
    return _amount_table(look, rows, [WIDTH - 45 * mm, 45 * mm])


def share_table(look: Look, facts: Facts) -> Table:
    share = facts.share
    years = facts.figures.budget.pilot.years
    header = [
        "Prosjekt",
        *(f"Timer {y}" for y in years),
        "Timer i alt",
        *(f"Kr {y}" for y in years),
        "Kr i alt",
    ]
    rows = [header]
    for row in share.rows:
        rows.append(
            [
                row.project,
                *map(hours_text, row.hours),
                hours_text(sum(row.hours)),
                *map(thousands, row.kroner),
                thousands(sum(row.kroner)),
            ]
        )
    rows.append(
        [
            f"Sum {share.municipality}",
            *map(hours_text, share.hours_per_year),
            hours_text(share.hours),
            *map(thousands, share.kroner_per_year),
            thousands(share.kroner),
        ]
    )
    return _numbers_table(look, rows, 2 * len(years) + 2, totals=1, number_width=19 * mm)


def rules_table(look: Look, facts: Facts) -> Table:
    rows = [["Regel", "Status"]] + [[r.text, r.status] for r in facts.figures.rules]
    table = Table(rows, colWidths=[WIDTH - 40 * mm, 40 * mm], splitInRow=1)
    style = [*_grid(look), *_header_style(look)]
    for i, rule in enumerate(facts.figures.rules, start=1):
        colour = OK_COLOUR if rule.ok else FAIL_COLOUR
        style += [
            ("TEXTCOLOR", (1, i), (1, i), colour),
            ("FONTNAME", (1, i), (1, i), look.fonts.bold),
        ]
    table.setStyle(TableStyle(style))
    return table


def financing_chart(look: Look, facts: Facts) -> Drawing:
    """A bar per source of financing over the whole period, labelled in 1 000 kr."""
    values = [facts.figures.tables.plan.financing[s][-1] for s in SOURCES]
    total = sum(values) or 1
    drawing = Drawing(WIDTH, 62 * mm)
    drawing.initialFontName = look.fonts.regular  # else reportlab starts it in Helvetica
    chart = HorizontalBarChart()
    chart.x, chart.y = 62 * mm, 8 * mm
    chart.width, chart.height = WIDTH - 100 * mm, 50 * mm
    chart.data = [values]
    chart.categoryAxis.categoryNames = [SOURCE_NAMES[s] for s in SOURCES]
    chart.categoryAxis.reverseDirection = 1
    chart.categoryAxis.labels.fontName = look.fonts.regular
    chart.categoryAxis.labels.fontSize = 8.5
    chart.categoryAxis.labels.dx = -4
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.valueAxis.valueMin = min(0, *values)
    chart.valueAxis.labels.fontSize = 7.5
    chart.valueAxis.labels.fontName = look.fonts.regular
    chart.valueAxis.labelTextFormat = lambda v: thousands(round(v))
    chart.bars[0].fillColor = HEADER_FILL
    chart.bars.strokeColor = None
    chart.barLabelFormat = lambda v: f"{thousands(round(v))} ({round(100 * v / total)} %)"
    chart.barLabels.fontSize = 8
    chart.barLabels.fontName = look.fonts.regular
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    drawing.add(
        String(
            0,
            0,
            f"Sum finansiering {thousands(sum(values))} (i 1 000 kr)",
            fontSize=8,
            fontName=look.fonts.regular,
        )
    )
    return drawing


def _numbers_table(
    look: Look, rows: list[list[str]], numbers: int, totals: int, number_width: float = 24 * mm
) -> Table:
    """A table with a text column and ``numbers`` right-aligned columns; last rows are totals."""
    widths = [WIDTH - numbers * number_width] + [number_width] * numbers
    first = len(rows) - totals
    cells: list[list[Any]] = [
        row if i == 0 else [_name(look, row[0], bold=i >= first), *row[1:]]
        for i, row in enumerate(rows)
    ]
    table = Table(cells, colWidths=widths, repeatRows=1, splitInRow=1)
    table.setStyle(
        TableStyle(
            [
                *_grid(look),
                *_header_style(look),
                ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BACKGROUND", (0, first), (-1, -1), TOTAL_FILL),
                ("FONTNAME", (0, first), (-1, -1), look.fonts.bold),
                ("FONTNAME", (-1, 1), (-1, -1), look.fonts.bold),
            ]
        )
    )
    return table


def _name(look: Look, text: str, bold: bool = False) -> Paragraph:
    """A name in a table's first column, wrapped when it is long."""
    return Paragraph(esc(text), look.styles["cell_bold" if bold else "cell"])


def _amount_table(look: Look, rows: Sequence[tuple[str, str]], widths: list[float]) -> Table:
    table = Table([list(r) for r in rows], colWidths=widths, splitInRow=1)
    table.setStyle(
        TableStyle([*_grid(look), *_header_style(look), ("ALIGN", (1, 0), (-1, -1), "RIGHT")])
    )
    return table


def _grid(look: Look) -> list[tuple]:
    return [
        ("FONTNAME", (0, 0), (-1, -1), look.fonts.regular),
        ("FONTSIZE", (0, 0), (-1, -1), 8.5),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]


def _header_style(look: Look) -> list[tuple]:
    return [
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
        ("FONTNAME", (0, 0), (-1, 0), look.fonts.bold),
    ]


def esc(text: str) -> str:
    """Text for a reportlab paragraph (its markup is XML-like)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
