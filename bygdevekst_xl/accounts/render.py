"""What ``accounts`` tells the user: the summary lines and the ``--json`` report
(``schemas/accounts-report.schema.json``), in bokmål or English."""

from __future__ import annotations

import json
from typing import Any

from ..messages import kroner
from .findings import AccountsFinding
from .report import FUNDER_NAMES, Report

MAX_SHOWN = 50
"""Findings of one code listed one by one; the rest are counted."""


def as_dict(report: Report, findings: list[AccountsFinding], lang: str = "nb") -> dict[str, Any]:
    """The report as JSON data: every figure in whole kroner."""
    counts = report.classified.counts()
    return {
        "pilot": report.budget.pilot.name,
        "as_of": report.as_of.isoformat(),
        "period": {"start": report.period[0].isoformat(), "end": report.period[1].isoformat()},
        "final": report.final,
        "inputs": [
            {"file": str(i.path), "kind": i.kind, "sha256": i.sha256, "lines": i.postings}
            for i in report.ledgers
        ]
        + [
            {"file": str(s.path), "kind": "timeliste", "sha256": s.sha256, "lines": len(s.entries)}
            for s in report.sheets
        ],
        "lines": {
            **counts,
            "outside_by_file": [
                {"file": name, "count": o.count, "sum": o.ore / 100}
                for name, o in sorted(report.classified.outside.items())
            ],
        },
        "budget_vs_actual": [
            {
                "project": line.project,
                "category": line.category,
                "funder": report.funder_of(line),
                "years": [
                    {"year": y, "approved": a, "actual": b}
                    for y, a, b in zip(
                        report.budget.pilot.years, line.approved, line.actual, strict=True
                    )
                ],
                "approved": line.total_approved,
                "actual": line.total_actual,
                "cumulative": line.cumulative,
                "deviation": line.deviation,
                "deviation_percent": None
                if line.deviation_percent is None
                else round(line.deviation_percent * 100, 1),
                "threshold": line.threshold,
                "remaining": line.remaining,
                "explanation": line.explanation,
            }
            for line in report.lines
        ],
        "financing": [
            {
                "funder": f.funder,
                "tilsagn": f.tilsagn,
                "received": f.received,
                "booked": f.booked,
                "eligible": f.eligible,
                "share": f.share,
                "earned": f.earned,
                "hold_back": f.hold_back,
                "request": f.request,
                "repayment": f.repayment,
                "from_grant": f.from_grant,
            }
            for f in report.financing
        ],
        "in_kind": [
            {
                "municipality": r.municipality,
                "project": r.project,
                "year": r.year,
                "hours_budgeted": r.budgeted,
                "hours_registered": r.registered,
                "hours_unattested": r.unattested,
                "approved_value": r.approved_value,
                "value": r.value,
            }
            for r in report.in_kind
        ],
        "vouchers": [
            {
                "place": b.place,
                "project": b.project,
                "target": b.target,
                "source": b.posting.source,
                "voucher": b.posting.voucher,
                "line": b.posting.line,
                "date": b.posting.date.isoformat(),
                "account": b.posting.account,
                "text": b.posting.text,
                "amount": b.posting.ore / 100,
            }
            for b in report.classified.booked
        ],
        "findings": [f.as_dict(lang) for f in findings],
        "errors": sum(1 for f in findings if f.severity == "error"),
        "warnings": sum(1 for f in findings if f.severity == "warning"),
    }


def as_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1)


def summary_lines(report: Report, findings: list[AccountsFinding], lang: str = "nb") -> list[str]:
    """What the command prints: the lines read and where they went, each funder's request,
    then the findings (at most :data:`MAX_SHOWN` of one code)."""
    nb = lang == "nb"
    c = report.classified.counts()
    words = (
        ("lest", "kostnad", "inntekt", "ignorert", "utenfor piloten", "avvist")
        if nb
        else ("read", "cost", "income", "ignored", "outside the pilot", "refused")
    )
    keys = ("read", "cost", "income", "ignored", "outside", "refused")
    lines = [
        ("Linjer: " if nb else "Lines: ")
        + ", ".join(f"{w} {c[k]}" for w, k in zip(words, keys, strict=True))
    ]
    for f in report.financing:
        name = FUNDER_NAMES[f.funder]
        if nb:
            lines.append(
                f"{name}: tilsagn {kroner(f.tilsagn)}, mottatt {kroner(f.received)}, opptjent "
                f"{kroner(f.earned)}, til utbetaling {kroner(f.request)}"
                + (f", tilbakebetaling {kroner(f.repayment)}" if f.repayment else "")
            )
        else:
            lines.append(
                f"{name}: tilsagn {kroner(f.tilsagn, 'en')}, received {kroner(f.received, 'en')}, "
                f"earned {kroner(f.earned, 'en')}, to request {kroner(f.request, 'en')}"
                + (f", repayment {kroner(f.repayment, 'en')}" if f.repayment else "")
            )
    shown: dict[str, int] = {}
    for finding in findings:
        shown[finding.code] = shown.get(finding.code, 0) + 1
        if shown[finding.code] <= MAX_SHOWN:
            lines.append(finding.line(lang))
    for code, count in shown.items():
        if count > MAX_SHOWN:
            more = count - MAX_SHOWN
            lines.append(f"  … {more} til av {code}" if nb else f"  … {more} more of {code}")
    return lines
