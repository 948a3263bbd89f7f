"""Which spec each version was generated from, and which changes came from the spec.

When both workbooks carry a generation record (the spec each was generated from), a diff can
say whether they come from the same spec, and tell the changes made in the spec (regenerated)
from the edits made in the workbook: the spec changes are the differences between the two
records' specs, compared the same way as the workbooks.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from ..dataclass import dataclass, field
from ..record import Record
from .changes import Change
from .versions import Version


@dataclass(frozen=True)
class Provenance:
    """The generation of each version and the changes between their specs."""

    old_id: str | None
    new_id: str | None
    spec_changes: list[Change] = field(default_factory=list)

    @property
    def known(self) -> bool:
        """Both versions carry a readable record."""
        return self.old_id is not None and self.new_id is not None

    @property
    def same_spec(self) -> bool | None:
        """Both come from the same spec (None when a record is missing)."""
        return self.old_id == self.new_id if self.known else None

    def origin(self, change: Change) -> str | None:
        """ "spec" when the change is one between the two specs, "workbook" otherwise."""
        if not self.known:
            return None
        key = _key(change)
        return "spec" if any(_key(c) == key for c in self.spec_changes) else "workbook"


def provenance(old: Version, new: Version) -> Provenance:
    """The records of both versions, and when they differ, the changes between their specs."""
    old_record, new_record = old.edited.origin.record, new.edited.origin.record
    if old_record is None or new_record is None:
        return Provenance(
            old_record.generation_id if old_record else None,
            new_record.generation_id if new_record else None,
        )
    ids = old_record.generation_id, new_record.generation_id
    if ids[0] == ids[1]:
        return Provenance(*ids)
    return Provenance(*ids, _spec_changes((old, old_record), (new, new_record)))


def _spec_changes(*versions: tuple[Version, Record]) -> list[Change]:
    """The changes between two records' specs, read as freshly generated workbooks.

    A version that is its record's workbook as generated, byte for byte, and was read under
    its record's facts, is what that reading would give: it serves as it is, unread again.
    """
    from ..generate import workbook_bytes
    from .compare import compare_budgets
    from .versions import read_version

    with tempfile.TemporaryDirectory(prefix="bygdevekst-diff-") as folder:
        generated: list[Version | Path] = []
        for name, (version, record) in zip(("old", "new"), versions, strict=True):
            data = workbook_bytes(record.spec)
            if _as_generated(version, data):
                generated.append(version)
                continue
            path = Path(folder) / f"{name}.xlsx"
            path.write_bytes(data)
            generated.append(path)
        old, new = (v if isinstance(v, Version) else read_version(v) for v in generated)
        return compare_budgets(old, new)


def _as_generated(version: Version, data: bytes) -> bool:
    """The file of ``version`` holds ``data`` and was read under the facts its record gives:
    reading ``data`` afresh would give the same budget (``edited.read_edited`` reads the
    inputs from the content under the facts' rules and grant, and nothing else)."""
    from ..edited.facts import provenance as facts_of

    try:
        if version.path.read_bytes() != data:
            return False
    except OSError:
        return False
    under_record, read_under = facts_of(version.content, None), version.edited.origin
    return under_record.rules == read_under.rules and _grant(under_record) == _grant(read_under)


def _grant(origin: Any) -> Any:
    """The grant the reading puts into the budget (``edited.read_edited``)."""
    facts = origin.facts
    return facts.grant if facts is not None and facts.grant else None


def _key(change: Change) -> tuple[Any, ...]:
    return (change.code, repr(sorted(change.params.items())), repr(change.old), repr(change.new))
