"""Compare two budgets in budget terms: rules, municipalities, projects, cost lines, hours, financing.

Projects are matched by id; cost lines by category and description, then by description
alone, then by category and amounts, then by position (its row in the table); a line that
only moved is no change, and blank rows are not lines. Numbers equal within half an øre
(hours within a millionth) are equal, and a blank cell equals 0, as in every sum of the
workbook.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any

from ..dataclass import dataclass
from ..model import Amount, Budget, CostLine, Formula, Project
from .changes import Change
from .versions import Key, Version, place

AMOUNT_TOLERANCE = 0.005
HOURS_TOLERANCE = 1e-6
SOURCES = (("kdd", "KDD"), ("statsforvalteren", "Statsforvalteren"))
FACTS = (
    ("name", "pilot-name"),
    ("application_deadline", "deadline"),
    ("council_meeting", "council-meeting"),
    ("project_leader", "project-leader"),
    ("reservation", "reservation"),
    ("lead_municipality", "lead-municipality"),
    ("organisation_number", "organisation-number"),
    ("contact_person", "contact-person"),
)
"""Each fact about the application (a field of ``model.Pilot``) and its change code."""
FACT_CODES = frozenset(code for _, code in FACTS)


def same(a: Any, b: Any, tolerance: float = AMOUNT_TOLERANCE) -> bool:
    """Equal as an input: numbers within ``tolerance``, blank equals 0, text exactly."""
    a, b = _blank_as_zero(a), _blank_as_zero(b)
    if _is_number(a) and _is_number(b):
        return abs(float(a) - float(b)) <= tolerance
    return a == b


def compare_budgets(old: Version, new: Version) -> list[Change]:
    """Every difference between the budgets of two versions, in budget terms."""
    pair = _Pair(old, new)
    changes = [*_facts(pair), *_rules(pair), *_municipalities(pair)]
    old_projects = {p.id: p for p in old.read.budget.projects}
    new_ids = {p.id for p in new.read.budget.projects}
    for project in new.read.budget.projects:
        before = old_projects.get(project.id)
        if before is None:
            changes.append(
                pair.change(
                    "project-added",
                    {"project": project.name},
                    ("project", project.id, "name"),
                    new=project.name,
                )
            )
        else:
            changes += _project(pair, before, project)
    for project in old.read.budget.projects:
        if project.id not in new_ids:
            changes.append(
                pair.change(
                    "project-removed",
                    {"project": project.name},
                    ("project", project.id, "name"),
                    old=project.name,
                )
            )
    return changes


@dataclass(frozen=True)
class _Pair:
    """The two versions, and how a change names its cell in each."""

    old: Version
    new: Version

    def change(
        self,
        code: str,
        params: dict[str, Any],
        old_key: Key | None,
        new_key: Key | str | None = "same",
        *,
        old: Any = None,
        new: Any = None,
    ) -> Change:
        """A change with its cell in each file (``new_key`` defaults to ``old_key``)."""
        if isinstance(new_key, str):
            new_key = old_key
        return Change(
            code,
            params,
            old,
            new,
            place(self.old, old_key) if old_key else None,
            place(self.new, new_key) if new_key else None,
        )

    def years(self) -> list[tuple[int, int | None, int | None]]:
        """Each project year of either version: (year, index in old, index in new)."""
        old_years, new_years = self.old.read.budget.pilot.years, self.new.read.budget.pilot.years
        years = sorted(set(old_years) | set(new_years))
        return [
            (
                year,
                old_years.index(year) if year in old_years else None,
                new_years.index(year) if year in new_years else None,
            )
            for year in years
        ]


def _facts(pair: _Pair) -> Iterator[Change]:
    """The application's facts on Parametre: pilot name, deadline, council meeting, project
    leader, reservation, lead municipality, organisation number and contact person."""
    a, b = pair.old.read.budget.pilot, pair.new.read.budget.pilot
    for field, code in FACTS:
        before, after = getattr(a, field), getattr(b, field)
        if before != after:
            yield pair.change(code, {}, ("fact", field), old=before or None, new=after or None)


def _rules(pair: _Pair) -> Iterator[Change]:
    a, b = pair.old.read.budget, pair.new.read.budget
    if a.pilot.kdd_cap != b.pilot.kdd_cap:
        yield pair.change("cap", {}, ("cap",), old=a.pilot.kdd_cap, new=b.pilot.kdd_cap)
    if a.pilot.hourly_rate != b.pilot.hourly_rate:
        yield pair.change("rate", {}, ("rate",), old=a.pilot.hourly_rate, new=b.pilot.hourly_rate)
    if a.pilot.years != b.pilot.years:
        yield pair.change("years", {}, ("years",), old=_years_text(a), new=_years_text(b))
    old_categories = {c.id: (i, c) for i, c in enumerate(a.categories)}
    new_ids = {c.id for c in b.categories}
    for j, category in enumerate(b.categories):
        found = old_categories.get(category.id)
        if found is None:
            yield pair.change(
                "category-added",
                {"category": category.name},
                None,
                ("category", j, "name"),
                new=category.kdd_eligible,
            )
            continue
        i, before = found
        if before.name != category.name:
            yield pair.change(
                "category-renamed",
                {"category": category.name},
                ("category", i, "name"),
                ("category", j, "name"),
                old=before.name,
                new=category.name,
            )
        if before.kdd_eligible != category.kdd_eligible:
            yield pair.change(
                "category-eligibility",
                {"category": category.name},
                ("category", i, "kdd"),
                ("category", j, "kdd"),
                old=before.kdd_eligible,
                new=category.kdd_eligible,
            )
    for i, category in enumerate(a.categories):
        if category.id not in new_ids:
            yield pair.change(
                "category-removed",
                {"category": category.name},
                ("category", i, "name"),
                None,
                old=category.kdd_eligible,
            )


def _years_text(budget: Budget) -> str:
    return ", ".join(str(y) for y in budget.pilot.years)


def _municipalities(pair: _Pair) -> Iterator[Change]:
    a = pair.old.read.budget.pilot.municipalities
    b = pair.new.read.budget.pilot.municipalities
    for j, name in enumerate(b):
        if name not in a:
            yield pair.change(
                "municipality-added", {"municipality": name}, None, ("municipality", j), new=name
            )
    for i, name in enumerate(a):
        if name not in b:
            yield pair.change(
                "municipality-removed", {"municipality": name}, ("municipality", i), None, old=name
            )


def _project(pair: _Pair, old: Project, new: Project) -> Iterator[Change]:
    if _unchanged(pair, old, new):
        return  # the usual case for most projects: nothing to compare value by value
    where = {"project": new.name}
    if old.name != new.name:
        yield pair.change(
            "project-renamed", where, ("project", new.id, "name"), old=old.name, new=new.name
        )
    if old.sheet != new.sheet:
        yield pair.change(
            "sheet-renamed", where, ("project", new.id, "sheet"), old=old.sheet, new=new.sheet
        )
    if old.working_group != new.working_group:
        yield pair.change(
            "working-group",
            where,
            ("project", new.id, "working_group"),
            old=old.working_group,
            new=new.working_group,
        )
    yield from _cost_lines(pair, old, new)
    years = pair.years()
    old_munis = pair.old.read.budget.pilot.municipalities
    new_munis = pair.new.read.budget.pilot.municipalities
    for m, municipality in enumerate(new_munis):
        if municipality not in old_munis:
            continue
        i = old_munis.index(municipality)
        yield from _per_year(
            pair,
            years,
            "hours",
            {**where, "municipality": municipality},
            old.hours_of(municipality),
            new.hours_of(municipality),
            ("hours", old.id, i),
            ("hours", new.id, m),
            HOURS_TOLERANCE,
        )
    for source, label in SOURCES:
        yield from _per_year(
            pair,
            years,
            "financing",
            {**where, "source": label},
            getattr(old, source),
            getattr(new, source),
            (source, old.id),
            (source, new.id),
        )


def _unchanged(pair: _Pair, old: Project, new: Project) -> bool:
    """The project holds the same in both versions, over the same years, so every comparison
    of :func:`_project` finds it the same (all its numbers finite: :func:`same` tells two
    infinities apart)."""
    if old != new or pair.old.read.budget.pilot.years != pair.new.read.budget.pilot.years:
        return False
    amounts = [a for line in new.costs for a in line.amounts]
    amounts += [h for _, hours in new.hours for h in hours]
    amounts += [*new.kdd, *new.statsforvalteren]
    return all(_finite(value_of(a)) for a in amounts)


def _finite(value: Any) -> bool:
    return not isinstance(value, float) or math.isfinite(value)


def _per_year(
    pair: _Pair,
    years: list[tuple[int, int | None, int | None]],
    code: str,
    where: dict[str, Any],
    old_values: tuple[Amount, ...],
    new_values: tuple[Amount, ...],
    old_key: Key,
    new_key: Key,
    tolerance: float = AMOUNT_TOLERANCE,
) -> Iterator[Change]:
    for year, i, j in years:
        a = value_of(_at(old_values, i))
        b = value_of(_at(new_values, j))
        if not same(a, b, tolerance):
            yield pair.change(
                code,
                {**where, "year": year},
                None if i is None else (*old_key, i),
                None if j is None else (*new_key, j),
                old=a,
                new=b,
            )


def _at(values: tuple[Amount, ...], index: int | None) -> Amount:
    return values[index] if index is not None and index < len(values) else None


@dataclass(frozen=True)
class _Line:
    row: int
    """The line's position: its row in the cost table (0 = the first input row)."""
    line: CostLine

    @property
    def text(self) -> str:
        return " ".join(self.line.description.split())


