"""Check a workbook: read it, recompute it two ways, and run every rule.

``check_workbook`` and ``Report`` live in :mod:`.workbook` and are loaded on first use, so that
``generate``, which needs only the rules and their findings, does not import the whole reader.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .workbook import Report, check_workbook

__all__ = ["Report", "check_workbook"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import workbook

        return getattr(workbook, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
