"""The checker's rules: each a small function over the context that yields findings."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ..compute import BudgetTotals, ProjectTotals
from ..dataclass import dataclass, field
from ..excel import (
    ErrorValue,
    col_letter,
    col_number,
    date_serial,
    parse_a1,
    row_number,
    serial_date,
)
from ..layout import LAYOUT_PROPERTY, LAYOUT_VERSION, WorkbookLayout
from ..layout.cells import Cell, SheetLayout, a1, a1_range
from ..layout.places import parameter_fact_cell
from ..layout.rows import (
    CATEGORY_KDD_COL,
    CATEGORY_NAME_COL,
    LINE_CATEGORY_COL,
    PARAM_VALUE_COL,
    PILOT_FACT_ROWS,
    ParameterRows,
    ProjectRows,
    sum_col,
    year_col,
)
from ..model import MAX_HOURS, MAX_KRONER, Budget, Formula
from ..scheme import breaches
from ..texts import PARAMETER_SHEET
from .cells import SheetCells, sheet_cells
from .findings import Finding

if TYPE_CHECKING:  # types only: generate uses these rules without reading any workbook
    from ..edited.inputs import ReadBudget, Rules
    from ..edited.locate import Located
    from ..edited.screen import Screened
    from ..layout.places import ProjectPlace

TOLERANCE = 0.005
TOTAL_ANCHORS = (
    "costs",
    "in_kind",
    "total_costs",
    "kdd_total",
    "statsforvalteren",
    "own_share",
    "financing",
    "balance",
    "kdd_eligible",
)


@dataclass
class Context:
    """What every rule may look at."""

    content: Any  # reader.WorkbookContent
    read: ReadBudget
    layout: WorkbookLayout  # what the workbook should be, given its own inputs
    rules: Rules
    evaluation: Any  # evaluate.Evaluation of the file's own formulas
    located: Located  # where the layout's sheets and rows are in the workbook
    project_totals: dict[str, ProjectTotals]
    totals: BudgetTotals
    screened: tuple[Screened, ...] = ()
    """Texts that held characters no file can carry (see ``edited.screen``)."""
    recorded: bytes = b""
    """The generation record's spec as its JSON (valid: it was read), or empty."""
    _cells: dict[str, SheetCells] = field(default_factory=dict)
    _sheets: dict[str, SheetLayout] | None = None
    _inputs: list[Finding] | None = None

    def input_findings(self) -> list[Finding]:
        """:func:`input_findings` against the rules' categories, found once for every rule
        that asks (``check_inputs`` reports them; ``check_extractable`` needs to know of any)."""
        if self._inputs is None:
            self._inputs = list(input_findings(self.read, {c.id for c in self.rules.categories}))
        return self._inputs

    def cells(self, sheet: SheetLayout) -> SheetCells:
        """A layout sheet's cells by address, found once for every rule that asks."""
        found = self._cells.get(sheet.name)
        if found is None:
            found = self._cells[sheet.name] = sheet_cells(sheet)
        return found

    def is_expected_formula(self, sheet: str, address: str) -> bool:
        """True when the file holds exactly the formula the layout puts at this cell."""
        content = self.content.sheets.get(sheet)
        found = content.formulas.get(address) if content else None
        if self._sheets is None:
            self._sheets = {s.name: s for s in self.layout.sheets}
        layout = self._sheets.get(sheet)
        expected = self.cells(layout).formulas.get(address) if layout else None
        return found is not None and expected is not None and same_formula(found, expected)

    def place(self, sheet: str, row: int, col: int) -> tuple[str, str]:
        """The workbook sheet and address of a layout cell (layout sheet name, row, col)."""
        return self.located.sheet(sheet), self.located.address(sheet, row, col)

    def project_rows(self, project_id: str) -> ProjectRows:
        """A project's row plan (layout coordinates; :meth:`place` finds them)."""
        return self.layout.projects[project_id][0]

    def content_value(self, sheet: str, address: str) -> Any:
        """A cell's value: its formula's recomputed value, else the constant typed there."""
        content = self.content.sheets.get(sheet)
        if content is None:
            return None
        if address in content.formulas:
            return self.computed(sheet, address)
        return content.values.get(address)

    def computed(self, sheet: str, address: str) -> Any:
        """The value the file's own formula gives, recomputed headlessly."""
        return self.evaluation.values.get((sheet, address))


