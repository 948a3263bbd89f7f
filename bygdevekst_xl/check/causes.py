"""Group findings that follow from one cause under it, so the cause is read first.

One edit can break a hundred cells: a deleted sheet turns every formula that pointed at it
into an error, a sheet pasted as values replaces each of its formulas. Listing a hundred equal
errors buries what happened. The cause stays a finding (at the sheet and cell where it
happened) and the findings that follow from it become its ``consequences``, counted in the
verdict and listed in JSON. The scheme's own rules (cap, eligibility, balance, hours) are
never put under another finding, except under a formula that cannot be evaluated: a verdict
computed without its value is no verdict.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from ..dataclass import replace
from ..layout.cells import quote_sheet
from .findings import Finding

REPLACED_MIN = 3
"""This many formulas typed over on one sheet read as one paste of values."""
MAX_PER_CODE = 50
"""Findings of one code shown one by one; the rest are counted under the last one shown."""
BUDGET_RULES = {"kdd-over-cap", "kdd-over-eligible", "not-balanced", "missing-hours"}
FAILED_FORMULA = {"unsupported-formula", "error-value"}
"""Findings at a formula whose value is missing: what is computed from it follows from it."""
WHOLE_BUDGET_RULES = {"kdd-over-cap", "kdd-over-eligible", "kdd-over-eligible-project"}
"""Rules that compare two totals; shown at one of them."""
FOLLOWERS = {
    "formula-overwritten",
    "formula-changed",
    "total-mismatch",
    "cached-stale",
    "error-value",
    "unsupported-formula",
    "name-changed",
    "name-missing",
    "line-formula-missing",
    "label-changed",
}


def group_by_cause(
    findings: list[Finding], follows: Mapping[tuple[str, str], tuple[str, str]] | None = None
) -> list[Finding]:
    """``findings`` with those that follow from a cause nested under it (order kept).

    ``follows`` maps each cell computed from a formula that cannot be evaluated, or from one
    where an error value starts, to that formula's cell (``Evaluation.caused_by``): what is
    found there, the budget's rules included, was computed without that formula's value and
    is nested under its ``unsupported-formula`` or ``error-value``, never a verdict of its
    own."""
    findings = _under_failed_formulas(findings, follows or {})
    findings = _under_missing_sheets(findings)
    findings = _under_deleted_columns(findings)
    findings = _under_pasted_values(findings)
    return _capped(findings)


def _under_failed_formulas(
    findings: list[Finding], follows: Mapping[tuple[str, str], tuple[str, str]]
) -> list[Finding]:
    causes: dict[tuple[str, str], Finding] = {}
    for f in findings:
        if f.code in FAILED_FORMULA and f.sheet and f.cell:
            causes.setdefault((f.sheet, f.cell), f)
    if not causes or not follows:
        return findings
    taken: dict[int, list[Finding]] = {id(f): [] for f in causes.values()}
    reached: dict[tuple[str, str], set[str]] = {}  # a cause's cell -> sheets after it
    for (sheet, _cell), start in follows.items():
        if start in causes:
            reached.setdefault(start, set()).add(sheet)
    out = []
    for finding in findings:
        root: tuple[str, str] | None = follows.get((str(finding.sheet), str(finding.cell)))
        if root is None and finding.code in WHOLE_BUDGET_RULES:
            # compares totals (KDD with the eligible costs) at a cell that may not follow
            # the formula itself while the totals it compares with do
            root = next((k for k, sheets in reached.items() if finding.sheet in sheets), None)
        cause = causes.get(root) if root is not None else None
        if cause is not None and (finding.sheet, finding.cell) not in causes:
            taken[id(cause)].append(finding)
        else:
            out.append(finding)
    return [
        replace(f, consequences=(*f.consequences, *taken[id(f)])) if id(f) in taken else f
        for f in out
    ]


def _under_missing_sheets(findings: list[Finding]) -> list[Finding]:
    missing = [f for f in findings if f.code == "sheet-missing" and f.sheet]
    if not missing:
        return findings
    prefixes = {
        f.sheet: (quote_sheet(str(f.sheet)) + "!", str(f.sheet) + "!", f"'{f.sheet}'")
        for f in missing
    }
    taken: dict[int, list[Finding]] = {id(f): [] for f in missing}
    out = []
    for finding in findings:
        cause = None
        if finding.code in FOLLOWERS:
            text = f"{finding.expected} {finding.found} {finding.params.get('what', '')}"
            cause = next((m for m in missing if any(p in text for p in prefixes[m.sheet])), None)
            if cause is None and finding.code in ("total-mismatch", "cached-stale", "error-value"):
                cause = missing[0]  # totals that lost a sheet's share
        if cause is not None:
            taken[id(cause)].append(finding)
        else:
            out.append(finding)
    return [
        replace(f, consequences=(*f.consequences, *taken[id(f)])) if id(f) in taken else f
        for f in out
    ]


AFTER_A_DELETED_COLUMN = FOLLOWERS | {
    "spec-invalid",
    "date-invalid",
    "text-outside-table",
    "value-outside-table",
}
"""What follows a deleted column: its #REF! cascade, the facts and texts that were in it (the
spec cannot state them empty) and the cells laid out from them."""


def _under_deleted_columns(findings: list[Finding]) -> list[Finding]:
    """A deleted column turns every formula over it into #REF! and empties what it held: all
    that follows goes under the first deleted column."""
    cause = next((f for f in findings if f.code == "column-deleted"), None)
    if cause is None:
        return findings
    followers = [f for f in findings if f.code in AFTER_A_DELETED_COLUMN]
    rest = [f for f in findings if f.code not in AFTER_A_DELETED_COLUMN]
    return [
        replace(f, consequences=(*f.consequences, *followers)) if f is cause else f for f in rest
    ]


def _under_pasted_values(findings: list[Finding]) -> list[Finding]:
    overwritten = Counter(f.sheet for f in findings if f.code == "formula-overwritten")
    pasted = {sheet for sheet, n in overwritten.items() if n >= REPLACED_MIN}
    if not pasted:
        return findings
    causes: dict[str | None, Finding] = {}
    followers: dict[str | None, list[Finding]] = {sheet: [] for sheet in pasted}
    out: list[Finding] = []
    for finding in findings:
        if finding.sheet in pasted and finding.code in FOLLOWERS:
            if finding.sheet not in causes:
                causes[finding.sheet] = Finding(
                    "formulas-replaced",
                    finding.sheet,
                    finding.cell,
                    params={"what": overwritten[finding.sheet]},
                )
                out.append(causes[finding.sheet])
            followers[finding.sheet].append(finding)
        else:
            out.append(finding)
    return [
        replace(f, consequences=tuple(followers[f.sheet])) if f.code == "formulas-replaced" else f
        for f in out
    ]


def _capped(findings: list[Finding]) -> list[Finding]:
    """At most MAX_PER_CODE findings of a code; the rest counted under the last one shown."""
    counts = Counter(f.code for f in findings)
    if all(n <= MAX_PER_CODE for n in counts.values()):
        return findings
    shown: Counter[str] = Counter()
    last: dict[str, int] = {}
    out: list[Finding] = []
    extra: dict[str, list[Finding]] = {}
    for finding in findings:
        code = finding.code
        if finding.code in BUDGET_RULES or shown[code] < MAX_PER_CODE:
            shown[code] += 1
            last[code] = len(out)
            out.append(finding)
        else:
            extra.setdefault(code, []).append(finding)
    for code, more in extra.items():
        i = last[code]
        out[i] = replace(out[i], consequences=(*out[i].consequences, *more))
    return out
