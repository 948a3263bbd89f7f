"""Regenerate a workbook for a changed spec, carrying over every value a person typed.

Projects are matched by their stable id, municipalities by name, categories by id and years by
value. A typed value with no place in the new spec is never dropped silently: regeneration refuses
and lists it, unless the caller drops it explicitly or keeps it in an archive sheet.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from .check.rules import outside_findings
from .extract import is_blank_line, read_inputs
from .files import Written, write_new
from .generate import document_time, document_title
from .layout import build_layout
from .layout.cells import SheetLayout, a1
from .layout.rows import ProjectRows, year_col
from .messages import localize
from .model import Amount, Budget, CostLine, Project
from .spec import load_spec
from .writer import render

Orphans = Literal["refuse", "drop", "archive"]
ARCHIVE_SHEET = "Arkiv"


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


class RefusedError(RuntimeError):
    """Regeneration would lose typed values; nothing was written."""

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
    result = merge(read.budget, new)
    result.warnings += _cannot_carry(content, read)
    if result.left_out and orphans == "refuse":
        raise RefusedError(result)
    layout = build_layout(result.budget)
    if result.left_out and orphans == "archive":
        layout.sheets.append(_archive_sheet(result.left_out))
    data = render(layout, created=document_time(new), title=document_title(new))
    inputs = (Path(workbook),) if spec is None else (Path(workbook), Path(spec))
    result.written = write_new(Path(output), data, force=force, protect=inputs)
    return result


def merge(old: Budget, new: Budget) -> Regeneration:
    """The new spec's budget with the old workbook's typed values in their new places."""
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
        projects.append(_carry(before, project, new, category_ids, years, result))
    for project in old.projects:
        if project.id not in new_ids:
            result.left_out += _all_values(project, old, f"project {project.id!r} was removed")
    for project in old.projects:
        if project.id in new_ids:
            result.left_out += _lost_years(project, old, new)
    result.budget = replace(new, projects=tuple(projects))
    return result


def _carry(
    before: Project,
    after: Project,
    new: Budget,
    category_ids: set[str],
    years: list[int | None],
    result: Regeneration,
) -> Project:
    """One project: typed values from ``before``, structure from ``after``."""
    old_rows = ProjectRows(len(before.costs), 0, 0)
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
                            a1(old_rows.cost_first + i, year_col(y)),
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
    for m, (municipality, values) in enumerate(before.hours):
        if municipality not in new.pilot.municipalities:
            row = ProjectRows(len(before.costs), len(before.hours), 0).hours_first + m
            for y, value in enumerate(values):
                if not _blank(value) and value != 0:
                    result.left_out.append(
                        LeftOut(
                            before.sheet,
                            a1(row, year_col(y)),
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
    typed = [a for line in costs for a in line.amounts] + [v for _, h in hours for v in h]
    typed += [*carried.kdd, *carried.statsforvalteren]
    result.carried[after.id] = sum(1 for value in typed if not _blank(value))
    return carried


def _by_year(values: tuple[Amount, ...], years: list[int | None]) -> tuple[Amount, ...]:
    return tuple(values[i] if i is not None and i < len(values) else None for i in years)


def _all_values(project: Project, old: Budget, why: str) -> list[LeftOut]:
    rows = ProjectRows(len(project.costs), len(old.pilot.municipalities), len(old.categories))
    out = []
    for i, line in enumerate(project.costs):
        for y, value in enumerate(line.amounts):
            if not _blank(value):
                out.append(
                    LeftOut(
                        project.sheet,
                        a1(rows.cost_first + i, year_col(y)),
                        project.id,
                        f"{why}: cost line {line.description!r}",
                        value,
                    )
                )
    for m, (municipality, values) in enumerate(project.hours):
        for y, value in enumerate(values):
            if not _blank(value) and value != 0:
                out.append(
                    LeftOut(
                        project.sheet,
                        a1(rows.hours_first + m, year_col(y)),
                        project.id,
                        f"{why}: hours of {municipality}",
                        value,
                    )
                )
    for row, name, values in (
        (rows.kdd, "KDD", project.kdd),
        (rows.statsforvalteren, "Statsforvalteren", project.statsforvalteren),
    ):
        for y, value in enumerate(values):
            if not _blank(value) and value != 0:
                out.append(
                    LeftOut(
                        project.sheet,
                        a1(row, year_col(y)),
                        project.id,
                        f"{why}: financing from {name}",
                        value,
                    )
                )
    return out


def _lost_years(project: Project, old: Budget, new: Budget) -> list[LeftOut]:
    gone = [y for y, year in enumerate(old.pilot.years) if year not in new.pilot.years]
    if not gone:
        return []
    rows = ProjectRows(len(project.costs), len(old.pilot.municipalities), len(old.categories))
    cells = [(rows.cost_first + i, line.amounts) for i, line in enumerate(project.costs)]
    cells += [(rows.kdd, project.kdd), (rows.statsforvalteren, project.statsforvalteren)]
    cells += [(rows.hours_first + m, h) for m, (_, h) in enumerate(project.hours)]
    return [
        LeftOut(
            project.sheet,
            a1(row, year_col(y)),
            project.id,
            f"year {old.pilot.years[y]} is no longer a project year",
            values[y],
        )
        for row, values in cells
        for y in gone
        if y < len(values) and not _blank(values[y]) and values[y] != 0
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


def _cannot_carry(content: Any, read: Any) -> list[str]:
    """What the edited workbook holds that regeneration cannot bring along."""
    layout = build_layout(read.budget, read.capacities)
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


def _archive_sheet(left_out: list[LeftOut]) -> SheetLayout:
    sheet = SheetLayout(ARCHIVE_SHEET, tab_color="#7F7F7F")
    sheet.widths = {0: 18, 1: 24, 2: 10, 3: 70, 4: 16}
    sheet.label(0, 0, "Arkiv: verdier uten plass i den nye strukturen", "title")
    sheet.label(
        1, 0, "Verdiene telles ikke med i noen sum. De er tatt vare på ved regenerering.", "note"
    )
    for col, text in enumerate(("Prosjekt-id", "Ark (før)", "Celle (før)", "Hva", "Verdi")):
        sheet.label(3, col, text, "header")
    for i, item in enumerate(left_out):
        row = 4 + i
        what = localize(item.what, "nb")  # the workbook speaks bokmål
        for col, value in enumerate((item.project, item.sheet, item.cell, what)):
            sheet.label(row, col, value, "text")
        sheet.label(row, 4, item.value, "text" if isinstance(item.value, str) else "amount")
    sheet.freeze = (4, 0)
    sheet.repeat_rows = (3, 3)
    return sheet


def _blank(value: Amount) -> bool:
    return value is None or value == ""
