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
from pathlib import Path
from typing import Any, Literal

from ..check.findings import Finding
from ..check.rules import outside_findings
from ..check.written import written_differences
from ..dataclass import dataclass, field
from ..edited import read_back, read_edited
from ..edited.inputs import ReadBudget
from ..errors import EXIT_FINDINGS, BygdevekstError
from ..extract import typed_values
from ..files import Written, write_new
from ..generate import document_time, document_title
from ..layout import WorkbookLayout, build_layout
from ..layout.archive_sheet import archive_sheet
from ..messages import Count, Message, localize
from ..model import Budget, Formula
from ..record import date_label, generation_id, record_properties
from ..scheme import within_scheme
from ..spec import SpecError, load_spec
from ..writer import render
from .carry import carry_formulas
from .merge import Change, Conflict, LeftOut, Prefer, merge

__all__ = [
    "ConflictError",
    "LeftOut",
    "NotWrittenAsMeant",
    "Refusal",
    "RefusedError",
    "Regeneration",
    "StrictRulesBroken",
    "regenerate",
]

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
    broken: list[Finding] = field(default_factory=list)
    """The programme's rules the new workbook breaks, as ``check`` states them."""


class Refusal(BygdevekstError, RuntimeError):
    """Regeneration refused, with the report of what it would have done; nothing written."""

    exit_code = EXIT_FINDINGS
    result: Regeneration


class RefusedError(Refusal):
    """Regeneration would lose typed values; nothing was written."""

    def __init__(self, result: Regeneration) -> None:
        self.result = result
        count = Count(len(result.left_out), "n-typed-values")
        super().__init__(Message("regenerate-orphans", count=count))


class ConflictError(Refusal):
    """Inputs changed in both the workbook and the spec; nothing was written."""

    def __init__(self, result: Regeneration) -> None:
        self.result = result
        count = Count(len(result.conflicts), "n-inputs")
        super().__init__(Message("regenerate-conflicts", count=count))


class NotWrittenAsMeant(Refusal):
    """The new workbook, read back, is not what regeneration meant to write; nothing was
    written."""

    def __init__(self, result: Regeneration, differences: list[Message | Finding]) -> None:
        self.result = result
        self.differences = differences
        count = Count(len(differences), "n-places")
        super().__init__(Message("regenerate-not-as-meant", count=count))

    def details(self, lang: str = "nb") -> list[str]:
        return [
            f"{d.sheet}!{d.cell}: {d.message(lang)} [{d.code}]"
            if isinstance(d, Finding)
            else d.say(lang)
            for d in self.differences[:50]
        ]


class StrictRulesBroken(Refusal):
    """``strict``: the new workbook breaks rules of the programme; nothing was written."""

    def __init__(self, result: Regeneration) -> None:
        self.result = result
        count = Count(len(result.broken), "n-broken-rules")
        super().__init__(Message("strict-broken", count=count))

    def details(self, lang: str = "nb") -> list[str]:
        from ..reports import broken_rule_lines

        return broken_rule_lines(self.result.broken, lang)


