"""What the commands tell the user: each outcome and each error as lines, or as JSON data.

The command line (``cli.py``) only chooses the stream; every sentence comes from the catalogue
in ``messages.py`` in the user's language. ``check`` and ``diff`` have their own report
modules (``check/report.py``, ``diff/render.py``); this one holds the rest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import BygdevekstError
from .messages import kroner, localize, say

if TYPE_CHECKING:
    from .check.findings import Finding
    from .extract import Extracted
    from .files import Written
    from .generate import Generated
    from .regenerate import Regeneration
    from .regenerate.merge import Conflict


def error_lines(error: BygdevekstError, lang: str) -> list[str]:
    """An error as standard error shows it: ``feil: …`` per line, then its details."""
    return [say("error", lang, text=line) for line in error.lines_in(lang)] + [
        f"  {line}" for line in error.details(lang)
    ]


def written_line(written: Written, lang: str) -> str:
    """Where a file went: written (with its backup), or already up to date."""
    if written.unchanged:
        return say("up-to-date", lang, path=written.path)
    if written.backup:
        return say("wrote-backup", lang, path=written.path, backup=written.backup)
    return say("wrote", lang, path=written.path)


def finding_place(finding: Finding) -> str:
    """``Ark!C7``, the sheet alone, or the workbook, where a finding is."""
    if finding.sheet and finding.cell:
        return f"{finding.sheet}!{finding.cell}"
    return str(finding.sheet or "")


def broken_rule_lines(broken: list[Finding], lang: str) -> list[str]:
    """Each rule a spec breaks, in the words ``check`` uses, at its sheet and cell."""
    return [
        say("rule-broken", lang, place=finding_place(f), message=f.message(lang), code=f.code)
        for f in broken
    ]


def generate_summary(result: Generated, lang: str) -> str:
    """The one line ``generate`` ends with: costs, in kind, KDD against its cap, balance."""
    t = result.totals
    amounts = {
        "name": result.budget.pilot.name,
        "costs": kroner(t.total_costs, lang),
        "in_kind": kroner(t.in_kind, lang),
        "kdd": kroner(t.kdd, lang),
        "cap": kroner(t.kdd_cap, lang),
        "sf": kroner(t.statsforvalteren, lang),
        "balance": kroner(t.balance, lang),
    }
    if t.kdd_headroom >= 0:
        return say("generate-summary", lang, headroom=kroner(t.kdd_headroom, lang), **amounts)
    return say("generate-over-cap-summary", lang, over=kroner(-t.kdd_headroom, lang), **amounts)


def generate_dict(result: Generated, lang: str) -> dict[str, Any]:
    """What ``generate --json`` prints (schemas/generate-report.schema.json)."""
    from .check.report import _finding_dict, _json_number
    from .generate import generation

    t = result.totals
    generation_id, _ = generation(result.budget)
    return {
        "ok": not result.broken,
        **written_dict(result.written),
        "generation": generation_id,
        "pilot": result.budget.pilot.name,
        "totals": {
            key: _json_number(value)
            for key, value in (
                ("total_costs", t.total_costs),
                ("in_kind", t.in_kind),
                ("kdd", t.kdd),
                ("kdd_cap", t.kdd_cap),
                ("kdd_headroom", t.kdd_headroom),
                ("statsforvalteren", t.statsforvalteren),
                ("balance", t.balance),
            )
        },
        "broken_rules": [_finding_dict(f, lang) for f in result.broken],
        "summary": generate_summary(result, lang),
    }


def written_dict(written: Written) -> dict[str, Any]:
    """Where a file went, as JSON data: its path, what happened and the backup kept."""
    status = "unchanged" if written.unchanged else "replaced" if written.backup else "written"
    return {
        "output": str(written.path),
        "status": status,
        "backup": str(written.backup) if written.backup else None,
    }


def council_dict(
    digest: str, draft: bool, written: list[Written], warnings: list[str], lang: str
) -> dict[str, Any]:
    """What ``council --json`` prints when the pack is written
    (schemas/council-report.schema.json)."""
    return {
        "ok": True,
        "draft": draft,
        "content_digest": digest,
        "files": [written_dict(w) for w in written],
        "errors": [],
        "warnings": [localize(w, lang) for w in warnings],
    }


def council_refused_dict(errors: list[str]) -> dict[str, Any]:
    """What ``council --json`` prints when the check finds errors (exit 1): nothing written."""
    return {
        "ok": False,
        "draft": False,
        "content_digest": None,
        "files": [],
        "errors": errors,
        "warnings": [],
    }


# --------------------------------------------------------------------------- extract


def extracted_formulas(extracted: Extracted) -> list[dict[str, Any]]:
    """The inputs that held formulas: cell, formula and the value the spec got."""
    return [
        {"cell": f.cell, "formula": f.text, "value": None if f.value is None else plain(f.value)}
        for f in extracted.formulas
    ]


def plain(value: object) -> object:
    """A value as JSON holds it (whole numbers as integers, anything odd as text)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value if isinstance(value, int | float | str | bool) else str(value)


