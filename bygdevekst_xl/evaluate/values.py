"""Excel values inside the evaluator: error values and the semantics of the operators.

A value is a float, int, str, bool, :class:`ErrorValue`, or None for an empty cell. The
functions here coerce, combine and compare values as Excel does (see the notes in
:mod:`.evaluate` on where that differs from ``formulas``); compiled shapes call them.
"""

from __future__ import annotations

import datetime as _dt
import re
import sys
from typing import Any

from ..excel import EPOCH, ErrorValue

NULL = ErrorValue("#NULL!")
DIV0 = ErrorValue("#DIV/0!")
VALUE = ErrorValue("#VALUE!")
REF = ErrorValue("#REF!")
NAME = ErrorValue("#NAME?")
NUM = ErrorValue("#NUM!")
NA = ErrorValue("#N/A")
CIRCULAR = ErrorValue("#CIRC!")
ERRORS = {e.code: e for e in (NULL, DIV0, VALUE, REF, NAME, NUM, NA, ErrorValue("#GETTING_DATA"))}
"""Excel's error values by code (``#CIRC!`` is ours, so not among them)."""


class Problem(Exception):
    """A formula that cannot be evaluated: reason, and the value its cell gets."""

    def __init__(self, reason: str, value: ErrorValue = NAME) -> None:
        super().__init__(reason)
        self.reason = reason
        self.value = value


FMAX = sys.float_info.max
FINF = float("inf")
MAX_TEXT = 32_767
"""Excel's longest text in a cell; a longer result of ``&`` or REPT is #VALUE!."""
NUM_RE = re.compile(r"\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*\Z")
"""Plain numeric text (criteria and defined names read it)."""
TEXT_NUMBER_RE = re.compile(
    r"""\s*(?P<sign1>[+-]?)\s*(?P<cur>\$?)\s*(?P<sign2>[+-]?)
    (?P<int>\d{1,3}(?:,\d{3})+|\d*)(?P<frac>\.\d*)?(?P<exp>[eE][+-]?\d+)?
    \s*(?P<pct>%?)\s*\Z""",
    re.VERBOSE,
)
"""Text Excel (en-US) reads as a number: ``40,000``, ``1,000.5``, ``$1,000``, ``50%``,
``1e3``, `` 12 ``; never ``40 000`` (a space inside) or ``4,0000`` (a bad group)."""
DATE_TEXT_RE = re.compile(
    r"\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*\Z|\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*\Z"
)
"""Dates as text Excel (en-US) reads as serial numbers: ``2024-01-05``, ``1/5/2024``."""


def round15(x: float) -> float:
    """x at Excel's 15 significant digits (``267.15*50`` is 13 357.5, not 13 357.4999...)."""
    if x != x or x in (FINF, -FINF) or x == 0:
        return x
    return float(f"{x:.14e}")


def near(x: float, y: float) -> bool:
    """Whether x and y are close enough that 15 significant digits may not tell them apart."""
    return abs(x - y) <= 1e-14 * max(abs(x), abs(y))


def text_number(text: str) -> Any:
    """Text as Excel (en-US) reads it in arithmetic and VALUE: a float, or #VALUE!.

    Thousands separators in groups of three, a leading ``$``, a trailing ``%``, an exponent
    and ISO or month/day/year dates; a number with a space inside (``40 000``) is #VALUE!,
    never a date."""
    m = TEXT_NUMBER_RE.match(text)
    if m is not None and (m.group("int") or (m.group("frac") or "") not in ("", ".")):
        if m.group("sign1") and m.group("sign2"):
            return VALUE
        digits = m.group("int").replace(",", "") + (m.group("frac") or "")
        try:
            n = float((digits or "0") + (m.group("exp") or ""))
        except ValueError:
            return VALUE
        if "-" in m.group("sign1") + m.group("sign2"):
            n = -n
        return finite(n / 100.0 if m.group("pct") else n)
    d = DATE_TEXT_RE.match(text)
    if d is not None:
        y, mo, day = (
            (d.group(1), d.group(2), d.group(3))
            if d.group(1)
            else (d.group(6), d.group(4), d.group(5))
        )
        try:
            return float((_dt.date(int(y), int(mo), int(day)) - _EPOCH_DATE).days)
        except ValueError:
            return VALUE
    return VALUE


def finite(r: Any) -> Any:
    """Return r, or #NUM! when it is infinite or NaN."""
    return r if -FMAX <= r <= FMAX else NUM


def number(x: Any) -> Any:
    """Coerce a scalar to a number the way arithmetic does; an error value if it can't."""
    t = type(x)
    if t is float or t is int:
        return x
    if x is None:
        return 0
    if t is bool:
        return 1 if x else 0
    if t is str:
        return text_number(x)
    if t is ErrorValue:
        return x
    return VALUE


def number_pair(x: Any, y: Any) -> Any:
    """Both operands as numbers, or the first error (errors before coercion, as formulas)."""
    if type(x) is ErrorValue:
        return x
    if type(y) is ErrorValue:
        return y
    x = number(x)
    if type(x) is ErrorValue:
        return x
    y = number(y)
    if type(y) is ErrorValue:
        return y
    return x, y


def add(x: Any, y: Any) -> Any:
    """``x + y``."""
    tx, ty = type(x), type(y)
    if (tx is float or tx is int) and (ty is float or ty is int):
        return finite(x + y)
    p = number_pair(x, y)
    return p if type(p) is ErrorValue else finite(p[0] + p[1])


def sub(x: Any, y: Any) -> Any:
    """``x - y``."""
    tx, ty = type(x), type(y)
    if (tx is float or tx is int) and (ty is float or ty is int):
        return finite(x - y)
    p = number_pair(x, y)
    return p if type(p) is ErrorValue else finite(p[0] - p[1])


