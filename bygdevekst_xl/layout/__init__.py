"""Layout: where everything goes, as pure functions of the model.

The single source of truth for sheet names, addresses, formulas, defined names, validations and
formats. The writer renders it; the checker and the reader compare a workbook against it.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..compute import budget_totals, project_totals
from ..model import Budget
from ..texts import FRONT_SHEET, PARAMETER_SHEET, SUMMARY_SHEET
from .cells import Cell, SheetLayout, WorkbookLayout, a1, a1_range, ref
from .front_sheet import front_sheet
from .parameter_sheet import PARAMETER_NAMES, category_refs, parameter_sheet
from .project_sheet import project_sheet
from .rows import FIRST_YEAR_COL, ParameterRows, ProjectRows, SummaryRows, cost_capacity, sum_col
from .summary_sheet import summary_sheet

__all__ = [
    "LAYOUT_PROPERTY",
    "LAYOUT_VERSION",
    "PARAMETER_NAMES",
    "SUMMARY_NAME",
    "Cell",
    "SheetLayout",
    "WorkbookLayout",
    "build_layout",
    "project_id_of_name",
    "project_names",
]

LAYOUT_PROPERTY = "bygdevekst_xl_layout"
"""The custom document property that records which layout a workbook was generated with."""
LAYOUT_VERSION = "5"
"""Raised whenever a generated formula, label or address changes, so ``check`` can tell an
older workbook (regenerate it) from one a person edited. 2: hours are rounded to 6 decimals
before they are priced. 3: KDD ≤ KDD-eligible costs per project and year (a row under
the balance and a rule); labels in standard bokmål; applicant rows on Parametre (the
municipality table three rows lower); Forside facts, shares and signature lines. 4: the
Forside leaves out the shell command and a spec date not given; amounts, hours and per cents
in formats tagged Norwegian bokmål ([$-414]). 5: priced hours rounded to 6 decimals before
kroner, so LibreOffice shows Excel's krone."""


SUMMARY_NAME = "Sum_KDD"
"""The defined name that finds the combined sheet (its KDD total)."""


def project_names(project_id: str) -> dict[str, str]:
    """The defined names that locate one project's input tables, by role."""
    return {
        "costs": f"Kostnader_{project_id}",
        "hours": f"Timer_{project_id}",
        "financing": f"Finansiering_{project_id}",
    }


def project_id_of_name(name: str) -> str | None:
    """The project id a cost table's defined name (``Kostnader_<id>``) names; None for
    another name."""
    prefix = project_names("")["costs"]
    return name[len(prefix) :] if name.casefold().startswith(prefix.casefold()) else None


def build_layout(
    budget: Budget,
    capacities: Mapping[str, int] | None = None,
    generation: tuple[str, str] | None = None,
) -> WorkbookLayout:
    """Lay out the whole workbook for a budget.

    ``capacities`` gives the number of cost input rows per project id (as read from an edited
    workbook); by default each project gets its lines plus spare rows. ``generation`` is the
    (generation id, spec date) the Forside shows, when the workbook carries a record.
    """
    capacities = capacities or {}
    n_years = len(budget.pilot.years)
    n_munis, n_cats = len(budget.pilot.municipalities), len(budget.categories)
    parameter_rows = ParameterRows(n_munis, n_cats, len(budget.projects))
    parameters, names = parameter_sheet(budget, parameter_rows)
    refs = category_refs(parameter_rows, n_cats)

    project_rows, totals, project_sheets = [], [], []
    for i, project in enumerate(budget.projects):
        capacity = capacities.get(project.id, cost_capacity(len(project.costs)))
        if capacity < len(project.costs):
            raise ValueError(
                f"{project.sheet}: {len(project.costs)} cost lines do not fit in {capacity} rows"
            )
        rows = ProjectRows(capacity, n_munis, n_cats)
        t = project_totals(budget, project)
        project_rows.append(rows)
        totals.append(t)
        project_sheets.append(project_sheet(budget, project, i + 1, rows, t, refs))
        last = sum_col(n_years)
        table_names = project_names(project.id)
        names[table_names["costs"]] = ref(
            project.sheet, a1_range(rows.cost_first, 0, rows.cost_last, last, absolute=True)
        )
        names[table_names["hours"]] = ref(
            project.sheet,
            a1_range(rows.hours_first, FIRST_YEAR_COL, rows.hours_last, last - 1, absolute=True),
        )
        names[table_names["financing"]] = ref(
            project.sheet,
            a1_range(rows.kdd, FIRST_YEAR_COL, rows.statsforvalteren, last - 1, absolute=True),
        )

    overall = budget_totals(budget, totals)
    summary_rows = SummaryRows(n_years, len(budget.projects), n_cats)
    summary, summary_anchors = summary_sheet(
        budget, summary_rows, project_rows, totals, overall, refs
    )
    summary_values = {k: summary.cells[pos].value for k, pos in summary_anchors.items()}
    names[SUMMARY_NAME] = ref(SUMMARY_SHEET, a1(*summary_anchors["kdd_total"], absolute=True))
    names["Sum_Kostnader"] = ref(SUMMARY_SHEET, a1(*summary_anchors["total_costs"], absolute=True))
    names["Status_Regler"] = ref(SUMMARY_SHEET, a1(*summary_anchors["rule_all"], absolute=True))

    order = [SUMMARY_SHEET, *(p.sheet for p in budget.projects), PARAMETER_SHEET]
    front = front_sheet(
        budget, parameter_rows, summary_anchors, summary_values, overall, order, generation
    )
    sheets: list[SheetLayout] = [front, summary, *project_sheets, parameters]
    anchors = {key: (SUMMARY_SHEET, r, c) for key, (r, c) in summary_anchors.items()}
    assert [s.name for s in sheets] == [FRONT_SHEET, *order]
    projects = {p.id: (r, t) for p, r, t in zip(budget.projects, project_rows, totals, strict=True)}
    return WorkbookLayout(
        sheets, dict(sorted(names.items())), anchors, overall, projects, parameter_rows
    )
