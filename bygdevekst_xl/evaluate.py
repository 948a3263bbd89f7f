"""Fast headless evaluation of every formula in a workbook.

``formulas.ExcelModel`` needs minutes and gigabytes for 100 000 formulas, so this module
builds its own dependency graph and compiles each distinct formula *shape* only once:

1. A small tokenizer replaces every reference in a formula (cell, range, defined name)
   with a numbered placeholder: ``=SUM(C8:D8)*$B$2`` becomes the shape ``=SUM(_R0)*_C1``
   plus the concrete references of that cell. 10 000 row formulas share one shape.
2. Each shape is parsed once: by our own parser (:mod:`.formula_parser`) when it uses
   only the fast-path grammar and functions below, else by the ``formulas`` Parser. Shapes
   that use only those functions compile to a plain Python function (the fast path); other
   shapes compile through ``formulas`` itself and are called with numpy arrays (about
   0.5 ms a cell).
3. Cells are evaluated in topological order (Kahn's algorithm, no recursion); cells left
   over are on, or depend on, a circular reference.

Fast path: SUM, SUMIF, SUMIFS, COUNTIF, COUNTIFS, MIN, MAX, AVERAGE, COUNT, COUNTA, IF,
IFERROR, AND, OR, NOT, ABS, ROUND, ROUNDUP, ROUNDDOWN, ROW, COLUMN, ROWS, COLUMNS, ISBLANK,
ISNUMBER, ISTEXT, ISLOGICAL, ISERROR, and the operators ``+ - * / ^ % & = <> < > <= >=``.
It gives the same values as ``formulas`` 1.3.4, except where ``formulas`` differs from
Excel; there it follows Excel:

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

import contextlib
import datetime as _dt
import functools
import logging
import math
import re
import sys
import warnings
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .formula_parser import Node
from .formula_parser import parse as _parse_formula

__all__ = ["CIRCULAR", "CellKey", "ErrorValue", "Evaluation", "evaluate"]

CellKey = tuple[str, str]


@dataclass(frozen=True)
class ErrorValue:
    """An Excel error value, e.g. ``ErrorValue("#DIV/0!")``; ``str()`` gives the code."""

    code: str

    def __str__(self) -> str:
        return self.code


@dataclass
class Evaluation:
    """What :func:`evaluate` found.

    ``values`` maps every formula cell to a float, str, bool or :class:`ErrorValue`.
    ``circular`` holds the cells on, or depending on, a circular reference; each of them has
    the value ``ErrorValue("#CIRC!")`` (a code Excel does not have, so it cannot be mistaken
    for a computed error). ``unsupported`` maps the cells that could not be evaluated
    (unknown or unsupported function, external or structured reference, unknown sheet,
    parse error) to a short reason; their value is ``#NAME?`` (``#REF!`` for references
    that lead outside the workbook), and dependent cells see that error.
    """

    values: dict[CellKey, object]
    circular: set[CellKey]
    unsupported: dict[CellKey, str]


_EV = ErrorValue
NULL = ErrorValue("#NULL!")
DIV0 = ErrorValue("#DIV/0!")
VALUE = ErrorValue("#VALUE!")
REF = ErrorValue("#REF!")
NAME = ErrorValue("#NAME?")
NUM = ErrorValue("#NUM!")
NA = ErrorValue("#N/A")
CIRCULAR = ErrorValue("#CIRC!")
_ERRORS = {e.code: e for e in (NULL, DIV0, VALUE, REF, NAME, NUM, NA, ErrorValue("#GETTING_DATA"))}

# ---------------------------------------------------------------------------------------
# Cell keys: one int per cell, (sheet << 36) | (row << 15) | column, columns 1..16384.
_CBITS = 15
_W = 1 << _CBITS
_SBITS = 36
_MAXCOL = 16384
_MAXROW = 1048576


def _row_of(key: int) -> int:
    return (key >> _CBITS) & ((1 << (_SBITS - _CBITS)) - 1)


def _col_of(key: int) -> int:
    return key & (_W - 1)


@functools.cache
def _col_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


_ADDR_RE = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)\Z")


# ---------------------------------------------------------------------------------------
# Scalar semantics used by the compiled shapes. Inside the evaluator an empty cell is None.

_FMAX = sys.float_info.max
_NUM_RE = re.compile(r"\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*\Z")


def _fin(r: Any) -> Any:
    """Return r, or #NUM! when it is infinite or NaN."""
    return r if -_FMAX <= r <= _FMAX else NUM


def _num(x: Any) -> Any:
    """Coerce a scalar to a number the way arithmetic does; an error value if it can't."""
    t = type(x)
    if t is float or t is int:
        return x
    if x is None:
        return 0
    if t is bool:
        return 1 if x else 0
    if t is str:
        return float(x) if _NUM_RE.match(x) else VALUE
    if t is _EV:
        return x
    return VALUE


def _pair(x: Any, y: Any) -> Any:
    """Both operands as numbers, or the first error (errors before coercion, as formulas)."""
    if type(x) is _EV:
        return x
    if type(y) is _EV:
        return y
    x = _num(x)
    if type(x) is _EV:
        return x
    y = _num(y)
    if type(y) is _EV:
        return y
    return x, y


def _add(x: Any, y: Any) -> Any:
    tx, ty = type(x), type(y)
    if (tx is float or tx is int) and (ty is float or ty is int):
        return _fin(x + y)
    p = _pair(x, y)
    return p if type(p) is _EV else _fin(p[0] + p[1])


def _sub(x: Any, y: Any) -> Any:
    tx, ty = type(x), type(y)
    if (tx is float or tx is int) and (ty is float or ty is int):
        return _fin(x - y)
    p = _pair(x, y)
    return p if type(p) is _EV else _fin(p[0] - p[1])


def _mul(x: Any, y: Any) -> Any:
    tx, ty = type(x), type(y)
    if (tx is float or tx is int) and (ty is float or ty is int):
        return _fin(x * y)
    p = _pair(x, y)
    return p if type(p) is _EV else _fin(p[0] * p[1])


def _div(x: Any, y: Any) -> Any:
    p = _pair(x, y)
    if type(p) is _EV:
        return p
    return _fin(p[0] / p[1]) if p[1] else DIV0


def _pow(x: Any, y: Any) -> Any:
    p = _pair(x, y)
    if type(p) is _EV:
        return p
    try:
        r = float(p[0]) ** float(p[1])
    except ZeroDivisionError:  # Excel: 0^-1 is #DIV/0! (formulas: #VALUE!)
        return DIV0
    except OverflowError:  # Excel: #NUM! (formulas: #VALUE!)
        return NUM
    if type(r) is not float or (p[0] == 0 and p[1] == 0):  # complex root, or 0^0
        return NUM
    return _fin(r)


def _neg(x: Any) -> Any:
    n = _num(x)
    return n if type(n) is _EV else -n


def _pos(x: Any) -> Any:
    return 0 if x is None else x


def _pct(x: Any) -> Any:
    n = _num(x)
    return n if type(n) is _EV else n / 100.0


def _rank(t: type) -> int:
    return 1 if t is str else 2 if t is bool else 0


def _cmp(x: Any, y: Any) -> Any:
    """-1, 0 or 1 comparing like Excel: numbers < text < logicals, text case-insensitive."""
    if type(x) is _EV:
        return x
    if type(y) is _EV:
        return y
    if x is None:
        x = "" if type(y) is str else False if type(y) is bool else 0
    if y is None:
        y = "" if type(x) is str else False if type(x) is bool else 0
    rx, ry = _rank(type(x)), _rank(type(y))
    if rx != ry:
        return -1 if rx < ry else 1
    if rx == 1:
        x, y = x.upper(), y.upper()
    return (x > y) - (x < y)