def mul(x: Any, y: Any) -> Any:
    """``x * y``."""
    tx, ty = type(x), type(y)
    if (tx is float or tx is int) and (ty is float or ty is int):
        return finite(x * y)
    p = number_pair(x, y)
    return p if type(p) is ErrorValue else finite(p[0] * p[1])


def div(x: Any, y: Any) -> Any:
    """``x / y``; #DIV/0! for y = 0."""
    p = number_pair(x, y)
    if type(p) is ErrorValue:
        return p
    return finite(p[0] / p[1]) if p[1] else DIV0


def power(x: Any, y: Any) -> Any:
    """``x ^ y`` as Excel: 0^0 and roots of negative numbers are #NUM!, 0^-1 #DIV/0!."""
    p = number_pair(x, y)
    if type(p) is ErrorValue:
        return p
    try:
        r = float(p[0]) ** float(p[1])
    except ZeroDivisionError:  # Excel: 0^-1 is #DIV/0! (formulas: #VALUE!)
        return DIV0
    except OverflowError:  # Excel: #NUM! (formulas: #VALUE!)
        return NUM
    if type(r) is not float or (p[0] == 0 and p[1] == 0):  # complex root, or 0^0
        return NUM
    return finite(r)


def negate(x: Any) -> Any:
    """Prefix ``-x``."""
    n = number(x)
    return n if type(n) is ErrorValue else -n


def plus(x: Any) -> Any:
    """Prefix ``+x``: x itself (a blank is 0)."""
    return 0 if x is None else x


def percent(x: Any) -> Any:
    """Postfix ``x%``."""
    n = number(x)
    return n if type(n) is ErrorValue else n / 100.0


def to_number(x: Any) -> Any:
    """Double negation ``--x``: x as a number (errors pass through)."""
    n = number(x)
    return n if type(n) is ErrorValue else n + 0


def is_number(v: Any) -> bool:
    """ISNUMBER of a single value."""
    t = type(v)
    return t is float or t is int


def _rank(t: type) -> int:
    return 1 if t is str else 2 if t is bool else 0


def compare(x: Any, y: Any) -> Any:
    """-1, 0 or 1 comparing like Excel: numbers < text < logicals, text case-insensitive."""
    if type(x) is ErrorValue:
        return x
    if type(y) is ErrorValue:
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
    elif rx == 0 and x != y and near(x, y):  # Excel compares at 15 digits: 0.1+0.2 = 0.3
        x, y = round15(x), round15(y)
    return (x > y) - (x < y)


def eq(x: Any, y: Any) -> Any:
    """``x = y`` (a blank equals 0, "" and FALSE)."""
    tx, ty = type(x), type(y)
    if (tx is float or tx is int) and (ty is float or ty is int):
        return x == y or (near(x, y) and round15(x) == round15(y))
    c = compare(x, y)
    return c if type(c) is ErrorValue else c == 0


def ne(x: Any, y: Any) -> Any:
    """``x <> y``."""
    c = eq(x, y)
    return c if type(c) is ErrorValue else not c


def lt(x: Any, y: Any) -> Any:
    """``x < y``."""
    c = compare(x, y)
    return c if type(c) is ErrorValue else c < 0


def le(x: Any, y: Any) -> Any:
    """``x <= y``."""
    c = compare(x, y)
    return c if type(c) is ErrorValue else c <= 0


def gt(x: Any, y: Any) -> Any:
    """``x > y``."""
    c = compare(x, y)
    return c if type(c) is ErrorValue else c > 0


def ge(x: Any, y: Any) -> Any:
    """``x >= y``."""
    c = compare(x, y)
    return c if type(c) is ErrorValue else c >= 0


def as_text(v: Any) -> str:
    """A non-error value as ``&`` shows it (numbers with 15 significant digits)."""
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


def concat(x: Any, y: Any) -> Any:
    """``x & y``."""
    if type(x) is ErrorValue:
        return x
    if type(y) is ErrorValue:
        return y
    text = as_text(x) + as_text(y)
    return VALUE if len(text) > MAX_TEXT else text


def as_condition(c: Any) -> Any:
    """An IF condition as bool, or an error value."""
    t = type(c)
    if t is bool:
        return c
    if t is float or t is int:
        return c != 0
    if c is None:
        return False
    if t is ErrorValue:
        return c
    return VALUE


def zero_if_blank(v: Any) -> Any:
    """An empty cell read as a formula result is 0."""
    return 0 if v is None else v


def logical_not(x: Any) -> Any:
    """NOT."""
    c = as_condition(x)
    return c if type(c) is ErrorValue else not c


def absolute(x: Any) -> Any:
    """ABS."""
    n = number(x)
    return n if type(n) is ErrorValue else abs(n)


# --- values in and out ------------------------------------------------------------------

_EXCEL_EPOCH = EPOCH
_EPOCH_DATE = EPOCH.date()
PLAIN_TYPES = frozenset((float, int, bool))
"""Input types stored as they are."""


def constant(v: Any) -> Any:
    """An input cell value as the evaluator stores it (None: empty)."""
    t = type(v)
    if t is float or t is int or t is bool or t is ErrorValue or v is None:
        return v
    if t is str:
        return ERRORS.get(v, v) if v[:1] == "#" else v
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


def output(v: Any) -> object:
    """A computed value as :class:`~.evaluate.Evaluation` reports it (ints become floats)."""
    t = type(v)
    if t is float or t is str or t is bool or t is ErrorValue:
        return v
    if t is int:
        return float(v)
    if v is None:
        return 0.0
    return v