def _lines(project: Project) -> list[_Line]:
    lines = []
    for row, line in enumerate(project.costs):
        blank = not line.category and not line.description.strip()
        if blank and all(_blank_as_zero(a) in (0, "") for a in line.amounts):
            continue
        lines.append(_Line(row, line))
    return lines


def match_lines(old: list[_Line], new: list[_Line]) -> list[tuple[_Line | None, _Line | None]]:
    """Pairs of matched lines, then new lines alone (added), then old lines alone (removed)."""
    passes: list[Callable[[_Line], Any]] = [
        lambda x: (x.line.category, x.text),
        lambda x: x.text,
        lambda x: (x.line.category, tuple(_blank_as_zero(a) for a in x.line.amounts)),
        lambda x: x.row,
    ]
    pairs: dict[int, _Line] = {}  # new row -> old line
    taken: set[int] = set()
    for key in passes:
        waiting: dict[Any, list[_Line]] = {}
        for line in old:
            if line.row not in taken:
                waiting.setdefault(key(line), []).append(line)
        for line in new:
            if line.row in pairs:
                continue
            candidates = waiting.get(key(line))
            if candidates:
                match = candidates.pop(0)
                pairs[line.row] = match
                taken.add(match.row)
    out: list[tuple[_Line | None, _Line | None]] = [(pairs.get(n.row), n) for n in new]
    out += [(o, None) for o in old if o.row not in taken]
    return out