Rule = Callable[[Context], Iterator[Finding]]


def same_value(a: Any, b: Any) -> bool:
    """Equal as a spreadsheet value: numbers within half an øre, text exactly, blank == 0/""."""
    a, b = _blank(a), _blank(b)
    if _is_number(a) and _is_number(b):
        return abs(float(a) - float(b)) <= TOLERANCE
    if hasattr(a, "code") or hasattr(b, "code"):
        return str(a) == str(b)
    return a == b


_STRINGS = re.compile(r'("(?:[^"]|"")*")')
_PREFIXES = re.compile(r"_xl(fn|ws)\.", re.IGNORECASE)
_NOISE = re.compile(r"[\s$']")


def normalize_formula(formula: str) -> str:
    """A formula as Excel means it: no $, spaces, quotes or case differences outside strings."""
    parts = _STRINGS.split(formula.lstrip("="))
    for i in range(0, len(parts), 2):
        parts[i] = _NOISE.sub("", _PREFIXES.sub("", parts[i])).upper()
    return "".join(parts)


def same_formula(found: str, expected: str) -> bool:
    """True when two formulas mean the same (equal text first: the common, cheap case)."""
    return found == expected or normalize_formula(found) == normalize_formula(expected)


def check_structure(ctx: Context) -> Iterator[Finding]:
    """Missing, extra or renamed sheets; missing or changed names; calculation mode; links; macros."""
    expected = [s.name for s in ctx.layout.sheets]
    present = list(ctx.content.sheets)
    for layout_name, found_name in ctx.read.sheet_names().items():
        if layout_name != found_name and found_name in ctx.content.sheets:
            yield Finding("sheet-renamed", found_name, None, expected=layout_name, found=found_name)
    for name in expected:
        if name not in ctx.content.sheets:
            yield Finding("sheet-missing", name, None, expected=name)
    for name in present:
        if name not in expected:
            yield Finding("sheet-extra", name, None, found=name)
    file_names = {k.casefold(): (k, v) for k, v in ctx.content.names.items()}
    for name, reference in ctx.layout.names.items():
        entry = file_names.get(name.casefold())
        if entry is None:
            yield Finding("name-missing", None, None, expected=name)
        elif not same_formula(entry[1], reference):
            yield Finding(
                "name-changed",
                None,
                None,
                expected=reference,
                found=entry[1],
                params={"what": name},
            )
    made_with = ctx.content.custom_properties.get(LAYOUT_PROPERTY)
    if made_with is not None and made_with != LAYOUT_VERSION:
        yield Finding("other-layout", found=made_with, expected=LAYOUT_VERSION)
    if ctx.content.calc_mode == "manual":
        yield Finding("manual-calculation")
    for target in ctx.content.external_links:
        yield Finding("external-link", found=target)
    if ctx.content.has_macros:
        yield Finding("macros")


def check_protection_and_validation(ctx: Context) -> Iterator[Finding]:
    """Every sheet protected; every input range still has its data validation."""
    for sheet in ctx.layout.sheets:
        content = ctx.content.sheets.get(sheet.name)
        if content is None:
            continue
        if not content.protected:
            yield Finding("protection-lost", sheet.name, None)
        covered = _validated_cells(content.validations)
        for rule in sheet.validations:
            first = a1(rule.first_row, rule.first_col)
            if first not in covered:
                span = a1_range(rule.first_row, rule.first_col, rule.last_row, rule.last_col)
                yield Finding("validation-lost", sheet.name, first, expected=span)


