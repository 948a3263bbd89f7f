"""The Forside: the application at a glance, the key figures, the checks and a table of contents."""

from __future__ import annotations

from ..compute import BudgetTotals
from ..model import Budget
from ..texts import (
    FRONT_HEADINGS,
    FRONT_SHEET,
    OWN_SHARE,
    PARAMETER_SHEET,
    SUMMARY_SHEET,
    period_label,
)
from .cells import Link, SheetLayout, a1, ref, wrapped_height
from .parameter_sheet import applicant_facts, excel_date
from .rows import PARAM_VALUE_COL, ParameterRows
from .summary_sheet import RULE_NAMES
from .validation import status_formats

HEADING_ROWS = 3
GENERATION_ROW = 2
"""The row under the title that names the generation (the blank row before the facts)."""
HOW_TO = (
    "Gule celler er inndata. Alt annet er formler eller faste verdier og er låst "
    "(arkbeskyttelse uten passord).",
    "Nye kostnadslinjer: bruk de tomme linjene i kostnadstabellen, eller sett inn hele rader midt "
    "i tabellen (over siste tomme linje). Summene tar med nye linjer uten at formler må endres.",
    "Kategori velges fra listen; arket Parametre viser hva KDD kan finansiere.",
    "Egenandelen er timer × timesats i hele kroner og regnes ut av timene i hvert prosjekt.",
)


DATE_SEPARATOR = " · spesifikasjonens dato: "


def generation_text(generation_id: str, spec_date: str) -> str:
    """The Forside's line that tells copies apart; the spec's date only when it is given."""
    date = f"{DATE_SEPARATOR}{spec_date}" if spec_date else ""
    return f"Generasjon {generation_id}{date}"


def parse_generation_text(text: object) -> tuple[str, str] | None:
    """(generation id, spec date, "" when not given) from the Forside's line, or None when it
    is not one."""
    if not isinstance(text, str) or not text.startswith("Generasjon "):
        return None
    generation, _, date = text.removeprefix("Generasjon ").partition(DATE_SEPARATOR)
    return (generation, date) if generation and " " not in generation else None