def regenerate(
    workbook: Path | str,
    spec: Budget | Path | str | None,
    output: Path | str,
    *,
    orphans: Orphans = "refuse",
    prefer: Prefer = None,
    force: bool = False,
    strict: bool = False,
) -> Regeneration:
    """Write a new workbook: a three-way merge of the workbook's generation record (base), its
    inputs (ours) and the new spec (theirs), carrying the new spec as its record.

    The workbook is read as every command reads it (:func:`edited.read_edited`). Without a
    spec the record stands for the spec, so the workbook keeps its own inputs: that brings a
    workbook made by an older version up to the current layout (and gives a workbook without
    a record one). The new workbook is read back the same way and compared, input by input,
    with what was meant, and checked: the rules it breaks are stated (``Regeneration.broken``)
    as ``generate`` states them. Raises ``ConflictError`` when an input changed on both sides
    to different values (unless ``prefer`` decides), ``RefusedError`` when a typed value has
    no place (unless ``orphans`` says what to do), ``ExtractError`` when a typed text cannot
    be carried at all, ``NotWrittenAsMeant`` when the read-back differs and
    ``StrictRulesBroken`` when ``strict`` and a rule is broken; nothing is written then.
    """
    from ..check.workbook import check_edited
    from ..extract import ExtractError, uncarriable

    edited = read_edited(workbook)
    read, content, record = edited.read, edited.content, edited.origin.record
    unreadable = uncarriable(edited)
    if unreadable:
        raise ExtractError(str(workbook), unreadable)
    result = Regeneration(base=record.generation_id if record else "")
    if spec is not None:
        new = spec if isinstance(spec, Budget) else load_spec(spec)
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
    result.warnings += _cannot_carry(content, edited.layout)
    result.left_out += _outside_values(read, content, edited.layout)
    found = edited.origin.findings
    damaged = [f for f in found if f.code in ("record-damaged", "record-mismatch")]
    if damaged:
        result.warnings.append(Message("record-unusable", reason=damaged[0].found))
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
    written_budget = within_scheme(merged.budget)
    layout = build_layout(written_budget, None, generation)
    for problem in carry_formulas(read, edited.located, written_budget, layout, content.names):
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
    back = read_back(data, Path(output).name)
    differences = written_differences(layout, back.content)
    if differences:
        raise NotWrittenAsMeant(result, [*differences])
    report = check_edited(back)
    stated = [*report.errors, *report.warnings]
    result.broken = [f for f in stated if f.code in BUDGET_RULE_CODES]
    typed_formulas = {  # their values are what the formulas give, not what a person typed
        (sheet.name, cell.address)
        for sheet in layout.sheets
        for cell in sheet.cells.values()
        if cell.kind == "input" and isinstance(cell.value, Formula)
    }
    faults = [
        f
        for f in report.errors
        if f.code not in BUDGET_RULE_CODES
        and (f.code not in WRITTEN_FROM_SPEC or (f.sheet, f.cell) in typed_formulas)
    ]
    if faults:  # not new if the workbook had them already (checked only now: most have none)
        carried = {f.code for f in check_edited(edited).errors}
        faults = [f for f in faults if f.code not in carried]
    if faults:
        raise NotWrittenAsMeant(result, [*faults])
    if strict and result.broken:
        raise StrictRulesBroken(result)
    inputs = (Path(workbook),) if not isinstance(spec, Path | str) else (Path(workbook), Path(spec))
    result.written = write_new(Path(output), data, force=force, protect=inputs)
    return result


BUDGET_RULE_CODES = frozenset(
    {
        "kdd-over-cap",
        "kdd-over-eligible",
        "kdd-over-eligible-project",
        "not-balanced",
        "missing-hours",
        "record-against-scheme",
    }
)
"""The programme's rules a budget can break: stated, as ``generate`` states them."""
WRITTEN_FROM_SPEC = frozenset(
    {
        "category-unknown",
        "category-missing",
        "amount-fractional",
        "amount-not-number",
        "amount-negative",
        "amount-too-large",
        "hours-invalid",
        "spec-invalid",
        "date-invalid",
    }
)
"""Findings about inputs the merge carried as they were typed: the workbook had them too
(``check`` reports them there), and regeneration keeps a person's value, not a fixed one. Not
at a formula a person typed into an input: its value is what the re-pointed formula gives in
the new workbook, so a fault there is new unless the old workbook had it too."""


def _outside_values(read: ReadBudget, content: Any, layout: WorkbookLayout) -> list[LeftOut]:
    """Numbers and formulas a person typed outside the input areas: they have no place in the
    new workbook, so they are left out only when the caller says so (never silently)."""
    return [
        LeftOut(
            f.sheet or "",
            f.cell or "",
            _project_of(read, f.sheet or ""),
            Message("outside-no-place"),
            f.found,
        )
        for f in outside_findings(content, layout)
        if f.code == "value-outside-table"
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
    out += [
        f"{finding.sheet}!{finding.cell}: {finding.found!r} is outside the input "
        "areas and is not carried over"
        for finding in outside_findings(content, layout)
        if finding.code == "text-outside-table"
    ]
    return out