def _eq(x: Any, y: Any) -> Any:
    tx, ty = type(x), type(y)
    if (tx is float or tx is int) and (ty is float or ty is int):
        return x == y
    c = _cmp(x, y)
    return c if type(c) is _EV else c == 0


def _ne(x: Any, y: Any) -> Any:
    c = _eq(x, y)
    return c if type(c) is _EV else not c


def _lt(x: Any, y: Any) -> Any:
    c = _cmp(x, y)
    return c if type(c) is _EV else c < 0


def _le(x: Any, y: Any) -> Any:
    c = _cmp(x, y)
    return c if type(c) is _EV else c <= 0


def _gt(x: Any, y: Any) -> Any:
    c = _cmp(x, y)
    return c if type(c) is _EV else c > 0


def _ge(x: Any, y: Any) -> Any:
    c = _cmp(x, y)
    return c if type(c) is _EV else c >= 0


def _text(v: Any) -> str:
    t = type(v)
    if t is str:
        return v
    if v is None:
        return ""
    if t is bool:
        return "TRUE" if v else "FALSE"
    if t is float:
        if v.is_integer() and abs(v) < 1e15:
            return str(int(v))
        return f"{v:.15G}"  # Excel: 15 significant digits (formulas: Python repr)
    return str(v)


def _cat(x: Any, y: Any) -> Any:
    if type(x) is _EV:
        return x
    if type(y) is _EV:
        return y
    return _text(x) + _text(y)


def _cond(c: Any) -> Any:
    """An IF condition as bool, or an error value."""
    t = type(c)
    if t is bool:
        return c
    if t is float or t is int:
        return c != 0
    if c is None:
        return False
    if t is _EV:
        return c
    return VALUE


def _z(v: Any) -> Any:
    """An empty cell read as a formula result is 0."""
    return 0 if v is None else v


def _not(x: Any) -> Any:
    c = _cond(x)
    return c if type(c) is _EV else not c


def _abs(x: Any) -> Any:
    n = _num(x)
    return n if type(n) is _EV else abs(n)


def _round_half_up(x: float) -> float:
    return float(Decimal(x).quantize(0, rounding=ROUND_HALF_UP))


def _round(x: Any, d: Any, func: Callable[[float], float] = _round_half_up) -> Any:
    """ROUND as formulas does it: scale by 10**int(d), round half away from zero."""
    p = _pair(x, d)
    if type(p) is _EV:
        return p
    x, d = p
    try:
        scale = 10.0 ** int(d)
        scaled = abs(x * scale)
        if not -_FMAX <= scaled <= _FMAX:
            return float(x)
        v = (scaled if scaled >= 2.0**52 else float(func(scaled))) / scale
    except (ArithmeticError, ValueError):
        return NUM
    return -v if x < 0 else v


def _roundup(x: Any, d: Any) -> Any:
    return _round(x, d, math.ceil)


def _rounddown(x: Any, d: Any) -> Any:
    return _round(x, d, math.floor)


def _gather(g: Callable[[int], Any], d: tuple) -> list:
    """The values of a range descriptor ``(keys, rows, cols)``, row by row."""
    keys = d[0]
    if type(keys) is range:
        return list(map(g, keys))
    return [v for r in keys for v in map(g, r)]


def _first_key(d: tuple) -> int:
    keys = d[0]
    return keys.start if type(keys) is range else keys[0].start


def _sum(refs: tuple, scalars: tuple = ()) -> Any:
    """SUM: numbers in references (text, logicals, blanks ignored); scalars coerced."""
    total = 0.0
    for vals in refs:
        for v in vals:
            t = type(v)
            if t is float or t is int:
                total += v
            elif t is _EV:
                return v
    for v in scalars:
        n = _num(v)
        if type(n) is _EV:
            return n
        total += n
    return _fin(total)


def _numbers(refs: tuple, scalars: tuple) -> Any:
    """The numbers MIN/MAX/AVERAGE see, or the first error."""
    out = []
    for vals in refs:
        for v in vals:
            t = type(v)
            if t is float or t is int:
                out.append(v)
            elif t is _EV:
                return v
    for v in scalars:
        n = _num(v)
        if type(n) is _EV:
            return n
        out.append(n)
    return out


def _min(refs: tuple, scalars: tuple = ()) -> Any:
    ns = _numbers(refs, scalars)
    return ns if type(ns) is _EV else min(ns, default=0)


def _max(refs: tuple, scalars: tuple = ()) -> Any:
    ns = _numbers(refs, scalars)
    return ns if type(ns) is _EV else max(ns, default=0)


def _average(refs: tuple, scalars: tuple = ()) -> Any:
    ns = _numbers(refs, scalars)
    if type(ns) is _EV:
        return ns
    return _fin(sum(ns) / len(ns)) if ns else DIV0


def _count(refs: tuple, scalars: tuple = ()) -> int:
    n = 0
    for vals in refs:
        for v in vals:
            t = type(v)
            n += t is float or t is int
    for v in scalars:
        n += type(_num(v)) is not _EV
    return n


def _counta(refs: tuple, scalars: tuple = ()) -> int:
    return sum(v is not None for vals in refs for v in vals) + len(scalars)


def _and_or(refs: tuple, scalars: tuple, want: bool) -> Any:
    """AND (want=False) / OR (want=True); text and blanks are skipped, none left: #VALUE!."""
    seen = False
    for v in (v for vals in refs for v in vals):
        t = type(v)
        if t is bool or t is float or t is int:
            seen = True
            if bool(v) is want:
                return _first_error(refs, scalars, want)
        elif t is _EV:
            return v
    for v in scalars:
        t = type(v)
        if t is bool or t is float or t is int:
            seen = True
            if bool(v) is want:
                return _first_error(refs, scalars, want)
        elif t is _EV:
            return v
    return (not want) if seen else VALUE


def _first_error(refs: tuple, scalars: tuple, result: bool) -> Any:
    for vals in refs:
        for v in vals:
            if type(v) is _EV:
                return v
    for v in scalars:
        if type(v) is _EV:
            return v
    return result


def _and(refs: tuple, scalars: tuple = ()) -> Any:
    return _and_or(refs, scalars, False)


def _or(refs: tuple, scalars: tuple = ()) -> Any:
    return _and_or(refs, scalars, True)


# --- criteria for SUMIF / COUNTIF / SUMIFS / COUNTIFS ----------------------------------

_CRIT_OPS = (">=", "<=", "<>", "<", ">", "=")
_criteria_cache: dict[tuple, Any] = {}


def _criterion(c: Any) -> Any:
    """A predicate over cell values for an Excel criterion, or the criterion's error."""
    key = (type(c), c)
    p = _criteria_cache.get(key)
    if p is None:
        if len(_criteria_cache) > 4096:
            _criteria_cache.clear()
        p = _criteria_cache[key] = _make_criterion(c)
    return p


def _numeric(v: Any) -> Any:
    """v as a number for criteria: numbers and numeric text (as formulas), else None."""
    t = type(v)
    if t is float or t is int:
        return v
    if t is str and _NUM_RE.match(v):
        return float(v)
    return None