def front_sheet(
    budget: Budget,
    parameter_rows: ParameterRows,
    summary_anchors: dict[str, tuple[int, int]],
    summary_values: dict[str, object],
    totals: BudgetTotals,
    sheet_names: list[str],
    generation: tuple[str, str] | None = None,
) -> SheetLayout:
    """Lay out the Forside; every fact and figure is a formula linking to where it lives.

    ``generation`` is (generation id, the spec's date) of the record the workbook carries: the
    row under the title says which generation a copy is.
    """
    pilot = budget.pilot
    sheet = SheetLayout(FRONT_SHEET, tab_color="#C00000", portrait=True)
    sheet.widths = {0: 52, 1: 20, 2: 60}
    sheet.repeat_rows = (0, 0)
    sheet.label(0, 0, f"{pilot.name}: søknad om bygdevekstavtale", "title")
    sheet.label(
        1,
        0,
        f"Budsjett og finansiering {period_label(pilot.years)} for "
        f"{', '.join(pilot.municipalities)}",
        "subtitle",
    )
    if generation is not None:
        sheet.label(GENERATION_ROW, 0, generation_text(*generation), "note")
    row = HEADING_ROWS
    sheet.label(row, 0, FRONT_HEADINGS[0], "heading")
    applicant = tuple(
        (label, row, getattr(pilot, key), "text")
        for key, label, row in applicant_facts(parameter_rows)
        if getattr(pilot, key)
    )
    facts = (
        ("Søker", parameter_rows.pilot_name, pilot.name, "text"),
        *applicant,
        ("Søknadsfrist", parameter_rows.deadline, excel_date(pilot.application_deadline), "date"),
        (
            "Kommunestyremøte",
            parameter_rows.council_meeting,
            excel_date(pilot.council_meeting),
            "date",
        ),
        ("Prosjektleder", parameter_rows.project_leader, pilot.project_leader, "text"),
        ("KDD-tak for hele perioden", parameter_rows.kdd_cap, pilot.kdd_cap, "amount"),
        ("Timesats for egeninnsats", parameter_rows.hourly_rate, pilot.hourly_rate, "amount"),
    )
    for label, source_row, value, style in facts:
        row += 1
        sheet.label(row, 0, label, "text")
        sheet.formula(
            row,
            1,
            ref(PARAMETER_SHEET, a1(source_row, PARAM_VALUE_COL, absolute=True)),
            value,
            style,
        )
    row += 1
    sheet.label(row, 0, "Kommuner", "text")
    sheet.label(row, 1, ", ".join(pilot.municipalities), "text")
    if pilot.reservation:
        row += 1
        sheet.label(row, 0, "Forbehold", "text")
        sheet.formula(
            row,
            1,
            ref(PARAMETER_SHEET, a1(parameter_rows.reservation, PARAM_VALUE_COL, absolute=True)),
            pilot.reservation,
            "wrap",
        )
        sheet.merges.append((row, 1, row, 2))
        sheet.heights[row] = 15 * max(1, len(pilot.reservation) // 70 + 1)

    row += 2
    sheet.label(row, 0, f"Nøkkeltall {period_label(pilot.years)}", "heading")
    figures = (
        ("Sum kostnader inkl. egeninnsats", "total_costs"),
        ("Herav kontante kostnader", "costs"),
        ("Søkt fra KDD", "kdd_total"),
        ("Statsforvalteren", "statsforvalteren"),
        (OWN_SHARE, "own_share"),
        ("Balanse (finansiering − kostnader)", "balance"),
    )
    for label, key in figures:
        row += 1
        sheet.label(row, 0, label, "text")
        sheet.formula(
            row, 1, ref(SUMMARY_SHEET, a1(*summary_anchors[key])), summary_values[key], "amount"
        )
        if key == "kdd_total":
            for y, year in enumerate(pilot.years):
                row += 1
                sheet.label(row, 0, f"    herav {year}", "text")
                year_key = f"kdd_year:{y}"
                cell = ref(SUMMARY_SHEET, a1(*summary_anchors[year_key]))
                sheet.formula(row, 1, cell, summary_values[year_key], "amount")
    row += 1
    sheet.label(row, 0, "Igjen under KDD-taket", "text_bold")
    sheet.formula(
        row,
        1,
        f"KDD_Tak-{ref(SUMMARY_SHEET, a1(*summary_anchors['kdd_total']))}",
        totals.kdd_headroom,
        "amount_total",
    )

    row += 2
    sheet.label(row, 0, "Andel av finansieringen", "heading")
    financing = ref(SUMMARY_SHEET, a1(*summary_anchors["financing"]))
    total = float(summary_values["financing"] or 0)  # type: ignore[arg-type]
    for label, key in (
        ("KDD", "kdd_total"),
        ("Statsforvalteren", "statsforvalteren"),
        (OWN_SHARE, "own_share"),
    ):
        row += 1
        sheet.label(row, 0, label, "text")
        part = ref(SUMMARY_SHEET, a1(*summary_anchors[key]))
        value = float(summary_values[key] or 0)  # type: ignore[arg-type]
        sheet.formula(
            row,
            1,
            f"IF({financing}=0,0,{part}/{financing})",
            value / total if total else 0,
            "percent",
        )

    row += 2
    sheet.label(row, 0, FRONT_HEADINGS[1], "heading")
    for key, text in (*RULE_NAMES, ("rule_all", "Alle regler oppfylt")):
        row += 1
        sheet.label(row, 0, text, "text_bold" if key == "rule_all" else "wrap")
        sheet.heights[row] = wrapped_height(text, sheet.widths[0])
        sheet.formula(
            row, 1, ref(SUMMARY_SHEET, a1(*summary_anchors[key])), summary_values[key], "status"
        )
        sheet.conditional += status_formats(row, 1)

    row += 2
    sheet.label(row, 0, FRONT_HEADINGS[2], "heading")
    for name in sheet_names:
        row += 1
        sheet.links.append(Link(row, 0, f"internal:{ref(name, 'A1')}", name))

    row += 2
    sheet.label(row, 0, "Slik bruker du arbeidsboka", "heading")
    for line in HOW_TO:
        row += 1
        sheet.label(row, 0, line, "wrap")
        sheet.merges.append((row, 0, row, 2))
        sheet.heights[row] = 30

    row += 2
    sheet.label(row, 0, "Underskrift", "heading")
    for label in ("Sted og dato", "Underskrift", "Navn og stilling"):
        row += 2
        sheet.label(row, 0, label, "text")
        sheet.label(row, 1, "", "signature")
        sheet.label(row, 2, "", "signature")
        sheet.heights[row] = 30
    return sheet
