"""Which pilot a workbook belongs to: its generation record, the spec given, and the scheme.

Without ``--spec`` the pilot's facts (municipalities, years, hourly rate, categories, projects)
come from the workbook's generation record; the scheme's rules (``scheme.py``) stay trusted
from code whatever the record says. With ``--spec``, a workbook whose record names another
pilot is one ``other-pilot`` finding, and the rest is checked against its own record, so no
cascade of false findings follows.
"""

from __future__ import annotations

from typing import Any

from ..check.findings import Finding
from ..check.rules import scheme_findings
from ..dataclass import dataclass, field
from ..layout.cells import a1
from ..layout.front_sheet import GENERATION_ROW, parse_generation_text
from ..model import Budget
from ..record import Record, RecordProblem, read_record, shown_generation
from ..scheme import (
    MAX_KDD_CAP,
    categories_within_scheme,
    comparable,
    within_scheme,
)
from ..texts import FRONT_SHEET, PARAMETER_SHEET
from .inputs import Rules, workbook_rules


@dataclass
class Provenance:
    """The facts a workbook is read and checked under, where they came from, and what that
    says about the workbook."""

    rules: Rules
    """The cap, hourly rate and categories: the record's or the spec's, within the scheme."""
    record: Record | None
    findings: list[Finding] = field(default_factory=list)
    """Findings about the record, the spec and the pilot; reported first."""
    generation: tuple[str, str] | None = None
    """(generation id, spec date) the Forside of this workbook shows."""
    facts: Budget | None = None
    """The spec whose facts apply (the record's or ``--spec``), within the scheme; None when
    the workbook has neither and its own Parametre stand for them."""

    def summary(self, edited: int | None) -> dict[str, Any] | None:
        """The generation as a report states it (None when the workbook has no record)."""
        if self.generation is None:
            return None
        record = self.record
        return {
            "id": self.generation[0],
            "spec_date": record.spec.pilot.spec_date or None if record else None,
            "layout": record.layout if record else None,
            "tool": record.tool or None if record else None,
            "changed_inputs": edited,
        }


def provenance(content: Any, spec: Budget | None) -> Provenance:
    """The facts to read and check a workbook (its ``xlsx.WorkbookContent``) under, given
    ``spec`` (the ``--spec``, or None to take them from the workbook's record).

    Whichever it is, the scheme bounds it (``scheme.within_scheme``), and every place where
    it says more than the scheme allows is an error. Without either, the workbook's own
    Parametre stand for the facts, within the scheme too, with a warning.
    """
    found = read_record(content.custom_properties)
    record = found if isinstance(found, Record) else None
    findings: list[Finding] = []
    if isinstance(found, RecordProblem):
        if found.code == "missing":
            source = "--spec" if spec is not None else PARAMETER_SHEET
            findings.append(Finding("record-missing", expected=source))
        else:
            findings.append(Finding(f"record-{found.code}", found=found.reason))
    if spec is not None and record is not None and not same_pilot(record.spec, spec):
        findings.insert(
            0, Finding("other-pilot", expected=spec.pilot.name, found=record.spec.pilot.name)
        )
        spec = None  # checked against its own record
    facts: Budget | None
    if spec is not None:
        findings += scheme_findings(spec, "spec-against-scheme")
        facts = within_scheme(spec)
    elif record is not None:
        findings += scheme_findings(record.spec, "record-against-scheme")
        facts = within_scheme(record.spec)
    else:
        facts = None
    rules = Rules.of(facts) if facts is not None else _within_scheme(workbook_rules(content))
    generation = shown_generation(found)
    if record is None and generation is not None:
        # The record cannot be read (reported above): expect the Forside's line as it stands.
        front = content.sheets.get(FRONT_SHEET)
        generation = parse_generation_text(
            front.values.get(a1(GENERATION_ROW, 0)) if front else None
        )
    return Provenance(rules, record, findings, generation, facts)


def _within_scheme(rules: Rules) -> Rules:
    """A workbook's own rules, bounded by the scheme as a record's are."""
    return Rules(
        min(rules.kdd_cap, MAX_KDD_CAP),
        rules.hourly_rate,
        categories_within_scheme(rules.categories),
    )


def same_pilot(a: Budget, b: Budget) -> bool:
    """True when two specs are for the same pilot: the same name and municipalities."""
    return comparable(a.pilot.name) == comparable(b.pilot.name) and {
        comparable(m) for m in a.pilot.municipalities
    } == {comparable(m) for m in b.pilot.municipalities}