def _wildcard(pattern: str) -> Callable[[str], Any] | None:
    """A case-insensitive full-match for Excel's * ? ~ wildcards; None if there are none."""
    if "*" not in pattern and "?" not in pattern:
        return None
    out, i = [], 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "~" and i + 1 < len(pattern) and pattern[i + 1] in "*?~":
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append(".*" if ch == "*" else "." if ch == "?" else re.escape(ch))
        i += 1
    return re.compile("".join(out), re.IGNORECASE | re.DOTALL).fullmatch


def _make_criterion(c: Any) -> Any:
    t = type(c)
    if t is _EV:
        return c
    if c is None:  # an empty criterion cell matches nothing (as formulas)
        return lambda v: False
    if t is bool:
        return lambda v: type(v) is bool and v is c
    if t is float or t is int:
        return lambda v: _numeric(v) == c
    if t is not str:
        return VALUE
    op, rest = "=", c
    for k in _CRIT_OPS:
        if c.startswith(k):
            op, rest = k, c[len(k) :]
            break
    if op == "<>":  # Excel: everything that "=rest" does not match, blanks included
        eq = _make_criterion("=" + rest)
        return lambda v: not eq(v)
    if _NUM_RE.match(rest):
        n = float(rest)
        if op == "=":  # numbers stored as text match too (Excel and formulas)
            return lambda v: _numeric(v) == n
        compare = _COMPARE[op]  # Excel: only real numbers (formulas: numeric text too)
        return lambda v: (type(v) is float or type(v) is int) and compare(v, n)
    upper = rest.strip().upper()
    if upper in ("TRUE", "FALSE"):
        b = upper == "TRUE"
        compare = _COMPARE[op]
        return lambda v: type(v) is bool and compare(v, b)
    if rest in _ERRORS:
        err = _ERRORS[rest]
        return lambda v: v == err if op == "=" else False
    if op == "=":
        if rest == "":  # Excel: "" matches blank cells and empty text, "=" only blanks
            return (lambda v: v is None or v == "") if c == "" else (lambda v: v is None)
        match = _wildcard(rest)
        if match is not None:
            return lambda v: type(v) is str and match(v) is not None
        folded = rest.casefold()
        return lambda v: type(v) is str and v.casefold() == folded
    compare, folded = _COMPARE[op], rest.casefold()
    return lambda v: type(v) is str and compare(v.casefold(), folded)


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "=": lambda a, b: a == b,
    "<": lambda a, b: a < b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    ">=": lambda a, b: a >= b,
}


def _sumifs(g: Callable, sum_d: tuple | None, pairs: tuple) -> Any:
    """SUMIF/SUMIFS (sum_d given) and COUNTIF/COUNTIFS (sum_d None)."""
    mask = None
    shape = None
    for d, c in pairs:
        p = _criterion(c)
        if type(p) is _EV:
            return p
        if shape is None:
            shape = d[1:]
        elif d[1:] != shape:  # formulas and Excel's SUMIFS: #VALUE!
            return VALUE
        hits = [p(v) for v in _gather(g, d)]
        mask = hits if mask is None else [a and b for a, b in zip(mask, hits, strict=True)]
    if sum_d is None:
        return sum(mask)
    if sum_d[1:] != shape:  # formulas: #VALUE! (Excel would resize the sum range)
        return VALUE
    total = 0.0
    for hit, v in zip(mask, _gather(g, sum_d), strict=True):
        if hit:
            t = type(v)
            if t is float or t is int:
                total += v
            elif t is _EV:
                return v
    return _fin(total)


def _sumif(g: Callable, test_d: tuple, c: Any, sum_d: tuple | None = None) -> Any:
    return _sumifs(g, test_d if sum_d is None else sum_d, ((test_d, c),))


def _countif(g: Callable, test_d: tuple, c: Any) -> Any:
    return _sumifs(g, None, ((test_d, c),))


def _cell_desc(key: int) -> tuple:
    return (range(key, key + 1), 1, 1)


def _is_number(v: Any) -> bool:
    t = type(v)
    return t is float or t is int


def _to_number(x: Any) -> Any:
    """Double negation ``--x``: x as a number (errors pass through)."""
    n = _num(x)
    return n if type(n) is _EV else n + 0


_NS: dict[str, Any] = {
    "_EV": _EV,
    "_G": _gather,
    "_K0": _first_key,
    "_CD": _cell_desc,
    "_ROWK": _row_of,
    "_COLK": _col_of,
    "_Z": _z,
    "_COND": _cond,
    "_ERR": _ERRORS,
    "_ADD": _add,
    "_SUB": _sub,
    "_MUL": _mul,
    "_DIV": _div,
    "_POW": _pow,
    "_NEG": _neg,
    "_POS": _pos,
    "_PCT": _pct,
    "_NUMV": _to_number,
    "_EQ": _eq,
    "_NE": _ne,
    "_LT": _lt,
    "_LE": _le,
    "_GT": _gt,
    "_GE": _ge,
    "_CAT": _cat,
    "_SUM": _sum,
    "_MIN": _min,
    "_MAX": _max,
    "_AVERAGE": _average,
    "_COUNT": _count,
    "_COUNTA": _counta,
    "_AND": _and,
    "_OR": _or,
    "_NOT": _not,
    "_ABS": _abs,
    "_ROUND": _round,
    "_ROUNDUP": _roundup,
    "_ROUNDDOWN": _rounddown,
    "_SUMIF": _sumif,
    "_COUNTIF": _countif,
    "_SUMIFS": _sumifs,
    "_ISNUMBER": _is_number,
}

