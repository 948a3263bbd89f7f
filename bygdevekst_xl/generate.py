"""Generate a workbook from a spec: validate, lay out, render, write safely."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .compute import BudgetTotals, budget_totals
from .files import Written, write_new
from .layout import build_layout
from .model import Budget
from .spec import load_spec
from .writer import render


@dataclass(frozen=True)
class Generated:
    """The outcome of ``generate``: where the workbook went and its totals."""

    written: Written
    budget: Budget
    totals: BudgetTotals


def document_time(budget: Budget) -> dt.datetime:
    """The fixed creation time written into the file, so the same spec gives the same bytes:
    the application deadline (or, when a damaged workbook holds no date there, 2000-01-01)."""
    try:
        return dt.datetime.fromisoformat(budget.pilot.application_deadline)
    except ValueError:
        return dt.datetime(2000, 1, 1)


def document_title(budget: Budget) -> str:
    """The workbook's document title."""
    return f"{budget.pilot.name}: budsjett for bygdevekstavtale"


def workbook_bytes(budget: Budget) -> bytes:
    """The generated workbook of a budget, as bytes (deterministic)."""
    return render(build_layout(budget), created=document_time(budget), title=document_title(budget))


def generate(spec: Path | str, output: Path | str, *, force: bool = False) -> Generated:
    """Build the workbook for the spec at ``spec`` and write it to ``output``."""
    budget = load_spec(spec)
    written = write_new(Path(output), workbook_bytes(budget), force=force, protect=(Path(spec),))
    return Generated(written, budget, budget_totals(budget))
