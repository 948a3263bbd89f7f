"""diff: what changed between two versions of the budget, in budget terms.

Both workbooks are read through the hardened reader and the map (``versions``), their budgets
compared by project id, cost line, municipality, source and year (``compare``), their formula
cells against the map of each (``formulas``), and the effect computed on the totals, the own
shares, the balances and the rules (``effects``). ``render`` writes text, Markdown and JSON.
"""

from __future__ import annotations

from pathlib import Path

from ..model import Budget
from .changes import Change, DiffReport, Effect, Verdict
from .compare import compare_budgets
from .effects import cap_figures, effects, verdicts
from .formulas import formula_changes
from .provenance import provenance
from .versions import Unreadable, Version, read_version, version_of

__all__ = [
    "Change",
    "DiffReport",
    "Effect",
    "Unreadable",
    "Verdict",
    "Version",
    "diff_versions",
    "diff_workbooks",
    "read_version",
    "version_of",
]


def diff_versions(old: Version, new: Version) -> DiffReport:
    """Compare two versions already read."""
    return DiffReport(
        str(old.path),
        str(new.path),
        changes=compare_budgets(old, new),
        formulas=formula_changes(old, new),
        effects=effects(old, new),
        verdicts=verdicts(old, new),
        cap=cap_figures(old, new),
        provenance=provenance(old, new),
    )


def diff_workbooks(old: Path | str, new: Path | str, spec: Budget | None = None) -> DiffReport:
    """Compare two workbooks, each read under its own record's facts (or ``spec``'s), within
    the scheme. Raises :class:`Unreadable` (one line naming the file)."""
    return diff_versions(read_version(old, spec), read_version(new, spec))