def check_rule_cells(ctx: Context) -> Iterator[Finding]:
    """The cap, the hourly rate and the categories' eligibility in Parametre equal the rules."""
    sheet_name = ctx.located.sheet(PARAMETER_SHEET)
    content = ctx.content.sheets.get(sheet_name)
    if content is None:
        return

    cols = ctx.located.cols.get(PARAMETER_SHEET)

    def a1(row: int, col: int) -> str | None:  # None: its column deleted (reported as such)
        deleted = cols is not None and cols(col) is None
        return None if deleted else ctx.located.address(PARAMETER_SHEET, row, col)

    rows = ctx.layout.parameters
    checks: list[tuple[str | None, object, str]] = [
        (a1(rows.kdd_cap, PARAM_VALUE_COL), ctx.rules.kdd_cap, "KDD-taket"),
        (a1(rows.hourly_rate, PARAM_VALUE_COL), ctx.rules.hourly_rate, "Timesatsen"),
    ]
    for k, category in enumerate(ctx.rules.categories):
        row = rows.category_row(k)
        checks.append((a1(row, CATEGORY_NAME_COL), category.name, f"Kategori {k + 1}"))
        checks.append(
            (
                a1(row, CATEGORY_KDD_COL),
                int(category.kdd_eligible),
                f"KDD-støtten for {category.name}",
            )
        )
    for address, expected, what in checks:
        if address is None:
            continue
        found = content.values.get(address, content.cached.get(address))
        if not same_value(found, expected):
            yield Finding(
                "rule-changed",
                sheet_name,
                address,
                expected=expected,
                found=found,
                params={"what": what},
            )
    for row in (rows.deadline, rows.council_meeting):
        address = a1(row, PARAM_VALUE_COL)
        if address is None:
            continue
        found = content.values.get(address)
        if not isinstance(found, dt.datetime | dt.date | int | float) or isinstance(found, bool):
            yield Finding("date-invalid", sheet_name, address, found=found)


def check_labels(ctx: Context) -> Iterator[Finding]:
    """Fixed texts and values (locked labels) are as generated; a municipality's label
    found where the hours table was sorted to is where it belongs."""
    sorted_labels = {
        (place.sheet, place.at(row, 0)): municipality
        for place in ctx.read.places.values()
        for municipality, row in place.hours_rows.items()
    }
    for sheet in ctx.layout.sheets:
        content = ctx.content.sheets.get(sheet.name)
        if content is None or sheet.name == ctx.located.sheet(PARAMETER_SHEET):
            continue
        for address, cell in ctx.cells(sheet).labels.items():
            if cell.value in (None, ""):
                continue
            found = content.values.get(address)
            if address in content.formulas:
                found = content.formulas[address]
            if found == cell.value and isinstance(found, str):
                continue  # the same text (the common case, which same_value would agree to)
            if found is not None and sorted_labels.get((sheet.name, address)) == found:
                continue  # (a cleared label is no municipality sorted here: it is changed)
            if not same_value(found, cell.value):
                yield Finding(
                    "label-changed", sheet.name, address, expected=cell.value, found=found
                )


def check_formulas(ctx: Context) -> Iterator[Finding]:
    """Every computed cell still holds its formula, unchanged."""
    for sheet in ctx.layout.sheets:
        content = ctx.content.sheets.get(sheet.name)
        if content is None:
            continue
        cells = ctx.cells(sheet)
        if content.formulas == cells.formulas:
            continue  # every formula exactly as laid out (the common case: one comparison)
        line_totals: set[str] | None = None
        line_formulas: set[str] | None = None
        for address, formula in cells.formulas.items():
            found = content.formulas.get(address)
            if found is not None and same_formula(found, formula):
                continue
            if line_totals is None:
                line_totals = _line_total_cells(ctx, sheet.name)
            cell = cells.cells[address]
            if found is None:
                value = content.values.get(address)
                if value is None and address in line_totals:
                    yield Finding(
                        "line-formula-missing", sheet.name, address, expected=cell.formula
                    )
                else:
                    yield Finding(
                        "formula-overwritten",
                        sheet.name,
                        address,
                        expected=cell.formula,
                        found=value,
                    )
                continue
            moved = False
            if address in line_totals:
                if line_formulas is None:
                    line_formulas = {
                        normalize_formula(cells.cells[a].formula or "")
                        for a in line_totals
                        if a in cells.cells
                    }
                moved = normalize_formula(found) in line_formulas
            # A line cut and pasted elsewhere takes its old total's references along: that
            # total sums another line, which no sum counts twice (the columns are summed).
            yield Finding(
                "line-formula-moved" if moved else "formula-changed",
                sheet.name,
                address,
                expected=cell.formula,
                found=found,
            )


