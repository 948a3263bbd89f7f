"""Write the spec back from an edited workbook: every value a person typed, blank rows left out."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from .check.findings import Finding
from .check.rules import input_findings
from .inputs import ReadBudget, read_budget
from .model import Amount, Budget, CostLine, Project
from .spec import budget_from_dict, budget_to_dict


class ExtractError(ValueError):
    """The workbook holds inputs a spec cannot state; ``findings`` says where."""

    def __init__(self, path: str, findings: list[Finding]) -> None:
        self.findings = findings
        super().__init__(f"{path}: {len(findings)} input(s) must be fixed in the workbook first")


def read_inputs(path: Path | str) -> tuple[ReadBudget, object]:
    """The workbook's content and its budget, row for row, under its own Parametre."""
    from .xlsx import read_workbook

    content = read_workbook(path)
    return read_budget(content), content


def extract(path: Path | str) -> Budget:
    """The spec of an edited workbook, as a validated budget.

    Raises ``ExtractError`` when an input cannot be stated in a spec (text in an amount cell,
    an unknown category ...): nothing a person typed is silently dropped or changed.
    """
    read, _ = read_inputs(path)
    budget = read.budget
    problems = list(input_findings(read, {c.id for c in budget.categories}))
    if problems:
        raise ExtractError(str(path), problems)
    return budget_from_dict(budget_to_dict(typed_values(budget)), str(path))


def typed_values(budget: Budget) -> Budget:
    """The budget without blank cost lines, blanks read as 0 where a line or row has values."""
    return replace(budget, projects=tuple(_typed_project(p) for p in budget.projects))


def is_blank_line(line: CostLine) -> bool:
    """A cost row nobody typed into."""
    return not line.category and not line.description and all(_blank(a) for a in line.amounts)


def _typed_project(project: Project) -> Project:
    costs = tuple(
        CostLine(line.category, line.description, _zeros(line.amounts))
        for line in project.costs
        if not is_blank_line(line)
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
    return tuple(0 if _blank(v) else v for v in values)


def _blank(value: Amount) -> bool:
    return value is None or value == ""
