"""The one reading of a workbook: read once, evaluate once, read the inputs and the record,
locate the layout and resolve the facts, bounded by the scheme.

Every command that takes a workbook (check, extract, regenerate, diff, council, accounts)
gets it from :func:`read_edited` and nothing else, so no two commands can see the same file
differently: the same totals, the same content id, the same verdict.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..compute import BudgetTotals, ProjectTotals
from ..dataclass import dataclass, replace
from ..layout import WorkbookLayout, build_layout
from ..model import Budget
from .digest import content_digest
from .facts import Provenance, provenance
from .inputs import ReadBudget, Rules, read_budget
from .locate import Located, locate
from .screen import Screened, dates_from_1900, screen_texts

if TYPE_CHECKING:
    from ..evaluate import Evaluation
    from ..xlsx import WorkbookContent


@dataclass(frozen=True)
class Edited:
    """A workbook as people left it, read once: what every command works from."""

    path: Path
    content: WorkbookContent
    evaluation: Evaluation
    origin: Provenance
    """The facts (record or spec, within the scheme), the record and what they say."""
    read: ReadBudget
    """The inputs, row for row, read under the facts' rules."""
    located: Located
    """The layout the inputs give, moved to where the workbook has it."""
    screened: tuple[Screened, ...]
    """Texts holding characters no file can carry (read with U+FFFD in their place)."""

    @property
    def rules(self) -> Rules:
        """The cap, hourly rate and categories the workbook is read and checked under."""
        return self.origin.rules

    @property
    def budget(self) -> Budget:
        """The budget the workbook holds (blank cost rows included)."""
        return self.read.budget

    @property
    def layout(self) -> WorkbookLayout:
        """What the workbook should be, given its own inputs, where it has it."""
        return self.located.layout

    @property
    def totals(self) -> BudgetTotals:
        """Every total, recomputed in Python from the inputs."""
        return self.located.layout.totals

    @cached_property
    def project_totals(self) -> dict[str, ProjectTotals]:
        """Each project's totals, recomputed in Python."""
        return {pid: totals for pid, (_, totals) in self.layout.projects.items()}

    @cached_property
    def digest(self) -> str:
        """The content id: a short digest of the inputs (``digest.content_digest``)."""
        return content_digest(self.read.budget)

    @property
    def computed(self) -> Mapping[tuple[str, str], Any]:
        """Every formula cell's value, by (sheet, A1 address), evaluated headlessly."""
        return self.evaluation.values


def read_edited(path: Path | str, spec: Budget | None = None) -> Edited:
    """Read the workbook at ``path`` once, for every command.

    ``spec`` is the ``--spec`` whose facts apply (None: the workbook's generation record);
    either way the scheme's rules bound them. Raises ``xlsx.ReadError`` or
    ``inputs.NotOurWorkbook`` (one line naming the file) when it is not one of our workbooks.
    """
    from ..evaluate import evaluate_workbook
    from ..xlsx import read_workbook

    content = read_workbook(path)
    screened = screen_texts(content)
    dates_from_1900(content)
    origin = provenance(content, spec)
    evaluation = evaluate_workbook(content)  # each cell when first read; all when asked for
    computed = evaluation.on_demand
    read = read_budget(content, origin.rules, lambda sheet, at: computed.get((sheet, at)))
    if origin.facts is not None and origin.facts.grant:  # the grant's terms are on no sheet
        read = replace(read, budget=replace(read.budget, grant=origin.facts.grant))
    expected = build_layout(read.budget, read.capacities, origin.generation)
    located = locate(expected, read, content, computed)
    return Edited(Path(path), content, evaluation, origin, read, located, screened)


def read_written(data: bytes, name: str) -> Any:
    """The cells, names and parts of the workbook a command is about to write (``data``), as
    the reader reads them from a private temporary copy (``generate`` compares them with its
    layout; no evaluation: every formula is its own)."""
    import tempfile

    from ..xlsx import read_workbook

    with tempfile.TemporaryDirectory(prefix="bygdevekst-") as folder:
        path = _private_copy(folder, name, data)
        return read_workbook(path)


def read_back(data: bytes, name: str, spec: Budget | None = None) -> Edited:
    """The workbook a command is about to write (``data``), read the way every command reads
    it, from a private temporary copy: what the command compares with what it meant."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="bygdevekst-") as folder:
        return read_edited(_private_copy(folder, name, data), spec)


def _private_copy(folder: str, name: str, data: bytes) -> Path:
    """``data`` written into ``folder`` under the output's file name (which messages show),
    or a short one when that name is too long to be a file's inside the folder."""
    short = Path(name).name
    if not short or len(short.encode("utf-8", "surrogateescape")) > MAX_COPY_NAME_BYTES:
        short = "arbeidsbok.xlsx"
    path = Path(folder) / short
    path.write_bytes(data)
    return path


MAX_COPY_NAME_BYTES = 200
"""A file name's bytes a private copy keeps (most file systems allow 255)."""
