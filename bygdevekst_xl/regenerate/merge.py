"""Three-way merge of a budget: base = the generation record, ours = the workbook's inputs,
theirs = the new spec.

Every input (a cost line's category, description and amount per year; hours per municipality
and year; KDD and Statsforvalteren per year) is merged on its own: changed only in the spec,
the spec's value; changed only in the workbook, the workbook's; changed in both to the same
value, that value; changed in both to different values, a :class:`Conflict`, unless ``prefer``
says which side wins. Values are opaque: compared with ``==`` (a formula is its text).

Cost lines are matched to the base by (category, description), then by position. A line added
on either side appears; a line removed on one side goes when the other side left it as it was,
and is a conflict when the other side changed it. Projects are matched by id, municipalities by
name and years by value; what has no place in the new spec and was changed in the workbook is
left out (:class:`LeftOut`), as ``regenerate`` has always done. Without a base (a workbook made
before records) the workbook's values win wherever the spec keeps their place.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any, Literal

from ..dataclass import dataclass, field, replace
from ..edited.inputs import ReadBudget
from ..layout.places import parameter_fact_cell
from ..layout.rows import PILOT_FACT_ROWS, ParameterRows
from ..messages import MINUS, NBSP, say
from ..model import Amount, Budget, CostLine, Pilot, Project
from ..texts import PARAMETER_SHEET

Prefer = Literal["workbook", "spec"] | None
REMOVED = "(fjernet)"
"""How a removed line is shown as one side of a conflict or change."""
PILOT_FACTS = {
    "name": "søker",
    "application_deadline": "søknadsfrist",
    "council_meeting": "kommunestyremøte",
    "project_leader": "prosjektleder",
    "reservation": "forbehold",
    "lead_municipality": "søkerkommune",
    "organisation_number": "organisasjonsnummer",
    "contact_person": "kontaktperson",
}
"""The application facts on Parametre that are merged like inputs, with their names."""
NO_LINE = "(ingen linje)"
"""How the workbook's side of a line the spec adds is shown."""


@dataclass(frozen=True)
class Change:
    """One change the merge made to the workbook's inputs, in budget terms."""

    project: str
    line: str
    year: int | None
    old: Any
    new: Any

    def text(self, lang: str = "nb") -> str:
        """``Prosjekt · Linje · 2024: 50 000 → 55 000``."""
        where = " · ".join([self.project, self.line, *([str(self.year)] if self.year else [])])
        return f"{where}: {shown(self.old, lang)} → {shown(self.new, lang)}"


@dataclass(frozen=True)
class Conflict:
    """An input changed in both the workbook and the spec, to different values."""

    sheet: str
    cell: str
    project: str
    line: str
    year: int | None
    base: Any
    workbook: Any
    spec: Any

    def text(self, lang: str = "nb") -> str:
        """One line naming the cell and the three values."""
        year = f" · {self.year}" if self.year else ""
        return say(
            "conflict-values",
            lang,
            place=f"{self.sheet}!{self.cell}",
            where=f"{self.project} · {self.line}{year}",
            base=shown(self.base, lang),
            workbook=shown(self.workbook, lang),
            spec=shown(self.spec, lang),
        )


@dataclass(frozen=True)
class LeftOut:
    """A typed value that has no place in the new spec."""

    sheet: str
    cell: str
    project: str
    what: str
    value: Any


@dataclass
class Merged:
    """The merged budget and what the merge did."""

    budget: Budget
    changes: list[Change] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    resolved: list[Conflict] = field(default_factory=list)
    """Conflicts that ``prefer`` decided."""
    left_out: list[LeftOut] = field(default_factory=list)
    edited: int = 0
    """Input cells the workbook changed since the base."""


def shown(value: Any, lang: str = "nb") -> str:
    """A value as a report shows it: ``55 000``, ``tom`` for a blank, text in quotes."""
    if value is None or value == "":
        return say("blank", lang)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}".replace(",", NBSP).replace("-", MINUS)
    if isinstance(value, float):
        text = f"{value:,.2f}".replace(",", NBSP).rstrip("0").rstrip(".")
        return text.replace("-", MINUS)
    if isinstance(value, tuple):
        return "(" + ", ".join(shown(v, lang) for v in value) + ")"
    if value == REMOVED:
        return say("removed", lang)
    return say("no-line", lang) if value == NO_LINE else repr(value)


