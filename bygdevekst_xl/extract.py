"""Write the spec back from an edited workbook: every value a person typed, blank rows left out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .check.findings import Finding
from .check.rules import column_findings, input_findings, spec_finding, whole_krone
from .dataclass import dataclass, replace
from .edited import Edited, read_edited
from .errors import EXIT_FINDINGS, BygdevekstError
from .excel import ErrorValue
from .messages import Count, Message
from .model import Amount, Budget, CostLine, Formula, Project
from .record import canonical_json
from .spec import SpecError, budget_from_dict, budget_to_dict, dump_spec, parse_spec, validate


class ExtractError(BygdevekstError, ValueError):
    """The workbook holds inputs a spec cannot state; ``findings`` says where."""

    exit_code = EXIT_FINDINGS

    def __init__(self, path: str, findings: list[Finding]) -> None:
        self.findings = findings
        count = Count(len(findings), "n-inputs")
        super().__init__(Message("at", place=path, text=Message("extract-inputs", count=count)))

    def details(self, lang: str = "nb") -> list[str]:
        return [f"{f.sheet}!{f.cell}: {f.message(lang)}" for f in self.findings]


def formula_inputs(budget: Budget) -> list[Formula]:
    """Every input that holds a formula, in sheet order."""
    out = []
    for project in budget.projects:
        typed: list[Amount] = [line.category_formula for line in project.costs]
        typed += [a for line in project.costs for a in line.amounts]
        typed += [h for _, hours in project.hours for h in hours]
        typed += [*project.kdd, *project.statsforvalteren]
        out += [a for a in typed if isinstance(a, Formula)]
    return out


@dataclass(frozen=True)
class Extracted:
    """A spec extracted from a workbook, and the inputs whose formulas became their values."""

    budget: Budget
    formulas: list[Formula]


def extract(path: Path | str, spec: Budget | None = None) -> Budget:
    """The spec of an edited workbook, as a validated budget (see :func:`extract_spec`)."""
    return extract_spec(path, spec).budget


def extract_spec(path: Path | str, spec: Budget | None = None) -> Extracted:
    """The spec of an edited workbook, as a validated budget, and the inputs that were formulas
    (see :func:`extract_edited`)."""
    return extract_edited(read_edited(path, spec))


def extract_edited(edited: Edited) -> Extracted:
    """The spec of a workbook already read, and the inputs that were formulas.

    A spec holds values: an input that holds a formula is written as the value it gives, and
    listed. Raises ``ExtractError`` when an input cannot be stated in a spec (text in an
    amount cell, an unknown category, a text no file can store ...), naming each cell: nothing
    a person typed is silently dropped or changed. ``check`` reports the same cells.
    """
    read = edited.read
    problems = cell_findings(edited)
    if not problems:
        try:  # validated and built once
            spec = budget_from_dict(budget_to_dict(typed_values(read.budget)), str(edited.path))
        except SpecError as exc:
            problems = [spec_finding(read, problem) for problem in exc.problems]
        else:
            return Extracted(spec, formula_inputs(read.budget))
    raise ExtractError(str(edited.path), problems)


def uncarriable(edited: Edited) -> list[Finding]:
    """What neither a spec nor a new workbook can carry: texts no file can store, and
    columns of inputs a person deleted (``extract`` and ``regenerate`` refuse them)."""
    read = edited.read
    return [
        *(Finding("text-unreadable", s.sheet, s.cell, found=s.shown) for s in edited.screened),
        *(
            f
            for f in column_findings(read, edited.content)
            if f.code == "column-deleted" and read.holds_inputs(f.sheet)
        ),
    ]


def cell_findings(edited: Edited) -> list[Finding]:
    """The inputs no spec can hold whatever the rest says: bad amounts and categories, texts
    no file can store, deleted columns, formulas that give an error."""
    read = edited.read
    problems = list(input_findings(read, {c.id for c in edited.rules.categories}))
    problems += uncarriable(edited)
    problems += [  # a formula that gives an error (or cannot be evaluated) has no value to state
        Finding("error-value", sheet, address, found=str(f.value))
        for f in formula_inputs(read.budget)
        if isinstance(f.value, ErrorValue)
        for sheet, _, address in [f.cell.rpartition("!")]
    ]
    return problems


def spec_problems(budget: Budget, valid: bytes = b"") -> list[str]:
    """What a spec of the budget's typed values cannot state, ``path: message`` each (the
    problems ``budget_from_dict`` would raise): validated only, nothing built, when none.

    ``valid`` is the canonical JSON (``record.canonical_json``) of data known to be a valid
    spec, the generation record's: data that is exactly that (the inputs as generated) is
    valid without validating it again.
    """
    data = budget_to_dict(typed_values(budget))
    if valid and _json_or_none(data) == valid:
        return []
    if next(validate(data), None) is None:
        return []
    try:
        budget_from_dict(data, "workbook")
    except SpecError as exc:
        return exc.problems
    return []


def _json_or_none(data: dict[str, Any]) -> bytes | None:
    """The canonical JSON of spec data, or None for data JSON cannot state (a date ...).

    Equal JSON is equal data to the validator: JSON tells 1 from 1.0 and from true (which
    ``==`` does not), and these data hold lists where JSON has arrays.
    """
    try:
        return canonical_json(data)
    except (TypeError, ValueError):
        return None


class SpecNotAsMeant(BygdevekstError, RuntimeError):
    """The spec text, read back, is not the budget extract meant to write; nothing written."""

    exit_code = EXIT_FINDINGS


def spec_text(extracted: Extracted, heading: str) -> str:
    """The extracted spec as the YAML text to write (``heading`` a comment line above it),
    read back through the spec reader and compared with what was meant first."""
    text = heading + "\n" + dump_spec(extracted.budget)
    back = parse_spec(text, "extract")
    if budget_to_dict(back) != budget_to_dict(extracted.budget):
        raise SpecNotAsMeant(Message("spec-not-as-meant"))
    return text


def typed_values(budget: Budget) -> Budget:
    """The budget without blank cost lines, blanks read as 0 where a line or row has values."""
    return replace(budget, projects=tuple(_typed_project(p) for p in budget.projects))


def _typed_project(project: Project) -> Project:
    costs = tuple(_typed_line(line) for line in project.costs if not line.is_blank)
    hours = tuple((m, _zeros(h)) for m, h in project.hours if not all(_blank(v) for v in h))
    return replace(
        project,
        costs=costs,
        hours=hours,
        kdd=_zeros(project.kdd),
        statsforvalteren=_zeros(project.statsforvalteren),
    )


def _typed_line(line: CostLine) -> CostLine:
    """A cost line as a spec states it: the category's id, not the formula that gave it."""
    amounts = _zeros(line.amounts)
    if amounts is line.amounts and line.category_formula is None:
        return line  # nothing to change (the common case)
    return CostLine(line.category, line.description, amounts)


def _zeros(values: tuple[Amount, ...]) -> tuple[Amount, ...]:
    """Blanks as 0 and formulas as their values; ``values`` itself when all are whole numbers."""
    for v in values:
        if type(v) is not int:
            return tuple(0 if _blank(v) else _plain(v) for v in values)
    return values


def _plain(value: Amount) -> Amount:
    """A formula's value as a spec states it (whole numbers as int); other values as they are."""
    if isinstance(value, Formula):
        value = value.value
        if isinstance(value, float) and whole_krone(value):  # 1 050 000.0000000002 as shown
            return round(value)
    return value


def _blank(value: Amount) -> bool:
    return value is None or value == ""