# --------------------------------------------------------------------------- regenerate


def regeneration_lines(
    result: Regeneration, orphans: str, ok: bool, lang: str, prefer: str | None = None
) -> list[str]:
    """The regeneration report: the file, the generations, conflicts, every change made (or
    that would have been), the values left out and the warnings."""
    lines = [written_line(result.written, lang)] if result.written else []
    if result.base or result.generation:
        base = result.base or say("no-record", lang)
        lines.append(say("generation-step", lang, base=base, new=result.generation))
    lines += [say("conflict", lang, text=c.text(lang)) for c in result.conflicts]
    winner = say("side-workbook" if prefer == "workbook" else "side-spec", lang)
    lines += [
        say("conflict-resolved", lang, winner=winner, text=c.text(lang)) for c in result.resolved
    ]
    verb = "changed" if ok else "would-change"
    lines += [say(verb, lang, text=c.text(lang)) for c in result.applied]
    lines += [say("change", lang, text=localize(change, lang)) for change in result.changes]
    lines += [
        say(
            f"left-out-{orphans}",
            lang,
            place=f"{value.sheet}!{value.cell}",
            value=_shown(value.value, lang),
            what=localize(value.what, lang),
        )
        for value in result.left_out
    ]
    lines += [say("report-warning", lang, text=localize(w, lang)) for w in result.warnings]
    return lines


def regeneration_dict(result: Regeneration, orphans: str, ok: bool, lang: str) -> dict:
    """The regeneration report as JSON data."""
    written = result.written
    return {
        "ok": ok,
        "output": str(written.path) if written else None,
        "generation": result.generation or None,
        "base_generation": result.base or None,
        "changes": [localize(change, lang) for change in result.changes],
        "applied": [
            {
                "project": c.project,
                "line": c.line,
                "year": c.year,
                "old": _json_value(c.old),
                "new": _json_value(c.new),
                "text": c.text(lang),
            }
            for c in result.applied
        ],
        "conflicts": [_conflict_dict(c, lang) for c in result.conflicts],
        "resolved": [_conflict_dict(c, lang) for c in result.resolved],
        "left_out": [
            {
                "sheet": v.sheet,
                "cell": v.cell,
                "project": v.project,
                "what": localize(v.what, lang),
                "value": v.value if isinstance(v.value, int | float | str) else str(v.value),
            }
            for v in result.left_out
        ],
        "left_out_treatment": orphans if result.left_out else None,
        "warnings": [localize(warning, lang) for warning in result.warnings],
    }


def _conflict_dict(c: Conflict, lang: str) -> dict:
    return {
        "sheet": c.sheet,
        "cell": c.cell,
        "project": c.project,
        "line": c.line,
        "year": c.year,
        "base": _json_value(c.base),
        "workbook": _json_value(c.workbook),
        "spec": _json_value(c.spec),
        "text": c.text(lang),
    }


def _shown(value: object, lang: str) -> str:
    """A left-out value as the checker shows a value (:func:`check.findings.show`): a number
    as a finance officer writes it (beyond 15 digits as Excel shows it), a text quoted."""
    from .check.findings import show

    return show(value, lang)


def _json_value(value: object) -> object:
    if isinstance(value, tuple):
        return [_json_value(v) for v in value]
    return value if value is None or isinstance(value, int | float | str) else str(value)
