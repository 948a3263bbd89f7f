"""Fast headless evaluation of every formula in a workbook.

``formulas.ExcelModel`` needs minutes and gigabytes for 100 000 formulas, so this module
builds its own dependency graph and compiles each distinct formula *shape* only once:

1. A small tokenizer (:mod:`.tokens`) replaces every reference in a formula (cell,
   range, defined name) with a numbered placeholder: ``=SUM(C8:D8)*$B$2`` becomes the
   shape ``=SUM(_R0)*_C1`` plus the concrete references of that cell. 10 000 row formulas
   share one shape.
2. Each shape is parsed once (:mod:`.compile`): by our own parser
   (:mod:`.parser`) when it uses only the fast-path grammar and functions below,
   else by the ``formulas`` Parser. Shapes that use only those functions
   (:mod:`.functions`) compile to a plain Python function (the fast path); other
   shapes compile through ``formulas`` itself (:mod:`.fallback`) and are called with
   numpy arrays (about 0.5 ms a cell).
3. Cells are evaluated in topological order (:mod:`.graph`; Kahn's algorithm, no
   recursion); cells left over are on, or depend on, a circular reference.

Fast path: SUM, SUMIF, SUMIFS, COUNTIF, COUNTIFS, AVERAGEIF, AVERAGEIFS, MIN, MAX, AVERAGE,
COUNT, COUNTA, SUBTOTAL, IF, IFS, SWITCH, IFERROR, LET, XLOOKUP, AND, OR, NOT, ABS, ROUND,
ROUNDUP, ROUNDDOWN, MROUND, TRUNC, INT, CEILING, FLOOR (and their .MATH/.PRECISE forms),
QUOTIENT, MOD, VALUE, DATE, YEAR, MONTH, DAY, DATEDIF, ROW, COLUMN, ROWS, COLUMNS, ISBLANK,
ISNUMBER, ISTEXT, ISLOGICAL, ISERROR, and the operators ``+ - * / ^ % & = <> < > <= >=``;
structured references to Excel Tables (:mod:`.structured`). It gives the same values as
``formulas`` 1.3.4, except where ``formulas`` differs from Excel; there it follows Excel
(:mod:`.values`, :mod:`.numbers`, :mod:`.criteria`):

* Excel's number model: rounding functions take the value at 15 significant digits first
  (``ROUND(267.15*50,0)`` is 13 358, ``TRUNC(90000*1.15)`` 103 500), MROUND rounds halves away
  from zero, and ``=`` and the other comparisons compare numbers at 15 digits
  (``0.1+0.2=0.3``); the fallback's rounding functions are replaced by these;
* text in arithmetic and VALUE as en-US Excel reads it: ``40,000``, ``50%``, ``$1,000``,
  ``1e3``, ISO and m/d/yyyy dates; ``40 000`` is #VALUE!, never a date;

* text (also "3"), logicals and blanks inside references are ignored by SUM, MIN, MAX,
  AVERAGE, COUNT, ISNUMBER and SUMIF's sum range (formulas adds "3", and MIN/MAX/AVERAGE of
  a range holding text give #VALUE!); SUM(1=1) is 1 (formulas: 0);
* a blank cell equals FALSE; ``--x`` turns x into a number (formulas reads it as ``+x``);
* criteria: "<>x" also counts blanks and numbers, "<>" counts non-blank cells, "=" blank
  ones, wildcards ignore case, ">4" skips numbers stored as text;
* ``^``: 0^0 and roots of negative numbers are #NUM! (formulas: 1 and a complex number),
  0^-1 is #DIV/0!, overflow #NUM!;
* numbers joined with ``&`` show 15 significant digits ("0.3", "1E+20");
* a number written without an exponent sign, ``1E20``, is read (formulas cannot parse it).

Importing this module is cheap, and ``formulas`` (about 0.4 s with numpy) is imported only
for the first shape our parser or the fast path cannot take.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .graph import Chunk, Evaluation, EvaluationRun, chunks
from .keys import CellKey
from .limits import DEFAULT_LIMITS, Limits
from .structured import TableArea, table_area
from .values import CIRCULAR, ErrorValue

__all__ = [
    "CIRCULAR",
    "DEFAULT_LIMITS",
    "CellKey",
    "ErrorValue",
    "Evaluation",
    "Limits",
    "evaluate",
    "evaluate_workbook",
    "recalculate",
]


def evaluate_workbook(content: Any, *, limits: Limits = DEFAULT_LIMITS) -> Evaluation:
    """Evaluate every formula of a workbook read by ``xlsx.read_workbook``, within ``limits``.

    Constant error cells count as their error value; see :func:`evaluate`. The sheets are
    taken as they are (no cell is copied into one big mapping first).
    """
    tables = []
    constants: list[Chunk] = []
    for name, sheet in content.sheets.items():
        areas = (table_area(name, t) for t in getattr(sheet, "tables", ()))
        tables += [a for a in areas if a is not None]
        if sheet.values:
            constants.append((name, sheet.values))
        if sheet.errors:
            constants.append((name, {a: ErrorValue(code) for a, code in sheet.errors.items()}))
    formulas = [(name, sheet.formulas) for name, sheet in content.sheets.items() if sheet.formulas]
    sheets = dict.fromkeys(name for name, _ in (*constants, *formulas))
    hidden = {name: sheet.hidden_rows for name, sheet in content.sheets.items()}
    run = EvaluationRun(sheets, constants, formulas, content.names, limits, tables, hidden)
    return Evaluation(run)


def evaluate(
    values: Mapping[CellKey, object],
    formulas: Mapping[CellKey, str],
    names: Mapping[str, str] | None = None,
    *,
    limits: Limits = DEFAULT_LIMITS,
    tables: Sequence[TableArea] = (),
    hidden_rows: Mapping[str, Iterable[int]] | None = None,
) -> Evaluation:
    """Evaluate every formula cell.

    ``values`` holds the constant cells (absent cells are empty), ``formulas`` the formula
    text as stored in the xlsx (``"=SUM(C8:C20)"``), ``names`` the workbook-level defined
    names (``{"KDD_Tak": "Parametre!$B$4"}``, case-insensitive). Keys are
    ``(sheet name, "A1")``. A sheet is known only if one of its cells appears in ``values``
    or ``formulas``. Strings equal to an error code (``"#N/A"``, as openpyxl reads error
    cells) count as that error; dates count as Excel serial numbers. Never raises for a
    bad formula; see :class:`Evaluation`. A formula past Excel's limits or the work budget
    ``limits`` (:class:`Limits`; the defaults are far above what a budget needs) is not
    evaluated and is reported at its cell. ``tables`` are the Excel Tables that structured
    references name (:mod:`.structured`), ``hidden_rows`` the rows a person hid on each
    sheet (SUBTOTAL 101-111 leaves them out).
    """
    sheets = dict.fromkeys(sheet for sheet, _ in (*values.keys(), *formulas.keys()))
    run = EvaluationRun(
        sheets, chunks(values), chunks(formulas), names, limits, tables, hidden_rows
    )
    evaluation = Evaluation(run)
    evaluation.values  # noqa: B018 (every formula evaluated now, as documented)
    return evaluation


def recalculate(path: Any, *, limits: Limits = DEFAULT_LIMITS) -> dict[tuple[str, str], Any]:
    """Every formula cell's value of the .xlsx at ``path``, by (sheet, A1 address): a headless
    recalculation of any workbook, as ``check`` computes it."""
    from ..xlsx import read_workbook

    return dict(evaluate_workbook(read_workbook(path), limits=limits).values)
