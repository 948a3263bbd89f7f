"""Carry formulas typed into inputs to a new workbook, their references re-pointed.

A person may type ``=C15-C29`` into a KDD cell or link it to another project's KDD. When
``regenerate`` writes a new workbook, the rows move; each reference is resolved to what it
points at in the old workbook (project, row role such as a cost line or ``cost_total``,
year) through the map, and written where that is in the new workbook. A reference with no
place there is reported, never silently dropped or left pointing elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..dataclass import dataclass, replace
from ..edited.inputs import ReadBudget
from ..edited.locate import Located
from ..excel import (
    a1,
    col_letter,
    names_used,
    parse_a1,
    reference_pattern,
    references,
    unquote_sheet,
)
from ..layout import WorkbookLayout
from ..layout.cells import ref
from ..layout.rows import (
    ColumnRole,
    RowRole,
    project_col_role,
    project_role_col,
    project_role_row,
    project_row_role,
)
from ..model import Budget, CostLine, Formula
from ..texts import PARAMETER_SHEET

Target = tuple[str, RowRole, ColumnRole]
"""What a reference points at: project id, row role, column role."""


@dataclass(frozen=True)
class Unplaced:
    """A formula in an input that cannot be carried: the reference that has no new place."""

    cell: str
    formula: str
    reference: str
    value: Any


def carry_formulas(
    old: ReadBudget,
    located: Located,
    new: Budget,
    layout: WorkbookLayout,
    names: Mapping[str, str] | None = None,
) -> list[Unplaced]:
    """Re-point every input formula of ``layout`` (the new workbook) in place.

    A formula whose references all have a place is rewritten; one that has a reference
    without a place is left as its value in the cell and returned. ``names`` are the old
    workbook's defined names: a name a person defined and a formula uses goes along into
    ``layout.names`` when it is a constant (``Dagsats`` = ``1500``); one that refers to cells
    has no sure place in the new workbook, and the formula is returned like the others.
    """
    resolve = _old_targets(old, located, new)
    place = _new_places(new, layout)
    problems = []
    for sheet in layout.sheets:
        for key, cell in list(sheet.cells.items()):
            formula = cell.value
            if cell.kind != "input" or not isinstance(formula, Formula):
                continue
            own = formula.cell.rpartition("!")[0]
            missing: list[str] = []

            def one(
                match: Any, own: str = own, missing: list[str] = missing, here: str = sheet.name
            ) -> str:
                if match.group(1) is not None:
                    return str(match.group(0))
                prefix = match.group(2)
                sheet_name = unquote_sheet(prefix) if prefix else own
                ends = match.group(0).removeprefix(prefix or "").split(":")
                moved = []
                target_sheet = None
                for end in ends:
                    target = resolve(sheet_name, end)
                    where = place(target) if target else None
                    if where is None:
                        missing.append(match.group(0))
                        return str(match.group(0))
                    target_sheet, address = where
                    moved.append(_absolute_like(end, address))
                text = ":".join(moved)
                if prefix or target_sheet != here:
                    text = ref(str(target_sheet), text)
                return text

            text = reference_pattern().sub(one, formula.text)
            missing += _carry_names(text, names or {}, layout)
            if missing:
                problems.append(Unplaced(formula.cell, formula.text, missing[0], formula.value))
                sheet.cells[key] = replace(cell, value=formula.value)
            elif text != formula.text:
                sheet.cells[key] = replace(cell, value=replace(formula, text=text))
    return problems


def _carry_names(text: str, names: Mapping[str, str], layout: WorkbookLayout) -> list[str]:
    """Add the constant names a person defined that ``text`` uses to ``layout.names``;
    return those that cannot go along (they refer to cells)."""
    ours = {name.casefold() for name in layout.names}
    missing = []
    for name in names_used(text, names):
        if name.casefold() in ours:
            continue  # one of the workbook's own names: the new layout defines it too
        definition = names[name]
        if references(definition) or names_used(definition, names) or "!" in definition:
            missing.append(name)
        else:
            layout.names[name] = definition.removeprefix("=")
    return missing


def _absolute_like(original: str, address: str) -> str:
    """``address`` with the $ signs of ``original`` (``$C$8`` stays absolute)."""
    row, col = parse_a1(address) or (0, 0)
    col_abs = "$" if original.startswith("$") else ""
    row_abs = "$" if "$" in original[1:] else ""
    return f"{col_abs}{col_letter(col)}{row_abs}{row + 1}"


def _old_targets(
    old: ReadBudget, located: Located, new: Budget
) -> Callable[[str, str], Target | None]:
    """Old workbook (sheet, address) -> what it points at, in the new budget's terms."""
    projects = {place.sheet: pid for pid, place in old.places.items()}
    by_id = {p.id: p for p in old.budget.projects}
    new_by_id = {p.id: p for p in new.projects}
    old_years, new_years = old.budget.pilot.years, new.pilot.years
    inverse: dict[str, dict[int, int]] = {}

    def layout_row(sheet: str, row: int) -> int:
        m = located.maps.get(sheet)
        if m is None:
            return row
        if sheet not in inverse:
            rows = old.places[projects[sheet]].rows
            inverse[sheet] = {m(r): r for r in range(rows.balance + 1)}
        return inverse[sheet].get(row, -1)

    def parameter_target(address: str) -> Target | None:
        """A category cell on Parametre (a category typed as ``=Parametre!$A$21``)."""
        position = parse_a1(address)
        rows = located.layout.parameters
        if position is None or rows is None:
            return None
        m = located.maps.get(PARAMETER_SHEET)
        row = position[0]
        if m is not None:
            row = {m(r): r for r in rows.all_rows}.get(row, -1)
        k = rows.category_of(row)
        col = old.parameter_cols.inverse(position[1])  # columns a person inserted
        if k is None or col is None:
            return None
        category = old.budget.categories[k].id
        return ("", ("parameter-category", category), ("column", col))  # type: ignore[return-value]

    def resolve(sheet: str, address: str) -> Target | None:
        if sheet == old.parameters:
            return parameter_target(address)
        pid = projects.get(sheet)
        position = parse_a1(address)
        if pid is None or position is None or pid not in new_by_id:
            return None
        row, found = position
        layout_col = old.places[pid].cols.inverse(found)  # columns a person inserted
        if layout_col is None:
            return None
        col = layout_col
        rows = old.places[pid].rows
        role = project_row_role(rows, layout_row(sheet, row))
        col_role = project_col_role(col, len(old_years))
        if role is None or col_role is None:
            return None
        if col_role[0] == "year":
            year = old_years[col_role[1]]  # type: ignore[misc]
            if year not in new_years:
                return None
            col_role = ("year", new_years.index(year))
        new_role = _new_row_role(role, by_id[pid], new_by_id[pid], old, new)
        return (pid, new_role, col_role) if new_role is not None else None

    return resolve


