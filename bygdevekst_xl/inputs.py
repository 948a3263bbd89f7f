"""Read a workbook's inputs back into a budget: where the tables are, and what a person typed.

The tables are found from the workbook's own fixed texts (the Parametre headings and each cost
table's "Sum kostnader" row), so rows inserted in Excel move them without confusing the reader.
The rules (KDD cap, hourly rate, categories and their eligibility) come from the spec, never from
the workbook.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from .layout import project_names
from .layout.cells import a1
from .layout.rows import (
    CATEGORY_ID_COL,
    CATEGORY_KDD_COL,
    CATEGORY_NAME_COL,
    CATEGORY_NOTE_COL,
    PARAM_VALUE_COL,
    PROJECT_ID_COL,
    PROJECT_NAME_COL,
    PROJECT_SHEET_COL,
    PROJECT_WG_COL,
    ParameterRows,
    ProjectRows,
    cost_capacity,
    year_col,
)
from .model import Budget, Category, CostLine, Pilot, Project
from .texts import (
    CATEGORY_HEADING,
    COST_TOTAL,
    MUNICIPALITY_HEADING,
    PARAMETER_SHEET,
    PROJECT_HEADING,
    YES,
)

COST_TOTAL_LABEL = COST_TOTAL
MAX_SCAN_ROWS = 100_000


class NotOurWorkbook(ValueError):
    """The file is a workbook, but not one this package generated (or its skeleton is gone)."""


@dataclass(frozen=True)
class Rules:
    """What the checker trusts: the programme's rules as the spec states them."""

    kdd_cap: int
    hourly_rate: int
    categories: tuple[Category, ...]

    @classmethod
    def of(cls, budget: Budget) -> Rules:
        """The rules a spec's budget states."""
        return cls(budget.pilot.kdd_cap, budget.pilot.hourly_rate, budget.categories)


@dataclass(frozen=True)
class ReadBudget:
    """A workbook's budget, row for row as laid out (blank cost rows included)."""

    budget: Budget
    capacities: dict[str, int]


def read_budget(content: Any, rules: Rules | None = None) -> ReadBudget:
    """The budget a workbook holds, with the rules' cap, rate and categories.

    ``content`` is a ``reader.WorkbookContent``. Without ``rules``, the workbook's own Parametre
    (cap, hourly rate, category table) are used, as ``extract`` and ``regenerate`` need. Raises
    ``NotOurWorkbook`` when the skeleton (the Parametre sheet and its tables) is missing.
    """
    if rules is None:
        rules = workbook_rules(content)
    params = _parameters(content)
    municipalities = _column_after_heading(params, MUNICIPALITY_HEADING, skip_header=False)
    project_rows = _rows_after_heading(params, PROJECT_HEADING)
    if not municipalities or not project_rows:
        raise NotOurWorkbook(f"{PARAMETER_SHEET}: the municipality or project table is missing")
    rows = ParameterRows(len(municipalities), len(rules.categories), len(project_rows))
    years = _years(params, rows)
    if len(years) < 1:
        raise NotOurWorkbook(
            f"{PARAMETER_SHEET}!{a1(rows.years, PARAM_VALUE_COL)}: no project years"
        )
    pilot = Pilot(
        name=_text(params.get(a1(rows.pilot_name, PARAM_VALUE_COL))),
        municipalities=tuple(municipalities),
        years=tuple(years),
        kdd_cap=rules.kdd_cap,
        hourly_rate=rules.hourly_rate,
        application_deadline=_iso_date(params.get(a1(rows.deadline, PARAM_VALUE_COL))),
        council_meeting=_iso_date(params.get(a1(rows.council_meeting, PARAM_VALUE_COL))),
        project_leader=_text(params.get(a1(rows.project_leader, PARAM_VALUE_COL))),
        reservation=_text(params.get(a1(rows.reservation, PARAM_VALUE_COL))),
        lead_municipality=_text(params.get(a1(rows.lead_municipality, PARAM_VALUE_COL))),
        organisation_number=_text(params.get(a1(rows.organisation_number, PARAM_VALUE_COL))),
        contact_person=_text(params.get(a1(rows.contact_person, PARAM_VALUE_COL))),
    )
    by_name = {c.name: c.id for c in rules.categories}
    by_folded = {c.name.casefold(): c.id for c in rules.categories}
    projects, capacities = [], {}
    for row in project_rows:
        project_id = _text(params.get(a1(row, PROJECT_ID_COL)))
        sheet_name = _text(params.get(a1(row, PROJECT_SHEET_COL)))
        name = _text(params.get(a1(row, PROJECT_NAME_COL)))
        working_group = _text(params.get(a1(row, PROJECT_WG_COL))) == YES
        sheet = content.sheets.get(sheet_name)
        # A missing sheet (reported by the structure check) still holds its place, empty.
        values = sheet.values if sheet is not None else {}
        capacity = (
            _cost_capacity(values, sheet_name)
            if sheet is not None
            else _named_capacity(content.names, project_id)
        )
        capacities[project_id] = capacity
        layout_rows = ProjectRows(capacity, len(municipalities), len(rules.categories))
        projects.append(
            _project(
                values,
                layout_rows,
                pilot,
                project_id,
                name,
                sheet_name,
                working_group,
                by_name,
                by_folded,
            )
        )
    budget = Budget(pilot, rules.categories, tuple(projects))
    return ReadBudget(budget, capacities)


