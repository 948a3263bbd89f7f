"""bygdevekst_xl: generate, check and regenerate the Excel budget of a bygdevekstavtale."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import Budget, Category, CostLine, Pilot, Project
    from .spec import SpecError, example_path, load_spec

__all__ = [
    "Budget",
    "Category",
    "CostLine",
    "Pilot",
    "Project",
    "SpecError",
    "example_path",
    "load_spec",
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
