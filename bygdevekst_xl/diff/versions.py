"""One version of the budget: a workbook read through the reader and found through the map.

The workbook is read as every command reads it (``edited.read_edited``): evaluated (an input
that holds a formula counts with its value), its inputs read through the map under the facts
of its record (or ``--spec``) within the scheme, and the layout its own budget gives moved to
where the workbook has it: rows inserted, sheets renamed. Every address the diff
names comes from :func:`place`, the one function here that says where an input is; everything
else speaks in budget terms (project id, line, municipality, year).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..dataclass import dataclass
from ..edited import Edited, read_edited
from ..edited.inputs import NotOurWorkbook, ReadBudget
from ..excel import Area, a1, parse_area
from ..layout import WorkbookLayout
from ..layout.parameter_sheet import PARAMETER_NAMES
from ..layout.places import parameter_fact_cell
from ..layout.rows import (
    CATEGORY_KDD_COL,
    CATEGORY_NAME_COL,
    LINE_CATEGORY_COL,
    LINE_DESCRIPTION_COL,
    PILOT_FACT_ROWS,
    PROJECT_NAME_COL,
    PROJECT_SHEET_COL,
    PROJECT_WG_COL,
    ParameterRows,
)
from ..model import Budget
from ..xlsx import ReadError, WorkbookContent

Key = tuple[Any, ...]
"""What an input is in budget terms, e.g. ``("cost", "boligbygging", 2, 0)``: the amount of
the third cost row of project *boligbygging* in the first year. See :func:`place`."""


class Unreadable(ValueError):
    """A file that cannot be read as a budget workbook; str() is one line naming the file."""


@dataclass(frozen=True)
class Version:
    """One workbook, read as every command reads it: its content, its budget (row for row)
    and the layout of that budget, moved to where the workbook has it."""

    path: Path
    content: WorkbookContent
    read: ReadBudget
    layout: WorkbookLayout
    edited: Edited


def read_version(path: Path | str, spec: Budget | None = None) -> Version:
    """Read a workbook as a budget version (:func:`edited.read_edited`: the facts of its
    record, or of ``spec``, within the scheme).

    Raises :class:`Unreadable` with one line naming the file.
    """
    path = Path(path)
    try:
        edited = read_edited(path, spec)
    except (ReadError, NotOurWorkbook, ValueError) as exc:
        reason = str(exc)
        raise Unreadable(reason if reason.startswith(str(path)) else f"{path}: {reason}") from None
    return version_of(edited)


def version_of(edited: Edited) -> Version:
    """A workbook already read, as a budget version."""
    return Version(edited.path, edited.content, edited.read, edited.layout, edited)


def place(version: Version, key: Key) -> tuple[str, str] | None:
    """The sheet and A1 address of an input in this version, or None when it has no place.

    The only address lookup of the diff: project inputs through the reader's places
    (``ReadBudget.places``), Parametre through its defined names. Keys:
    ``("cost", project_id, row_index, year_index | "category" | "description")``,
    ``("hours", project_id, municipality_index, year_index)``,
    ``("kdd" | "statsforvalteren", project_id, year_index)``,
    ``("cap",)``, ``("rate",)``, ``("years",)``, ``("municipality", index)``,
    ``("category", category_index, "name" | "kdd")``,
    ``("project", project_id, "name" | "sheet" | "working_group")``,
    ``("fact", pilot_field)`` (``"name"``, ``"council_meeting"`` ...).
    """
    read, kind = version.read, key[0]
    if kind == "fact":
        row = getattr(ParameterRows, PILOT_FACT_ROWS[key[1]])
        return read.parameters, parameter_fact_cell(row, read.parameter_shift, read.parameter_cols)
    if kind in ("cost", "hours", "kdd", "statsforvalteren"):
        where = read.places.get(key[1])
        if where is None:
            return None
        if kind == "cost" and key[3] in ("category", "description"):
            col = LINE_CATEGORY_COL if key[3] == "category" else LINE_DESCRIPTION_COL
            address = where.at(where.cost_row(key[2]), col)
            return (where.sheet, address) if address is not None else None
        if kind == "cost":
            return where.sheet, where.cell("cost", key[2], key[3])
        if kind == "hours":
            municipality = read.budget.pilot.municipalities[key[2]]
            return where.sheet, where.cell("hours", municipality, key[3])
        return where.sheet, where.cell(kind, 0, key[2])
    role = {
        "cap": "kdd_cap",
        "rate": "hourly_rate",
        "years": "years",
        "municipality": "municipalities",
        "category": "categories",
        "project": "projects",
    }[kind]
    area = _named_area(version.content, PARAMETER_NAMES[role])
    if area is None or area.sheet is None:
        return None
    if kind in ("cap", "rate", "years"):
        return area.sheet, a1(area.first_row, area.first_col)
    index = key[1]
    if kind == "project":
        ids = [p.id for p in read.budget.projects]
        index = ids.index(key[1]) if key[1] in ids else len(area.rows)
    if index >= len(area.rows):
        return None
    if kind == "municipality":
        col = area.first_col
    elif kind == "category":
        col = CATEGORY_KDD_COL if key[2] == "kdd" else CATEGORY_NAME_COL
    else:
        col = {"name": PROJECT_NAME_COL, "sheet": PROJECT_SHEET_COL}.get(key[2], PROJECT_WG_COL)
    if kind != "municipality":  # where the sheet has the column (None: deleted)
        found = read.parameter_cols(col)
        if found is None:
            return None
        col = found
    return area.sheet, a1(area.rows[index], col)


def _named_area(content: WorkbookContent, name: str) -> Area | None:
    folded = {k.casefold(): v for k, v in content.names.items()}
    reference = folded.get(name.casefold())
    return parse_area(reference) if reference else None
