"""The library face: every command as a function with a typed result.

Each function is the one its command calls, so Python and the command line can never
disagree on a file. Workbooks are read through the one reading (:func:`read_edited`): the
facts of the workbook's generation record, or of ``spec`` when given, always bounded by the
scheme. Every error is a
:class:`~bygdevekst_xl.errors.BygdevekstError` whose ``lines_in("en")`` says what is wrong
and where.

The names are not those of the commands (``generate``, ``check`` ...) because those are the
package's own modules and subpackages: importing ``bygdevekst_xl.generate`` would replace a
function of that name on the package.

>>> import bygdevekst_xl as bx
>>> budget = bx.load_spec(bx.example_path())
>>> generated = bx.generate_workbook(budget, "hjerteregionen.xlsx")  # doctest: +SKIP
>>> bx.check_workbook("hjerteregionen.xlsx").ok  # doctest: +SKIP
True
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from .check.workbook import Report
    from .council import Pack
    from .diff import DiffReport
    from .edited import Edited
    from .extract import Extracted
    from .generate import Generated
    from .model import Budget
    from .regenerate import Regeneration


def _budget(spec: Budget | Path | str | None) -> Budget | None:
    """A spec given as a budget or as the path of a YAML spec."""
    from .model import Budget
    from .spec import load_spec

    if spec is None or isinstance(spec, Budget):
        return spec
    return load_spec(spec)


def generate_workbook(
    spec: Budget | Path | str, output: Path | str, *, force: bool = False, strict: bool = False
) -> Generated:
    """``generate``: write the workbook of ``spec`` (a Budget or a YAML path) to ``output``;
    the rules it breaks are in ``.broken`` (``strict`` refuses them, writing nothing). The
    bytes are read back and compared cell by cell first: ``check.written.NotAsMeant`` (nothing
    written) when one is not as meant."""
    from .generate import generate

    return generate(spec, output, force=force, strict=strict)


def read_edited(path: Path | str, spec: Budget | Path | str | None = None) -> Edited:
    """The one reading every command takes: the workbook's inputs, evaluation, facts,
    totals and content id (``.budget``, ``.computed``, ``.rules``, ``.totals``, ``.digest``)."""
    from .edited import read_edited as read

    return read(path, _budget(spec))


def check_workbook(path: Path | str, spec: Budget | Path | str | None = None) -> Report:
    """``check``: the findings (``.findings``, ``.errors``, ``.ok``), the totals recomputed
    in Python and as the file's formulas give them, and the content id."""
    from .check.workbook import check_edited

    return check_edited(read_edited(path, spec))


def recalculate(path: Path | str) -> dict[tuple[str, str], Any]:
    """Every formula cell's value, by (sheet, A1 address), as ``check`` computes it: a
    headless recalculation of any .xlsx (Excel's arithmetic; an unsupported function gives
    its cell an error value)."""
    from .evaluate import recalculate as recalculated

    return recalculated(path)


def extract_spec(path: Path | str, spec: Budget | Path | str | None = None) -> Extracted:
    """``extract``: the spec an edited workbook holds (``.budget``), and the inputs that were
    formulas (``.formulas``); refuses (``ExtractError``) what a spec cannot state."""
    from .extract import extract_edited

    return extract_edited(read_edited(path, spec))


def regenerate_workbook(
    path: Path | str,
    output: Path | str,
    spec: Budget | Path | str | None = None,
    *,
    orphans: Literal["refuse", "drop", "archive"] = "refuse",
    prefer: Literal["workbook", "spec"] | None = None,
    force: bool = False,
    strict: bool = False,
) -> Regeneration:
    """``regenerate``: a new workbook for ``spec`` (None: the workbook's own record), merged
    three ways, read back and compared before it is written."""
    from .regenerate import regenerate

    return regenerate(
        path, spec, output, orphans=orphans, prefer=prefer, force=force, strict=strict
    )


def diff_workbooks(
    old: Path | str, new: Path | str, spec: Budget | Path | str | None = None
) -> DiffReport:
    """``diff``: what changed between two versions, in budget terms (``.differs``)."""
    from .diff import diff_workbooks as diff

    return diff(old, new, _budget(spec))


def council_pack(
    path: Path | str,
    spec: Budget | Path | str | None = None,
    municipality: str | None = None,
    *,
    draft: bool = False,
) -> Pack:
    """``council``: each municipality's PDF and draft decision (``.documents``: name and
    bytes; nothing is written)."""
    from .council import council_pack as pack

    return pack(path, _budget(spec), municipality, draft=draft)


__all__ = [
    "check_workbook",
    "council_pack",
    "diff_workbooks",
    "extract_spec",
    "generate_workbook",
    "read_edited",
    "recalculate",
    "regenerate_workbook",
]