_BINARY = {
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
_AGGREGATES = {
    "SUM": "_SUM",
    "MIN": "_MIN",
    "MAX": "_MAX",
    "AVERAGE": "_AVERAGE",
    "COUNT": "_COUNT",
    "COUNTA": "_COUNTA",
    "AND": "_AND",
    "OR": "_OR",
}
_UNARY_FUNCS = {"NOT": "_NOT", "ABS": "_ABS"}
_ROUNDS = {"ROUND": "_ROUND", "ROUNDUP": "_ROUNDUP", "ROUNDDOWN": "_ROUNDDOWN"}

# Functions refused outright: volatile references, lambdas, and functions that need the
# geometry of a reference (the formulas fallback only sees values).
_REFUSED = {
    "INDIRECT": "INDIRECT builds references from text",
    "OFFSET": "OFFSET builds references at run time",
    "LAMBDA": "LAMBDA is not supported",
    "LET": "LET is not supported",
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
_GEOMETRY = {"ROW", "COLUMN", "ROWS", "COLUMNS"}
_FAST_NAMES = {
    *_AGGREGATES,
    *_UNARY_FUNCS,
    *_ROUNDS,
    *_GEOMETRY,
    *("IF", "IFERROR", "SUMIF", "COUNTIF", "SUMIFS", "COUNTIFS"),
    *("ISBLANK", "ISNUMBER", "ISTEXT", "ISLOGICAL", "ISERROR"),
}


# ---------------------------------------------------------------------------------------
# Tokenizer: find references, replace them by placeholders.

_TOKEN_RE = re.compile(
    r"""
      (?P<str>"(?:[^"]|"")*")
    | (?P<err>\#(?:NULL!|DIV/0!|VALUE!|REF!|NAME\?|N/A|NUM!|GETTING_DATA))
    | (?P<bracket>\[)
    | (?P<ref>
        (?:(?P<sheet>'(?:[^']|'')+'|[^\W\d][\w.]*(?::[^\W\d][\w.]*)?)!)?
        (?:
            (?P<c1>\$?[A-Za-z]{1,3})(?P<r1>\$?\d+)(?::(?P<c2>\$?[A-Za-z]{1,3})(?P<r2>\$?\d+))?
          | (?P<cc1>\$?[A-Za-z]{1,3}):(?P<cc2>\$?[A-Za-z]{1,3})
          | (?P<rr1>\$?\d+):(?P<rr2>\$?\d+)
          | (?P<shref>\#REF!)
          | (?P<name>[^\W\d][\w.]*)
        )
        (?![\w.(\[!])
      )
    | (?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
    | (?P<func>[^\W\d][\w.]*)(?=\()
    """,
    re.VERBOSE,
)


class _Problem(Exception):
    """A formula that cannot be evaluated: reason, and the value its cell gets."""

    def __init__(self, reason: str, value: ErrorValue = NAME) -> None:
        super().__init__(reason)
        self.reason = reason
        self.value = value


class _Workbook:
    """Sheets, defined names and interned range descriptors for one evaluate() call."""

    def __init__(
        self,
        sheets: dict[str, int],
        used_keys: Callable[[], Iterator[int]],
        names: Mapping[str, str] | None,
    ) -> None:
        self.sheets = sheets  # upper-cased sheet name -> index
        self.used_keys = used_keys
        self.extent: dict[int, tuple[int, int]] | None = None
        self.ranges: dict[tuple[int, int, int, int, int], tuple] = {}
        self.names_raw = {k.upper(): v for k, v in (names or {}).items()}
        self.names: dict[str, Any] = {}

    def sheet(self, raw: str | None, host: int) -> int:
        if raw is None:
            return host
        if raw.startswith("'"):
            raw = raw[1:-1].replace("''", "'")
        if "[" in raw or "]" in raw:
            raise _Problem(f"external workbook reference {raw!r}", REF)
        if ":" in raw:
            raise _Problem(f"3-D reference {raw!r} is not supported", REF)
        idx = self.sheets.get(raw.upper())
        if idx is None:
            raise _Problem(f"reference to unknown sheet {raw!r}", REF)
        return idx

    def extent_of(self, s: int) -> tuple[int, int]:
        """(last row, last column) in use on sheet s, for whole-column and -row references."""
        if self.extent is None:
            extent: dict[int, list[int]] = {}
            for k in self.used_keys():
                e = extent.setdefault(k >> _SBITS, [1, 1])
                r, c = _row_of(k), _col_of(k)
                if r > e[0]:
                    e[0] = r
                if c > e[1]:
                    e[1] = c
            self.extent = {s: (e[0], e[1]) for s, e in extent.items()}
        return self.extent.get(s, (1, 1))

    def area(self, s: int, r1: int, c1: int, r2: int, c2: int) -> tuple:
        """An interned range descriptor ``(keys, rows, cols)``."""
        if r1 > r2:
            r1, r2 = r2, r1
        if c1 > c2:
            c1, c2 = c2, c1
        geo = (s, r1, c1, r2, c2)
        d = self.ranges.get(geo)
        if d is None:
            base = s << _SBITS
            nr, nc = r2 - r1 + 1, c2 - c1 + 1
            k0 = base + r1 * _W + c1
            if nr == 1:
                keys: Any = range(k0, k0 + nc)
            elif nc == 1:
                keys = range(k0, k0 + nr * _W, _W)
            else:
                keys = tuple(range(k, k + nc) for k in range(k0, k0 + nr * _W, _W))
            d = self.ranges[geo] = (keys, nr, nc)
        return d

    def name(self, name: str, depth: int = 0) -> Any:
        """A defined name as ("ref", kind, desc), ("lit", text) or a _Problem."""
        key = name.upper()
        if key in self.names:
            return self.names[key]
        text = self.names_raw.get(key)
        if text is None:
            result: Any = ("lit", "#NAME?")
        else:
            result = self._resolve_name(name, text.strip().lstrip("=").strip(), depth)
        self.names[key] = result
        return result

    def _resolve_name(self, name: str, text: str, depth: int) -> Any:
        if _NUM_RE.match(text):
            return ("lit", f"({text.strip()})")
        m = _TOKEN_RE.fullmatch(text) if text else None
        if m is None:
            return _Problem(f"defined name {name!r} is a formula ({text!r}); not supported")
        kind = m.lastgroup
        if kind in ("str", "err"):
            return ("lit", text)
        if kind != "ref":
            return _Problem(f"defined name {name!r} has an unusable definition {text!r}")
        if m.group("sheet") is None and m.group("name") is None:
            return _Problem(f"defined name {name!r} has no sheet in {text!r}")
        try:
            return self.reference(m, 0, depth + 1)
        except _Problem as p:
            return p

    def reference(self, m: re.Match, host: int, depth: int = 0) -> Any:
        """A ref token as ("ref", "c", key) / ("ref", "r", desc) / ("lit", text)."""
        if m.group("shref"):
            return ("lit", "#REF!")
        name = m.group("name")
        if name is not None:
            if m.group("sheet") is None:
                if name.upper() in ("TRUE", "FALSE"):
                    return ("lit", name)
            else:
                self.sheet(m.group("sheet"), host)  # external or unknown sheet?
            if depth > 10:
                raise _Problem(f"defined name {name!r} refers to itself")
            found = self.name(name, depth)
            if isinstance(found, _Problem):
                raise _Problem(found.reason, found.value)
            return found
        s = self.sheet(m.group("sheet"), host)
        c1 = m.group("c1")
        if c1 is not None:
            col1, row1 = _col_index(c1.lstrip("$")), int(m.group("r1").lstrip("$"))
            if m.group("c2") is None:
                if col1 > _MAXCOL or not 0 < row1 <= _MAXROW:
                    return self._bad_cell(m, depth)  # XFZ1 is a name in Excel
                return ("ref", "c", (s << _SBITS) + row1 * _W + col1)
            col2, row2 = _col_index(m.group("c2").lstrip("$")), int(m.group("r2").lstrip("$"))
            if max(col1, col2) > _MAXCOL or not 0 < min(row1, row2) <= max(row1, row2) <= _MAXROW:
                raise _Problem("reference outside the sheet", REF)
            return ("ref", "r", self.area(s, row1, col1, row2, col2))
        max_row, max_col = self.extent_of(s)
        if m.group("cc1") is not None:
            col1, col2 = (
                _col_index(m.group("cc1").lstrip("$")),
                _col_index(m.group("cc2").lstrip("$")),
            )
            if max(col1, col2) > _MAXCOL:
                raise _Problem("reference outside the sheet", REF)
            return ("ref", "r", self.area(s, 1, col1, max_row, col2))
        row1, row2 = int(m.group("rr1").lstrip("$")), int(m.group("rr2").lstrip("$"))
        if not 0 < min(row1, row2) <= max(row1, row2) <= _MAXROW:
            raise _Problem("reference outside the sheet", REF)
        return ("ref", "r", self.area(s, row1, 1, row2, max_col))

    def _bad_cell(self, m: re.Match, depth: int) -> Any:
        if m.group("sheet") is not None or "$" in m.group(0):
            raise _Problem("reference outside the sheet", REF)
        found = self.name(m.group(0), depth)
        if isinstance(found, _Problem):
            raise _Problem(found.reason, found.value)
        return found


_DIGITS = re.compile(rb"[0-9]+")
_DIGITS_BLANKED = bytes.maketrans(b"0123456789", b"\x00" * 10)


def _scan(text: str, host: int, wb: _Workbook) -> tuple[str, list, list, set]:
    """Turn a formula into (shape, references); raise _Problem if it cannot be evaluated.

    Also returns a program for :class:`_Scanner`: one builder per reference, saying how
    to rebuild it from the row digits at fixed positions, and the digit spans it used.
    """
    pieces: list[str] = []
    refs: list = []
    builders: list[tuple] = []
    used: set[tuple[int, int]] = set()
    pos = 0
    for m in _TOKEN_RE.finditer(text):
        kind = m.lastgroup
        if kind == "ref":
            found = wb.reference(m, host)
            pieces.append(text[pos : m.start()])
            pos = m.end()
            if found[0] == "lit":
                pieces.append(found[1])
                continue
            pieces.append(f"_{'C' if found[1] == 'c' else 'R'}{len(refs)}")
            refs.append(found[2])
            builders.append(_builder(m, found, used))
        elif kind == "bracket":
            before = text[m.start() - 1] if m.start() else ""
            if before.isalnum() or before == "_":
                raise _Problem("structured (table) references are not supported")
            raise _Problem("external workbook reference", REF)
    if not pieces:
        return text, refs, builders, used
    pieces.append(text[pos:])
    return "".join(pieces), refs, builders, used


def _digits(m: re.Match, group: str, used: set) -> tuple[int, int]:
    """The UTF-8 byte span of a row number (the scanner works on bytes: faster)."""
    start, end = m.span(group)
    if m.string[start] == "$":
        start += 1
    before = len(m.string[:start].encode())
    span = (before, before + end - start)
    used.add(span)
    return span


def _builder(m: re.Match, found: tuple, used: set) -> tuple:
    """How to rebuild a reference from its row digits: 0 static, 1 cell, 2 area, 3 rows."""
    if m.group("name") is None and m.group("c1") is not None:
        if found[1] == "c":
            row, col = int(m.group("r1").lstrip("$")), _col_index(m.group("c1").lstrip("$"))
            if col > _MAXCOL or not 0 < row <= _MAXROW:
                return (0, found[2])  # an out-of-sheet "cell" that is really a name
            return (1, found[2] - row * _W, *_digits(m, "r1", used))
        c1, c2 = _col_index(m.group("c1").lstrip("$")), _col_index(m.group("c2").lstrip("$"))
        sheet = _first_key(found[2]) >> _SBITS
        return (2, sheet, c1, c2, *_digits(m, "r1", used), *_digits(m, "r2", used))
    if m.group("rr1") is not None:
        sheet = _first_key(found[2]) >> _SBITS
        return (3, sheet, *_digits(m, "rr1", used), *_digits(m, "rr2", used))
    return (0, found[2])


class _Scanner:
    """Scan formulas, reusing one scan for formulas that differ only in their row numbers.

    The key is the formula's UTF-8 bytes with every digit blanked out (so ``C8`` and
    ``C9`` share it); digits that are not row numbers of references (sheet names,
    literals, names) must match as well.
    """

    def __init__(self, wb: _Workbook) -> None:
        self.wb = wb
        self.programs: dict[tuple[int, bytes], tuple[list, dict]] = {}

    def scan(self, text: str, host: int) -> tuple[str, list]:
        raw = text.encode()
        key = (host, raw.translate(_DIGITS_BLANKED))
        entry = self.programs.get(key)
        if entry is not None:
            known = entry[1].get(b" ".join([raw[a:b] for a, b in entry[0]]))
            if known is not None:
                refs = self.run(known[1], raw)
                if refs is not None:
                    return known[0], refs
        shape, refs, builders, used = _scan(text, host, self.wb)
        fixed = [d.span() for d in _DIGITS.finditer(raw) if d.span() not in used]
        if entry is None or entry[0] != fixed:
            entry = self.programs[key] = (fixed, {})
        entry[1][b" ".join([raw[a:b] for a, b in fixed])] = (shape, builders)
        return shape, refs

    def run(self, builders: list[tuple], text: bytes) -> list | None:
        refs: list = []
        for b in builders:
            kind = b[0]
            if kind == 1:
                r = int(text[b[2] : b[3]])
                if not 0 < r <= _MAXROW:
                    return None
                refs.append(b[1] + r * _W)
            elif kind == 0:
                refs.append(b[1])
            elif kind == 2:
                r1, r2 = int(text[b[4] : b[5]]), int(text[b[6] : b[7]])
                if not (0 < r1 <= _MAXROW and 0 < r2 <= _MAXROW):
                    return None
                refs.append(self.wb.area(b[1], r1, b[2], r2, b[3]))
            else:
                r1, r2 = int(text[b[2] : b[3]]), int(text[b[4] : b[5]])
                if not (0 < r1 <= _MAXROW and 0 < r2 <= _MAXROW):
                    return None
                refs.append(self.wb.area(b[1], r1, 1, r2, self.wb.extent_of(b[1])[1]))
        return refs


# ---------------------------------------------------------------------------------------
# Shapes: parse once (our own parser, else formulas), compile to Python (fast) or through
# formulas.


class _NotFast(Exception):
    """The shape needs the formulas fallback."""


def _parse_shape(shape: str) -> Node:
    """Parse one shape (called once per distinct shape) into a :mod:`.formula_parser` tree.

    Our own parser takes the fast-path grammar and functions; anything else goes to the
    formulas Parser (imported then), whose tree is converted to the same form.
    """
    tree = _parse_own(shape)
    return tree if tree is not None else _parse_with_formulas(shape)


def _parse_own(shape: str) -> Node | None:
    """The shape's tree from our own parser, or None when it needs formulas."""
    return _parse_formula(shape, _FAST_NAMES)


@functools.lru_cache(maxsize=1)
def _tree_parser() -> Any:
    """A formulas Parser whose AST builder returns a plain expression tree."""
    from formulas.errors import FormulaError
    from formulas.parser import Parser
    from formulas.tokens.function import Function
    from formulas.tokens.operator import Operator

    class TreeBuilder:
        def __init__(self, dsp: Any = None, nodes: Any = None, match: Any = None) -> None:
            self.match = match
            self._items: list = []

        def __len__(self) -> int:
            return len(self._items)

        def __getitem__(self, index: int) -> Any:
            return self._items[index]

        def pop(self) -> Any:
            return self._items.pop()

        def append(self, token: Any) -> None:
            if isinstance(token, (Operator, Function)):
                n = token.get_n_args
                if n > len(self._items):
                    raise FormulaError()
                args = self._items[len(self._items) - n :] if n else []
                del self._items[len(self._items) - n :]
                kind = "op" if isinstance(token, Operator) else "fn"
                self._items.append((kind, token, args))
            else:
                self._items.append(("leaf", token, None))

        def finish(self) -> None:
            pass

    class TreeParser(Parser):
        ast_builder = TreeBuilder

    return TreeParser()


def _parse_with_formulas(shape: str) -> Node:
    """Parse one shape with the formulas Parser; convert its token tree to ours."""
    return _from_formulas_tree(_tree_parser().ast(shape)[1][0])


def _from_formulas_tree(root: Any) -> Node:
    """A formulas token tree as a :mod:`.formula_parser` tree (iterative: trees can be deep).

    Besides that module's nodes it may hold ``("lambda", NAME, args)`` and leaves the code
    generator refuses when it reaches them: ``("problem", reason)`` (the cell is
    unsupported) and ``("notfast", reason)`` (the shape goes to the formulas fallback).
    """
    from formulas.tokens.function import Lambda
    from formulas.tokens.operand import Empty, Error, Number, Range, String

    def leaf(token: Any) -> Node:
        if isinstance(token, Range):
            m = re.fullmatch(r"_([CR])(\d+)", token.name.upper())
            if m:
                return ("ref", m.group(1), m.group(2))
            if token.attr.get("indirect"):
                return ("problem", _REFUSED["INDIRECT"])
            return ("problem", f"unrecognised reference {token.name!r}")
        if isinstance(token, Empty):
            return ("lit", 0)
        if isinstance(token, Error):
            return ("err", str(token.compile()))
        if isinstance(token, (Number, String)):
            try:
                return ("lit", token.compile())
            except SyntaxError:  # a number like 007
                return ("notfast", f"bad number {token.name!r}")
        return ("problem", f"unsupported operand {token.name!r}")

    def node(token: Any, kind: str, args: list) -> Node:
        if kind == "fn":
            return ("lambda" if isinstance(token, Lambda) else "fn", token.name.upper(), args)
        name = token.name
        if name == "u+" and token.attr.get("sum_minus", "").count("-"):
            name = "u--"  # formulas folds "--x" into "+x"; Excel makes x a number
        return ("op", name, args)

    done: list[Node] = []
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        item, expanded = stack.pop()
        kind, token, args = item
        if kind == "leaf":
            done.append(leaf(token))
        elif expanded:
            n = len(args)
            children = done[len(done) - n :] if n else []
            del done[len(done) - n :]
            done.append(node(token, kind, children))
        else:
            stack.append((item, True))
            stack.extend((a, False) for a in reversed(args))
    return done[0]


def _compile_with_formulas(shape: str) -> Any:
    """Compile one shape with formulas itself (fallback; once per distinct shape)."""
    from formulas.parser import Parser

    return Parser().ast(shape)[1].compile()


@functools.lru_cache(maxsize=1)
def _formulas_functions() -> Any:
    from formulas.functions import get_functions, not_implemented

    functions = get_functions()
    return lambda name: functions.get(name, not_implemented) is not not_implemented


class _Codegen:
    """Turn an expression tree (see :mod:`.formula_parser`) into a Python function body."""

    def __init__(self) -> None:
        self.temps = 0

    def temp(self) -> str:
        self.temps += 1
        return f"_t{self.temps}"

    def gen(self, node: Node) -> tuple[str, str]:
        """(python code, kind); kind is cell, range, lit or val."""
        kind = node[0]
        if kind == "ref":
            return (f"g(a{node[2]})", "cell") if node[1] == "C" else (f"a{node[2]}", "range")
        if kind == "lit":
            return repr(node[1]), "lit"
        if kind == "err":
            return f"_ERR[{node[1]!r}]", "lit"
        if kind == "op":
            return self.operator(node[1], node[2])
        if kind == "fn":
            return self.function(node[1], node[2])
        if kind == "notfast":
            raise _NotFast(node[1])
        if kind == "lambda":
            raise _Problem("LAMBDA is not supported")
        raise _Problem(node[1])  # "problem"

    def scalar(self, node: Node) -> str:
        code, kind = self.gen(node)
        if kind == "range":
            raise _NotFast("range used as a single value")
        return code

    def operator(self, op: str, args: list) -> tuple[str, str]:
        if op in (":", " ", ",", "@"):
            raise _Problem(f"reference operator {op!r} is not supported")
        if op in _BINARY:
            return f"{_BINARY[op]}({self.scalar(args[0])}, {self.scalar(args[1])})", "val"
        x = self.scalar(args[0])
        if op == "u-":
            return f"_NEG({x})", "val"
        if op == "u+":
            return f"_POS({x})", "val"
        if op == "u--":  # --x (any prefix with an even number of minus signs)
            return f"_NUMV({x})", "val"
        if op == "%":
            return f"_PCT({x})", "val"
        raise _NotFast(op)

    def parts(self, args: list) -> str:
        refs, scalars = [], []
        for a in args:
            code, kind = self.gen(a)
            if kind == "range":
                refs.append(f"_G(g, {code})")
            elif kind == "cell":
                refs.append(f"({code},)")
            else:
                scalars.append(code)
        return f"({''.join(r + ', ' for r in refs)}), ({''.join(s + ', ' for s in scalars)})"

    def desc(self, node: Node) -> str:
        """A range argument as a descriptor (a single cell becomes a 1x1 range)."""
        code, kind = self.gen(node)
        if kind == "range":
            return code
        if kind == "cell":
            return f"_CD({code[2:-1]})"
        raise _NotFast("criteria range is not a reference")

    def function(self, name: str, args: list) -> tuple[str, str]:
        n = len(args)
        if name in _AGGREGATES and n:
            return f"{_AGGREGATES[name]}({self.parts(args)})", "val"
        if name == "IF" and n in (2, 3):
            t = self.temp()
            c = self.scalar(args[0])
            yes = self.branch(args[1])
            no = self.branch(args[2]) if n == 3 else "False"
            return f"({t} if type({t} := _COND({c})) is _EV else ({yes} if {t} else {no}))", "val"
        if name == "IFERROR" and n == 2:
            t = self.temp()
            v, alt = self.branch(args[0]), self.branch(args[1])
            return f"({alt} if type({t} := {v}) is _EV else {t})", "val"
        if name in _UNARY_FUNCS and n == 1:
            return f"{_UNARY_FUNCS[name]}({self.scalar(args[0])})", "val"
        if name in _ROUNDS and n == 2:
            return f"{_ROUNDS[name]}({self.scalar(args[0])}, {self.scalar(args[1])})", "val"
        if name == "SUMIF" and n in (2, 3):
            extra = f", {self.desc(args[2])}" if n == 3 else ""
            return f"_SUMIF(g, {self.desc(args[0])}, {self.scalar(args[1])}{extra})", "val"
        if name == "COUNTIF" and n == 2:
            return f"_COUNTIF(g, {self.desc(args[0])}, {self.scalar(args[1])})", "val"
        if name in ("SUMIFS", "COUNTIFS") and n >= 2 and (n - (name == "SUMIFS")) % 2 == 0:
            first = 1 if name == "SUMIFS" else 0
            pairs = "".join(
                f"({self.desc(args[i])}, {self.scalar(args[i + 1])}), " for i in range(first, n, 2)
            )
            total = self.desc(args[0]) if first else "None"
            return f"_SUMIFS(g, {total}, ({pairs}))", "val"
        if name in ("ROW", "COLUMN", "ROWS", "COLUMNS") and n <= 1:
            return self.geometry(name, args), "val"
        if name in ("ISBLANK", "ISNUMBER", "ISTEXT", "ISLOGICAL", "ISERROR") and n == 1:
            code, kind = self.gen(args[0])
            if kind == "range":
                raise _NotFast("IS function of a range")
            test = {
                "ISBLANK": "{} is None",
                "ISNUMBER": "_ISNUMBER({})",
                "ISTEXT": "type({}) is str",
                "ISLOGICAL": "type({}) is bool",
                "ISERROR": "type({}) is _EV",
            }[name]
            return f"({test.format(code)})", "val"
        raise _NotFast(name)

    def branch(self, node: Node) -> str:
        code, kind = self.gen(node)
        if kind == "range":
            raise _NotFast("range returned by IF")
        return f"_Z({code})" if kind == "cell" else code

    def geometry(self, name: str, args: list) -> str:
        if not args:
            if name in ("ROWS", "COLUMNS"):
                raise _NotFast(name)
            return "_ROWK(h)" if name == "ROW" else "_COLK(h)"
        code, kind = self.gen(args[0])
        if kind == "cell":
            key = code[2:-1]
            return {"ROW": f"_ROWK({key})", "COLUMN": f"_COLK({key})"}.get(name, "1")
        if kind == "range":
            return {
                "ROW": f"_ROWK(_K0({code}))",
                "COLUMN": f"_COLK(_K0({code}))",
                "ROWS": f"{code}[1]",
                "COLUMNS": f"{code}[2]",
            }[name]
        raise _Problem(_REFUSED[name])


def _function_names(tree: Node) -> Iterator[str]:
    stack = [tree]
    while stack:
        node = stack.pop()
        if node[0] in ("op", "fn", "lambda"):
            if node[0] != "op":
                yield node[1]
            stack.extend(node[2])


def _shape_source(tree: Node, n_refs: int) -> str:
    """The Python source of ``_shape(g, h, a0, a1, ...)``; raise _NotFast if not fast."""
    body, kind = _Codegen().gen(tree)
    if kind == "range":
        raise _NotFast("formula returns a range")
    if kind == "cell":
        body = f"_Z({body})"
    params = "".join(f", a{i}" for i in range(n_refs))
    return f"def _shape(g, h{params}):\n    return {body}\n"


def _compile_shape(shape: str, n_refs: int) -> Callable:
    """Compile a shape to ``fn(g, host_key, *refs)``; raise _Problem if unsupported."""
    if not shape.startswith("="):
        raise _Problem("not a formula" if not shape.startswith("{") else "array formula")
    for m in _TOKEN_RE.finditer(shape):
        if m.lastgroup == "func":
            base = m.group("func").upper().split(".")[-1]
            if base in _REFUSED and base not in _GEOMETRY:
                raise _Problem(_REFUSED[base])
    try:
        tree = _parse_shape(shape)
    except Exception as exc:  # formulas raises FormulaError, ParenthesesError, TokenError...
        raise _Problem(f"cannot parse formula ({type(exc).__name__})") from None
    names = set(_function_names(tree))
    for name in names - _FAST_NAMES:
        base = name.split(".")[-1]
        if base in _REFUSED and base not in _GEOMETRY:
            raise _Problem(_REFUSED[base])
        if name not in ("ARRAY", "ARRAYROW") and not _formulas_functions()(name):
            raise _Problem(f"unknown function {name}")
    try:
        src = _shape_source(tree, n_refs)
        namespace = dict(_NS)
        with warnings.catch_warnings():  # ISBLANK("x") compiles to '"x" is None'
            warnings.simplefilter("ignore", SyntaxWarning)
            code = compile(src, f"<shape {shape[:60]}>", "exec")
        exec(code, namespace)
        return namespace["_shape"]
    except (_NotFast, RecursionError, SyntaxError, MemoryError):
        pass  # not a fast shape, or nested too deeply for Python: let formulas do it
    for name in names & _GEOMETRY:
        raise _Problem(f"{name} needs cell geometry, which the formulas fallback lacks")
    return _fallback(shape)


def _fallback(shape: str) -> Callable:
    """Compile a shape through formulas; call it with numpy arrays."""
    try:
        func = _compile_with_formulas(shape)
    except Exception as exc:
        raise _Problem(f"formulas cannot compile the formula ({type(exc).__name__})") from None
    order = []
    for name in func.inputs:
        m = re.fullmatch(r"_([CR])(\d+)", str(name))
        if m is None:
            raise _Problem(f"unrecognised input {name!r}")
        order.append((int(m.group(2)), m.group(1) == "R"))
    import numpy as np
    import schedula as sh
    from formulas.tokens.operand import Error, XlError

    xl_errors = Error.errors
    empty = sh.EMPTY

    def to_xl(v: Any) -> Any:
        if v is None:
            return empty
        if type(v) is _EV:
            return xl_errors.get(v.code, xl_errors["#VALUE!"])
        return v

    def run(g: Callable, h: int, *refs: Any) -> Any:
        inputs = []
        for i, is_range in order:
            if is_range:
                d = refs[i]
                arr = np.empty(d[1] * d[2], dtype=object)
                arr[:] = [to_xl(v) for v in _gather(g, d)]
                inputs.append(arr.reshape(d[1], d[2]))
            else:
                arr = np.empty((1, 1), dtype=object)
                arr[0, 0] = to_xl(g(refs[i]))
                inputs.append(arr)
        try:
            result = func(*inputs)
        except Exception as exc:
            raise _Problem(f"formulas failed: {type(exc).__name__}", VALUE) from None
        return _from_formulas(result, np, empty, XlError)

    run.uses_formulas = True  # type: ignore[attr-defined]
    return run


def _from_formulas(v: Any, np: Any, empty: Any, xl_error: type) -> Any:
    """A formulas result as a plain Python value."""
    if isinstance(v, np.ndarray):  # as ExcelModel stores an array in one cell
        from formulas.ranges import _reshape_array_as_excel

        v = _reshape_array_as_excel(v if v.ndim == 2 else v.reshape(1, -1), (1, 1))[0, 0]
    if v is empty:
        return 0
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, float, np.integer, np.floating)):
        return _fin(float(v))
    if isinstance(v, xl_error):
        return _ERRORS.get(str(v), ErrorValue(str(v)))
    if isinstance(v, str):
        return str(v)
    if isinstance(v, complex):
        return NUM
    return VALUE