def input_cell(ours: ReadBudget, project_id: str, what: str, index: int, year: int) -> str:
    """The address of an input cell in the workbook read as ``ours``: ``what`` is "category",
    "description", "amount" (``index`` = cost row), "hours" (``index`` = municipality),
    "kdd", "statsforvalteren" or "pilot.<field>"; ``year`` is the year's index. The one place
    the merge turns budget terms into a cell address, through the reader's map of the
    workbook ("" when the workbook has no place for it)."""
    if what.startswith("pilot."):
        row = getattr(ParameterRows, PILOT_FACT_ROWS[what.removeprefix("pilot.")])
        return parameter_fact_cell(row, ours.parameter_shift, ours.parameter_cols)
    place = ours.places.get(project_id)
    if place is None:
        return ""
    if what == "hours":
        return place.cell("hours", ours.budget.pilot.municipalities[index], year)
    return place.cell("cost" if what == "amount" else what, index, year)


def merge(base: Budget | None, ours: ReadBudget, theirs: Budget, prefer: Prefer = None) -> Merged:
    """Merge the workbook's inputs (``ours``) with the new spec (``theirs``) over ``base``.

    The result has the new spec's structure (pilot, categories, projects and their names) and
    the merged inputs. Nothing is written; the caller refuses on ``conflicts``.
    """
    return _Merger(base, ours, theirs, prefer).run()


def edited_inputs(base: Budget, ours: ReadBudget) -> int:
    """How many input cells of the workbook differ from the spec it was generated from."""
    return _Merger(base, ours, base, None).run().edited


class _Merger:
    def __init__(self, base: Budget | None, ours: ReadBudget, theirs: Budget, prefer: Prefer):
        self.base, self.ours, self.theirs, self.prefer = base, ours, theirs, prefer
        self.out = Merged(theirs)
        self.years = theirs.pilot.years

    def run(self) -> Merged:
        ours = {p.id: p for p in self.ours.budget.projects}
        base = {p.id: p for p in self.base.projects} if self.base else {}
        projects = []
        for t in self.theirs.projects:
            o = ours.get(t.id)
            if o is None:
                projects.append(t)
                continue
            # Without a record of this project, the spec stands for the base: the workbook wins.
            b = base.get(t.id)
            if self.theirs is self.base and b is not None and _same_inputs(o, b):
                projects.append(t)  # only counting edits (edited_inputs), and there are none
                continue
            projects.append(_Project(self, b or t, o, t, recorded=b is not None).merge())
        theirs_ids = {p.id for p in self.theirs.projects}
        for o in self.ours.budget.projects:
            if o.id not in theirs_ids:
                self._project_removed(base.get(o.id), o)
        self.out.budget = replace(self.theirs, pilot=self._pilot(), projects=tuple(projects))
        return self.out

    def pick(
        self,
        b: Any,
        o: Any,
        t: Any,
        where: tuple[str, str, str, int | None],
        cell: Callable[[], str],
    ) -> Any:
        """The merged value of one input; ``where`` is (sheet, project, line, year)."""
        sheet, project, line, year = where
        if o != b:
            self.out.edited += 1
        if o == t:
            return o
        if o == b:
            self.out.changes.append(Change(project, line, year, o, t))
            return t
        if t == b:
            return o
        conflict = Conflict(sheet, cell(), project, line, year, b, o, t)
        if self.prefer is None:
            self.out.conflicts.append(conflict)
            return o
        self.out.resolved.append(conflict)
        if self.prefer == "spec":
            self.out.changes.append(Change(project, line, year, o, t))
            return t
        return o

    def _pilot_cell(self, name: str) -> Callable[[], str]:
        return lambda: input_cell(self.ours, "", "pilot." + name, 0, 0)

    def _pilot(self) -> Pilot:
        """The application facts typed on Parametre (name, dates, leader, reservation)."""
        o, t = self.ours.budget.pilot, self.theirs.pilot
        b = self.base.pilot if self.base else o  # without a record the spec's facts stand
        merged = {
            name: self.pick(
                getattr(b, name),
                getattr(o, name),
                getattr(t, name),
                (PARAMETER_SHEET, PARAMETER_SHEET, label, None),
                self._pilot_cell(name),
            )
            for name, label in PILOT_FACTS.items()
        }
        return replace(t, **merged)

    def _project_removed(self, b: Project | None, o: Project) -> None:
        """A project the new spec no longer has: it goes when untouched; else its values are
        left out."""
        view = _Project(self, b or _empty(o), o, _empty(o))
        if b is not None and view.untouched():
            return  # reported with the structure: the project was removed
        why = f"project {o.id!r} was removed"
        for i, line in enumerate(o.costs):
            for y, value in enumerate(line.amounts):
                if not _blank(value):
                    cell = input_cell(self.ours, o.id, "amount", i, y)
                    self.out.left_out.append(
                        LeftOut(
                            o.sheet, cell, o.id, f"{why}: cost line {line.description!r}", value
                        )
                    )
        for what, label, rows in (
            ("hours", "hours of", [(m, h) for m, h in o.hours]),
            ("kdd", "financing from", [("KDD", o.kdd)]),
            ("statsforvalteren", "financing from", [("Statsforvalteren", o.statsforvalteren)]),
        ):
            for m, (name, values) in enumerate(rows):
                for y, value in enumerate(values):
                    if not _blank(value) and value != 0:
                        cell = input_cell(self.ours, o.id, what, m, y)
                        self.out.left_out.append(
                            LeftOut(o.sheet, cell, o.id, f"{why}: {label} {name}", value)
                        )


