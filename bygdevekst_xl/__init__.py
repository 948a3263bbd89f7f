"""bygdevekst_xl: generate, check and regenerate the Excel budget of a bygdevekstavtale.

The commands as functions (``generate_workbook``, ``check_workbook``, ``extract_spec``,
``regenerate_workbook``, ``diff_workbooks``, ``council_pack``, ``recalculate``,
``read_edited``) live in :mod:`bygdevekst_xl.api`; they and the model's names load on first
use, so importing the package (or running ``--help``) stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .api import (
        check_workbook,
        council_pack,
        diff_workbooks,
        extract_spec,
        generate_workbook,
        read_edited,
        recalculate,
        regenerate_workbook,
    )
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

_HOMES = {
    "Budget": "model",
    "Category": "model",
    "CostLine": "model",
    "Pilot": "model",
    "Project": "model",
    "SpecError": "spec",
    "example_path": "spec",
    "load_spec": "spec",
    "check_workbook": "api",
    "council_pack": "api",
    "diff_workbooks": "api",
    "extract_spec": "api",
    "generate_workbook": "api",
    "read_edited": "api",
    "recalculate": "api",
    "regenerate_workbook": "api",
}
"""Where each name of the library lives: imported on first use, so that a command (or
``--help``) imports only what it runs."""


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
