"""Which pilot a workbook belongs to: its generation record, the spec given, and the scheme.

Without ``--spec`` the pilot's facts (municipalities, years, hourly rate, categories, projects)
come from the workbook's generation record; the scheme's rules (``scheme.py``) stay trusted
from code whatever the record says. With ``--spec``, a workbook whose record names another
pilot is one ``other-pilot`` finding, and the rest is checked against its own record, so no
cascade of false findings follows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..layout.cells import a1
from ..layout.front_sheet import GENERATION_ROW, parse_generation_text
from ..model import Budget
from ..record import Record, RecordProblem, read_record, shown_generation
from ..scheme import breaches, within_scheme
from ..spec import example_path, load_spec
from ..texts import FRONT_SHEET
from .findings import Finding


@dataclass
class Provenance:
    """The facts a check uses, where they came from, and what that says about the workbook."""

    facts: Budget
    """The pilot's facts to check against (a record's within the scheme's rules)."""
    record: Record | None
    findings: list[Finding] = field(default_factory=list)
    """Findings about the record and the pilot; reported first."""
    generation: tuple[str, str] | None = None
    """(generation id, spec date) the Forside of this workbook shows."""

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
    """The facts to check a workbook (its ``xlsx.WorkbookContent``) against, given ``spec``
    (the ``--spec``, or None to take them from the workbook's record)."""
    found = read_record(content.custom_properties)
    record = found if isinstance(found, Record) else None
    findings: list[Finding] = []
    if isinstance(found, RecordProblem):
        if found.code == "missing":
            source = "spesifikasjonen" if spec is not None else example_path().name
            findings.append(Finding("record-missing", expected=source))
        else:
            findings.append(Finding(f"record-{found.code}", found=found.reason))
    if spec is not None and record is not None and not same_pilot(record.spec, spec):
        findings.insert(
            0, Finding("other-pilot", expected=spec.pilot.name, found=record.spec.pilot.name)
        )
        spec = None  # checked against its own record
    if spec is not None:
        facts = spec  # the caller's own spec is taken as given
    elif record is not None:
        findings += _against_scheme(record.spec)
        facts = within_scheme(record.spec)
    else:
        facts = load_spec(example_path())
    generation = shown_generation(found)
    if record is None and generation is not None:
        # The record cannot be read (reported above): expect the Forside's line as it stands.
        front = content.sheets.get(FRONT_SHEET)
        generation = parse_generation_text(
            front.values.get(a1(GENERATION_ROW, 0)) if front else None
        )
    return Provenance(facts, record, findings, generation)


def _against_scheme(spec: Budget) -> list[Finding]:
    """An error for each place where the record states more than the scheme allows."""
    return [
        Finding(
            "record-against-scheme",
            expected=breach.allowed,
            found=breach.stated,
            params={"what": breach.what, "path": breach.path},
        )
        for breach in breaches(spec)
    ]


def same_pilot(a: Budget, b: Budget) -> bool:
    """True when two specs are for the same pilot: the same name and municipalities."""
    return a.pilot.name == b.pilot.name and set(a.pilot.municipalities) == set(
        b.pilot.municipalities
    )