def _cost_lines(pair: _Pair, old: Project, new: Project) -> Iterator[Change]:
    a, b = pair.old.read.budget, pair.new.read.budget
    years = pair.years()
    for before, after in match_lines(_lines(old), _lines(new)):
        shown = after or before
        assert shown is not None
        budget = b if after else a
        where = {
            "project": new.name,
            "line": shown.line.description,
            "category": _category_name(budget, shown.line.category),
        }
        if before is None or after is None:
            project, line, version = (new, after, "new") if after else (old, before, "old")
            assert line is not None
            key = ("cost", project.id, line.row, "category")
            amounts = _amounts_by_year(years, line.line.amounts, version == "new")
            if after:
                yield pair.change("line-added", where, None, key, new=amounts)
            else:
                yield pair.change("line-removed", where, key, None, old=amounts)
            continue
        if before.line.category != after.line.category:
            yield pair.change(
                "line-category",
                where,
                ("cost", old.id, before.row, "category"),
                ("cost", new.id, after.row, "category"),
                old=_category_name(a, before.line.category),
                new=_category_name(b, after.line.category),
            )
        if before.text != after.text:
            yield pair.change(
                "line-description",
                where,
                ("cost", old.id, before.row, "description"),
                ("cost", new.id, after.row, "description"),
                old=before.line.description,
                new=after.line.description,
            )
        yield from _per_year(
            pair,
            years,
            "line-amount",
            where,
            before.line.amounts,
            after.line.amounts,
            ("cost", old.id, before.row),
            ("cost", new.id, after.row),
        )


def _amounts_by_year(
    years: list[tuple[int, int | None, int | None]], amounts: tuple[Amount, ...], new: bool
) -> dict[str, Amount]:
    return {
        str(year): value_of(_at(amounts, j if new else i))
        for year, i, j in years
        if (j if new else i) is not None
    }


def _category_name(budget: Budget, category: str) -> str:
    found = budget.category(category)
    return found.name if found else category


def value_of(amount: Any) -> Any:
    """What an input counts as: a formula's value, else the value typed."""
    return amount.value if isinstance(amount, Formula) else amount


def _blank_as_zero(value: Any) -> Any:
    value = value_of(value)
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0
    return value


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
