"""Read a workbook's inputs back into a budget, through the map, as people leave workbooks.

Sheets are found by identity, not by name: a project sheet is the sheet its defined name
``Kostnader_<id>`` points at, Parametre the sheet of ``KDD_Tak``; Excel, LibreOffice and
Gnumeric rename those references with the sheet. Tables are found through the defined names
the clients move with the rows (``Kostnader_<id>``, ``Timer_<id>``, ``Finansiering_<id>``,
``Kommuner``, ``Kategorier``, ``Prosjekter`` ...), and where a name is gone, through the
table's labels; never through fixed offsets. Inside a table, the map (``layout.rows``) says
which row and column holds what.

An input may hold a formula; its value is what the formula gives (the evaluation of the
workbook), kept as a :class:`~bygdevekst_xl.model.Formula` so extract and regenerate can
carry the formula itself. The rules (KDD cap, hourly rate, categories and their eligibility)
come from the caller; without them, from the workbook's own Parametre.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from ..dataclass import dataclass, field, replace
from ..errors import BygdevekstError
from ..excel import (
    Area,
    ErrorValue,
    a1,
    col_letter,
    names_used,
    parse_area,
    references,
    row_number,
    serial_date,
)
from ..layout import PARAMETER_NAMES, SUMMARY_NAME, project_id_of_name, project_names
from ..layout.places import (
    MAX_INSERTED_COLUMNS,
    ProjectPlace,
    SheetColumns,
    TableNotFound,
    cost_table_by_labels,
    front_columns,
    header_years,
    parameter_columns,
    parameter_row,
    parameter_shift,
    place_of,
    project_columns,
    project_header,
    rows_under_heading,
    summary_columns,
)
from ..layout.relocate import SAME_COLUMNS, ColMap
from ..layout.rows import (
    CATEGORY_ID_COL,
    CATEGORY_KDD_COL,
    CATEGORY_NAME_COL,
    CATEGORY_NOTE_COL,
    LINE_CATEGORY_COL,
    LINE_DESCRIPTION_COL,
    PARAM_VALUE_COL,
    PROJECT_ID_COL,
    PROJECT_NAME_COL,
    PROJECT_SHEET_COL,
    PROJECT_WG_COL,
    ParameterRows,
    cost_capacity,
    sum_col,
    year_col,
)
from ..model import (
    MAX_CATEGORIES,
    MAX_COST_LINES,
    MAX_MUNICIPALITIES,
    MAX_PROJECTS,
    Amount,
    Budget,
    Category,
    CostLine,
    Formula,
    Pilot,
    Project,
)
from ..scheme import comparable
from ..texts import (
    BULLET,
    FRONT_SHEET,
    PARAMETER_HEADINGS,
    PARAMETER_SHEET,
    SUMMARY_SHEET,
    YES,
)

MAX_SCAN_ROWS = 100_000
MAX_YEARS_READ = 10
"""Project years read from Parametre's row when no defined name bounds them."""
MAX_COST_ROWS = 2 * MAX_COST_LINES
"""Cost rows a project sheet may hold: the schema's lines, with room for rows people insert."""


class NotOurWorkbook(BygdevekstError, ValueError):
    """The file is a workbook, but not one this package generated (or its skeleton is gone)."""


