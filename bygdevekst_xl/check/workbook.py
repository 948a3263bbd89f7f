"""Check one workbook: read it, recompute it two ways, and run every rule."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..compute import BudgetTotals
from ..dataclass import dataclass, field
from ..edited import Edited, read_edited
from ..layout.cells import a1
from ..model import Budget
from .causes import group_by_cause
from .findings import Finding
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
    """Check one workbook against the facts of ``rules_budget`` (the ``--spec``), or, without
    one, against the pilot's facts in the workbook's generation record; the scheme's rules
    bound either.

    Raises ``xlsx.ReadError`` or ``inputs.NotOurWorkbook`` when the file cannot be read as one
    of our workbooks.
    """
    return check_edited(read_edited(path, rules_budget))


def check_edited(edited: Edited) -> Report:
    """Run every rule over a workbook already read (:func:`edited.read_edited`)."""
    from ..regenerate.merge import edited_inputs  # only here: the merge machinery counts edits

    content, read, origin, layout = edited.content, edited.read, edited.origin, edited.layout
    ctx = Context(
        content,
        read,
        layout,
        edited.rules,
        edited.evaluation,
        edited.located,
        edited.project_totals,
        edited.totals,
        edited.screened,
        origin.record.text if origin.record else b"",
    )
    findings = [finding for rule in RULES for finding in rule(ctx)]
    order = {name: i for i, name in enumerate([*(s.name for s in layout.sheets), *content.sheets])}
    findings.sort(key=lambda f: (order.get(f.sheet or "", -1), _cell_key(f.cell), f.code))
    findings = origin.findings + group_by_cause(findings, edited.evaluation.caused_by)
    recomputed = {
        key: edited.computed.get((sheet, a1(r, c))) for key, (sheet, r, c) in layout.anchors.items()
    }
    edited_count = edited_inputs(origin.record.spec, read) if origin.record else None
    return Report(
        str(edited.path),
        findings,
        edited.totals,
        recomputed,
        content_digest=edited.digest,
        generation=origin.summary(edited_count),
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
