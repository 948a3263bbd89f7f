"""Render a diff report: text for a terminal, Markdown for a case document or an e-mail, JSON."""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

from ..check.findings import show
from ..check.report import kroner
from ..messages import MINUS, NBSP, plural
from .changes import Cell, Change, DiffReport, Effect
from .compare import FACT_CODES
from .texts import CHANGES, EFFECTS, RULES, UNITS, WORDS


def value_text(value: Any, unit: str | None, lang: str) -> str:
    """A value as a finance officer reads it: ``1 234 568 kr``, ``150 timer``, ``ja``, «text»."""
    w = WORDS[lang]
    if value is None or (isinstance(value, str) and not value.strip() and unit != "text"):
        return w["blank"]
    if isinstance(value, dict):  # a line's amounts per year
        return ", ".join(f"{year}: {value_text(v, unit, lang)}" for year, v in value.items())
    if unit == "date" and isinstance(value, str):
        return date_text(value) if lang == "nb" else value
    if unit == "bool" or isinstance(value, bool):
        return w["yes"] if value else w["no"]
    if isinstance(value, int | float):
        if unit == "kr":
            return kroner(value)
        if unit == "hours":
            return f"{hours_text(value)} {w['hours']}"
    return show(value)


def date_text(value: str) -> str:
    """``22.11.2023`` for an ISO date, as a Norwegian reader writes it; other text as it is."""
    try:
        return dt.date.fromisoformat(value[:10]).strftime("%d.%m.%Y")
    except ValueError:
        return value


def hours_text(value: float) -> str:
    """``1 160``, ``150,5``: hours with spaces between thousands and up to six decimals."""
    if not abs(value) < 1e15:
        return show(value)
    text = f"{value:,.6f}".rstrip("0").rstrip(".")
    return text.replace(",", NBSP).replace(".", ",").replace("-", MINUS)


def cell_text(change: Change) -> str:
    """``2 Boligbygging!C7`` when both files agree, else ``old → new`` (– where none)."""
    a, b = _cell(change.old_cell), _cell(change.new_cell)
    return a if a == b else f"{a} → {b}"


def _cell(cell: Cell | None) -> str:
    return "–" if cell is None else f"{cell[0]}!{cell[1]}"


def change_text(change: Change, lang: str) -> str:
    """One change: where, in budget terms, then old → new."""
    nb, en = CHANGES[change.code]
    where = (nb if lang == "nb" else en).format(**change.params)
    unit = UNITS.get(change.code)
    if change.code == "line-added":
        values = value_text(change.new, unit, lang)
    elif change.code == "line-removed":
        values = value_text(change.old, unit, lang)
    elif change.code in ("project-added", "municipality-added"):
        values = value_text(change.new, unit, lang)
    elif change.code in ("project-removed", "municipality-removed"):
        values = value_text(change.old, unit, lang)
    elif change.code in ("category-added", "category-removed"):
        values = value_text(change.new if change.code.endswith("added") else change.old, unit, lang)
    elif change.code.startswith(("formula-", "input-")) and None in (change.old, change.new):
        values = value_text(change.old if change.new is None else change.new, unit, lang)
    else:
        values = f"{value_text(change.old, unit, lang)} → {value_text(change.new, unit, lang)}"
    return f"{where}: {values}"


def effect_text(effect: Effect, lang: str) -> tuple[str, str, str, str]:
    """An effect as (what, before, after, difference)."""
    nb, en = EFFECTS[effect.code]
    what = (nb if lang == "nb" else en).format(**effect.params)
    unit = "hours" if effect.code == "own-hours" else "kr"
    delta = effect.new - effect.old
    sign = "+" if delta > 0 else "−" if delta < 0 else "±"
    return (
        what,
        value_text(effect.old, unit, lang),
        value_text(effect.new, unit, lang),
        f"{sign}{value_text(abs(delta), unit, lang)}",
    )


