"""The scheme's own rules, trusted from code: what no spec, record or workbook may change.

The KDD call for a bygdevekstavtale caps KDD's money at 4 000 000 kr for the two years and
excludes some uses from KDD financing whatever the pilot says. A pilot's facts (municipalities,
years, hourly rate, categories, projects) come from its spec or the workbook's generation
record; these rules do not.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator

from .dataclass import dataclass, replace
from .model import Budget, Category

MAX_KDD_CAP = 4_000_000
"""KDD's most for the whole period of one bygdevekstavtale."""


def is_invisible(char: str) -> bool:
    """True for a character that shows as nothing: a format character (soft hyphen,
    zero-width space and joiners, word joiner, byte order mark ...) or a variation selector."""
    code = ord(char)
    return (
        unicodedata.category(char) == "Cf"
        or 0xFE00 <= code <= 0xFE0F
        or 0xE0100 <= code <= 0xE01EF
        or code in (0x034F, 0x115F, 0x1160, 0x3164, 0xFFA0)
    )


def comparable(name: str) -> str:
    """A name as people read it, for comparing: NFKC-normalised, invisible characters
    removed, case folded (``Drifts\u00adkostnader`` is ``driftskostnader``)."""
    folded = unicodedata.normalize("NFKC", name)
    if not folded.isascii():
        folded = "".join(c for c in folded if not is_invisible(c))
    return folded.casefold()


@dataclass(frozen=True)
class ExcludedUse:
    """A use the KDD call excludes, and how a category is recognised as it (id or name)."""

    what: str
    ids: tuple[str, ...]
    name_parts: tuple[tuple[str, ...], ...]
    """A category name holding every word-part of one of these tuples (case-folded) is it."""

    def matches(self, category: Category) -> bool:
        """True when ``category`` is this excluded use, by its id or its name (both compared
        as :func:`comparable`, so a soft hyphen or a zero-width joiner hides nothing)."""
        if comparable(category.id) in self.ids:
            return True
        name = comparable(category.name)
        return any(all(part in name for part in parts) for parts in self.name_parts)


EXCLUDED_USES: tuple[ExcludedUse, ...] = (
    ExcludedUse(
        "ordinære driftskostnader",
        ("drift", "driftskostnader"),
        (("driftskostnad",), ("ordinær", "drift")),
    ),
    ExcludedUse(
        "frikjøp av politiske ressurser",
        ("politisk_frikjop", "frikjop"),
        (("frikjøp", "politisk"), ("frikjøp", "politiker")),
    ),
    ExcludedUse(
        "bedriftsutvikling",
        ("naeringsutvikling", "bedriftsutvikling"),
        (("bedriftsutvikling",),),
    ),
    ExcludedUse(
        "direkte støtte til bedrifter",
        ("bedriftsstotte", "bedriftsstøtte"),
        (("støtte", "bedrift"), ("bedriftsstøtte",)),
    ),
)


@dataclass(frozen=True)
class Breach:
    """One place where a pilot's facts go against the scheme's rules."""

    path: str
    """Where, as a spec path: ``pilot.kdd_cap`` or ``categories[6].kdd_eligible``."""
    stated: object
    allowed: object
    what: str


def breaches(budget: Budget) -> Iterator[Breach]:
    """Every place where ``budget`` states more than the scheme allows."""
    if budget.pilot.kdd_cap > MAX_KDD_CAP:
        yield Breach("pilot.kdd_cap", budget.pilot.kdd_cap, MAX_KDD_CAP, "KDD-taket")
    for i, category in enumerate(budget.categories):
        use = excluded_use(category)
        if use is not None and category.kdd_eligible:
            yield Breach(
                f"categories[{i}].kdd_eligible",
                True,
                False,
                f"{category.name} ({use.what}) kan ikke finansieres av KDD",
            )


def excluded_use(category: Category) -> ExcludedUse | None:
    """The excluded use ``category`` is, or None."""
    return next((use for use in EXCLUDED_USES if use.matches(category)), None)


def within_scheme(budget: Budget) -> Budget:
    """``budget`` with the scheme's rules imposed: the cap at most ``MAX_KDD_CAP`` and no
    excluded use KDD-eligible."""
    pilot = budget.pilot
    if pilot.kdd_cap > MAX_KDD_CAP:
        pilot = replace(pilot, kdd_cap=MAX_KDD_CAP)
    return replace(budget, pilot=pilot, categories=categories_within_scheme(budget.categories))


def categories_within_scheme(categories: Iterable[Category]) -> tuple[Category, ...]:
    """``categories`` with no excluded use KDD-eligible."""
    return tuple(
        replace(c, kdd_eligible=False) if c.kdd_eligible and excluded_use(c) else c
        for c in categories
    )
