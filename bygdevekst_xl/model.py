"""The budget as plain frozen data: what a spec says and what a workbook holds. No I/O."""

from __future__ import annotations

from typing import Any

from .dataclass import dataclass, field
from .schema import spec_limits


@dataclass(frozen=True)
class Formula:
    """An input cell that holds a formula: its text, the value it gives, where it was read.

    A formula without references (``=12*35000``) is an ordinary input; one that refers to
    other cells (a KDD plug ``=C15-C29``) depends on them. Every rule sees ``value``.
    """

    text: str
    value: Any
    cell: str = ""
    """``Sheet!C8`` in the workbook it was read from."""
    references: tuple[str, ...] = ()
    """The cells it refers to, as written (``C15``, ``'1 Prosjekt'!C8``)."""


Amount = int | float | str | Formula | None
"""A typed amount. Specs give whole kroner; a workbook may hold anything a person typed."""

_LIMITS = spec_limits()  # one place: the spec schema (schemas/budget-spec.schema.json)
MAX_KRONER: int = _LIMITS["kroner"]
"""The largest amount a spec or a workbook input may hold (the schema's ``kroner`` maximum)."""
MAX_HOURS: int = _LIMITS["hours"]
"""The most hours one municipality may give in a year (the schema's ``hours`` maximum)."""
MAX_MUNICIPALITIES: int = _LIMITS["municipalities"]
MAX_CATEGORIES: int = _LIMITS["categories"]
MAX_PROJECTS: int = _LIMITS["projects"]
MAX_COST_LINES: int = _LIMITS["cost_lines"]
"""The most municipalities, categories, projects and cost lines of a project a budget may
have (the schema's ``maxItems``); a workbook that holds more is refused."""


@dataclass(frozen=True)
class Pilot:
    """The applicant and the fixed facts of the application."""

    name: str
    municipalities: tuple[str, ...]
    years: tuple[int, ...]
    kdd_cap: int
    hourly_rate: int
    application_deadline: str
    council_meeting: str
    project_leader: str
    reservation: str = ""
    lead_municipality: str = ""
    """The municipality that applies on behalf of the others (optional)."""
    organisation_number: str = ""
    """The applicant's organisation number, nine digits (optional)."""
    contact_person: str = ""
    """Who KDD contacts about the application: name, e-mail, telephone (optional)."""
    spec_date: str = ""
    """The date of this version of the spec (ISO), shown on the Forside; "" when not given."""


@dataclass(frozen=True)
class Category:
    """A cost category and whether KDD money may pay for it."""

    id: str
    name: str
    kdd_eligible: bool
    note: str = ""


@dataclass(frozen=True)
class CostLine:
    """One cost line: a category id, what it is, and one amount per project year."""

    category: str
    description: str
    amounts: tuple[Amount, ...]
    category_formula: Formula | None = None
    """The formula a person typed into the category cell (``=Parametre!$A$21``), if any; its
    value gave ``category``."""

    @property
    def is_blank(self) -> bool:
        """A cost row nobody typed into (blank rows do not change the budget)."""
        return (
            not self.category
            and not self.description
            and all(a is None or a == "" for a in self.amounts)
        )


@dataclass(frozen=True)
class Project:
    """One project with its own budget sheet."""

    id: str
    name: str
    sheet: str
    description: tuple[str, ...]
    working_group: bool
    costs: tuple[CostLine, ...]
    hours: tuple[tuple[str, tuple[Amount, ...]], ...]
    """Hours per municipality per year, in municipality order; the municipalities' in-kind share."""
    kdd: tuple[Amount, ...]
    statsforvalteren: tuple[Amount, ...]

    def hours_of(self, municipality: str) -> tuple[Amount, ...]:
        """The hours a municipality sets aside, per year (empty when it has none)."""
        return dict(self.hours).get(municipality, ())


@dataclass(frozen=True)
class Payment:
    """A payment received from a funder (a repayment is negative)."""

    date: str
    amount: int


DEFAULT_DEVIATION_PERCENT = 20.0
DEFAULT_DEVIATION_KRONER = 50_000


@dataclass(frozen=True)
class FunderGrant:
    """What one funder granted (the tilsagn) and on which terms; every term a setting."""

    funder: str
    """``kdd`` or ``statsforvalteren``."""
    tilsagn: int
    tilsagn_date: str
    period_start: str
    period_end: str
    payments: tuple[Payment, ...] = ()
    hold_back_percent: float = 0.0
    share_percent: float | None = None
    """The share of actual eligible costs it pays; None: its approved share."""
    deviation_percent: float = DEFAULT_DEVIATION_PERCENT
    deviation_kroner: int = DEFAULT_DEVIATION_KRONER
    report_due: str = ""


@dataclass(frozen=True)
class Budget:
    """A whole application: the pilot, the categories and the projects."""

    pilot: Pilot
    categories: tuple[Category, ...]
    projects: tuple[Project, ...] = field(default_factory=tuple)
    grant: tuple[FunderGrant, ...] = ()
    """The grant as given, per funder (the spec's optional ``grant:`` block); empty before."""

    def category(self, category_id: str) -> Category | None:
        """The category with this id, or None when it is not defined."""
        return next((c for c in self.categories if c.id == category_id), None)

    def funder_grant(self, funder: str) -> FunderGrant | None:
        """The grant of ``funder`` (``kdd``, ``statsforvalteren``), or None."""
        return next((g for g in self.grant if g.funder == funder), None)