def workbook_rules(content: Any) -> Rules:
    """The cap, hourly rate and categories as the workbook's Parametre sheet states them."""
    params = _parameters(content)
    categories = []
    for row in _rows_after_heading(params, CATEGORY_HEADING):
        name = _text(params.get(a1(row, CATEGORY_NAME_COL)))
        flag = params.get(a1(row, CATEGORY_KDD_COL))
        category_id = _text(params.get(a1(row, CATEGORY_ID_COL)))
        note = _text(params.get(a1(row, CATEGORY_NOTE_COL)))
        categories.append(Category(category_id, name, flag == 1, note))
    if not categories:
        raise NotOurWorkbook(f"{PARAMETER_SHEET}: the category table is missing")
    cap = params.get(a1(ParameterRows.kdd_cap, PARAM_VALUE_COL))
    rate = params.get(a1(ParameterRows.hourly_rate, PARAM_VALUE_COL))
    return Rules(int(_number_or(cap, 0)), int(_number_or(rate, 0)), tuple(categories))


def _parameters(content: Any) -> dict[str, Any]:
    if PARAMETER_SHEET not in content.sheets:
        raise NotOurWorkbook(f"no {PARAMETER_SHEET!r} sheet: not a bygdevekst_xl budget workbook")
    return content.sheets[PARAMETER_SHEET].values


def _number_or(value: Any, default: float) -> float:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else default


def _project(
    values: dict[str, Any],
    rows: ProjectRows,
    pilot: Pilot,
    project_id: str,
    name: str,
    sheet: str,
    working_group: bool,
    by_name: dict[str, str],
    by_folded: dict[str, str],
) -> Project:
    n_years = len(pilot.years)
    costs = []
    for row in range(rows.cost_first, rows.cost_last + 1):
        raw = values.get(a1(row, 0))
        category = "" if raw is None else str(raw).strip() if isinstance(raw, str) else raw
        if isinstance(category, str):
            category = by_name.get(category) or by_folded.get(category.casefold()) or category
        else:
            category = str(category)
        description = values.get(a1(row, 1))
        amounts = tuple(_typed(values.get(a1(row, year_col(y)))) for y in range(n_years))
        costs.append(CostLine(category, "" if description is None else str(description), amounts))
    hours = []
    for m, municipality in enumerate(pilot.municipalities):
        row = rows.hours_first + m
        hours.append(
            (municipality, tuple(_typed(values.get(a1(row, year_col(y)))) for y in range(n_years)))
        )
    kdd = tuple(_typed(values.get(a1(rows.kdd, year_col(y)))) for y in range(n_years))
    statsforvalteren = tuple(
        _typed(values.get(a1(rows.statsforvalteren, year_col(y)))) for y in range(n_years)
    )
    description = _text(values.get(a1(rows.description, 0)))
    lines = tuple(
        line.removeprefix("• ").strip() for line in description.splitlines() if line.strip()
    )
    return Project(
        project_id,
        name,
        sheet,
        lines,
        working_group,
        tuple(costs),
        tuple(hours),
        kdd,
        statsforvalteren,
    )


