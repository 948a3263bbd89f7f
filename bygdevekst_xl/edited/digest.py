"""The content digest of a workbook: a short id of the inputs it holds, for reports and packs.

It is taken over the inputs read back from the workbook (pilot facts, projects, cost lines
without the blank rows, hours, financing) and the rules they were read with (cap, hourly rate,
categories), written as canonical JSON, so re-saving the workbook in another program keeps the
id while any changed input changes it.
"""

from __future__ import annotations

import hashlib
import json
import math
from typing import Any

from ..dataclass import asdict
from ..model import Amount, Budget, Formula, Project

DIGEST_LENGTH = 12


def content_digest(budget: Budget) -> str:
    """The first 12 hex digits of SHA-256 over the budget's inputs as canonical JSON."""
    data = {  # every key in sorted order, as sort_keys would put them (they are many)
        "categories": _canonical([asdict(c) for c in budget.categories]),
        "pilot": _canonical(asdict(budget.pilot)),
        "projects": [_project(p) for p in budget.projects],
    }
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:DIGEST_LENGTH]


def _project(project: Project) -> dict[str, Any]:
    """A project's inputs as plain data (the shape ``dataclasses.asdict`` gives, built
    directly, already canonical: asdict deep-copies every value, and a generic walk over
    100 000 lines took a second)."""
    return {  # keys in sorted order (see content_digest)
        "costs": [
            {
                "amounts": _values(line.amounts),
                "category": _text(line.category),
                "category_formula": None,
                "description": _text(line.description),
            }
            for line in project.costs
            if not line.is_blank
        ],
        "description": [_scalar(d) for d in project.description],
        "hours": [[_scalar(m), _values(h)] for m, h in project.hours],
        "id": _scalar(project.id),
        "kdd": _values(project.kdd),
        "name": _scalar(project.name),
        "sheet": _scalar(project.sheet),
        "statsforvalteren": _values(project.statsforvalteren),
        "working_group": _scalar(project.working_group),
    }


def _values(amounts: tuple[Amount, ...]) -> list[Any]:
    """Inputs as the money they hold: a formula counts as its value (where it sits in the
    workbook, and how it is written, is not content)."""
    for a in amounts:
        if type(a) is not int:
            return [_scalar(a.value if isinstance(a, Formula) else a) for a in amounts]
    return list(amounts)  # whole numbers are canonical already (the common case)


def _text(value: Any) -> Any:
    """A text as it is (canonical already), anything else as :func:`_scalar` has it."""
    return value if type(value) is str else _scalar(value)


def _canonical(value: Any) -> Any:
    """Numbers as a spreadsheet holds them (1050000.0 is 1050000); the rest as JSON has it."""
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in sorted(value.items())}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    return _scalar(value)


def _scalar(value: Any) -> Any:
    """One value canonical: see :func:`_canonical`."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            return repr(value)
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if isinstance(value, int):
        return value
    return str(value)