@dataclass(frozen=True)
class Rules:
    """What the checker trusts: the programme's rules as the spec states them."""

    kdd_cap: int
    hourly_rate: int
    categories: tuple[Category, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        """The category ids."""
        return tuple(c.id for c in self.categories)

    @classmethod
    def of(cls, budget: Budget) -> Rules:
        """The rules a spec's budget states."""
        return cls(budget.pilot.kdd_cap, budget.pilot.hourly_rate, budget.categories)


@dataclass(frozen=True)
class ReadBudget:
    """A workbook's budget, row for row as laid out (blank cost rows included)."""

    budget: Budget
    capacities: dict[str, int]
    places: dict[str, ProjectPlace] = field(default_factory=dict)
    parameters: str = PARAMETER_SHEET
    parameter_shift: int = 0
    summary: str | None = SUMMARY_SHEET
    front: str | None = FRONT_SHEET
    blank_text: tuple[tuple[str, str], ...] = ()
    """Inputs that held only white space, read as blank: (sheet, cell)."""
    columns: tuple[SheetColumns, ...] = ()
    """Where Parametre's and the combined sheet's columns are, where a person inserted or
    deleted columns (the project sheets' are in ``places``)."""

    @property
    def parameter_cols(self) -> ColMap:
        """Where Parametre's columns are."""
        return next((c.cols for c in self.columns if c.sheet == self.parameters), SAME_COLUMNS)

    def holds_inputs(self, sheet: str | None) -> bool:
        """Whether a sheet holds inputs (the combined sheet holds only formulas, which
        regenerate lays out again)."""
        return sheet != self.summary

    def column_maps(self) -> list[SheetColumns]:
        """Every sheet's columns where they moved: Parametre, the combined sheet, the
        project sheets (found by their headers)."""
        years = self.budget.pilot.years
        projects = [
            SheetColumns(p.sheet, p.cost_header, p.cols, project_header(years))
            for p in self.places.values()
        ]
        return [c for c in (*self.columns, *projects) if not c.cols.identity]

    def sheet_names(self) -> dict[str, str]:
        """Each generated sheet's name in the layout (register) -> its name in the workbook."""
        out = {PARAMETER_SHEET: self.parameters}
        if self.summary:
            out[SUMMARY_SHEET] = self.summary
        if self.front:
            out[FRONT_SHEET] = self.front
        for place in self.places.values():
            out[place.registered] = place.sheet
        return out


Evaluated = Callable[[str, str], Any]
"""(sheet, A1 address) -> the value a formula cell gives; None when unknown."""


def read_budget(
    content: Any, rules: Rules | None = None, evaluated: Evaluated | None = None
) -> ReadBudget:
    """The budget a workbook holds, with the rules' cap, rate and categories.

    ``content`` is an ``xlsx.WorkbookContent``; ``evaluated`` gives the value of a formula
    cell (the checker's evaluation; by default the value saved with the formula). Without
    ``rules``, the workbook's own Parametre (cap, hourly rate, category table) are used, as
    ``extract`` and ``regenerate`` need. Raises ``NotOurWorkbook`` when the skeleton (the
    Parametre sheet and its tables) is missing.
    """
    with _naming_the_file(content):
        return _Reader(content, evaluated).budget(rules)


def workbook_rules(content: Any) -> Rules:
    """The cap, hourly rate and categories as the workbook's Parametre sheet states them."""
    with _naming_the_file(content):
        return _Reader(content, None).rules()


@contextmanager
def _naming_the_file(content: Any) -> Iterator[None]:
    """Let a ``NotOurWorkbook`` raised inside name the file first, as every error does."""
    try:
        yield
    except NotOurWorkbook as exc:
        path = str(getattr(content, "path", "") or "")
        if not path or str(exc).startswith(path):
            raise
        raise NotOurWorkbook(f"{path}: {exc}") from None


class _Reader:
    """One read of a workbook's inputs."""

    def __init__(self, content: Any, evaluated: Evaluated | None) -> None:
        self.content = content
        self.names = {k.casefold(): v for k, v in content.names.items()}
        self.evaluated = evaluated
        self.blank_text: list[tuple[str, str]] = []
        self.parameters = self._parameter_sheet()
        self.params = content.sheets[self.parameters].values
        kdd_cap = self._area(PARAMETER_NAMES["kdd_cap"], self.parameters)
        self.shift = parameter_shift(kdd_cap.first_row) if kdd_cap else 0
        register = self._area(PARAMETER_NAMES["projects"], self.parameters)
        first = register.first_row if register else None
        formulas = content.sheets[self.parameters].formulas
        self.columns = parameter_columns(self.parameters, self.params, first, formulas)
        self.cols = self.columns.cols if self.columns else SAME_COLUMNS

    # Parametre ---------------------------------------------------------------------------

    def _parameter_sheet(self) -> str:
        for key in ("kdd_cap", "hourly_rate", "municipalities"):
            area = self._area(PARAMETER_NAMES[key])
            if area is not None and area.sheet is not None and area.sheet in self.content.sheets:
                return area.sheet
        if PARAMETER_SHEET in self.content.sheets:
            return PARAMETER_SHEET
        raise NotOurWorkbook(f"no {PARAMETER_SHEET!r} sheet: not a bygdevekst_xl budget workbook")

    def _area(self, name: str, sheet: str | None = None) -> Area | None:
        """The area a defined name points at (on ``sheet``, when given)."""
        reference = self.names.get(name.casefold())
        area = parse_area(reference) if reference else None
        if area is None or (sheet is not None and area.sheet != sheet):
            return None
        return area

    def _table_rows(self, key: str, limit: int) -> list[int]:
        """The rows of a Parametre table: its defined name, else the rows under its heading."""
        area = self._area(PARAMETER_NAMES[key], self.parameters)
        if area is not None:
            rows = list(area.rows)
        else:
            heading = PARAMETER_HEADINGS[key]
            header = key != "municipalities"
            rows = rows_under_heading(self.params, heading, header, limit, self.cols)
        if len(rows) > limit:
            raise NotOurWorkbook(
                f"{self.parameters}: the table {PARAMETER_HEADINGS[key]!r} has {len(rows)} rows; "
                f"a budget has at most {limit}"
            )
        return rows

    def at(self, row: int, col: int) -> str:
        """The address on Parametre of a workbook row and a layout column (a deleted column:
        where it was)."""
        return a1(row, self.cols.place(col))

    def get(self, row: int, col: int) -> Any:
        """What Parametre holds at a workbook row and a layout column (None: deleted)."""
        found = self.cols(col)
        return None if found is None else self.params.get(a1(row, found))

    def fact(self, row: int, col: int = PARAM_VALUE_COL) -> Any:
        """A fact of Parametre at its planned row (moved with the facts block)."""
        return self.get(parameter_row(row, self.shift), col)

    def rules(self) -> Rules:
        categories = []
        get = self.get
        for row in self._table_rows("categories", MAX_CATEGORIES):
            categories.append(
                Category(
                    _text(get(row, CATEGORY_ID_COL)),
                    _text(get(row, CATEGORY_NAME_COL)),
                    get(row, CATEGORY_KDD_COL) == 1,
                    _text(get(row, CATEGORY_NOTE_COL)),
                )
            )
        if not categories:
            raise NotOurWorkbook(f"{self.parameters}: the category table is missing")
        cap = self.fact(ParameterRows.kdd_cap)
        rate = self.fact(ParameterRows.hourly_rate)
        return Rules(int(_number_or(cap, 0)), int(_number_or(rate, 0)), tuple(categories))

    def _years(self) -> list[int]:
        """The project years: Parametre's, or where a column of them was deleted, the years a
        cost table's header shows."""
        years = self._parameter_years()
        span = range(PARAM_VALUE_COL, PARAM_VALUE_COL + len(years) + 1)  # a deleted one too
        if any(col in span for col in self.cols.deleted):
            years = self._cost_table_years() or years
        return years

    def _cost_table_years(self) -> list[int]:
        """The years the first cost table found by its defined name shows in its header."""
        for name, reference in self.content.names.items():
            area = parse_area(reference) if project_id_of_name(name) else None
            if area is not None and area.sheet in self.content.sheets:
                return header_years(self.content.sheets[area.sheet].values, area.first_row - 1)
        return []

    def _parameter_years(self) -> list[int]:
        area = self._area(PARAMETER_NAMES["years"], self.parameters)
        row = area.first_row if area else parameter_row(ParameterRows.years, self.shift)
        col = area.first_col if area else self.cols(PARAM_VALUE_COL)
        if col is None:
            return []
        most = area.last_col - area.first_col + 1 if area else MAX_YEARS_READ  # a number typed
        years: list[int] = []  # right of the named years is outside the table, not a year
        while _is_number(value := self.params.get(a1(row, col))) and len(years) < most:
            years.append(int(value))
            col += 1
        return years

    # The budget ----------------------------------------------------------------------------

    def budget(self, rules: Rules | None) -> ReadBudget:
        rules = rules or self.rules()
        municipalities = [
            _text(self.get(row, 0))
            for row in self._table_rows("municipalities", MAX_MUNICIPALITIES)
        ]
        register = self._table_rows("projects", MAX_PROJECTS)
        if not municipalities or not register:
            raise NotOurWorkbook(f"{self.parameters}: the municipality or project table is missing")
        years = self._years()
        if not years:
            cell = self.at(parameter_row(ParameterRows.years, self.shift), PARAM_VALUE_COL)
            raise NotOurWorkbook(f"{self.parameters}!{cell}: no project years")
        pilot = Pilot(
            name=_text(self.fact(ParameterRows.pilot_name)),
            municipalities=tuple(municipalities),
            years=tuple(years),
            kdd_cap=rules.kdd_cap,
            hourly_rate=rules.hourly_rate,
            application_deadline=_iso_date(self.fact(ParameterRows.deadline)),
            council_meeting=_iso_date(self.fact(ParameterRows.council_meeting)),
            project_leader=_text(self.fact(ParameterRows.project_leader)),
            reservation=_text(self.fact(ParameterRows.reservation)),
            lead_municipality=one_of(
                _text(self.fact(ParameterRows.lead_municipality)), municipalities
            ),
            organisation_number=_text(self.fact(ParameterRows.organisation_number)),
            contact_person=_text(self.fact(ParameterRows.contact_person)),
        )
        categories = _category_lookup(rules.categories)
        projects, places, capacities = [], {}, {}
        get = self.get
        for row in register:
            registered = _text(get(row, PROJECT_SHEET_COL))
            project_id = _text(get(row, PROJECT_ID_COL))
            if self.cols(PROJECT_ID_COL) is None:  # its column deleted: the sheet's names say
                project_id = self._id_of_sheet(registered)
            if not project_id or project_id in places:
                what = "has no project id" if not project_id else f"repeats the id {project_id!r}"
                raise NotOurWorkbook(
                    f"{self.parameters}!{self.at(row, PROJECT_ID_COL)}: the project register "
                    f"{what}; each project is found by its id (type it back as generated)"
                )
            place = self._place(project_id, registered, pilot, len(rules.categories))
            if self.cols(PROJECT_SHEET_COL) is None:  # its column deleted: the sheet found
                place = replace(place, registered=place.sheet)
            places[project_id] = place
            capacities[project_id] = place.rows.capacity
            projects.append(
                self._project(
                    place,
                    pilot,
                    project_id,
                    _text(get(row, PROJECT_NAME_COL)),
                    _text(get(row, PROJECT_WG_COL)) == YES,
                    categories,
                )
            )
        budget = Budget(pilot, rules.categories, tuple(projects))
        summary = self._sheet_of(SUMMARY_NAME, SUMMARY_SHEET)
        front = self._front_sheet()
        columns = [
            self.columns,
            self._summary_columns(summary, pilot, len(projects)),
            front_columns(front, self.content.sheets[front].values) if front else None,
        ]
        return ReadBudget(
            budget,
            capacities,
            places,
            self.parameters,
            self.shift,
            summary,
            front,
            tuple(self.blank_text),
            tuple(c for c in columns if c is not None and not c.cols.identity),
        )

    def _summary_columns(
        self, summary: str | None, pilot: Pilot, n_projects: int
    ) -> SheetColumns | None:
        """Where the combined sheet's columns are (its KDD total's name pins the header)."""
        if summary is None:
            return None
        area = self._area(SUMMARY_NAME, summary)
        found = self.content.sheets[summary]
        total = area.first_row if area else None
        return summary_columns(
            summary, found.values, pilot.years, n_projects, total, found.formulas
        )

    def _id_of_sheet(self, sheet: str) -> str:
        """The project id whose cost table's defined name points at ``sheet`` ("" if none)."""
        for name, reference in self.content.names.items():
            project_id = project_id_of_name(name)
            area = parse_area(reference) if project_id else None
            if project_id and area is not None and area.sheet == sheet:
                return project_id
        return ""

    def _sheet_of(self, name: str, default: str) -> str | None:
        area = self._area(name)
        if area is not None and area.sheet in self.content.sheets:
            return area.sheet
        return default if default in self.content.sheets else None

    def _front_sheet(self) -> str | None:
        if FRONT_SHEET in self.content.sheets:
            return FRONT_SHEET
        first = next(iter(self.content.sheets), None)
        known = {self.parameters, self._sheet_of(SUMMARY_NAME, SUMMARY_SHEET)}
        return first if first not in known else None

    def _place(
        self, project_id: str, registered: str, pilot: Pilot, n_categories: int
    ) -> ProjectPlace:
        """Find a project's sheet and tables: by its defined names, else by its labels."""
        names = project_names(project_id)
        costs = self._area(names["costs"])
        sheet = costs.sheet if costs is not None and costs.sheet in self.content.sheets else None
        found_by = "name"
        if sheet is None:
            sheet, costs, found_by = registered, None, "labels"
        values = self.content.sheets[sheet].values if sheet in self.content.sheets else {}
        areas: dict[str, range | None] = {"costs": None, "hours": None, "financing": None}
        if costs is not None:
            capacity = len(costs.rows)
            areas["costs"] = costs.rows
        elif values:
            try:
                first, capacity = cost_table_by_labels(values, sheet)
                areas["costs"] = range(first, first + capacity)
            except TableNotFound as exc:
                raise NotOurWorkbook(str(exc)) from None
        else:  # the sheet is gone (reported by the structure check): an empty place
            capacity = cost_capacity(0)
        if capacity > MAX_COST_ROWS:
            raise NotOurWorkbook(
                f"sheet {sheet!r}: the cost table has {capacity} rows; a budget has at most "
                f"{MAX_COST_ROWS}"
            )
        if found_by == "name":
            for table in ("hours", "financing"):
                area = self._area(names[table], sheet)
                areas[table] = area.rows if area else None
        cols = SAME_COLUMNS
        cost_rows = areas["costs"]
        if cost_rows is not None and values:
            width = sum_col(len(pilot.years)) + MAX_INSERTED_COLUMNS
            formulas = self.content.sheets[sheet].formulas
            cols = project_columns(values, cost_rows[0] - 1, pilot.years, width, formulas)
        return place_of(
            capacity,
            n_categories,
            sheet,
            registered,
            values,
            pilot.municipalities,
            areas,
            found_by,
            cols,
        )

    def _project(
        self,
        place: ProjectPlace,
        pilot: Pilot,
        project_id: str,
        name: str,
        working_group: bool,
        categories: Mapping[str, str],
    ) -> Project:
        sheet = place.sheet
        typed = self._inputs(sheet)
        # The letters of each input column where the workbook has it (as place.at finds it;
        # None: deleted), once per sheet: a cell's address is its letters and its row number.
        category_col, description_col = (
            _letters(place.cols(col)) for col in (LINE_CATEGORY_COL, LINE_DESCRIPTION_COL)
        )
        year_cols = [_letters(place.cols(year_col(y))) for y in range(len(pilot.years))]

        def years_at(row: int) -> tuple[Amount, ...]:
            n = str(row_number(row))
            return tuple([typed(letters, n) for letters in year_cols])

        costs = []
        for i in range(place.rows.capacity):
            row = place.cost_row(i)
            n = str(row_number(row))
            raw = typed(category_col, n)
            category = _value(raw)
            if isinstance(category, str):
                category = categories.get(category.casefold(), category)
            else:
                category = "" if category is None else _text(category)
            description = _value(typed(description_col, n))
            formula = raw if isinstance(raw, Formula) else None
            costs.append(CostLine(category, _text(description), years_at(row), formula))
        hours = tuple((m, years_at(row)) for m, row in place.hours_rows.items())
        description = self._description(sheet, place.cost_row(0))
        lines = tuple(
            line.removeprefix(BULLET).strip() for line in description.splitlines() if line.strip()
        )
        return Project(
            project_id,
            name,
            sheet,
            lines,
            working_group,
            tuple(costs),
            hours,
            years_at(place.kdd_row),
            years_at(place.statsforvalteren_row),
        )

    def _description(self, sheet: str, above: int) -> str:
        """The project's bullet list: the first text starting with a bullet above the costs."""
        content = self.content.sheets.get(sheet)
        for row in range(min(above, MAX_SCAN_ROWS)):
            value = content.values.get(a1(row, 0)) if content else None
            if isinstance(value, str) and value.startswith(BULLET):
                return value
        return ""

    def _inputs(self, sheet: str) -> Callable[[str | None, str], Amount]:
        """What a person put in an input cell of ``sheet`` (its workbook column's letters and
        row number): a value, a :class:`Formula`, or None (also for a cell whose column was
        deleted, whose letters are None)."""
        content = self.content.sheets.get(sheet)
        if content is None:
            return lambda letters, n: None
        formulas, values = content.formulas, content.values

        def typed(letters: str | None, n: str) -> Amount:
            if letters is None:
                return None
            address = letters + n  # a1(row, col), made from its parts
            formula = formulas.get(address)
            if formula is not None:
                value = self.evaluated(sheet, address) if self.evaluated else None
                if value is None:
                    value = content.cached.get(address)
                used = references(formula) + names_used(formula, self.content.names)
                return Formula(formula, _typed(value), f"{sheet}!{address}", used)
            value = values.get(address)
            if value is None:
                return None
            if type(value) is float:  # as _typed has it (inline: most inputs are numbers)
                return int(value) if value.is_integer() and abs(value) < EXACT_INTEGERS else value
            if isinstance(value, str) and not value.strip():
                if value:
                    self.blank_text.append((sheet, address))
                return None
            return _typed(value)

        return typed


MUNICIPALITY_WORDS = frozenset({"kommune", "kommuna", "kommunen"})
"""Words people write around a municipality's name ("Hammerfest kommune")."""


def one_of(text: str, municipalities: list[str]) -> str:
    """The municipality ``text`` names, as the list spells it: compared as people read names
    (``scheme.comparable``), "kommune" around the name ignored; else ``text`` as typed."""
    if not text or text in municipalities:
        return text
    words = comparable(text).split()
    for key in (" ".join(words), " ".join(w for w in words if w not in MUNICIPALITY_WORDS)):
        match = [m for m in municipalities if comparable(m) == key]
        if len(match) == 1:
            return match[0]
    return text


def _category_lookup(categories: tuple[Category, ...]) -> dict[str, str]:
    """Category name -> id, matched as Excel's SUMIF matches: case-insensitive, not trimmed."""
    return {c.name.casefold(): c.id for c in categories}


def _letters(col: int | None) -> str | None:
    """A column's letters, None for none (a deleted column)."""
    return None if col is None else col_letter(col)


def _value(amount: Amount) -> Any:
    """The value of an input: a formula's result, else the value itself."""
    return amount.value if isinstance(amount, Formula) else amount


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _number_or(value: Any, default: float) -> float:
    return value if _is_number(value) else default


EXACT_INTEGERS = 2.0**53
"""Beyond this a float holds no exact integer, and Excel's numbers are all floats."""


def _typed(value: Any) -> Any:
    """An input as a person typed it; integral floats become ints (while they are exact)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < EXACT_INTEGERS:
        return int(value)
    return value


def _text(value: Any) -> str:
    if value is None or isinstance(value, ErrorValue):
        return "" if value is None else str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_ISO_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?")


def _iso_date(value: Any) -> str:
    """A date cell (an Excel serial, a datetime or ISO text) as ISO text."""
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    if _is_number(value) and 1 < value < 2958466:
        return serial_date(value).strftime("%Y-%m-%d")
    text = _text(value)
    return text[:10] if _ISO_DATE_TIME.fullmatch(text) else text  # ISO: drop the time
