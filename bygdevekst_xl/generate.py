"""Generate a workbook from a spec: validate, lay out, render, write safely."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .compute import BudgetTotals, budget_totals
from .files import Written, write_new
from .layout import build_layout
from .model import Budget
from .record import date_label, generation_id, record_properties
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
    """The generated workbook of a budget, with its generation record, as bytes (deterministic)."""
    return recorded_workbook(budget, budget)


def recorded_workbook(
    budget: Budget, spec: Budget, capacities: Mapping[str, int] | None = None
) -> bytes:
    """The workbook of ``budget`` carrying ``spec`` as its generation record (``regenerate``
    writes merged inputs and records the new spec they were merged with)."""
    layout = build_layout(budget, capacities, (generation_id(spec), date_label(spec)))
    return render(
        layout,
        created=document_time(budget),
        title=document_title(budget),
        properties=record_properties(spec),
    )


def generate(spec: Path | str, output: Path | str, *, force: bool = False) -> Generated:
    """Build the workbook for the spec at ``spec`` and write it to ``output``."""
    budget = load_spec(spec)
    written = write_new(Path(output), workbook_bytes(budget), force=force, protect=(Path(spec),))
    return Generated(written, budget, budget_totals(budget))