def headline(report: DiffReport, lang: str) -> list[str]:
    """A version that breaks the cap says so first."""
    w, c = WORDS[lang], report.cap
    lines = []
    for side in ("old", "new"):
        kdd, cap = c.get(f"{side}_kdd", 0), c.get(f"{side}_cap", 0)
        if kdd > cap + 0.005:
            lines.append(
                w["over_cap"].format(
                    version=w[side], kdd=kroner(kdd), over=kroner(kdd - cap), cap=kroner(cap)
                )
            )
    return lines


def generation_lines(report: DiffReport, lang: str) -> list[str]:
    """Whether both come from the same spec (when both carry a generation record)."""
    p, w = report.provenance, WORDS[lang]
    if p is None or not p.known:
        return []
    if p.same_spec:
        return [w["same_spec"].format(id=p.old_id)]
    count = plural(len(p.spec_changes), "n-changes", lang)
    return [w["other_spec"].format(old=p.old_id, new=p.new_id, count=count)]


def _origin(report: DiffReport, change: Change, lang: str) -> str:
    origin = report.provenance.origin(change) if report.provenance else None
    return f" ({WORDS[lang]['from_' + origin]})" if origin else ""


def _shown_effects(report: DiffReport) -> list[Effect]:
    """Totals and own shares always; a project's balance when it changed."""
    return [e for e in report.effects if e.code != "balance" or e.changed]


def as_text(report: DiffReport, lang: str = "nb") -> str:
    """The report for a terminal."""
    w = WORDS[lang]
    lines = [f"{w['title']} {w['from']} {report.old_file} {w['to']} {report.new_file}"]
    lines += [f"  !! {line}" for line in headline(report, lang)]
    lines += [f"  {line}" for line in generation_lines(report, lang)]
    if not report.differs:
        lines.append(f"  {w['none']}")
        return "\n".join(lines)
    for title, changes in _sections(report, lang):
        if changes:
            lines.append(f"  {title}:")
            lines += [
                f"    {change_text(c, lang)}  [{cell_text(c)}]{_origin(report, c, lang)}"
                for c in changes
            ]
    lines.append(f"  {w['effects']}:")
    for effect in _shown_effects(report):
        what, before, after, delta = effect_text(effect, lang)
        mark = f" ({delta})" if effect.changed else ""
        lines.append(
            f"    {what}: {before} → {after}{mark}" if effect.changed else f"    {what}: {after}"
        )
    changed = [v for v in report.verdicts if v.old != v.new]
    if changed:
        lines.append(f"  {w['rules']}:")
        for v in changed:
            name = RULES[v.rule][0 if lang == "nb" else 1]
            lines.append(f"    {name}: {_status(v.old, lang)} → {_status(v.new, lang)}")
    lines.append(
        "  "
        + w["summary"].format(
            changes=plural(len(report.changes), "n-changes", lang), formulas=len(report.formulas)
        )
    )
    return "\n".join(lines)


def _sections(report: DiffReport, lang: str) -> list[tuple[str, list[Change]]]:
    """The changes under their headings: the application's facts, the budget, the formulas."""
    w = WORDS[lang]
    facts = [c for c in report.changes if c.code in FACT_CODES]
    budget = [c for c in report.changes if c.code not in FACT_CODES]
    return [(w["facts"], facts), (w["budget"], budget), (w["formulas"], report.formulas)]


def _status(ok: bool, lang: str) -> str:
    return WORDS[lang]["holds" if ok else "broken"]