def check_totals(ctx: Context) -> Iterator[Finding]:
    """The key totals the file's formulas give equal the independent Python recomputation."""
    cells: list[tuple[str, Cell]] = [
        (ctx.layout.anchors[key][0], ctx.layout.anchor(key)) for key in TOTAL_ANCHORS
    ]
    n_years = len(ctx.read.budget.pilot.years)
    for project in ctx.read.budget.projects:
        rows = ctx.project_rows(project.id)
        sheet = ctx.layout.sheet(project.sheet)
        m = ctx.located.maps.get(project.sheet)
        place = ctx.read.places[project.id]
        for row in (rows.cost_total, rows.financing_total, rows.balance):
            for col in [*map(year_col, range(n_years)), sum_col(n_years)]:
                found = place.cols(col)
                cell = sheet.cells.get((m(row) if m else row, found if found is not None else -1))
                if cell is not None:  # a deleted column is reported as such
                    cells.append((project.sheet, cell))
    for sheet_name, cell in cells:
        if sheet_name not in ctx.content.sheets:
            continue
        computed = ctx.computed(sheet_name, cell.address)
        if computed is None and cell.address not in ctx.content.sheets[sheet_name].formulas:
            computed = ctx.content.sheets[sheet_name].values.get(cell.address)
        if not same_value(computed, cell.value):
            yield Finding(
                "total-mismatch", sheet_name, cell.address, expected=cell.value, found=computed
            )


def check_cached_values(ctx: Context) -> Iterator[Finding]:
    """Saved values of formula cells agree with the recomputed ones (missing ones are normal)."""
    values = ctx.evaluation.values
    for name, content in ctx.content.sheets.items():
        saved = content.cached
        for address in content.formulas:
            cached = saved.get(address)
            if cached is None:
                continue
            computed = values.get((name, address))
            if type(cached) is float and type(computed) is float:  # same_value, inline
                if not abs(cached - computed) <= TOLERANCE:
                    yield Finding("cached-stale", name, address, expected=computed, found=cached)
                continue
            if computed is None or hasattr(computed, "code"):
                continue
            if not same_value(cached, computed):
                yield Finding("cached-stale", name, address, expected=computed, found=cached)


def check_errors(ctx: Context) -> Iterator[Finding]:
    """Error values, circular references and formulas that cannot be evaluated."""
    unsupported = ctx.evaluation.unsupported
    for (sheet, address), reason in sorted(unsupported.items()):
        if not ctx.is_expected_formula(sheet, address):  # ours fail only when a sheet is missing
            yield Finding("unsupported-formula", sheet, address, found=reason)
    # A cycle a person made: its typed formulas are the cause; our formulas that sit on it or
    # depend on it follow from it.
    circular = sorted(ctx.evaluation.circular)
    typed = [key for key in circular if not ctx.is_expected_formula(*key)]
    following = tuple(Finding("circular-reference", *key) for key in circular if key not in typed)
    if not typed:
        yield from following
    for i, (sheet, address) in enumerate(typed):
        yield Finding(
            "circular-reference", sheet, address, consequences=following if i == 0 else ()
        )
    reported = set(unsupported) | set(ctx.evaluation.circular)
    errors = sorted(
        (key, value) for key, value in ctx.evaluation.values.items() if hasattr(value, "code")
    )
    for key, value in errors:
        # An expected formula only passes along an error that starts elsewhere: report the start.
        if key not in reported and not ctx.is_expected_formula(*key):
            yield Finding("error-value", key[0], key[1], found=str(value))
    for name, content in ctx.content.sheets.items():
        for address, code in sorted(content.errors.items()):
            yield Finding("error-value", name, address, found=code)


def check_inputs(ctx: Context) -> Iterator[Finding]:
    """Amounts are whole kroner ≥ 0, hours numbers ≥ 0, categories from the list."""
    yield from ctx.input_findings()


