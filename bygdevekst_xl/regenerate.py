"""Regenerate a workbook for a changed spec, carrying over every value a person typed.

Projects are matched by their stable id, municipalities by name, categories by id and years by
value. A typed value with no place in the new spec is never dropped silently: regeneration refuses
and lists it, unless the caller drops it explicitly or keeps it in an archive sheet.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from .carry import carry_formulas
from .check.rules import outside_findings
from .errors import EXIT_FINDINGS, BygdevekstError
from .extract import is_blank_line, read_inputs
from .files import Written, write_new
from .generate import document_time, document_title
from .inputs import ReadBudget
from .layout import WorkbookLayout, build_layout
from .layout.archive_sheet import archive_sheet
from .layout.places import ProjectPlace
from .locate import Located, locate
from .messages import localize
from .model import Amount, Budget, CostLine, Project
from .spec import load_spec
from .writer import render

Orphans = Literal["refuse", "drop", "archive"]


@dataclass(frozen=True)
class LeftOut:
    """A typed value that has no place in the new spec."""

    sheet: str
    cell: str
    project: str
    what: str
    value: Any


@dataclass
class Regeneration:
    """What regeneration carried over, what changed and what was left out."""

    carried: dict[str, int] = field(default_factory=dict)
    changes: list[str] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    budget: Budget | None = None
    written: Written | None = None


class RefusedError(BygdevekstError, RuntimeError):
    """Regeneration would lose typed values; nothing was written."""

    exit_code = EXIT_FINDINGS

    def __init__(self, result: Regeneration) -> None:
        self.result = result
        super().__init__(f"{len(result.left_out)} typed value(s) have no place in the new spec")


def regenerate(
    workbook: Path | str,
    spec: Path | str | None,
    output: Path | str,
    *,
    orphans: Orphans = "refuse",
    force: bool = False,
) -> Regeneration:
    """Write a new workbook with the new spec's structure and the old workbook's typed values.

    Without a spec the workbook keeps its own projects: that brings a workbook made by an
    older version up to the current layout.
    """
    read, content = read_inputs(workbook)
    new = read.budget if spec is None else load_spec(spec)
    result = merge(read.budget, new, read.places)
    located = _located(read, content)
    result.warnings += _cannot_carry(content, located.layout)
    assert result.budget is not None
    layout = build_layout(result.budget)
    for problem in carry_formulas(read, located, result.budget, layout):
        sheet, _, cell = problem.cell.rpartition("!")
        result.left_out.append(
            LeftOut(
                sheet,
                cell,
                _project_of(read, sheet),
                f"the formula {problem.formula} refers to {problem.reference}, which has no "
                f"place in the new workbook; its value is written instead",
                problem.formula,
            )
        )
    if result.left_out and orphans == "refuse":
        raise RefusedError(result)
    if result.left_out and orphans == "archive":
        layout.sheets.append(
            archive_sheet(
                [
                    (v.project, v.sheet, v.cell, localize(v.what, "nb"), v.value)
                    for v in result.left_out
                ]
            )
        )
    data = render(layout, created=document_time(new), title=document_title(new))
    inputs = (Path(workbook),) if spec is None else (Path(workbook), Path(spec))
    result.written = write_new(Path(output), data, force=force, protect=inputs)
    return result


def merge(old: Budget, new: Budget, places: Mapping[str, ProjectPlace]) -> Regeneration:
    """The new spec's budget with the old workbook's typed values in their new places.

    ``places`` says where each old project's inputs are (to name the cell of a value left out).
    """
    result = Regeneration()
    old_projects = {p.id: p for p in old.projects}
    new_ids = {p.id for p in new.projects}
    result.changes += _structure_changes(old, new)
    category_ids = {c.id for c in new.categories}
    years = [old.pilot.years.index(y) if y in old.pilot.years else None for y in new.pilot.years]
    projects = []
    for project in new.projects:
        before = old_projects.get(project.id)
        if before is None:
            projects.append(project)
            continue
        place = places[project.id]
        projects.append(_carry(before, project, new, category_ids, years, result, place))
    for project in old.projects:
        if project.id not in new_ids:
            why = f"project {project.id!r} was removed"
            result.left_out += _all_values(project, places[project.id], why)
    for project in old.projects:
        if project.id in new_ids:
            result.left_out += _lost_years(project, old, new, places[project.id])
    result.budget = replace(new, projects=tuple(projects))
    return result


def _carry(
    before: Project,
    after: Project,
    new: Budget,
    category_ids: set[str],
    years: list[int | None],
    result: Regeneration,
    place: ProjectPlace,
) -> Project:
    """One project: typed values from ``before``, structure from ``after``."""
    costs = []
    for i, line in enumerate(before.costs):
        if is_blank_line(line):
            continue
        if line.category and line.category not in category_ids:
            for y, value in enumerate(line.amounts):
                if not _blank(value):
                    result.left_out.append(
                        LeftOut(
                            before.sheet,
                            place.cell("cost", i, y),
                            before.id,
                            f"cost line {line.description!r}: category {line.category!r} no longer "
                            "exists",
                            value,
                        )
                    )
            continue
        costs.append(CostLine(line.category, line.description, _by_year(line.amounts, years)))
    old_hours = dict(before.hours)
    hours = []
    for municipality in new.pilot.municipalities:
        typed = old_hours.get(municipality)
        if typed is not None and not all(_blank(v) for v in typed):
            hours.append((municipality, _by_year(typed, years)))
        elif after.hours_of(municipality):
            hours.append((municipality, after.hours_of(municipality)))
    for municipality, values in before.hours:
        if municipality not in new.pilot.municipalities:
            for y, value in enumerate(values):
                if not _blank(value) and value != 0:
                    result.left_out.append(
                        LeftOut(
                            before.sheet,
                            place.cell("hours", municipality, y),
                            before.id,
                            f"hours of {municipality}, which is no longer in the pilot",
                            value,
                        )
                    )
    carried = replace(
        after,
        costs=tuple(costs),
        hours=tuple(hours),
        kdd=_by_year(before.kdd, years),
        statsforvalteren=_by_year(before.statsforvalteren, years),
    )
    carried_values: list[Amount] = [a for line in costs for a in line.amounts]
    carried_values += [v for _, h in hours for v in h] + [*carried.kdd, *carried.statsforvalteren]
    result.carried[after.id] = sum(1 for value in carried_values if not _blank(value))
    return carried


def _by_year(values: tuple[Amount, ...], years: list[int | None]) -> tuple[Amount, ...]:
    return tuple(values[i] if i is not None and i < len(values) else None for i in years)


def _typed_cells(project: Project, place: ProjectPlace) -> Iterator[tuple[str, int, str, Amount]]:
    """Every typed value of a project: (cell, year index, what it is, value)."""
    for i, line in enumerate(project.costs):
        for y, value in enumerate(line.amounts):
            yield place.cell("cost", i, y), y, f"cost line {line.description!r}", value
    for municipality, values in project.hours:
        for y, value in enumerate(values):
            yield place.cell("hours", municipality, y), y, f"hours of {municipality}", value
    for table, name, values in (
        ("kdd", "KDD", project.kdd),
        ("statsforvalteren", "Statsforvalteren", project.statsforvalteren),
    ):
        for y, value in enumerate(values):
            yield place.cell(table, 0, y), y, f"financing from {name}", value


def _all_values(project: Project, place: ProjectPlace, why: str) -> list[LeftOut]:
    return [
        LeftOut(project.sheet, cell, project.id, f"{why}: {what}", value)
        for cell, _, what, value in _typed_cells(project, place)
        if not _blank(value) and value != 0
    ]


def _lost_years(project: Project, old: Budget, new: Budget, place: ProjectPlace) -> list[LeftOut]:
    gone = {y for y, year in enumerate(old.pilot.years) if year not in new.pilot.years}
    return [
        LeftOut(
            project.sheet,
            cell,
            project.id,
            f"year {old.pilot.years[y]} is no longer a project year",
            value,
        )
        for cell, y, _, value in _typed_cells(project, place)
        if y in gone and not _blank(value) and value != 0
    ]


def _structure_changes(old: Budget, new: Budget) -> list[str]:
    changes = []
    old_ids = [p.id for p in old.projects]
    new_ids = [p.id for p in new.projects]
    old_by_id = {p.id: p for p in old.projects}
    for p in new.projects:
        before = old_by_id.get(p.id)
        if before is None:
            changes.append(f"project {p.id!r} added ({p.name})")
            continue
        if before.name != p.name:
            changes.append(f"project {p.id!r} renamed: {before.name!r} -> {p.name!r}")
        if before.sheet != p.sheet:
            changes.append(f"project {p.id!r} sheet renamed: {before.sheet!r} -> {p.sheet!r}")
    changes += [f"project {i!r} removed" for i in old_ids if i not in new_ids]
    kept_old = [i for i in old_ids if i in new_ids]
    kept_new = [i for i in new_ids if i in old_ids]
    if kept_old != kept_new:
        changes.append("projects re-ordered: " + ", ".join(kept_new))
    old_m, new_m = old.pilot.municipalities, new.pilot.municipalities
    changes += [f"municipality {m} added" for m in new_m if m not in old_m]
    changes += [f"municipality {m} removed" for m in old_m if m not in new_m]
    old_c = {c.id: c for c in old.categories}
    new_c = {c.id: c for c in new.categories}
    changes += [f"category {i!r} added" for i in new_c if i not in old_c]
    changes += [f"category {i!r} removed" for i in old_c if i not in new_c]
    changes += [
        f"category {i!r} renamed: {old_c[i].name!r} -> {new_c[i].name!r}"
        for i in new_c
        if i in old_c and old_c[i].name != new_c[i].name
    ]
    if old.pilot.years != new.pilot.years:
        changes.append(f"years changed: {old.pilot.years} -> {new.pilot.years}")
    return changes


def _located(read: ReadBudget, content: Any) -> Located:
    """The old workbook's layout, found where its rows and sheets are now."""

    def value_at(sheet: str, address: str) -> Any:
        cells = content.sheets.get(sheet)
        if cells is None:
            return None
        value = cells.values.get(address)
        return cells.cached.get(address) if value is None else value

    return locate(build_layout(read.budget, read.capacities), read, content, value_at)


def _project_of(read: ReadBudget, sheet: str) -> str:
    return next((pid for pid, place in read.places.items() if place.sheet == sheet), "")


def _cannot_carry(content: Any, layout: WorkbookLayout) -> list[str]:
    """What the edited workbook holds that regeneration cannot bring along."""
    ours = {s.name for s in layout.sheets}
    out = [
        f"sheet {name!r} was added by a person and is not carried over"
        for name in content.sheets
        if name not in ours
    ]
    for name, sheet in content.sheets.items():
        if sheet.comments:
            out.append(f"{name}: {sheet.comments} comment(s) are not carried over")
        charts = sum(len(s.charts) for s in layout.sheets if s.name == name)
        extra = sheet.drawings - charts  # the layout's own charts are drawn anew
        if extra > 0:
            out.append(f"{name}: {extra} image(s) or drawing(s) are not carried over")
    for finding in outside_findings(content, layout):
        out.append(
            f"{finding.sheet}!{finding.cell}: {finding.found!r} is outside the input "
            "areas and is not carried over"
        )
    return out


def _blank(value: Amount) -> bool:
    return value is None or value == ""