# ---------------------------------------------------------------------------------------
# Inputs.

_EXCEL_EPOCH = _dt.datetime(1899, 12, 30)
_PLAIN_TYPES = frozenset((float, int, bool))  # stored as they are


def _constant(v: Any) -> Any:
    """An input cell value as the evaluator stores it (None: empty)."""
    t = type(v)
    if t is float or t is int or t is bool or t is _EV or v is None:
        return v
    if t is str:
        return _ERRORS.get(v, v) if v[:1] == "#" else v
    if isinstance(v, bool) or type(v).__name__ == "bool_":
        return bool(v)
    if isinstance(v, _dt.datetime):
        return (v - _EXCEL_EPOCH).total_seconds() / 86400.0
    if isinstance(v, _dt.date):
        return float((v - _EXCEL_EPOCH.date()).days)
    if isinstance(v, _dt.time):
        return (v.hour * 3600 + v.minute * 60 + v.second + v.microsecond / 1e6) / 86400.0
    if isinstance(v, _dt.timedelta):
        return v.total_seconds() / 86400.0
    try:
        return float(v)
    except (TypeError, ValueError):
        return str(v)


def _output(v: Any) -> object:
    t = type(v)
    if t is float or t is str or t is bool or t is _EV:
        return v
    if t is int:
        return float(v)
    if v is None:
        return 0.0
    return v