def input_findings(read: ReadBudget, known: set[str]) -> Iterator[Finding]:
    """Bad inputs in every project's cost, hours and financing tables (each cell's address
    is found only for a finding)."""
    for project in read.budget.projects:
        sheet = project.sheet
        place = read.places[project.id]
        for i, line in enumerate(project.costs):
            row = place.cost_row(i)
            yield from _amount_findings(sheet, place, row, line.amounts)
            category = line.category
            if category and category in known:
                continue
            if category:
                cell = place.at(row, LINE_CATEGORY_COL)
                yield Finding("category-unknown", sheet, cell, found=category)
            elif any(_value(a) not in (None, "", 0) for a in line.amounts):
                yield Finding("category-missing", sheet, place.at(row, LINE_CATEGORY_COL))
        for municipality, hours in project.hours:
            row = place.hours_rows[municipality]
            for y, typed in enumerate(hours):
                value = _value(typed)
                if isinstance(value, ErrorValue):
                    continue  # reported where the error starts
                if value is not None and (not _is_number(value) or not 0 <= value <= MAX_HOURS):
                    yield Finding("hours-invalid", sheet, place.at(row, year_col(y)), found=value)
        for row, values in (
            (place.kdd_row, project.kdd),
            (place.statsforvalteren_row, project.statsforvalteren),
        ):
            yield from _amount_findings(sheet, place, row, values)


def check_numbers_shown_as_dates(ctx: Context) -> Iterator[Finding]:
    """An amount or hours cell that shows its number as a date: "1.5" typed in a Norwegian
    Excel becomes 1 May (45 413), and the budget counts 45 413 hours."""
    for project in ctx.read.budget.projects:
        content = ctx.content.sheets.get(project.sheet)
        if content is None or not content.date_cells:
            continue
        place = ctx.read.places[project.id]
        for row in place.counted_rows():
            for y in range(len(ctx.read.budget.pilot.years)):
                address = place.at(row, year_col(y))
                if address in content.date_cells:
                    value = content.values.get(address)
                    typed = probably_typed(value)
                    if typed is not None:
                        yield Finding(
                            "number-as-date",
                            project.sheet,
                            address,
                            found=value,
                            params={"what": typed, "shown": shown_date(value)},
                        )


def probably_typed(value: Any) -> str | None:
    """What a person probably typed when a Norwegian Excel stored ``value`` as a date:
    ``1.5`` for 45 413 (1 May 2024); a number before 2000 was typed as it is (``12`` in a
    cell formatted as a date shows 12.01.1900); None when the cell holds no number a date
    could show (0 and blanks show no date)."""
    if isinstance(value, dt.datetime):
        value = date_serial(value)
    if not _is_number(value) or not 1 <= value < 2958466:
        return None
    day = serial_date(int(value))
    if day.year < 2000:
        return f"{value:g}".replace(".", ",")
    return f"{day.day}.{day.month}"


def shown_date(value: Any) -> str:
    """The date a number shows as, as a Norwegian Excel shows it (``01.05.2024``)."""
    serial = int(date_serial(value) if isinstance(value, dt.datetime) else value)
    if serial < 61:  # before Excel's 29 February 1900, a day later than the calendar says
        serial += 1
    return serial_date(serial).strftime("%d.%m.%Y")


def check_input_formulas(ctx: Context) -> Iterator[Finding]:
    """Inputs that hold formulas referring to other cells: their value counts; say on what."""
    for project in ctx.read.budget.projects:
        typed: list[Any] = [line.category_formula for line in project.costs]
        typed += [a for line in project.costs for a in line.amounts]
        typed += [h for _, hours in project.hours for h in hours]
        typed += [*project.kdd, *project.statsforvalteren]
        for amount in typed:
            if isinstance(amount, Formula) and amount.references:
                sheet, _, address = amount.cell.rpartition("!")
                yield Finding(
                    "input-formula",
                    sheet,
                    address,
                    found=amount.text,
                    params={"what": ", ".join(amount.references)},
                )


def check_unreadable_texts(ctx: Context) -> Iterator[Finding]:
    """A text holding a character no file can store cannot be extracted or carried."""
    for screened in ctx.screened:
        yield Finding("text-unreadable", screened.sheet, screened.cell, found=screened.shown)


