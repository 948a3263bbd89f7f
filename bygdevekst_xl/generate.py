"""Generate a workbook from a spec: validate, lay out, render, write safely."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .check.findings import Finding
from .check.rules import budget_rule_findings, scheme_findings
from .compute import BudgetTotals
from .dataclass import dataclass, field
from .errors import EXIT_FINDINGS, BygdevekstError
from .files import STANDARD_OUTPUT, Written, write_new, write_standard_output
from .layout import WorkbookLayout, build_layout
from .messages import Count, Message
from .model import Budget
from .record import date_label, generation_id, record_properties
from .scheme import within_scheme
from .spec import load_spec
from .writer import render


@dataclass(frozen=True)
class Generated:
    """The outcome of ``generate``: where the workbook went, its totals and the rules the
    spec breaks (the workbook is then a draft that shows them in red)."""

    written: Written
    budget: Budget
    totals: BudgetTotals
    broken: list[Finding] = field(default_factory=list)


class RulesBroken(BygdevekstError, ValueError):
    """``strict``: the spec breaks rules of the programme; nothing was written."""

    exit_code = EXIT_FINDINGS

    def __init__(self, budget: Budget, broken: list[Finding]) -> None:
        self.budget = budget
        self.broken = broken
        super().__init__(Message("strict-broken", count=Count(len(broken), "n-broken-rules")))

    def details(self, lang: str = "nb") -> list[str]:
        from .reports import broken_rule_lines

        return broken_rule_lines(self.broken, lang)


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


def workbook_bytes(budget: Budget, layout: WorkbookLayout | None = None) -> bytes:
    """The generated workbook of a budget, carrying it as its generation record, as bytes
    (deterministic). The workbook is laid out within the scheme's rules whatever the spec
    says (:func:`generated_layout`)."""
    layout = layout or generated_layout(budget)
    return render(
        layout,
        created=document_time(budget),
        title=document_title(budget),
        properties=record_properties(budget),
    )


def generation(budget: Budget) -> tuple[str, str]:
    """(generation id, spec date) the Forside of a workbook generated from ``budget`` shows."""
    return (generation_id(budget), date_label(budget))


def generated_layout(budget: Budget) -> WorkbookLayout:
    """The layout of the workbook generated from ``budget``: its facts within the scheme's
    rules (the cap at most 4 000 000 kr, no excluded use KDD-eligible), whatever it says."""
    return build_layout(within_scheme(budget), None, generation(budget))


def broken_rules(budget: Budget, layout: WorkbookLayout) -> list[Finding]:
    """The programme's rules the budget breaks, as ``check`` states them: first every place
    where the spec says more than the scheme allows, then the rules on its totals."""
    against = scheme_findings(budget, "spec-against-scheme")
    bounded = within_scheme(budget)
    return against + list(budget_rule_findings(bounded, layout, bounded.pilot.kdd_cap))


def generate(
    spec: Budget | Path | str, output: Path | str, *, force: bool = False, strict: bool = False
) -> Generated:
    """Build the workbook for ``spec`` (a :class:`Budget`, or the path of a YAML spec) and
    write it to ``output`` (``-``: standard output, when that is not a terminal).

    A spec that breaks a rule still gives its workbook (a draft, the rule red in it), with the
    broken rules in ``Generated.broken``; ``strict`` raises ``RulesBroken`` and writes nothing.
    The bytes are read back through the reader and every cell compared with the layout before
    anything is written: ``NotAsMeant`` (nothing written) when one is not as meant.
    """
    budget = spec if isinstance(spec, Budget) else load_spec(spec)
    layout = generated_layout(budget)
    broken = broken_rules(budget, layout)
    if strict and broken:
        raise RulesBroken(budget, broken)
    data = workbook_bytes(budget, layout)
    _read_back(data, layout, Path(output).name)
    if Path(output) == STANDARD_OUTPUT:
        return Generated(write_standard_output(data), budget, layout.totals, broken)
    inputs = () if isinstance(spec, Budget) else (Path(spec),)
    written = write_new(Path(output), data, force=force, protect=inputs)
    return Generated(written, budget, layout.totals, broken)


def _read_back(data: bytes, layout: WorkbookLayout, name: str) -> None:
    """Read the workbook about to be written back through the reader and compare every cell
    with the layout; raise ``NotAsMeant`` (nothing written) where one is not as meant."""
    from .check.written import NotAsMeant, written_differences
    from .edited import read_written

    differences = written_differences(layout, read_written(data, name), every_cell=True)
    if differences:
        raise NotAsMeant(differences)
