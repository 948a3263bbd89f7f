"""bygdevekst_xl: generate, check and regenerate the Excel budget of a bygdevekstavtale.

The commands as functions (``generate_workbook``, ``check_workbook``, ``extract_spec``,
``regenerate_workbook``, ``diff_workbooks``, ``council_pack``, ``recalculate``,
``read_edited``) live in :mod:`bygdevekst_xl.api` and load on first use, so importing the
package stays cheap.
"""

from __future__ import annotations

from typing import Any

from .model import Budget, Category, CostLine, Pilot, Project
from .spec import SpecError, example_path, load_spec

__all__ = [
    "Budget",
    "Category",
    "CostLine",
    "Pilot",
    "Project",
    "SpecError",
    "check_workbook",
    "council_pack",
    "diff_workbooks",
    "example_path",
    "extract_spec",
    "generate_workbook",
    "load_spec",
    "read_edited",
    "recalculate",
    "regenerate_workbook",
]
__version__ = "0.1.0"

_API = frozenset(
    {
        "check_workbook",
        "council_pack",
        "diff_workbooks",
        "extract_spec",
        "generate_workbook",
        "read_edited",
        "recalculate",
        "regenerate_workbook",
    }
)


def __getattr__(name: str) -> Any:
    """The commands' functions (:mod:`.api`), imported when first asked for."""
    if name in _API:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'bygdevekst_xl' has no attribute {name!r}")
