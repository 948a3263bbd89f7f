"""The Parametre sheet: the rules and facts that formulas and dropdowns refer to by name."""

from __future__ import annotations

import datetime as dt

from ..model import Budget
from ..texts import (
    ELIGIBLE_FLAG,
    NO,
    PARAMETER_HEADINGS,
    PARAMETER_SHEET,
    REGISTER_HEADER,
    YES,
)
from .cells import SheetLayout, a1, a1_range, ref
from .rows import (
    CATEGORY_ID_COL,
    CATEGORY_KDD_COL,
    CATEGORY_NAME_COL,
    CATEGORY_NOTE_COL,
    PARAM_VALUE_COL,
    PROJECT_ID_COL,
    PROJECT_NAME_COL,
    PROJECT_NO_COL,
    PROJECT_SHEET_COL,
    PROJECT_WG_COL,
    ParameterRows,
)


def excel_date(iso: str) -> dt.datetime | str:
    """An ISO date as the datetime xlsxwriter writes as a date serial; other text (a damaged
    date read back from a workbook) stays the text it is."""
    try:
        return dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso


def applicant_facts(rows: ParameterRows) -> tuple[tuple[str, str, int], ...]:
    """The optional facts about the applicant: (model field, label, Parametre row)."""
    return (
        ("lead_municipality", "Ansvarlig kommune (søker)", rows.lead_municipality),
        ("organisation_number", "Organisasjonsnummer", rows.organisation_number),
        ("contact_person", "Kontaktperson", rows.contact_person),
    )


