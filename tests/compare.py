"""How the tests compare workbooks, in one place: formula values against another engine, the
inputs a person typed (found by meaning, wherever the rows went), and where findings are.

``input_cells`` is the one place that knows where an input cell is; everything else names
inputs by meaning (project id, table, line or municipality, column).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import openpyxl

from bygdevekst_xl.check.rules import TOLERANCE
from bygdevekst_xl.edited import read_edited
from bygdevekst_xl.edited.inputs import read_budget
from bygdevekst_xl.evaluate import ErrorValue
from bygdevekst_xl.layout import WorkbookLayout, build_layout
from bygdevekst_xl.xlsx import read_workbook

EXCEL_EPOCH = dt.datetime(1899, 12, 30)
YEARS = (2024, 2025)  # the built-in example's years

CellKey = tuple[str, str]
"""A cell: (sheet name, "A1")."""

Key = tuple[str, str, Any, Any]
"""An input by meaning: (project id, table, item, column).

table "cost": item is the line's index in the cost table, column "category", "description" or
a year; "hours": item is the municipality, column a year; "kdd" and "statsforvalteren": item
"", column a year."""

# --------------------------------------------------------------------------- formula values


def comparable(value: object) -> object:
    """A value as the comparison sees it: dates as serial numbers, errors as their code."""
    if isinstance(value, dt.datetime):
        return (value - EXCEL_EPOCH) / dt.timedelta(days=1)
    if isinstance(value, ErrorValue):
        return value.code
    return value


def is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def disagreements(
    ours: Mapping[CellKey, object],
    theirs: Mapping[CellKey, object],
    cells: Iterable[CellKey],
    engine: str,
) -> list[str]:
    """``Sheet!A1: ours …, <engine> …`` for every cell of ``cells`` where the values differ.

    Numbers agree within ``checks.TOLERANCE`` (half an øre: exact for whole kroner, generous
    for the last bits of summed hours); text, logicals and errors exactly; our ``""`` equals
    a blank (openpyxl reads an empty text result as None). A cell missing from ``theirs`` is
    blank there.
    """
    out = []
    for key in cells:
        a, b = comparable(ours.get(key)), comparable(theirs.get(key))
        if is_number(a) and is_number(b):
            if abs(float(a) - float(b)) <= TOLERANCE:
                continue
        elif (type(a) is type(b) and a == b) or (a == "" and b is None):
            continue
        out.append(f"{key[0]}!{key[1]}: ours {ours.get(key)!r}, {engine} {theirs.get(key)!r}")
    return out


def layout_disagreements(
    layout: WorkbookLayout, values: Mapping[CellKey, object], engine: str = "LibreOffice"
) -> list[str]:
    """Every formula cell of ``layout`` whose value in ``values`` (as another engine computed
    it) differs from the value the layout gives it; see :func:`disagreements`."""
    ours = {
        (sheet.name, cell.address): cell.value
        for sheet in layout.sheets
        for cell in sheet.cells.values()
        if cell.kind == "formula"
    }
    return disagreements(ours, values, ours, engine)


# --------------------------------------------------------------------------- inputs by meaning


def input_cells(path: Path) -> dict[Key, tuple[str, str]]:
    """Every input cell of a workbook by meaning -> (sheet, A1): THE lookup of where inputs are.

    Through the map as the reader finds it in this workbook (``ReadBudget.places``: each
    project's sheet and tables wherever rows were inserted or the sheet renamed), checked
    against the layout: as many keys per project as the layout has input cells.
    """
    read = read_budget(read_workbook(path))
    budget = read.budget
    layout = build_layout(budget, read.capacities)
    found: dict[Key, tuple[str, str]] = {}
    for project in budget.projects:
        place = read.places[project.id]
        cells: dict[Key, str] = {}
        for line in range(place.rows.capacity):
            cells[(project.id, "cost", line, "category")] = place.cell("category", line, 0)
            cells[(project.id, "cost", line, "description")] = place.cell("description", line, 0)
        for y, year in enumerate(budget.pilot.years):
            for line in range(place.rows.capacity):
                cells[(project.id, "cost", line, year)] = place.cell("cost", line, y)
            for municipality in budget.pilot.municipalities:
                cells[(project.id, "hours", municipality, year)] = place.cell(
                    "hours", municipality, y
                )
            for source in ("kdd", "statsforvalteren"):
                cells[(project.id, source, "", year)] = place.cell(source, 0, y)
        inputs = [c for c in layout.sheet(project.sheet).cells.values() if c.kind == "input"]
        assert len(cells) == len(inputs), f"{project.sheet}: inputs not all found"
        found.update({key: (place.sheet, address) for key, address in cells.items()})
    return found


def typed_inputs(path: Path, *, cached: bool = False) -> dict[Key, Any]:
    """Every non-blank input by meaning: its formula (``=...``) or value; with *cached*, the
    value the file's last calculation saved. Cost lines are numbered among non-blank lines, so
    a workbook with other spare rows compares equal; whitespace-only text counts as blank."""
    cells = input_cells(path)
    wb = openpyxl.load_workbook(path, data_only=cached)
    try:
        raw = {key: wb[sheet][address].value for key, (sheet, address) in cells.items()}
    finally:
        wb.close()
    typed = {key: value for key, value in raw.items() if not _blank(value)}
    return _numbered_lines(typed)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _numbered_lines(typed: dict[Key, Any]) -> dict[Key, Any]:
    lines = sorted({(k[0], k[2]) for k in typed if k[1] == "cost"})
    number: dict[tuple[str, Any], int] = {}
    for project, line in lines:
        number[(project, line)] = sum(1 for p, _ in number if p == project)
    return {
        ((k[0], k[1], number[(k[0], k[2])], k[3]) if k[1] == "cost" else k): v
        for k, v in typed.items()
    }


def same_inputs(found: dict[Key, Any], expected: dict[Key, Any]) -> list[str]:
    """The differences between two input listings (empty when every input is kept): numbers
    compared as numbers, formulas without ``$`` and spaces, categories in any letter case, a
    blank amount or hours cell as 0."""
    out = []
    for key in sorted(set(found) | set(expected), key=repr):
        a, b = found.get(key), expected.get(key)
        if key[3] == "category" and isinstance(a, str) and isinstance(b, str):
            a, b = a.casefold(), b.casefold()  # the category a name stands for, as SUMIF reads it
        if isinstance(key[3], int) and {a, b} <= {None, 0}:
            continue  # a blank number in a line or row that has values is 0 in every sum
        if _comparable(a) != _comparable(b):
            out.append(f"{key}: found {a!r}, expected {b!r}")
    return out


def _comparable(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return round(float(value), 9)
    if isinstance(value, str) and value.startswith("="):
        return re.sub(r"[\s$]", "", value).upper()
    return value


def cost_line(typed: dict[Key, Any], project: str, line: int) -> tuple[Any, ...]:
    """One cost line of an input listing: (category, description, amount per year)."""
    return tuple(typed.get((project, "cost", line, c)) for c in ("category", "description", *YEARS))


def inputs_as_read(path: Path) -> dict[tuple[str, str], object]:
    """Every number a person can type into (amounts, hours, financing) as the checker reads
    it: a formula's value, a blank as 0; keyed by (project id, what), cost lines numbered
    among those with a category or description and named by their description."""
    read = read_edited(path).read
    out: dict[tuple[str, str], object] = {}
    for project in read.budget.projects:
        lines = [line for line in project.costs if line.category or line.description]
        for i, line in enumerate(lines):
            for y, amount in enumerate(line.amounts):
                out[(project.id, f"cost {i} {line.description} {y}")] = _plain(amount)
        for municipality, hours in project.hours:
            for y, value in enumerate(hours):
                out[(project.id, f"hours {municipality} {y}")] = _plain(value)
        for y, value in enumerate(project.kdd):
            out[(project.id, f"kdd {y}")] = _plain(value)
        for y, value in enumerate(project.statsforvalteren):
            out[(project.id, f"sf {y}")] = _plain(value)
    return out


def _plain(value: object) -> object:
    value = getattr(value, "value", value)
    return 0 if value is None else value


# --------------------------------------------------------------------------- findings


def places(findings: Iterable[Any]) -> set[tuple[str, str | None, str | None]]:
    """Each finding as (code, sheet, cell): from ``check_workbook``'s findings or from the
    dictionaries of ``check --json``."""
    return {
        (f["code"], f["sheet"], f["cell"]) if isinstance(f, dict) else (f.code, f.sheet, f.cell)
        for f in findings
    }
