"""The approved budget: the one way ``accounts`` learns what was granted.

The workbook is read as every command reads it (``edited.read_edited``): its inputs under the
facts of its generation record, or of ``--spec`` when given, always bounded by the scheme; so
``accounts`` counts the same budget as ``check`` and the council pack. The budget must be one
a spec can state (``extract``'s rule): an input that is not, is refused naming its cell.
"""

from __future__ import annotations

from pathlib import Path

from ..model import Budget


def approved_budget(workbook_path: Path, spec: Path | None = None) -> Budget:
    """The approved budget of ``workbook_path`` (``spec``'s facts when given, else its
    record's; the scheme's rules imposed either way), as a spec states it."""
    from ..edited import read_edited
    from ..extract import extract_edited
    from ..spec import load_spec

    edited = read_edited(workbook_path, load_spec(spec) if spec is not None else None)
    return extract_edited(edited).budget