def _cost_capacity(values: dict[str, Any], sheet: str) -> int:
    """Cost input rows: from the first cost row down to the row labelled "Sum kostnader"."""
    first = ProjectRows.cost_first
    for row in range(first, first + MAX_SCAN_ROWS):
        if values.get(a1(row, 0)) == COST_TOTAL_LABEL and values.get(a1(row, 1)) is None:
            return row - first
    raise NotOurWorkbook(
        f"sheet {sheet!r}: no {COST_TOTAL_LABEL!r} label in column A below "
        f"{a1(first, 0)}; the cost table ends at that label (type it back to check the sheet)"
    )


def _named_capacity(names: dict[str, str], project_id: str) -> int:
    """Cost rows per the defined name of a project whose sheet is gone (default when no name)."""
    reference = names.get(project_names(project_id)["costs"], "")
    rows = [int(n) for n in re.findall(r"\$?[A-Z]+\$?(\d+)", reference.rsplit("!", 1)[-1])]
    return rows[-1] - rows[0] + 1 if len(rows) == 2 and rows[1] >= rows[0] else cost_capacity(0)


def _rows_after_heading(values: dict[str, Any], heading: str) -> list[int]:
    """The 0-based rows of a Parametre table: under its heading and header, until a blank row."""
    start = _find_in_column(values, heading)
    if start is None:
        return []
    rows, row = [], start + 2
    while any(values.get(a1(row, c)) is not None for c in range(PROJECT_WG_COL + 1)):
        rows.append(row)
        row += 1
    return rows


def _column_after_heading(values: dict[str, Any], heading: str, *, skip_header: bool) -> list[str]:
    start = _find_in_column(values, heading)
    if start is None:
        return []
    out, row = [], start + (2 if skip_header else 1)
    while (value := values.get(a1(row, 0))) is not None:
        out.append(_text(value))
        row += 1
    return out


def _find_in_column(values: dict[str, Any], text: str, col: int = 0) -> int | None:
    for row in range(MAX_SCAN_ROWS):
        value = values.get(a1(row, col))
        if value == text:
            return row
        if row > 1000 and value is None:
            return None
    return None


def _years(values: dict[str, Any], rows: ParameterRows) -> list[int]:
    years, col = [], PARAM_VALUE_COL
    while isinstance(value := values.get(a1(rows.years, col)), int | float) and not isinstance(
        value, bool
    ):
        years.append(int(value))
        col += 1
    return years


EXACT_INTEGERS = 2.0**53
"""Beyond this a float holds no exact integer, and Excel's numbers are all floats."""


def _typed(value: Any) -> Any:
    """An input as a person typed it; integral floats become ints (while they are exact)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < EXACT_INTEGERS:
        return int(value)
    return value


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_ISO_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?")


def _iso_date(value: Any) -> str:
    """A date cell (an Excel serial, a datetime or ISO text) as ISO text."""
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 < value < 2958466:
        return (dt.datetime(1899, 12, 30) + dt.timedelta(days=float(value))).strftime("%Y-%m-%d")
    text = _text(value)
    return text[:10] if _ISO_DATE_TIME.fullmatch(text) else text  # ISO: drop the time
