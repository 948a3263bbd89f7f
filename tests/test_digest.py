"""The content digest: SHA-256 over the inputs as canonical JSON, whatever the inputs hold."""

from __future__ import annotations

import hashlib
import json
import math
from typing import Any

from bygdevekst_xl.dataclass import asdict, replace
from bygdevekst_xl.edited.digest import DIGEST_LENGTH, content_digest
from bygdevekst_xl.excel import ErrorValue
from bygdevekst_xl.model import Budget, CostLine, Formula


def _canonical(value: Any) -> Any:
    """Numbers as a spreadsheet holds them, the rest as JSON has it: the definition, walked."""
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str | int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            return repr(value)
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    return str(value)


def _plain(amounts: tuple[Any, ...]) -> tuple[Any, ...]:
    """Formulas as their values; error values as their codes (asdict would walk into them)."""
    values = (a.value if isinstance(a, Formula) else a for a in amounts)
    return tuple(str(v) if isinstance(v, ErrorValue) else v for v in values)


def reference_digest(budget: Budget) -> str:
    """The digest as its definition states it: every input through one generic walk."""
    projects = []
    for p in budget.projects:
        costs = [
            replace(line, amounts=_plain(line.amounts), category_formula=None)
            for line in p.costs
            if not line.is_blank
        ]
        plain = replace(
            p,
            costs=tuple(costs),
            hours=tuple((m, _plain(h)) for m, h in p.hours),
            kdd=_plain(p.kdd),
            statsforvalteren=_plain(p.statsforvalteren),
        )
        projects.append(_canonical(asdict(plain)))
    data = {
        "pilot": _canonical(asdict(budget.pilot)),
        "categories": _canonical([asdict(c) for c in budget.categories]),
        "projects": projects,
    }
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:DIGEST_LENGTH]


def test_digest_of_whole_kroner_is_the_canonical_json(example_budget):
    """A spec's budget (whole kroner, texts): the digest of its canonical JSON."""
    digest = content_digest(example_budget)
    assert len(digest) == DIGEST_LENGTH and digest == reference_digest(example_budget)


def test_digest_of_anything_a_workbook_holds_is_the_canonical_json(example_budget):
    """Formulas (as their values), integral and fractional floats, texts, blanks, error values,
    infinities and blank lines: each as the canonical JSON has it."""
    project = example_budget.projects[0]
    line = project.costs[0]
    odd = (
        CostLine(line.category, "Ærlig talt", (Formula("=2*5", 10.0, "A!C7"), 12.5)),
        CostLine("", "", (None, "")),  # blank: left out
        CostLine(line.category, line.description, ("150 000", ErrorValue("#REF!"))),
        CostLine(line.category, line.description, (math.inf, 2.0**60)),
        CostLine(7, 3.0, (True, -0.0)),  # type: ignore[arg-type]
    )
    hours = tuple((m, (1.5, Formula("=3", 3, "A!C20"))) for m, _ in project.hours)
    edited = replace(
        project,
        costs=project.costs + odd,
        hours=hours,
        kdd=(1_000_000.0, None),
        statsforvalteren=(Formula("=1/3", 1 / 3, "A!C29"), ""),
    )
    budget = replace(example_budget, projects=(edited, *example_budget.projects[1:]))
    digest = content_digest(budget)
    assert digest == reference_digest(budget)
    assert digest != content_digest(example_budget)