def _empty(project: Project) -> Project:
    return replace(project, costs=(), hours=(), kdd=(), statsforvalteren=())


class _Project:
    """One project's three versions, merged input by input."""

    def __init__(
        self, merger: _Merger, b: Project, o: Project, t: Project, *, recorded: bool = True
    ) -> None:
        self.m, self.b, self.o, self.t = merger, b, o, t
        self.recorded = recorded
        """False when the base has no record of this project (the spec stands for it)."""
        self.ours_years = merger.ours.budget.pilot.years
        base = merger.base or merger.theirs
        self.base_years = base.pilot.years if b is not t else merger.theirs.pilot.years
        self.name = t.name or o.name

    # -- values of one side, by year value -----------------------------------------------

    def _at(self, values: tuple[Amount, ...], years: tuple[int, ...], year: int) -> Amount:
        i = years.index(year) if year in years else None
        return values[i] if i is not None and i < len(values) else None

    def _ours(self, values: tuple[Amount, ...], year: int) -> Amount:
        return self._at(values, self.ours_years, year)

    def _base(self, values: tuple[Amount, ...], year: int) -> Amount:
        return self._at(values, self.base_years, year)

    def _theirs(self, values: tuple[Amount, ...], year: int) -> Amount:
        return self._at(values, self.m.years, year)

    # -- one input -------------------------------------------------------------------------

    def pick(
        self, b: Any, o: Any, t: Any, line: str, year: int | None, cell: Callable[[], str]
    ) -> Any:
        """The merged value of one input of this project."""
        return self.m.pick(b, o, t, (self.o.sheet, self.name, line, year), cell)

    def _cell(self, what: str, index: int, year: int | None) -> Callable[[], str]:
        y = self.ours_years.index(year) if year in self.ours_years else 0
        return lambda: input_cell(self.m.ours, self.o.id, what, index, y)

    # -- the project -------------------------------------------------------------------------

    def merge(self) -> Project:
        costs = self._costs()
        hours = []
        municipalities = self.m.theirs.pilot.municipalities
        ours_munis = self.m.ours.budget.pilot.municipalities
        for municipality in municipalities:
            b, o, t = (p.hours_of(municipality) for p in (self.b, self.o, self.t))
            m = ours_munis.index(municipality) if municipality in ours_munis else 0
            values = tuple(
                self.pick(
                    self._base(b, year),
                    self._ours(o, year),
                    self._theirs(t, year),
                    f"timer {municipality}",
                    year,
                    self._cell("hours", m, year),
                )
                for year in self.m.years
            )
            if any(v is not None for v in values):
                hours.append((municipality, values))
        kdd = self._row("kdd", "KDD", self.b.kdd, self.o.kdd, self.t.kdd)
        statsforvalteren = self._row(
            "statsforvalteren",
            "Statsforvalteren",
            self.b.statsforvalteren,
            self.o.statsforvalteren,
            self.t.statsforvalteren,
        )
        self._lost()
        # A sheet renamed in the workbook keeps its name unless the spec renames it too; without
        # a record of the project the spec's names stand.
        names = {
            key: self.pick(
                getattr(self.b if self.recorded else self.o, key),
                getattr(self.o, key),
                getattr(self.t, key),
                label,
                None,
                lambda: "",
            )
            for key, label in (("sheet", "arknavn"), ("name", "prosjektnavn"))
        }
        return replace(
            self.t,
            costs=tuple(costs),
            hours=tuple(hours),
            kdd=kdd,
            statsforvalteren=statsforvalteren,
            **names,
        )

    def _row(self, what: str, line: str, b: tuple, o: tuple, t: tuple) -> tuple[Amount, ...]:
        return tuple(
            self.pick(
                self._base(b, year),
                self._ours(o, year),
                self._theirs(t, year),
                line,
                year,
                self._cell(what, 0, year),
            )
            for year in self.m.years
        )

    def untouched(self) -> bool:
        """True when the workbook's inputs of this project are the base's."""
        lines = [line for line in self.o.costs if not line.is_blank]
        if [(c.category, c.description) for c in lines] != [
            (c.category, c.description) for c in self.b.costs
        ]:
            return False
        years = self.ours_years
        for o, b in zip(lines, self.b.costs, strict=True):
            if any(self._ours(o.amounts, y) != self._base(b.amounts, y) for y in years):
                return False
        for municipality, values in self.o.hours:
            b_values = self.b.hours_of(municipality)
            if any(self._ours(values, y) != self._base(b_values, y) for y in years):
                return False
        return all(
            self._ours(o, y) == self._base(b, y)
            for o, b in (
                (self.o.kdd, self.b.kdd),
                (self.o.statsforvalteren, self.b.statsforvalteren),
            )
            for y in years
        )

    # -- cost lines ------------------------------------------------------------------------

    def _costs(self) -> list[CostLine]:
        b_lines = list(self.b.costs)
        o_lines = {i: line for i, line in enumerate(self.o.costs) if not line.is_blank}
        t_lines = dict(enumerate(self.t.costs))
        o_to_b = _match(o_lines, b_lines)
        t_to_b = _match(t_lines, b_lines)
        b_to_o = {j: i for i, j in o_to_b.items()}
        b_to_t = {j: i for i, j in t_to_b.items()}
        o_added = [i for i in o_lines if i not in o_to_b]
        t_added = [i for i in t_lines if i not in t_to_b]
        # A line both sides added alike is one line, merged over a blank base.
        added_pairs = _match(
            {i: t_lines[i] for i in t_added}, [o_lines[i] for i in o_added], position=False
        )
        t_to_o_added = {ti: o_added[k] for ti, k in added_pairs.items()}

        merged: dict[int, CostLine | None] = {}  # by ours row; None: removed
        from_theirs: dict[int, CostLine] = {}  # lines that only the spec brings, by theirs index
        t_place: dict[int, int] = {}  # theirs index -> ours row of the same line
        for j, b in enumerate(b_lines):
            i, ti = b_to_o.get(j), b_to_t.get(j)
            if i is not None and ti is not None:
                merged[i] = self._line(b, o_lines[i], t_lines[ti], i)
                t_place[ti] = i
            elif i is not None:
                merged[i] = self._removed_in_spec(b, o_lines[i], i)
                if merged[i] is None:
                    line = o_lines[i]
                    self.m.out.changes.append(
                        Change(self.name, line.description, None, line.amounts, REMOVED)
                    )
            elif ti is not None:
                restored = self._removed_in_workbook(b, t_lines[ti], j)
                if restored is not None:
                    from_theirs[ti] = restored
                    self.m.out.changes.append(
                        Change(self.name, restored.description, None, NO_LINE, restored.amounts)
                    )
        blank = CostLine("", "", ())
        matched_added = set(t_to_o_added.values())
        for i in o_added:
            if i not in matched_added:
                merged[i] = self._line(blank, o_lines[i], blank, i)
        for ti in t_added:
            if ti in t_to_o_added:
                i = t_to_o_added[ti]
                merged[i] = self._line(blank, o_lines[i], t_lines[ti], i)
                t_place[ti] = i
            else:
                from_theirs[ti] = t_lines[ti]
                line = t_lines[ti]
                self.m.out.changes.append(
                    Change(self.name, line.description, None, NO_LINE, line.amounts)
                )
        for j, b in enumerate(b_lines):
            if j not in b_to_o:
                self.m.out.edited += sum(
                    1 for v in (b.category, b.description, *b.amounts) if not _blank(v)
                )
        self._orphan_categories(merged)
        return _ordered(merged, from_theirs, t_place, len(t_lines))

    def _orphan_categories(self, merged: dict[int, CostLine | None]) -> None:
        """Lines of the workbook whose category the new spec no longer has are left out."""
        ids = {c.id for c in self.m.theirs.categories}
        for row, line in merged.items():
            if line is None or not line.category or line.category in ids:
                continue
            for year, value in zip(self.m.years, line.amounts, strict=False):
                if _blank(value) or year not in self.ours_years:
                    continue
                y = self.ours_years.index(year)
                self.m.out.left_out.append(
                    LeftOut(
                        self.o.sheet,
                        input_cell(self.m.ours, self.o.id, "amount", row, y),
                        self.o.id,
                        f"cost line {line.description!r}: category {line.category!r} no longer "
                        "exists",
                        value,
                    )
                )
            merged[row] = None

    def _line(self, b: CostLine, o: CostLine, t: CostLine, row: int) -> CostLine:
        label = o.description or t.description or b.description
        category = self.pick(
            b.category, o.category, t.category, label, None, self._cell("category", row, None)
        )
        description = self.pick(
            b.description,
            o.description,
            t.description,
            label,
            None,
            self._cell("description", row, None),
        )
        amounts = tuple(
            self.pick(
                self._base(b.amounts, year),
                self._ours(o.amounts, year),
                self._theirs(t.amounts, year),
                description or label,
                year,
                self._cell("amount", row, year),
            )
            for year in self.m.years
        )
        self._lost_line(b, o, row, description or label)
        formula = o.category_formula if category == o.category else None
        return CostLine(category, description, amounts, formula)

    def _same_line(self, b: CostLine, o: CostLine) -> bool:
        return (
            b.category == o.category
            and b.description == o.description
            and all(self._ours(o.amounts, y) == self._base(b.amounts, y) for y in self.ours_years)
        )

    def _removed_in_spec(self, b: CostLine, o: CostLine, row: int) -> CostLine | None:
        if self._same_line(b, o):
            return None
        self.m.out.edited += 1
        conflict = Conflict(
            self.o.sheet,
            self._cell("category", row, None)(),
            self.name,
            o.description,
            None,
            _values(b),
            _values(o),
            REMOVED,
        )
        return self._decide(conflict, keep=o, take=None)

    def _removed_in_workbook(self, b: CostLine, t: CostLine, j: int) -> CostLine | None:
        if t == b:
            return None
        cell = (
            self._cell("category", j, None)()
            if j < self.m.ours.capacities.get(self.o.id, 0)
            else ""
        )
        conflict = Conflict(
            self.o.sheet, cell, self.name, b.description, None, _values(b), REMOVED, _values(t)
        )
        return self._decide(conflict, keep=None, take=t)

    def _decide(
        self, conflict: Conflict, keep: CostLine | None, take: CostLine | None
    ) -> CostLine | None:
        if self.m.prefer is None:
            self.m.out.conflicts.append(conflict)
            return keep
        self.m.out.resolved.append(conflict)
        return take if self.m.prefer == "spec" else keep

    # -- values with no place in the new spec ---------------------------------------------

    def _lost_line(self, b: CostLine, o: CostLine, row: int, label: str) -> None:
        for y, year in enumerate(self.ours_years):
            if year in self.m.years:
                continue
            value = self._ours(o.amounts, year)
            if not _blank(value) and value != 0 and value != self._base(b.amounts, year):
                self.m.out.left_out.append(
                    LeftOut(
                        self.o.sheet,
                        input_cell(self.m.ours, self.o.id, "amount", row, y),
                        self.o.id,
                        f"year {year} is no longer a project year: cost line {label!r}",
                        value,
                    )
                )

    def _lost(self) -> None:
        """Hours of municipalities that left, and financing in years that are gone."""
        theirs = self.m.theirs.pilot
        for m, (municipality, values) in enumerate(self.o.hours):
            for y, year in enumerate(self.ours_years):
                if municipality in theirs.municipalities and year in theirs.years:
                    continue
                value = values[y] if y < len(values) else None
                if (
                    _blank(value)
                    or value == 0
                    or value == self._base(self.b.hours_of(municipality), year)
                ):
                    continue
                why = (
                    f"hours of {municipality}, which is no longer in the pilot"
                    if municipality not in theirs.municipalities
                    else f"year {year} is no longer a project year: hours of {municipality}"
                )
                cell = input_cell(self.m.ours, self.o.id, "hours", m, y)
                self.m.out.left_out.append(LeftOut(self.o.sheet, cell, self.o.id, why, value))
        for what, name, o, b in (
            ("kdd", "KDD", self.o.kdd, self.b.kdd),
            (
                "statsforvalteren",
                "Statsforvalteren",
                self.o.statsforvalteren,
                self.b.statsforvalteren,
            ),
        ):
            for y, year in enumerate(self.ours_years):
                value = o[y] if y < len(o) else None
                if (
                    year in theirs.years
                    or _blank(value)
                    or value == 0
                    or value == self._base(b, year)
                ):
                    continue
                cell = input_cell(self.m.ours, self.o.id, what, 0, y)
                self.m.out.left_out.append(
                    LeftOut(
                        self.o.sheet,
                        cell,
                        self.o.id,
                        f"year {year} is no longer a project year: {name}",
                        value,
                    )
                )


