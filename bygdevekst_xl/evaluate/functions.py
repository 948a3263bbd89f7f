"""The fast-path function library: the Excel functions compiled shapes call, and their names.

Aggregates take ``refs`` (one list of values per reference argument) and ``scalars`` (the
other arguments): text, logicals and blanks inside references are ignored by SUM, MIN, MAX,
AVERAGE and COUNT, scalars are coerced. SUMIF and friends take the cell getter ``g`` and
range descriptors (see :mod:`.keys`). :data:`NAMESPACE` is what the generated code
sees; the tables below it map operators and function names onto that namespace.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from typing import Any

from . import dates
from . import numbers as xn
from . import values as xv
from .criteria import Matches, criterion
from .keys import cell_desc, col_of, first_key, gather, row_of
from .limits import CellsRead
from .lookup import xl_xlookup
from .subtotal import xl_subtotal
from .values import DIV0, ERRORS, FMAX, NA, NUM, VALUE, ErrorValue, finite, number


def xl_sum(refs: tuple, scalars: tuple = ()) -> Any:
    """SUM: numbers in references (text, logicals, blanks ignored); scalars coerced."""
    total = 0.0
    for vals in refs:
        for v in vals:
            t = type(v)
            if t is float or t is int:
                total += v
            elif t is ErrorValue:
                return v
    for v in scalars:
        n = number(v)
        if type(n) is ErrorValue:
            return n
        total += n
    return finite(total)


def xl_sum_range(g: Callable, h: int, d: tuple) -> Any:
    """SUM of one range alone: ``xl_sum((gather(g, d),))`` without the list. A formula that
    is just ``=SUM(range)`` compiles to this function itself (``h``, its cell, unused)."""
    CellsRead.count += d[1] * d[2]  # CellsRead.spend, inline: the commonest formula
    if CellsRead.count > CellsRead.limit:
        CellsRead.spend(0)
    keys = d[0]
    total = 0.0
    for v in map(g, keys if type(keys) is range else itertools.chain.from_iterable(keys)):
        t = type(v)
        if t is float or t is int:
            total += v
        elif t is ErrorValue:
            return v
    return total if -FMAX <= total <= FMAX else NUM  # finite(total)


def cell_value(g: Callable, h: int, key: int) -> Any:
    """A formula that is just one cell (``=Parametre!$B$7``): its value, 0 for a blank
    cell (``_Z(g(a0))``); such a formula compiles to this function itself."""
    v = g(key)
    return 0 if v is None else v


_NUMBER_OR_ERROR = frozenset((float, int, ErrorValue))


def _numbers(refs: tuple, scalars: tuple) -> Any:
    """The numbers MIN/MAX/AVERAGE see, or the first error."""
    out = [v for vals in refs for v in vals if type(v) in _NUMBER_OR_ERROR]
    for v in out:
        if type(v) is ErrorValue:
            return v
    for v in scalars:
        n = number(v)
        if type(n) is ErrorValue:
            return n
        out.append(n)
    return out


def xl_min(refs: tuple, scalars: tuple = ()) -> Any:
    """MIN (0 when there are no numbers)."""
    ns = _numbers(refs, scalars)
    return ns if type(ns) is ErrorValue else min(ns, default=0)


def xl_max(refs: tuple, scalars: tuple = ()) -> Any:
    """MAX (0 when there are no numbers)."""
    ns = _numbers(refs, scalars)
    return ns if type(ns) is ErrorValue else max(ns, default=0)


def xl_average(refs: tuple, scalars: tuple = ()) -> Any:
    """AVERAGE (#DIV/0! when there are no numbers)."""
    ns = _numbers(refs, scalars)
    if type(ns) is ErrorValue:
        return ns
    return finite(sum(ns) / len(ns)) if ns else DIV0


def xl_count(refs: tuple, scalars: tuple = ()) -> int:
    """COUNT: numbers in references, scalars that coerce to numbers."""
    n = 0
    for vals in refs:
        for v in vals:
            t = type(v)
            n += t is float or t is int
    for v in scalars:
        n += type(number(v)) is not ErrorValue
    return n


def xl_counta(refs: tuple, scalars: tuple = ()) -> int:
    """COUNTA: non-blank cells in references, and every scalar."""
    return sum(v is not None for vals in refs for v in vals) + len(scalars)


def _and_or(refs: tuple, scalars: tuple, want: bool) -> Any:
    """AND (want=False) / OR (want=True); text and blanks are skipped, none left: #VALUE!."""
    seen = False
    for v in itertools.chain(*refs, scalars):
        t = type(v)
        if t is bool or t is float or t is int:
            seen = True
            if bool(v) is want:
                return _first_error(refs, scalars, want)
        elif t is ErrorValue:
            return v
    return (not want) if seen else VALUE


def _first_error(refs: tuple, scalars: tuple, result: bool) -> Any:
    """The first error among the arguments, else result."""
    for v in itertools.chain(*refs, scalars):
        if type(v) is ErrorValue:
            return v
    return result


def xl_and(refs: tuple, scalars: tuple = ()) -> Any:
    """AND."""
    return _and_or(refs, scalars, False)


def xl_or(refs: tuple, scalars: tuple = ()) -> Any:
    """OR."""
    return _and_or(refs, scalars, True)


def xl_len(v: Any) -> Any:
    """LEN: the length of the text a value shows (errors pass through)."""
    return v if type(v) is ErrorValue else len(xv.as_text(v))


def xl_rept(text: Any, times: Any) -> Any:
    """REPT: #VALUE! for a negative count or past Excel's 32 767 characters, found before
    the text is built (``REPT("x",10^9)`` would take gigabytes)."""
    if type(text) is ErrorValue:
        return text
    n = number(times)
    if type(n) is ErrorValue:
        return n
    shown = xv.as_text(text)
    if not n >= 0 or len(shown) * int(n) > xv.MAX_TEXT:
        return VALUE
    return shown * int(n)


def xl_sumifs(g: Callable, sum_d: tuple | None, pairs: tuple, average: bool = False) -> Any:
    """SUMIFS (sum_d given) and COUNTIFS (sum_d None); pairs of (range, criterion);
    AVERAGEIFS when ``average`` (#DIV/0! when no number matches). Only the matched cells of
    the sum range are read (each cell of it still counts as read)."""
    hits: list[int] | None = None
    shape = None
    for d, c in pairs:
        p = criterion(c)
        if type(p) is ErrorValue:
            return p
        if shape is None:
            shape = d[1:]
        elif d[1:] != shape:  # formulas and Excel's SUMIFS: #VALUE!
            return VALUE
        found = Matches.positions(g, d, c, p)
        if hits is None:
            hits = found
        elif hits:
            also = frozenset(found)
            hits = [i for i in hits if i in also]
    if hits is None:  # no (range, criterion) pair: the compiler never emits one; Excel's #VALUE!
        return VALUE
    if sum_d is None:
        return len(hits)
    if sum_d[1:] != shape:  # formulas: #VALUE! (Excel would resize the sum range)
        return VALUE
    return _sum_at(g, sum_d, hits, average)


def _sum_at(g: Callable, sum_d: tuple, hits: list[int], average: bool) -> Any:
    """The sum (or the average) of the numbers at positions hits of range sum_d, or the
    first error there; every cell of sum_d counts as read."""
    CellsRead.spend(sum_d[1] * sum_d[2])
    keys, cols = sum_d[0], sum_d[2]
    matched: Iterable[int]
    if type(keys) is range:
        matched = map(keys.__getitem__, hits)
    else:  # one range of keys per row
        matched = (keys[i // cols][i % cols] for i in hits)
    total = 0.0
    counted = 0
    for v in map(g, matched):  # the matched cells, in order
        t = type(v)
        if t is float or t is int:
            total += v
            counted += 1
        elif t is ErrorValue:
            return v
    if average:
        return finite(total / counted) if counted else DIV0
    return finite(total)


def xl_sumif(g: Callable, test_d: tuple, c: Any, sum_d: tuple | None = None) -> Any:
    """SUMIF: ``xl_sumifs`` of one criterion, without its loop."""
    p = criterion(c)
    if type(p) is ErrorValue:
        return p
    hits = Matches.positions(g, test_d, c, p)
    if sum_d is None:
        sum_d = test_d
    elif sum_d[1:] != test_d[1:]:  # formulas: #VALUE! (Excel would resize the sum range)
        return VALUE
    return _sum_at(g, sum_d, hits, False)


def xl_countif(g: Callable, test_d: tuple, c: Any) -> Any:
    """COUNTIF."""
    return xl_sumifs(g, None, ((test_d, c),))


def xl_averageif(g: Callable, test_d: tuple, c: Any, avg_d: tuple | None = None) -> Any:
    """AVERAGEIF."""
    return xl_sumifs(g, test_d if avg_d is None else avg_d, ((test_d, c),), True)


def xl_averageifs(g: Callable, avg_d: tuple, pairs: tuple) -> Any:
    """AVERAGEIFS."""
    return xl_sumifs(g, avg_d, pairs, True)


def switch_matches(value: Any, case: Any) -> Any:
    """Whether SWITCH's value matches a case (as ``=``), or the case's error."""
    if type(case) is ErrorValue:
        return case
    return xv.eq(value, case) is True


NAMESPACE: dict[str, Any] = {
    "_EV": ErrorValue,
    "_G": gather,
    "_K0": first_key,
    "_CD": cell_desc,
    "_ROWK": row_of,
    "_COLK": col_of,
    "_Z": xv.zero_if_blank,
    "_COND": xv.as_condition,
    "_ERR": ERRORS,
    "_ADD": xv.add,
    "_SUB": xv.sub,
    "_MUL": xv.mul,
    "_DIV": xv.div,
    "_POW": xv.power,
    "_NEG": xv.negate,
    "_POS": xv.plus,
    "_PCT": xv.percent,
    "_NUMV": xv.to_number,
    "_EQ": xv.eq,
    "_NE": xv.ne,
    "_LT": xv.lt,
    "_LE": xv.le,
    "_GT": xv.gt,
    "_GE": xv.ge,
    "_CAT": xv.concat,
    "_SUM": xl_sum,
    "_SUMR": xl_sum_range,
    "_MIN": xl_min,
    "_MAX": xl_max,
    "_AVERAGE": xl_average,
    "_COUNT": xl_count,
    "_COUNTA": xl_counta,
    "_AND": xl_and,
    "_OR": xl_or,
    "_NOT": xv.logical_not,
    "_ABS": xv.absolute,
    "_ROUND": xn.xl_round,
    "_ROUNDUP": xn.xl_roundup,
    "_ROUNDDOWN": xn.xl_rounddown,
    "_LEN": xl_len,
    "_REPT": xl_rept,
    "_SUMIF": xl_sumif,
    "_COUNTIF": xl_countif,
    "_SUMIFS": xl_sumifs,
    "_ISNUMBER": xv.is_number,
    "_AVERAGEIF": xl_averageif,
    "_AVERAGEIFS": xl_averageifs,
    "_SUBTOTAL": xl_subtotal,
    "_XLOOKUP": xl_xlookup,
    "_SWM": switch_matches,
    "_NA": NA,
}
"""The globals of every compiled shape."""

BINARY = {
    "+": "_ADD",
    "-": "_SUB",
    "*": "_MUL",
    "/": "_DIV",
    "^": "_POW",
    "&": "_CAT",
    "=": "_EQ",
    "<>": "_NE",
    "<": "_LT",
    "<=": "_LE",
    ">": "_GT",
    ">=": "_GE",
}
AGGREGATES = {
    "SUM": "_SUM",
    "MIN": "_MIN",
    "MAX": "_MAX",
    "AVERAGE": "_AVERAGE",
    "COUNT": "_COUNT",
    "COUNTA": "_COUNTA",
    "AND": "_AND",
    "OR": "_OR",
}
UNARY_FUNCS = {"NOT": "_NOT", "ABS": "_ABS", "LEN": "_LEN"}
ROUNDS = {"ROUND": "_ROUND", "ROUNDUP": "_ROUNDUP", "ROUNDDOWN": "_ROUNDDOWN", "REPT": "_REPT"}
"""Functions of exactly two scalars (the ROUND family, and REPT)."""

SCALARS: dict[str, tuple[Callable[..., Any], int, int]] = {
    "TRUNC": (xn.xl_trunc, 1, 2),
    "INT": (xn.xl_int, 1, 1),
    "MROUND": (xn.xl_mround, 2, 2),
    "CEILING": (xn.xl_ceiling, 1, 2),
    "FLOOR": (xn.xl_floor, 1, 2),
    "CEILING.MATH": (xn.xl_ceiling_math, 1, 3),
    "FLOOR.MATH": (xn.xl_floor_math, 1, 3),
    "CEILING.PRECISE": (xn.xl_ceiling_precise, 1, 2),
    "ISO.CEILING": (xn.xl_ceiling_precise, 1, 2),
    "FLOOR.PRECISE": (xn.xl_floor_precise, 1, 2),
    "QUOTIENT": (xn.xl_quotient, 2, 2),
    "MOD": (xn.xl_mod, 2, 2),
    "VALUE": (xn.xl_value, 1, 1),
    "DATE": (dates.xl_date, 3, 3),
    "YEAR": (dates.xl_year, 1, 1),
    "MONTH": (dates.xl_month, 1, 1),
    "DAY": (dates.xl_day, 1, 1),
    "DATEDIF": (dates.xl_datedif, 3, 3),
}
"""Functions of scalars only: (function, fewest arguments, most arguments)."""
NAMESPACE.update({"_F_" + name.replace(".", "_"): f for name, (f, _, _) in SCALARS.items()})

REFUSED = {
    "INDIRECT": "INDIRECT builds references from text",
    "OFFSET": "OFFSET builds references at run time",
    "LAMBDA": "LAMBDA is not supported",
    "CELL": "CELL is not supported",
    "INFO": "INFO is not supported",
    "AREAS": "AREAS needs reference geometry",
    "ISREF": "ISREF needs reference geometry",
    "ISFORMULA": "ISFORMULA needs the workbook",
    "FORMULATEXT": "FORMULATEXT needs the workbook",
    "SHEET": "SHEET needs the workbook",
    "SHEETS": "SHEETS needs the workbook",
    "GETPIVOTDATA": "GETPIVOTDATA needs pivot tables",
    "ROW": "ROW of a computed reference is not supported",
    "COLUMN": "COLUMN of a computed reference is not supported",
    "ROWS": "ROWS of a computed reference is not supported",
    "COLUMNS": "COLUMNS of a computed reference is not supported",
}
"""Functions refused outright, with the reason: volatile references, lambdas, and functions
that need the geometry of a reference (the formulas fallback only sees values)."""
GEOMETRY = {"ROW", "COLUMN", "ROWS", "COLUMNS"}
"""Refused only when the fast path cannot take them (it knows the geometry)."""
FAST_NAMES = {
    *SCALARS,
    *("AVERAGEIF", "AVERAGEIFS", "SUBTOTAL", "XLOOKUP", "IFS", "SWITCH", "LET"),
    *AGGREGATES,
    *UNARY_FUNCS,
    *ROUNDS,
    *GEOMETRY,
    *("IF", "IFERROR", "SUMIF", "COUNTIF", "SUMIFS", "COUNTIFS"),
    *("ISBLANK", "ISNUMBER", "ISTEXT", "ISLOGICAL", "ISERROR"),
}
"""The functions the fast path compiles (and our own parser accepts)."""
