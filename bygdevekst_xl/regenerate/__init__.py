"""Regeneration: a new workbook for a changed spec, merged three ways with the workbook's
record and inputs (``merge``), formulas typed into inputs carried (``carry``), and the new
file read back and compared before it counts as written (``regeneration``).

The names below are imported on first use: ``check`` counts edits with ``merge`` alone and
need not import the writer (xlsxwriter) that ``regeneration`` brings.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .merge import LeftOut
    from .regeneration import (
        ConflictError,
        NotWrittenAsMeant,
        Refusal,
        RefusedError,
        Regeneration,
        StrictRulesBroken,
        regenerate,
    )

__all__ = [
    "ConflictError",
    "LeftOut",
    "NotWrittenAsMeant",
    "Refusal",
    "RefusedError",
    "Regeneration",
    "StrictRulesBroken",
    "regenerate",
]


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    home = "merge" if name == "LeftOut" else "regeneration"
    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value
