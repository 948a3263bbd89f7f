"""Regenerate a workbook for a changed spec, carrying over every value a person typed.

The merge (``merge.py``) takes base = the workbook's generation record, ours = its inputs and
theirs = the new spec. Projects are matched by their stable id, municipalities by name,
categories by id and years by value. A typed value with no place in the new spec is never
dropped silently: regeneration refuses and lists it, unless the caller drops it explicitly or
keeps it in an archive sheet; an input changed on both sides is refused the same way, unless
``prefer`` says which side wins.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .carry import carry_formulas
from .check.rules import outside_findings
from .errors import EXIT_FINDINGS, BygdevekstError
from .extract import read_inputs, typed_values
from .files import Written, write_new
from .generate import document_time, document_title
from .inputs import ReadBudget
from .layout import WorkbookLayout, build_layout
from .layout.archive_sheet import archive_sheet
from .locate import Located, locate
from .merge import Change, Conflict, LeftOut, Prefer, merge
from .messages import Count, Message, localize
from .model import Budget
from .record import (
    Record,
    RecordProblem,
    date_label,
    generation_id,
    read_record,
    record_properties,
    shown_generation,
)
from .spec import SpecError, load_spec
from .writer import render

__all__ = ["ConflictError", "LeftOut", "RefusedError", "Regeneration", "regenerate"]

Orphans = Literal["refuse", "drop", "archive"]


@dataclass
class Regeneration:
    """What regeneration changed, what it could not decide and what was left out."""

    changes: list[str] = field(default_factory=list)
    """Changes of structure: projects, municipalities, categories, years."""
    applied: list[Change] = field(default_factory=list)
    """Every input the merge changed in the workbook, in budget terms."""
    conflicts: list[Conflict] = field(default_factory=list)
    resolved: list[Conflict] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    generation: str = ""
    """The generation id of the new workbook's record."""
    base: str = ""
    """The generation id of the workbook's record ("" when it had none)."""
    budget: Budget | None = None
    written: Written | None = None


class RefusedError(BygdevekstError, RuntimeError):
    """Regeneration would lose typed values; nothing was written."""

    exit_code = EXIT_FINDINGS

    def __init__(self, result: Regeneration) -> None:
        self.result = result
        count = Count(len(result.left_out), "n-typed-values")
        super().__init__(Message("regenerate-orphans", count=count))


class ConflictError(BygdevekstError, RuntimeError):
    """Inputs changed in both the workbook and the spec; nothing was written."""

    exit_code = EXIT_FINDINGS

    def __init__(self, result: Regeneration) -> None:
        self.result = result
        count = Count(len(result.conflicts), "n-inputs")
        super().__init__(Message("regenerate-conflicts", count=count))


def regenerate(
    workbook: Path | str,
    spec: Path | str | None,
    output: Path | str,
    *,
    orphans: Orphans = "refuse",
    prefer: Prefer = None,
    force: bool = False,
) -> Regeneration:
    """Write a new workbook: a three-way merge of the workbook's generation record (base), its
    inputs (ours) and the new spec (theirs), carrying the new spec as its record.

    Without a spec the record stands for the spec, so the workbook keeps its own inputs: that
    brings a workbook made by an older version up to the current layout (and gives a workbook
    without a record one). Raises ``ConflictError`` when an input changed on both sides to
    different values (unless ``prefer`` decides) and ``RefusedError`` when a typed value has no
    place (unless ``orphans`` says what to do); nothing is written then.
    """
    read, content = read_inputs(workbook)
    found = read_record(getattr(content, "custom_properties", {}))
    record = found if isinstance(found, Record) else None
    result = Regeneration(base=record.generation_id if record else "")
    if spec is not None:
        new = load_spec(spec)
    elif record is not None:
        new = record.spec
    else:
        new = typed_values(read.budget)
    merged = merge(record.spec if record else None, read, new, prefer)
    if spec is None and record is None:
        merged.budget = new  # the workbook's own inputs, blank cells of typed lines as 0
    result.budget = merged.budget
    result.changes += _structure_changes(read.budget, new)
    result.applied, result.conflicts = merged.changes, merged.conflicts
    result.resolved, result.left_out = merged.resolved, merged.left_out
    located = _located(read, content, shown_generation(found))
    result.warnings += _cannot_carry(content, located.layout)
    if isinstance(found, RecordProblem) and found.code != "missing":
        result.warnings.append(Message("record-unusable", reason=found.reason))
    with contextlib.suppress(SpecError):
        result.generation = generation_id(new)
    if result.conflicts:
        raise ConflictError(result)
    try:
        properties = record_properties(new)
        generation: tuple[str, str] | None = (generation_id(new), date_label(new))
    except SpecError as exc:
        properties, generation = [], None
        result.warnings.append(Message("no-record-written", problem=exc.problems[0]))
    layout = build_layout(merged.budget, None, generation)
    for problem in carry_formulas(read, located, merged.budget, layout):
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
    data = render(
        layout, created=document_time(new), title=document_title(new), properties=properties
    )
    inputs = (Path(workbook),) if spec is None else (Path(workbook), Path(spec))
    result.written = write_new(Path(output), data, force=force, protect=inputs)
    return result


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


def _located(read: ReadBudget, content: Any, generation: tuple[str, str] | None = None) -> Located:
    """The old workbook's layout, found where its rows and sheets are now."""

    expected = build_layout(read.budget, read.capacities, generation)
    return locate(expected, read, content)


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
            count = Count(sheet.comments, "n-comments")
            out.append(Message("at", place=name, text=Message("not-carried", count=count)))
        charts = sum(len(s.charts) for s in layout.sheets if s.name == name)
        extra = sheet.drawings - charts  # the layout's own charts are drawn anew
        if extra > 0:
            count = Count(extra, "n-images")
            out.append(Message("at", place=name, text=Message("not-carried", count=count)))
    for finding in outside_findings(content, layout):
        out.append(
            f"{finding.sheet}!{finding.cell}: {finding.found!r} is outside the input "
            "areas and is not carried over"
        )
    return out
