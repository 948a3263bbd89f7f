"""Write the spec back from an edited workbook: every value a person typed, blank rows left out."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .check.findings import Finding
from .check.rules import input_findings, whole_krone
from .errors import EXIT_FINDINGS, BygdevekstError
from .excel import ErrorValue
from .inputs import ReadBudget, read_budget
from .model import Amount, Budget, CostLine, Formula, Project
from .spec import budget_from_dict, budget_to_dict


class ExtractError(BygdevekstError, ValueError):
    """The workbook holds inputs a spec cannot state; ``findings`` says where."""

    exit_code = EXIT_FINDINGS

    def __init__(self, path: str, findings: list[Finding]) -> None:
        self.findings = findings
        super().__init__(f"{path}: {len(findings)} input(s) must be fixed in the workbook first")

    def details(self, lang: str = "nb") -> list[str]:
        return [f"{f.sheet}!{f.cell}: {f.message(lang)}" for f in self.findings]


def read_inputs(path: Path | str) -> tuple[ReadBudget, Any]:
    """The workbook's content and its budget, row for row, under its own Parametre.

    Inputs that hold formulas get the value the workbook's formulas give, evaluated
    headlessly (the saved values may be missing or stale).
    """
    from .evaluate import evaluate_workbook
    from .xlsx import read_workbook

    content = read_workbook(path)
    read = read_budget(content)
    if formula_inputs(read.budget):
        evaluated = evaluate_workbook(content).values
        read = read_budget(
            content, evaluated=lambda sheet, address: evaluated.get((sheet, address))
        )
    return read, content


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


def extract(path: Path | str) -> Budget:
    """The spec of an edited workbook, as a validated budget (see :func:`extract_spec`)."""
    return extract_spec(path).budget


def extract_spec(path: Path | str) -> Extracted:
    """The spec of an edited workbook, as a validated budget, and the inputs that were formulas.

    A spec holds values: an input that holds a formula is written as the value it gives, and
    listed. Raises ``ExtractError`` when an input cannot be stated in a spec (text in an
    amount cell, an unknown category ...): nothing a person typed is silently dropped or
    changed.
    """
    read, _ = read_inputs(path)
    budget = read.budget
    problems = list(input_findings(read, {c.id for c in budget.categories}))
    problems += [  # a formula that gives an error (or cannot be evaluated) has no value to state
        Finding("error-value", sheet, address, found=str(f.value))
        for f in formula_inputs(budget)
        if isinstance(f.value, ErrorValue)
        for sheet, _, address in [f.cell.rpartition("!")]
    ]
    if problems:
        raise ExtractError(str(path), problems)
    spec = budget_from_dict(budget_to_dict(typed_values(budget)), str(path))
    return Extracted(spec, formula_inputs(budget))


def typed_values(budget: Budget) -> Budget:
    """The budget without blank cost lines, blanks read as 0 where a line or row has values."""
    return replace(budget, projects=tuple(_typed_project(p) for p in budget.projects))


def _typed_project(project: Project) -> Project:
    costs = tuple(
        CostLine(line.category, line.description, _zeros(line.amounts))  # a spec holds the id
        for line in project.costs
        if not line.is_blank
    )
    hours = tuple((m, _zeros(h)) for m, h in project.hours if not all(_blank(v) for v in h))
    return replace(
        project,
        costs=costs,
        hours=hours,
        kdd=_zeros(project.kdd),
        statsforvalteren=_zeros(project.statsforvalteren),
    )


def _zeros(values: tuple[Amount, ...]) -> tuple[Amount, ...]:
    return tuple(0 if _blank(v) else _plain(v) for v in values)


def _plain(value: Amount) -> Amount:
    """A formula's value as a spec states it (whole numbers as int); other values as they are."""
    if isinstance(value, Formula):
        value = value.value
        if isinstance(value, float) and whole_krone(value):  # 1 050 000.0000000002 as shown
            return round(value)
    return value


def _blank(value: Amount) -> bool:
    return value is None or value == ""
