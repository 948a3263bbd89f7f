"""The approved budget: the one way ``accounts`` learns what was granted.

Today the workbook's generation record (or ``--spec``), always bounded by the scheme. This is
the one function to re-wire when the workbook is read through the shared reading (the
approved budget is the record's, the spec's when given).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import BygdevekstError
from ..model import Budget
from ..record import Record, read_record
from ..scheme import within_scheme


class NoApprovedBudget(BygdevekstError, ValueError):
    """The workbook states no approved budget and no ``--spec`` was given."""


def approved_budget(workbook_path: Path, spec: Path | None = None) -> Budget:
    """The approved budget of ``workbook_path``: ``spec``'s when given, else its record's;
    the scheme's rules imposed either way."""
    from ..spec import load_spec
    from ..xlsx import read_workbook

    content = read_workbook(workbook_path)  # a workbook that cannot be read is refused here
    if spec is not None:
        return within_scheme(load_spec(spec))
    found = read_record(content.custom_properties)
    if not isinstance(found, Record):
        raise NoApprovedBudget(
            f"{workbook_path}: no approved budget: {found.reason}; give the spec with --spec"
        )
    return within_scheme(found.spec)