def _match(
    lines: dict[int, CostLine], base: list[CostLine], *, position: bool = True
) -> dict[int, int]:
    """Pair lines (by their row) with base lines: same (category, description) in order first,
    then the same position among those left."""
    free: dict[tuple[str, str], list[int]] = defaultdict(list)
    for j, line in enumerate(base):
        free[(line.category, line.description)].append(j)
    pairs: dict[int, int] = {}
    for i, line in lines.items():
        candidates = free.get((line.category, line.description))
        if candidates:
            pairs[i] = candidates.pop(0)
    if position:
        taken = set(pairs.values())
        for i in lines:
            if i not in pairs and i < len(base) and i not in taken:
                pairs[i] = i
                taken.add(i)
    return pairs


def _ordered(
    merged: dict[int, CostLine | None],
    from_theirs: dict[int, CostLine],
    t_place: dict[int, int],
    n_theirs: int,
) -> list[CostLine]:
    """The workbook's lines in its order, each line only the spec brings after the line that
    precedes it in the spec."""
    out = [((row, 0, 0), line) for row, line in merged.items() if line is not None]
    for ti in range(n_theirs):
        if ti in from_theirs:
            before = [t_place[k] for k in range(ti) if k in t_place]
            out.append(((before[-1] if before else -1, 1, ti), from_theirs[ti]))
    return [line for _, line in sorted(out, key=lambda item: item[0])]


def _values(line: CostLine) -> tuple[Any, ...]:
    return (line.category, line.description, *line.amounts)


def _blank(value: Any) -> bool:
    return value is None or value == ""


def _same_inputs(read: Project, recorded: Project) -> bool:
    """True when a project read from a workbook holds exactly the recorded inputs (its blank
    rows apart): then no input of it was edited."""
    costs = tuple(line for line in read.costs if not line.is_blank)
    return replace(read, costs=costs) == recorded
