"""Check one workbook: read it, recompute it two ways, and run every rule."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..compute import BudgetTotals
from ..inputs import Rules, read_budget
from ..layout import build_layout
from ..layout.cells import a1
from ..locate import locate
from ..model import Budget
from .causes import group_by_cause
from .findings import Finding
from .provenance import provenance
from .rules import RULES, Context


@dataclass
class Report:
    """The outcome of checking one workbook."""

    file: str
    findings: list[Finding] = field(default_factory=list)
    totals: BudgetTotals | None = None
    recomputed: dict[str, Any] = field(default_factory=dict)
    """The same totals as the file's own formulas give them, evaluated headlessly."""
    content_digest: str | None = None
    """The short id of the workbook's inputs (``digest.content_digest``)."""
    generation: dict[str, Any] | None = None
    """The workbook's generation (id, spec date, inputs changed since), when it has a record."""

    @property
    def errors(self) -> list[Finding]:
        """Every error, those grouped under a cause included."""
        return [f for f in self._all() if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        """Every warning, those grouped under a cause included."""
        return [f for f in self._all() if f.severity == "warning"]

    def _all(self) -> list[Finding]:
        return [g for f in self.findings for g in (f, *f.consequences)]

    @property
    def ok(self) -> bool:
        """No errors (warnings allowed)."""
        return not self.errors


def check_workbook(path: Path | str, rules_budget: Budget | None = None) -> Report:
    """Check one workbook against the rules of ``rules_budget`` (the spec's cap and categories),
    or, without one, against the pilot's facts in the workbook's generation record.

    Raises ``reader.ReadError`` or ``inputs.NotOurWorkbook`` when the file cannot be read as one
    of our workbooks.
    """
    from ..evaluate import evaluate_workbook
    from ..xlsx import read_workbook

    content = read_workbook(path)
    origin = provenance(content, rules_budget)
    rules = Rules.of(origin.facts)
    evaluation = evaluate_workbook(content)
    computed = evaluation.values
    read = read_budget(content, rules, lambda sheet, address: computed.get((sheet, address)))
    expected = build_layout(read.budget, read.capacities, origin.generation)
    located = locate(expected, read, content, computed)
    layout = located.layout
    per_project = {pid: t for pid, (_, t) in layout.projects.items()}
    totals = layout.totals
    ctx = Context(content, read, layout, rules, evaluation, located, per_project, totals)
    findings = [finding for rule in RULES for finding in rule(ctx)]
    order = {name: i for i, name in enumerate([*(s.name for s in layout.sheets), *content.sheets])}
    findings.sort(key=lambda f: (order.get(f.sheet or "", -1), _cell_key(f.cell), f.code))
    findings = origin.findings + group_by_cause(findings, evaluation.caused_by)
    recomputed = {
        key: evaluation.values.get((sheet, a1(r, c)))
        for key, (sheet, r, c) in layout.anchors.items()
    }
    from ..digest import content_digest
    from ..merge import edited_inputs  # only here: the merge machinery counts the edits

    edited = edited_inputs(origin.record.spec, read) if origin.record else None
    return Report(
        str(path),
        findings,
        totals,
        recomputed,
        content_digest=content_digest(read.budget),
        generation=origin.summary(edited),
    )


def _cell_key(cell: str | None) -> tuple[int, int]:
    if not cell:
        return (0, 0)
    match = re.match(r"([A-Z]+)(\d+)", cell)
    if not match:
        return (0, 0)
    letters, digits = match.groups()
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return (int(digits), col)