def _new_row_role(
    role: RowRole, before: Any, after: Any, old: ReadBudget, new: Budget
) -> RowRole | None:
    """A row role of the old workbook in the new one (lines, municipalities and categories
    are matched by what they are, not by position)."""
    if len(role) == 1:
        return role
    kind, index = role  # type: ignore[misc]
    if kind == "hours":
        municipality = old.budget.pilot.municipalities[index]
        ms = new.pilot.municipalities
        return ("hours", ms.index(municipality)) if municipality in ms else None
    if kind == "category":
        category = old.budget.categories[index].id
        ids = [c.id for c in new.categories]
        return ("category", ids.index(category)) if category in ids else None
    line = _line_index(before.costs, after.costs, index)
    return ("cost", line) if line is not None else None


def _line_index(old: tuple[CostLine, ...], new: tuple[CostLine, ...], index: int) -> int | None:
    """The new index of old cost line ``index``: the same category and description (the n-th
    such line for the n-th), else the same amounts."""
    line = old[index]
    same = [i for i, other in enumerate(old[: index + 1]) if _same_line(other, line)]
    matches = [j for j, other in enumerate(new) if _same_line(other, line)]
    n = len(same) - 1
    return matches[n] if n < len(matches) else None


def _same_line(a: CostLine, b: CostLine) -> bool:
    return (a.category, a.description) == (b.category, b.description)


def _new_places(new: Budget, layout: WorkbookLayout) -> Callable[[Target | None], Any]:
    """What a reference points at -> (new sheet, address), or None."""
    sheets = {p.id: p.sheet for p in new.projects}
    n_years = len(new.pilot.years)

    ids = [c.id for c in new.categories]

    def place(target: Target | None) -> tuple[str, str] | None:
        if target is not None and target[0] == "" and layout.parameters is not None:
            category, col = target[1][1], target[2][1]  # type: ignore[misc]
            if category not in ids:
                return None
            return PARAMETER_SHEET, a1(layout.parameters.category_row(ids.index(category)), col)
        if target is None or target[0] not in layout.projects:
            return None
        pid, role, col_role = target
        rows = layout.projects[pid][0]
        row = project_role_row(rows, role)
        col = project_role_col(col_role, n_years)
        if row is None or col is None:
            return None
        return sheets[pid], a1(row, col)

    return place
