"""What a diff reports: changes in budget terms, their effect, and the rules' verdicts."""

from __future__ import annotations

from typing import Any

from ..dataclass import dataclass, field

Cell = tuple[str, str]
"""A sheet name and an A1 address."""


@dataclass(frozen=True)
class Change:
    """One difference between the two versions, stated in budget terms.

    ``code`` is stable (see ``texts.CHANGES``); ``params`` names the place in budget terms
    (project, line, municipality, year, source, category); ``old``/``new`` are the values
    (None where there is none); ``old_cell``/``new_cell`` the cell in each file.
    """

    code: str
    params: dict[str, Any]
    old: Any = None
    new: Any = None
    old_cell: Cell | None = None
    new_cell: Cell | None = None


@dataclass(frozen=True)
class Effect:
    """A figure that matters, in both versions: ``code`` with ``params`` (municipality, ...)."""

    code: str
    params: dict[str, Any]
    old: float
    new: float

    @property
    def changed(self) -> bool:
        """Different by at least half an øre (or a millionth of an hour)."""
        return abs(self.new - self.old) > (1e-6 if self.code == "own-hours" else 0.005)


@dataclass(frozen=True)
class Verdict:
    """One rule of the combined sheet in both versions: True when it holds."""

    rule: str
    old: bool
    new: bool


@dataclass
class DiffReport:
    """Everything that differs between OLD and NEW, and what it does to the budget."""

    old_file: str
    new_file: str
    changes: list[Change] = field(default_factory=list)
    formulas: list[Change] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    verdicts: list[Verdict] = field(default_factory=list)
    cap: dict[str, float] = field(default_factory=dict)
    """KDD total and cap of each version: ``old_kdd``, ``old_cap``, ``new_kdd``, ``new_cap``."""
    provenance: Any = None
    """``diff.provenance.Provenance``: the generation of each version, the spec's changes."""

    @property
    def differs(self) -> bool:
        """True when the budget differs (a value, a rule or a formula)."""
        return bool(self.changes or self.formulas)
