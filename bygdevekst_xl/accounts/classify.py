"""Which lines count: every ledger line read lands in exactly one place.

A ledger holds the whole municipality. A line whose project code the map names is the pilot's;
every other line is *outside* the pilot (kept only as a count and a sum per file). On the
pilot's lines, in this order: the same (source, voucher, line) a second time is *refused*; a
date outside the grant period is *refused*; KOSTRA arts 429/729 (VAT compensation) are
*ignored* unless the map counts VAT; then the map places the account as a *cost* (a
category), *income* (a funder) or *ignored*; an account the map does not place is *refused*.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Literal

from ..dataclass import dataclass, field
from .ledger import Posting
from .mapping import VAT_ARTS, AccountsMap

Place = Literal["cost", "income", "ignored", "refused"]
PLACES: tuple[str, ...] = ("cost", "income", "ignored", "outside", "refused")


@dataclass(frozen=True, slots=True)
class Booked:
    """A pilot line and where it landed."""

    posting: Posting
    place: Place
    project: str
    """The spec's project id."""
    target: str = ""
    """cost: the category id; income: the funder ("" when the map does not say); ignored and
    refused: the reason (``vat``, ``map``, ``duplicate``, ``period``, ``unplaced``)."""
    rule: str = ""
    """The map path that placed it (``categories.11*``)."""


@dataclass
class Outside:
    """The lines of one file outside the pilot: how many and their sum."""

    count: int = 0
    ore: int = 0


@dataclass
class Classified:
    """Every line read, each in exactly one place."""

    period: tuple[dt.date, dt.date]
    booked: list[Booked] = field(default_factory=list)
    outside: dict[str, Outside] = field(default_factory=dict)
    read: dict[str, int] = field(default_factory=dict)
    """Lines read per file."""

    def counts(self) -> dict[str, int]:
        """Lines per place, and ``read``: the five places add up to it."""
        counts = dict.fromkeys(PLACES, 0)
        for item in self.booked:
            counts[item.place] += 1
        counts["outside"] = sum(o.count for o in self.outside.values())
        counts["read"] = sum(self.read.values())
        return counts

    def of(self, place: Place) -> list[Booked]:
        return [b for b in self.booked if b.place == place]


class Classifier:
    """Classifies postings one at a time (so a ledger is never held whole)."""

    def __init__(self, mapping: AccountsMap, period: tuple[dt.date, dt.date]) -> None:
        self.map = mapping
        self.result = Classified(period)
        self.seen: set[tuple[str, str, str]] = set()

    def add_all(self, postings: Iterable[Posting]) -> None:
        projects, booked, outside, read = (
            self.map.projects,
            self.result.booked,
            self.result.outside,
            self.result.read,
        )
        source, count = "", 0
        for posting in postings:
            if posting.source != source:
                if source:
                    read[source] = read.get(source, 0) + count
                source, count = posting.source, 0
                outside.setdefault(source, Outside())
            count += 1
            project = projects.get(posting.project)
            if project is None:
                lines = outside[source]
                lines.count += 1
                lines.ore += posting.ore
                continue
            booked.append(self.place(posting, project))
        if source:
            read[source] = read.get(source, 0) + count

    def place(self, posting: Posting, project: str) -> Booked:
        key = posting.key
        if key in self.seen:
            return Booked(posting, "refused", project, "duplicate")
        self.seen.add(key)
        first, last = self.result.period
        if not first <= posting.date <= last:
            return Booked(posting, "refused", project, "period")
        if not self.map.count_vat and posting.art in VAT_ARTS:
            return Booked(posting, "ignored", project, "vat")
        rule = self.map.place(posting.account, posting.art)
        if rule is None:
            return Booked(posting, "refused", project, "unplaced")
        if rule.place == "cost":
            return Booked(posting, "cost", project, rule.target, rule.where)
        if rule.place == "income":
            return Booked(posting, "income", project, rule.target, rule.where)
        return Booked(posting, "ignored", project, "map", rule.where)
