"""One version of the budget: a workbook read through the reader and laid out through the map.

Every address the diff names comes from :func:`place`, the one function here that knows where
an input sits; everything else speaks in budget terms (project id, line, municipality, year).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..inputs import NotOurWorkbook, ReadBudget, read_budget
from ..layout import WorkbookLayout, build_layout
from ..layout.cells import a1
from ..layout.rows import (
    CATEGORY_KDD_COL,
    CATEGORY_NAME_COL,
    PARAM_VALUE_COL,
    PROJECT_NAME_COL,
    PROJECT_SHEET_COL,
    PROJECT_WG_COL,
    ParameterRows,
    year_col,
)
from ..texts import PARAMETER_SHEET
from ..xlsx import ReadError, WorkbookContent, read_workbook

Key = tuple[Any, ...]
"""What an input is in budget terms, e.g. ``("cost", "boligbygging", 2, 0)``: the amount of
the third cost row of project *boligbygging* in the first year. See :func:`place`."""


class Unreadable(ValueError):
    """A file that cannot be read as a budget workbook; str() is one line naming the file."""


@dataclass(frozen=True)
class Version:
    """One workbook: its content, its budget (row for row) and the layout of that budget."""

    path: Path
    content: WorkbookContent
    read: ReadBudget
    layout: WorkbookLayout


def read_version(path: Path | str) -> Version:
    """Read a workbook as a budget version (the workbook's own Parametre give the rules).

    An input cell that holds a formula (``=12*35000``) counts with the value saved with it.
    Raises :class:`Unreadable` with one line naming the file.
    """
    path = Path(path)
    try:
        content = read_workbook(path)
        read = read_budget(content)
        layout = build_layout(read.budget, read.capacities)
        formula_inputs = _formula_inputs(content, layout)
        if formula_inputs:
            content = _with_values(content, formula_inputs)
            read = read_budget(content)
            layout = build_layout(read.budget, read.capacities)
    except (ReadError, NotOurWorkbook, ValueError) as exc:
        reason = str(exc)
        raise Unreadable(reason if reason.startswith(str(path)) else f"{path}: {reason}") from None
    return Version(path, content, read, layout)


def _formula_inputs(
    content: WorkbookContent, layout: WorkbookLayout
) -> dict[str, dict[str, object]]:
    """The saved values of input cells that hold a formula, per sheet."""
    found: dict[str, dict[str, object]] = {}
    for sheet in layout.sheets:
        held = content.sheets.get(sheet.name)
        if held is None:
            continue
        for cell in sheet.cells.values():
            address = cell.address
            if cell.kind == "input" and address in held.formulas and address not in held.values:
                cached = held.cached.get(address)
                if cached is not None and not hasattr(cached, "code"):
                    found.setdefault(sheet.name, {})[address] = cached
    return found


def _with_values(content: WorkbookContent, extra: dict[str, dict[str, object]]) -> WorkbookContent:
    sheets = dict(content.sheets)
    for name, values in extra.items():
        sheets[name] = dataclasses.replace(sheets[name], values={**sheets[name].values, **values})
    return dataclasses.replace(content, sheets=sheets)


def place(version: Version, key: Key) -> tuple[str, str] | None:
    """The sheet and A1 address of an input in this version, or None when it has no place.

    The only address lookup of the diff. Keys:
    ``("cost", project_id, row_index, year_index | "category" | "description")``,
    ``("hours", project_id, municipality_index, year_index)``,
    ``("kdd" | "statsforvalteren", project_id, year_index)``,
    ``("cap",)``, ``("rate",)``, ``("years",)``,
    ``("category", category_index, "name" | "kdd")``,
    ``("project", project_id, "name" | "sheet" | "working_group")``.
    """
    budget = version.read.budget
    kind = key[0]
    if kind in ("cost", "hours", "kdd", "statsforvalteren"):
        project = next((p for p in budget.projects if p.id == key[1]), None)
        if project is None or key[1] not in version.layout.projects:
            return None
        rows = version.layout.projects[key[1]][0]
        if kind == "cost":
            field = key[3]
            col = {"category": 0, "description": 1}.get(field) if isinstance(field, str) else None
            return project.sheet, a1(
                rows.cost_first + key[2], year_col(field) if col is None else col
            )
        if kind == "hours":
            return project.sheet, a1(rows.hours_first + key[2], year_col(key[3]))
        row = rows.kdd if kind == "kdd" else rows.statsforvalteren
        return project.sheet, a1(row, year_col(key[2]))
    params = ParameterRows(
        len(budget.pilot.municipalities), len(budget.categories), len(budget.projects)
    )
    if kind == "cap":
        return PARAMETER_SHEET, a1(params.kdd_cap, PARAM_VALUE_COL)
    if kind == "rate":
        return PARAMETER_SHEET, a1(params.hourly_rate, PARAM_VALUE_COL)
    if kind == "years":
        return PARAMETER_SHEET, a1(params.years, PARAM_VALUE_COL)
    if kind == "municipality":
        return PARAMETER_SHEET, a1(params.municipality_first + key[1], 0)
    if kind == "category":
        col = CATEGORY_KDD_COL if key[2] == "kdd" else CATEGORY_NAME_COL
        return PARAMETER_SHEET, a1(params.category_first + key[1], col)
    if kind == "project":
        index = next((i for i, p in enumerate(budget.projects) if p.id == key[1]), None)
        if index is None:
            return None
        col = {"name": PROJECT_NAME_COL, "sheet": PROJECT_SHEET_COL}.get(key[2], PROJECT_WG_COL)
        return PARAMETER_SHEET, a1(params.project_first + index, col)
    raise KeyError(key)
