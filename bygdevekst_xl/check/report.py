"""Render check reports as text for a finance officer or as JSON for machines."""

from __future__ import annotations

import math
from collections import Counter
from itertools import groupby
from typing import Any

from ..messages import NBSP, plural
from ..texts import OWN_SHARE
from .findings import Finding, show
from .workbook import Report

WORDS = {
    "nb": {
        "ok": "OK",
        "fail": "FEIL",
        "error": "FEIL",
        "warning": "ADVARSEL",
        "errors": "feil",
        "warnings": "advarsler",
        "workbook": "Arbeidsbok",
        "totals": "Totaler, kontrollberegnet",
        "costs": "Kostnader inkl. egeninnsats",
        "kdd": "KDD",
        "headroom": "igjen under taket på",
        "over": "over taket på",
        "sf": "Statsforvalteren",
        "own": OWN_SHARE,
        "balance": "Balanse",
        "verdict": "Resultat",
        "files": "filer kontrollert",
        "unreadable": "kunne ikke leses",
        "generation": "Generasjon",
        "spec_date": "spesifikasjonens dato",
        "changed": "endret siden generering",
        "digest": "Innholds-ID",
        "no-sheet": "(arbeidsboka)",
    },
    "en": {
        "ok": "OK",
        "fail": "FAILED",
        "error": "ERROR",
        "warning": "WARNING",
        "errors": "errors",
        "warnings": "warnings",
        "workbook": "Workbook",
        "totals": "Totals (recomputed)",
        "costs": "Costs incl. in kind",
        "kdd": "KDD",
        "headroom": "headroom under the cap of",
        "over": "over the cap of",
        "sf": "Statsforvalteren",
        "own": "Municipalities' own share (hours × rate)",
        "balance": "Balance",
        "verdict": "Verdict",
        "files": "files checked",
        "unreadable": "could not be read",
        "generation": "Generation",
        "spec_date": "spec dated",
        "changed": "changed since generation",
        "digest": "Content digest",
        "no-sheet": "(workbook)",
    },
}


def kroner(value: float, lang: str = "nb") -> str:
    """``1 234 568 kr`` (an amount too large for a spreadsheet number shows as it is)."""
    if not math.isfinite(value):
        return f"{value}{NBSP}kr"
    return f"{show(round(value), lang)}{NBSP}kr"


def as_text(report: Report, lang: str = "nb") -> str:
    """The report as terminal text: findings grouped by sheet, then totals and the verdict."""
    w = WORDS[lang]
    lines = [f"{w['workbook']}: {report.file}"]
    g = report.generation
    if g is not None:
        n = g["changed_inputs"]
        changed = "" if n is None else f", {plural(n, 'n-inputs', lang)} {w['changed']}"
        spec_date = g["spec_date"] or ""
        if lang == "nb" and len(spec_date) == 10:  # 2024-09-20 -> 20.09.2024
            spec_date = ".".join(reversed(spec_date.split("-")))
        date = f" ({w['spec_date']} {spec_date})" if spec_date else ""
        lines.append(f"  {w['generation']} {g['id']}{date}{changed}")
    if report.content_digest:
        lines.append(f"  {w['digest']}: {report.content_digest}")
    for sheet, group in groupby(report.findings, key=lambda f: f.sheet or w["no-sheet"]):
        lines.append(f"  {sheet}")
        for f in group:
            severity = w[f.severity]
            cell = f.cell or "-"
            lines.append(f"    {severity:<8} {cell:<7} {f.code:<22} {f.message(lang)}")
            if f.consequences:
                lines.append(f"{'':<35}{_consequences(f.consequences, lang)}")
    t = report.totals
    if t is not None:
        lines.append(f"  {w['totals']}:")
        headroom = t.kdd_cap - t.kdd
        cap = (
            f"{kroner(headroom, lang)} {w['headroom']} {kroner(t.kdd_cap, lang)}"
            if headroom >= 0
            else f"{kroner(-headroom, lang)} {w['over']} {kroner(t.kdd_cap, lang)}"
        )
        lines += [
            f"    {w['costs']}: {kroner(t.total_costs, lang)}",
            f"    {w['kdd']}: {kroner(t.kdd, lang)} ({cap})",
            f"    {w['sf']}: {kroner(t.statsforvalteren, lang)}",
            f"    {w['own']}: {kroner(t.in_kind, lang)}",
            f"    {w['balance']}: {kroner(t.balance, lang)}",
        ]
    verdict = w["ok"] if report.ok else w["fail"]
    lines.append(
        f"  {w['verdict']}: {verdict} ({plural(len(report.errors), 'n-errors', lang)}, "
        f"{plural(len(report.warnings), 'n-warnings', lang)})"
    )
    return "\n".join(lines)