def parameter_sheet(budget: Budget, rows: ParameterRows) -> tuple[SheetLayout, dict[str, str]]:
    """Lay out Parametre; returns the sheet and its defined names (name -> absolute reference)."""
    pilot = budget.pilot
    sheet = SheetLayout(PARAMETER_SHEET, tab_color="#7F7F7F")
    sheet.widths = {0: 40, 1: 30, 2: 22, 3: 60, 4: 16}
    sheet.freeze = (rows.title + 1, 0)
    sheet.repeat_rows = (rows.title, rows.title)
    sheet.label(rows.title, 0, "Parametre", "title")
    sheet.label(
        rows.note,
        0,
        "Reglene for ordningen og fakta om søknaden. Arket er låst: endringer "
        "gjøres i spesifikasjonen (YAML), og arbeidsboka genereres på nytt.",
        "note",
    )
    value = PARAM_VALUE_COL
    facts = [
        (rows.kdd_cap, "KDD-tak for hele perioden (kr)", pilot.kdd_cap, "amount"),
        (rows.hourly_rate, "Timesats for egeninnsats (kr per time)", pilot.hourly_rate, "amount"),
        (rows.pilot_name, "Søker", pilot.name, "text"),
        (rows.deadline, "Søknadsfrist", excel_date(pilot.application_deadline), "date"),
        (rows.council_meeting, "Kommunestyremøte", excel_date(pilot.council_meeting), "date"),
        (rows.project_leader, "Prosjektleder", pilot.project_leader, "text"),
        (rows.reservation, "Forbehold", pilot.reservation, "wrap"),
        *((row, label, getattr(pilot, key), "text") for key, label, row in applicant_facts(rows)),
    ]
    for row, name, fact, style in facts:
        sheet.label(row, 0, name, "text")
        sheet.label(row, value, fact, style)
    sheet.merges.append((rows.reservation, value, rows.reservation, CATEGORY_NOTE_COL))
    sheet.heights[rows.reservation] = 15 * max(1, len(pilot.reservation) // 100 + 1)
    sheet.label(rows.years, 0, "Prosjektår", "text")
    for y, year in enumerate(pilot.years):
        sheet.label(rows.years, value + y, year, "year")

    sheet.label(rows.municipality_heading, 0, PARAMETER_HEADINGS["municipalities"], "heading")
    for m, municipality in enumerate(pilot.municipalities):
        sheet.label(rows.municipality_first + m, 0, municipality, "text")

    sheet.label(rows.category_heading, 0, PARAMETER_HEADINGS["categories"], "heading")
    for col, text in (
        (CATEGORY_NAME_COL, "Kategori"),
        (CATEGORY_KDD_COL, ELIGIBLE_FLAG),
        (CATEGORY_ID_COL, "Id"),
        (CATEGORY_NOTE_COL, "Merknad"),
    ):
        sheet.label(rows.category_header, col, text, "header")
    for k, category in enumerate(budget.categories):
        row = rows.category_first + k
        sheet.label(row, CATEGORY_NAME_COL, category.name, "text")
        sheet.label(row, CATEGORY_KDD_COL, int(category.kdd_eligible), "flag")
        sheet.label(row, CATEGORY_ID_COL, category.id, "text")
        sheet.label(row, CATEGORY_NOTE_COL, category.note, "text")

    sheet.label(rows.project_heading, 0, PARAMETER_HEADINGS["projects"], "heading")
    for col, text in register_header():
        sheet.label(rows.project_header, col, text, "header")
    for p, project in enumerate(budget.projects):
        row = rows.project_first + p
        sheet.label(row, PROJECT_NO_COL, p + 1, "year")  # left-aligned, clear of the Id
        sheet.label(row, PROJECT_ID_COL, project.id, "text")
        sheet.label(row, PROJECT_NAME_COL, project.name, "text")
        sheet.label(row, PROJECT_SHEET_COL, project.sheet, "text")
        sheet.label(row, PROJECT_WG_COL, YES if project.working_group else NO, "text")

    def name_ref(first_row: int, first_col: int, last_row: int, last_col: int) -> str:
        return ref(
            PARAMETER_SHEET, a1_range(first_row, first_col, last_row, last_col, absolute=True)
        )

    n_years = len(pilot.years)
    areas = {
        "kdd_cap": (rows.kdd_cap, value, rows.kdd_cap, value),
        "hourly_rate": (rows.hourly_rate, value, rows.hourly_rate, value),
        "years": (rows.years, value, rows.years, value + n_years - 1),
        "municipalities": (rows.municipality_first, 0, rows.municipality_last, 0),
        "categories": (
            rows.category_first,
            CATEGORY_NAME_COL,
            rows.category_last,
            CATEGORY_NAME_COL,
        ),
        "category_kdd": (
            rows.category_first,
            CATEGORY_KDD_COL,
            rows.category_last,
            CATEGORY_KDD_COL,
        ),
        "projects": (rows.project_first, PROJECT_NO_COL, rows.project_last, PROJECT_WG_COL),
    }
    names = {PARAMETER_NAMES[key]: name_ref(*area) for key, area in areas.items()}
    fit_widths(sheet)
    return sheet, names


def register_header() -> tuple[tuple[int, str], ...]:
    """The project register's header: (column, text), left to right."""
    cols = (PROJECT_NO_COL, PROJECT_ID_COL, PROJECT_NAME_COL, PROJECT_SHEET_COL, PROJECT_WG_COL)
    return tuple(zip(cols, REGISTER_HEADER, strict=True))


PARAMETER_NAMES = {
    "kdd_cap": "KDD_Tak",
    "hourly_rate": "Timesats",
    "years": "Prosjektaar",
    "municipalities": "Kommuner",
    "categories": "Kategorier",
    "category_kdd": "Kategori_KDD",
    "projects": "Prosjekter",
}
"""The defined names of Parametre, by role: formulas, dropdowns and the reader use them."""


def fit_widths(sheet: SheetLayout, widest: float = 60) -> None:
    """Widen each column to its longest plain text (not titles, notes or merged text)."""
    merged = {(r, c) for r, c, _, _ in sheet.merges}
    for (row, col), cell in sheet.cells.items():
        if cell.style in ("title", "subtitle", "note", "heading", "wrap") or (row, col) in merged:
            continue
        length = len(str(cell.value)) if cell.value is not None else 0
        needed = min(widest, length + 2)
        if needed > sheet.widths.get(col, 0):
            sheet.widths[col] = needed


def category_refs(rows: ParameterRows, n_categories: int) -> dict[str, str]:
    """References to each category's name and KDD flag, for formulas on other sheets."""
    out = {}
    for k in range(n_categories):
        row = rows.category_first + k
        out[f"category_name:{k}"] = ref(PARAMETER_SHEET, a1(row, CATEGORY_NAME_COL, absolute=True))
        out[f"category_kdd:{k}"] = ref(PARAMETER_SHEET, a1(row, CATEGORY_KDD_COL, absolute=True))
    return out