def check_extractable(ctx: Context) -> Iterator[Finding]:
    """What a spec cannot state (so ``extract`` and ``regenerate`` would refuse it), at its
    cell; the inputs' own findings are reported by :func:`check_inputs` already."""
    from ..extract import formula_inputs, spec_problems  # the spec the inputs give

    if ctx.screened or ctx.input_findings():
        return
    if any(isinstance(f.value, ErrorValue) for f in formula_inputs(ctx.read.budget)):
        return  # an error value is reported where it starts
    problems = spec_problems(ctx.read.budget, ctx.recorded)
    if problems:
        told = {(f.sheet, f.cell) for f in check_rule_cells(ctx) if f.code == "date-invalid"}
        for problem in problems:
            finding = spec_finding(ctx.read, problem)
            if (finding.sheet, finding.cell) not in told or finding.cell is None:
                told.add((finding.sheet, finding.cell))
                yield finding


def spec_finding(read: ReadBudget, problem: str) -> Finding:
    """A spec problem (``path: message``) of a workbook's inputs, at the cell it comes from:
    a pilot fact at its Parametre cell, a project's problem on its sheet."""
    path, _, _ = problem.partition(": ")
    fact = re.fullmatch(r"pilot\.(\w+)(?:\[\d+\])?", path)
    if fact and fact.group(1) in PILOT_FACT_ROWS:
        row = getattr(ParameterRows, PILOT_FACT_ROWS[fact.group(1)])
        cell = parameter_fact_cell(row, read.parameter_shift, read.parameter_cols)
        return Finding("spec-invalid", read.parameters, cell, params={"what": problem})
    project = re.match(r"projects\[(\d+)\]", path)
    projects = read.budget.projects
    if project and int(project.group(1)) < len(projects):
        sheet = projects[int(project.group(1))].sheet
        return Finding("spec-invalid", sheet, None, params={"what": problem})
    return Finding("spec-invalid", read.parameters, None, params={"what": problem})


def check_columns(ctx: Context) -> Iterator[Finding]:
    """Columns a person deleted from a sheet's tables (their inputs or formulas are gone: an
    error), and columns inserted before or between them that hold something (not counted:
    a warning)."""
    yield from column_findings(ctx.read, ctx.content)


def column_findings(read: ReadBudget, content: Any) -> Iterator[Finding]:
    """See :func:`check_columns`; ``extract`` and ``regenerate`` refuse the deleted ones."""
    for columns in read.column_maps():
        sheet = content.sheets.get(columns.sheet)
        if sheet is None:
            continue
        for col in columns.cols.deleted:
            at = a1(columns.header, col)
            yield Finding("column-deleted", columns.sheet, at, params={"what": columns.text(col)})
        for col in columns.cols.inserted:
            held = [
                position
                for address, value in sheet.values.items()
                if value not in (None, "")
                and (position := parse_a1(address)) is not None
                and position[1] == col
            ]
            held += [p for a in sheet.formulas if (p := parse_a1(a)) is not None and p[1] == col]
            if held:  # at its first cell that holds something, where a person typed it
                yield Finding(
                    "column-inserted", columns.sheet, a1(*min(held)), params={"what": len(held)}
                )


def check_outside_tables(ctx: Context) -> Iterator[Finding]:
    """Anything typed where the budget has no cell is not counted: numbers are errors (in a
    column a person inserted, :func:`check_columns` reports them)."""
    inserted = {c.sheet: set(c.cols.inserted) for c in ctx.read.column_maps()}
    yield from outside_findings(ctx.content, ctx.layout, inserted, ctx.cells)


def outside_findings(
    content: Any,
    layout: WorkbookLayout,
    skip: Mapping[str, set[int]] | None = None,
    cells: Callable[[SheetLayout], SheetCells] | None = None,
) -> Iterator[Finding]:
    """Values and formulas on the budget's sheets at cells the layout does not have (except
    in the columns ``skip`` names per sheet; ``cells`` gives a sheet's cells by address,
    when a check has them already)."""
    for sheet in layout.sheets:
        sheet_content = content.sheets.get(sheet.name)
        if sheet_content is None:
            continue
        laid_out = (cells or sheet_cells)(sheet).cells
        expected = {a1(link.row, link.col) for link in sheet.links}
        skipped = (skip or {}).get(sheet.name)
        if skipped:
            expected |= {
                address
                for address in (*sheet_content.values, *sheet_content.formulas)
                if (position := parse_a1(address)) is not None and position[1] in skipped
            }
        for address in _outside(sheet_content.values, laid_out, expected):
            value = sheet_content.values[address]
            if value in (None, ""):
                continue
            code = "value-outside-table" if _is_number(value) else "text-outside-table"
            yield Finding(code, sheet.name, address, found=value)
        for address in _outside(sheet_content.formulas, laid_out, expected):
            cached = sheet_content.cached.get(address)
            found = sheet_content.formulas[address] if cached is None else cached
            yield Finding("value-outside-table", sheet.name, address, found=found)