def as_markdown(report: DiffReport, lang: str = "nb") -> str:
    """The report as Markdown, for a case document or an e-mail."""
    w = WORDS[lang]
    lines = [
        f"## {w['title']}",
        "",
        f"{w['from'].capitalize()} `{report.old_file}` {w['to']} `{report.new_file}`.",
        "",
    ]
    lines += [f"> **{line}**" for line in headline(report, lang)]
    if lines[-1] != "":
        lines.append("")
    if not report.differs:
        lines.append(w["none"])
        return "\n".join(lines) + "\n"
    for title, changes in _sections(report, lang):
        if changes:
            lines += [f"### {title}", ""]
            lines += [
                f"- {_md(change_text(c, lang))} ({w['cells']} `{cell_text(c)}`)" for c in changes
            ]
            lines.append("")
    lines += [
        f"### {w['effects']}",
        "",
        f"| {w['what']} | {w['before']} | {w['after']} | {w['difference']} |",
        "|---|---:|---:|---:|",
    ]
    for effect in _shown_effects(report):
        what, before, after, delta = effect_text(effect, lang)
        lines.append(f"| {_md(what)} | {before} | {after} | {delta if effect.changed else ''} |")
    changed = [v for v in report.verdicts if v.old != v.new]
    if changed:
        lines += ["", f"### {w['rules']}", ""]
        for v in changed:
            name = RULES[v.rule][0 if lang == "nb" else 1]
            lines.append(f"- {name}: {_status(v.old, lang)} → **{_status(v.new, lang)}**")
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """Text safe inside Markdown: the characters that would start markup are escaped."""
    for ch in "\\`*_[]|<>#":
        text = text.replace(ch, "\\" + ch)
    return text


def as_dict(report: DiffReport, lang: str = "nb") -> dict[str, Any]:
    """The report as JSON-ready data (see schemas/diff-report.schema.json)."""
    return {
        "old": report.old_file,
        "new": report.new_file,
        "differs": report.differs,
        "warnings": headline(report, lang),
        **_generation_dict(report),
        "changes": [_change_dict(c, lang, report) for c in report.changes],
        "formulas": [_change_dict(c, lang) for c in report.formulas],
        "effects": [
            {
                "code": e.code,
                "message": effect_text(e, lang)[0],
                **({"params": e.params} if e.params else {}),
                "old": _number(e.old),
                "new": _number(e.new),
                "difference": _number(e.new - e.old),
                "changed": e.changed,
            }
            for e in report.effects
        ],
        "rules": [
            {
                "rule": v.rule,
                "name": RULES[v.rule][0 if lang == "nb" else 1],
                "old_ok": v.old,
                "new_ok": v.new,
            }
            for v in report.verdicts
        ],
        "cap": {k: _number(v) for k, v in report.cap.items()},
    }


def unreadable_dict(old: str, new: str, error: str) -> dict[str, Any]:
    """The JSON document when a file cannot be read (exit 2)."""
    return {
        "old": old,
        "new": new,
        "differs": None,
        "error": error,
        "warnings": [],
        "changes": [],
        "formulas": [],
        "effects": [],
        "rules": [],
        "cap": None,
    }


def as_json(document: dict[str, Any]) -> str:
    """One JSON document."""
    return json.dumps(document, ensure_ascii=False, allow_nan=False)


def _generation_dict(report: DiffReport) -> dict[str, Any]:
    p = report.provenance
    if p is None:
        return {}
    return {"generation": {"old": p.old_id, "new": p.new_id, "same_spec": p.same_spec}}


def _change_dict(change: Change, lang: str, report: DiffReport | None = None) -> dict[str, Any]:
    origin = report.provenance.origin(change) if report and report.provenance else None
    return {
        **({"origin": origin} if origin else {}),
        "code": change.code,
        "message": change_text(change, lang),
        "params": {k: _json_value(v) for k, v in change.params.items()},
        "old": _json_value(change.old),
        "new": _json_value(change.new),
        "old_cell": _cell_dict(change.old_cell),
        "new_cell": _cell_dict(change.new_cell),
    }


def _cell_dict(cell: Cell | None) -> dict[str, str] | None:
    return None if cell is None else {"sheet": cell[0], "cell": cell[1]}


def _number(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _json_value(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, float) and not math.isfinite(value):
        return show(value)
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    return str(value)
