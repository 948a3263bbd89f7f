"""Regeneration: a new workbook for a changed spec, merged three ways with the workbook's
record and inputs (``merge``), formulas typed into inputs carried (``carry``), and the new
file read back and compared before it counts as written (``regeneration``)."""

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