def _outside(
    found: Mapping[str, Any], laid_out: Mapping[str, Any], expected: set[str]
) -> list[str]:
    """The addresses in ``found`` neither laid out nor expected, in ``found``'s order (where
    there are none, the common case, one set difference says so)."""
    outside = found.keys() - laid_out.keys() - expected
    return [address for address in found if address in outside] if outside else []


def check_hidden_rows(ctx: Context) -> Iterator[Finding]:
    """Hidden rows or columns inside the input tables hide amounts that are counted."""
    n_years = len(ctx.read.budget.pilot.years)
    for project in ctx.read.budget.projects:
        content = ctx.content.sheets.get(project.sheet)
        if content is None:
            continue
        place = ctx.read.places[project.id]
        for y in range(n_years):
            found = place.cols(year_col(y))
            if found is None:
                continue
            col = found
            if not any(low <= col_number(col) <= high for low, high in content.hidden_cols):
                continue
            counted = [
                a1(row, col)
                for row in ctx.read.places[project.id].counted_rows()
                if _is_number(v := _value(ctx.content_value(project.sheet, a1(row, col)))) and v
            ]
            if counted:
                what = col_letter(col)
                yield Finding("hidden-row", project.sheet, counted[0], params={"what": what})
        if not content.hidden_rows:
            continue
        for row in ctx.read.places[project.id].counted_rows():
            if row_number(row) not in content.hidden_rows:
                continue
            amounts = [
                _value(ctx.content_value(project.sheet, address))
                for y in range(n_years)
                if (address := place.at(row, year_col(y))) is not None
            ]
            if any(_is_number(a) and a for a in amounts):
                yield Finding(
                    "hidden-row", project.sheet, a1(row, 0), params={"what": row_number(row)}
                )


def check_budget_rules(ctx: Context) -> Iterator[Finding]:
    """The programme's rules on the recomputed totals: cap, eligibility, balance, hours."""
    present = set(ctx.content.sheets)
    yield from budget_rule_findings(
        ctx.read.budget, ctx.layout, ctx.rules.kdd_cap, present, ctx.located.address
    )


def scheme_findings(budget: Budget, code: str) -> list[Finding]:
    """An error (``code``: ``spec-against-scheme`` or ``record-against-scheme``) for each place
    where a spec or record states more than the scheme allows."""
    return [
        Finding(
            code,
            expected=breach.allowed,
            found=breach.stated,
            params={"what": breach.what, "path": breach.path},
        )
        for breach in breaches(budget)
    ]