@contextmanager
def _quiet_schedula() -> Iterator[None]:
    """formulas (via schedula) logs every failed call; keep the fallback quiet."""
    logger = logging.getLogger("schedula")
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        logger.setLevel(level)


# ---------------------------------------------------------------------------------------


def evaluate(
    values: Mapping[CellKey, object],
    formulas: Mapping[CellKey, str],
    names: Mapping[str, str] | None = None,
) -> Evaluation:
    """Evaluate every formula cell.

    ``values`` holds the constant cells (absent cells are empty), ``formulas`` the formula
    text as stored in the xlsx (``"=SUM(C8:C20)"``), ``names`` the workbook-level defined
    names (``{"KDD_Tak": "Parametre!$B$4"}``, case-insensitive). Keys are
    ``(sheet name, "A1")``. A sheet is known only if one of its cells appears in ``values``
    or ``formulas``. Strings equal to an error code (``"#N/A"``, as openpyxl reads error
    cells) count as that error; dates count as Excel serial numbers. Never raises for a
    bad formula; see :class:`Evaluation`.
    """
    run = _Evaluation(values, formulas, names)
    run.compile()
    run.calculate(run.order())
    return run.result


class _Evaluation:
    """The state of one :func:`evaluate` call; formula cells are numbered 0..n-1."""

    def __init__(
        self,
        values: Mapping[CellKey, object],
        formulas: Mapping[CellKey, str],
        names: Mapping[str, str] | None,
    ) -> None:
        self.result = Evaluation(values={}, circular=set(), unsupported={})
        self.formulas = formulas
        sheets: dict[str, int] = {}
        for sheet, _addr in (*values.keys(), *formulas.keys()):
            if sheet not in sheets:
                sheets[sheet] = len(sheets)
        self.sheets = sheets
        self.offsets: dict[object, int | None] = {}
        self.cells: dict[int, Any] = {}  # every non-empty cell's value, by int key
        cells, offsets, key_of, plain = self.cells, self.offsets, self.key_of, _PLAIN_TYPES
        for (sheet, addr), v in values.items():
            offset = offsets.get(addr)
            k = (sheets[sheet] << _SBITS) + offset if offset else key_of(sheet, addr)
            if k is not None and v is not None:
                cells[k] = v if type(v) in plain else _constant(v)
        cells_pop = cells.pop
        self.keys: list[int] = []  # formula cell i -> int key
        self.cell_keys: list[CellKey] = []  # formula cell i -> (sheet, address)
        for cell_key in formulas:
            k = self.key_of(*cell_key)
            if k is None:
                self.result.values[cell_key] = REF
                self.result.unsupported[cell_key] = f"invalid cell address {cell_key[1]!r}"
                continue
            cells_pop(k, None)
            self.keys.append(k)
            self.cell_keys.append(cell_key)
        self.index = {k: i for i, k in enumerate(self.keys)}
        folded = {name.upper(): idx for name, idx in sheets.items()}
        self.wb = _Workbook(folded, lambda: iter((*self.cells, *self.keys)), names)
        n = len(self.keys)
        self.fns: list[Any] = [None] * n
        self.args: list[tuple] = [()] * n
        self.problems: dict[int, _Problem] = {}
        self.uses_formulas = False

    def key_of(self, sheet: str, addr: object) -> int | None:
        offset = self.offsets.get(addr, -1)
        if offset == -1:
            m = _ADDR_RE.match(addr) if isinstance(addr, str) else None
            row, col = (int(m.group(2)), _col_index(m.group(1))) if m else (0, 0)
            ok = 0 < row <= _MAXROW and 0 < col <= _MAXCOL
            offset = self.offsets[addr] = row * _W + col if ok else None
        return None if offset is None else (self.sheets[sheet] << _SBITS) + offset

    def compile(self) -> None:
        """Scan every formula into (shape, references); compile each shape once."""
        shapes: dict[tuple[str, int], Any] = {}
        scanner = _Scanner(self.wb)
        for i, cell_key in enumerate(self.cell_keys):
            text = self.formulas[cell_key]
            try:
                if not isinstance(text, str):
                    raise _Problem("formula is not text")
                shape, refs = scanner.scan(text.strip(), self.keys[i] >> _SBITS)
            except _Problem as p:
                self.problems[i] = p
                continue
            except Exception as exc:  # a bug here must not stop the checker
                self.problems[i] = _Problem(f"cannot read formula ({exc!r})")
                continue
            fn = shapes.get((shape, len(refs)))
            if fn is None:
                try:
                    fn = _compile_shape(shape, len(refs))
                    self.uses_formulas |= getattr(fn, "uses_formulas", False)
                except _Problem as p:
                    fn = p
                except Exception as exc:
                    fn = _Problem(f"cannot compile formula ({exc!r})")
                shapes[(shape, len(refs))] = fn
            self.args[i] = tuple(refs)  # kept for unsupported cells too: cycles count
            if isinstance(fn, _Problem):
                self.problems[i] = fn
            else:
                self.fns[i] = fn

    def order(self) -> list[int]:
        """Formula cells in dependency order (Kahn's algorithm); cycles are left out."""
        n = len(self.keys)
        index, deps_of_range = self.index, self._range_deps()
        indegree = [0] * n
        dependents: list[list[int]] = [[] for _ in range(n)]
        for i in range(n):
            for a in self.args[i]:
                if type(a) is int:
                    j = index.get(a)
                    if j is not None:
                        indegree[i] += 1
                        dependents[j].append(i)
                else:
                    for j in deps_of_range(a):
                        indegree[i] += 1
                        dependents[j].append(i)
        ready = [i for i in range(n) if indegree[i] == 0]
        order = []
        while ready:
            i = ready.pop()
            order.append(i)
            for j in dependents[i]:
                indegree[j] -= 1
                if indegree[j] == 0:
                    ready.append(j)
        return order

    def _range_deps(self) -> Callable[[tuple], list[int]]:
        """A function giving the formula cells inside a range descriptor."""
        index, keys = self.index, self.keys
        found_by_range: dict[int, list[int]] = {}
        by_column: dict[tuple[int, int], list[int]] = {}

        def deps(d: tuple) -> list[int]:
            found = found_by_range.get(id(d))
            if found is not None:
                return found
            if d[1] * d[2] <= 4096:
                cells = d[0] if type(d[0]) is range else [k for r in d[0] for k in r]
                found = [index[k] for k in cells if k in index]
            else:  # big range: look the formula rows of each column up by bisection
                if not by_column:
                    for k in keys:
                        by_column.setdefault((k >> _SBITS, _col_of(k)), []).append(_row_of(k))
                    for rows in by_column.values():
                        rows.sort()
                k0 = _first_key(d)
                s, r1, c1 = k0 >> _SBITS, _row_of(k0), _col_of(k0)
                found = []
                for c in range(c1, c1 + d[2]):
                    rows = by_column.get((s, c), [])
                    lo, hi = bisect_left(rows, r1), bisect_right(rows, r1 + d[1] - 1)
                    base = (s << _SBITS) + c
                    found.extend(index[base + r * _W] for r in rows[lo:hi])
            found_by_range[id(d)] = found
            return found

        return deps

    def calculate(self, order: list[int]) -> None:
        """Evaluate the cells in order; fill in the result."""
        cells, keys, fns, args, problems = self.cells, self.keys, self.fns, self.args, self.problems
        g = cells.get
        with _quiet_schedula() if self.uses_formulas else contextlib.nullcontext():
            for i in order:
                k = keys[i]
                p = problems.get(i)
                if p is None:
                    try:
                        cells[k] = fns[i](g, k, *args[i])
                        continue
                    except _Problem as exc:
                        p = problems[i] = exc
                    except Exception as exc:  # a bug in a shape must not stop the checker
                        p = problems[i] = _Problem(f"evaluation failed: {exc!r}", VALUE)
                cells[k] = p.value
        values, done = self.result.values, set(order)
        for i, cell_key in enumerate(self.cell_keys):
            if i in done:
                values[cell_key] = _output(cells[keys[i]])
            else:
                self.result.circular.add(cell_key)
                values[cell_key] = CIRCULAR
        for i, p in sorted(problems.items()):
            self.result.unsupported[self.cell_keys[i]] = p.reason