def _consequences(findings: tuple[Finding, ...], lang: str) -> str:
    """``+ 93 følgefeil: formula-overwritten 90, total-mismatch 3 (C8, C9, …)``."""
    codes = Counter(f.code for f in findings)
    kinds = ", ".join(f"{code} {n}" for code, n in codes.most_common())
    cells = ", ".join(f.cell or "-" for f in findings[:5]) + (", …" if len(findings) > 5 else "")
    word = "følgefunn" if lang == "nb" else "that follow"
    return f"+ {len(findings)} {word}: {kinds} ({cells})"


def as_dict(report: Report, lang: str = "nb") -> dict[str, Any]:
    """The report as JSON-ready data (see schemas/check-report.schema.json)."""
    t = report.totals
    return {
        "file": report.file,
        "ok": report.ok,
        **({"content_digest": report.content_digest} if report.content_digest else {}),
        "errors": len(report.errors),
        "warnings": len(report.warnings),
        "generation": report.generation,
        "findings": [_finding_dict(f, lang) for f in report.findings],
        "totals": None
        if t is None
        else {
            key: _json_number(value)
            for key, value in (
                ("costs", t.costs),
                ("in_kind", t.in_kind),
                ("total_costs", t.total_costs),
                ("kdd", t.kdd),
                ("kdd_cap", t.kdd_cap),
                ("kdd_headroom", t.kdd_headroom),
                ("kdd_eligible", t.kdd_eligible),
                ("statsforvalteren", t.statsforvalteren),
                ("own_share", t.in_kind),
                ("financing", t.financing),
                ("balance", t.balance),
            )
        },
    }


def unreadable_dict(path: object, reason: str) -> dict[str, Any]:
    """The JSON document of a file that could not be read as a budget workbook."""
    return {"file": str(path), "ok": False, "error": reason, "findings": [], "totals": None}


def _finding_dict(f: Finding, lang: str) -> dict[str, Any]:
    out = {
        "code": f.code,
        "severity": f.severity,
        "sheet": f.sheet,
        "cell": f.cell,
        "message": f.message(lang),
        **({"expected": _json_value(f.expected)} if f.expected is not None else {}),
        **({"found": _json_value(f.found)} if f.found is not None else {}),
    }
    if f.consequences:
        out["consequences"] = [_finding_dict(g, lang) for g in f.consequences[:MAX_LISTED]]
        out["consequences_count"] = len(f.consequences)
    return out


MAX_LISTED = 100
"""Consequences listed in full under one cause in JSON; ``consequences_count`` counts all."""


def as_json(reports: list[dict[str, Any]]) -> str:
    """One JSON document per file, one per line when several."""
    import json  # here: most runs print text

    return "\n".join(json.dumps(r, ensure_ascii=False, allow_nan=False) for r in reports)


def _json_number(value: float) -> float | None:
    """A total: whole kroner as an integer (``2436000``, not ``2436000.0``); null when it is no
    number (an input beyond any spreadsheet number)."""
    if not math.isfinite(value):
        return None
    return int(value) if float(value).is_integer() else value


def _json_value(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return show(value)  # JSON has no infinity: "INF", as in the text report
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    return str(value)