def budget_rule_findings(
    budget: Budget,
    layout: WorkbookLayout,
    kdd_cap: float,
    present: set[str] | None = None,
    address: Callable[[str, int, int], str] | None = None,
) -> Iterator[Finding]:
    """Every rule of the programme the budget breaks, at the cell that shows it.

    ``present`` names the project sheets a workbook has (a missing one is reported as such);
    ``generate`` passes None: every sheet is there. ``address(sheet, row, col)`` says where a
    layout cell is in the workbook (by default where the layout puts it).
    """

    def where(sheet: str, row: int, col: int) -> str:
        return address(sheet, row, col) if address else a1(row, col)

    t = layout.totals
    kdd_cell = layout.anchors["kdd_total"]
    sheet, kdd_address = kdd_cell[0], a1(kdd_cell[1], kdd_cell[2])
    if t.kdd > kdd_cap + TOLERANCE:
        yield Finding("kdd-over-cap", sheet, kdd_address, expected=kdd_cap, found=t.kdd)
    if t.kdd > t.kdd_eligible + TOLERANCE:
        yield Finding("kdd-over-eligible", sheet, kdd_address, expected=t.kdd_eligible, found=t.kdd)
    years = budget.pilot.years
    for project in budget.projects:
        if present is not None and project.sheet not in present:
            continue  # reported as a missing sheet
        rows, totals = layout.projects[project.id]
        for y, (kdd, eligible) in enumerate(zip(totals.kdd, totals.kdd_eligible, strict=True)):
            if kdd > eligible + TOLERANCE:
                yield Finding(
                    "kdd-over-eligible-project",
                    project.sheet,
                    where(project.sheet, rows.kdd_margin, year_col(y)),
                    expected=eligible,
                    found=kdd,
                    params={"what": f"{project.name} {years[y]}"},
                )
        for y, balance in enumerate(totals.balance):
            if abs(balance) > TOLERANCE:
                yield Finding(
                    "not-balanced",
                    project.sheet,
                    where(project.sheet, rows.balance, year_col(y)),
                    expected=0,
                    found=balance,
                    params={"what": f"{project.name} {years[y]}"},
                )
        if project.working_group:
            for m, municipality in enumerate(budget.pilot.municipalities):
                if sum(totals.hours_by_municipality[m]) <= 0:
                    yield Finding(
                        "missing-hours",
                        project.sheet,
                        where(project.sheet, rows.hours_row(m), year_col(0)),
                        params={"what": municipality},
                    )


RULES: tuple[Rule, ...] = (
    check_structure,
    check_protection_and_validation,
    check_rule_cells,
    check_labels,
    check_formulas,
    check_inputs,
    check_input_formulas,
    check_numbers_shown_as_dates,
    check_columns,
    check_outside_tables,
    check_unreadable_texts,
    check_extractable,
    check_hidden_rows,
    check_errors,
    check_totals,
    check_cached_values,
    check_budget_rules,
)


def _amount_findings(
    sheet: str, place: ProjectPlace, row: int, typed: tuple[Any, ...]
) -> Iterator[Finding]:
    """The bad amounts of one row of a project's table."""
    for y, amount in enumerate(typed):
        code = _amount_problem(amount)
        if code is not None:
            yield Finding(code, sheet, place.at(row, year_col(y)), found=_value(amount))


def _amount_problem(typed: Any) -> str | None:
    """What is wrong with a typed amount (None: nothing; blanks and error values, which are
    reported where they start, included)."""
    if type(typed) is int and 0 <= typed <= MAX_KRONER:
        return None  # whole kroner (the common case)
    amount = _value(typed)
    if amount is None or amount == "" or isinstance(amount, ErrorValue):
        return None
    if not _is_number(amount):
        return "amount-not-number"
    if amount < 0:
        return "amount-negative"
    if not amount <= MAX_KRONER:  # also inf and nan
        return "amount-too-large"
    if not whole_krone(amount):
        return "amount-fractional"
    return None


def whole_krone(amount: float) -> bool:
    """Whether an amount is a whole krone as Excel shows it, at 15 significant digits:
    ``=0.1*3*1000000`` (300 000.00000000006) is 300 000 kr; 12 499.5 is not whole."""
    return float(amount).is_integer() or float(f"{amount:.14e}").is_integer()


def _line_total_cells(ctx: Context, sheet_name: str) -> set[str]:
    for project in ctx.read.budget.projects:
        if project.sheet == sheet_name:
            place = ctx.read.places[project.id]
            col = sum_col(len(ctx.read.budget.pilot.years))
            cells = (place.at(place.cost_row(i), col) for i in range(place.rows.capacity))
            return {cell for cell in cells if cell is not None}
    return set()


def _validated_cells(validations: list[Any]) -> set[str]:
    """The top-left cell of every range a validation covers (enough to see it is there)."""
    out = set()
    for validation in validations:
        for part in str(validation.sqref).split():
            out.add(part.split(":")[0].replace("$", ""))
    return out


def _blank(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return date_serial(value)
    return 0 if value is None or value == "" else value


def _value(typed: Any) -> Any:
    """An input's value: a formula's result, else what was typed."""
    return typed.value if isinstance(typed, Formula) else typed


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
