"""Excel's rounding functions on its number model: a value is first taken at 15 significant
digits, then rounded in decimal.

``267.15*50`` is 13 357.499999999998 in binary and 13 357.5 to Excel, so ``ROUND(...,0)`` is
13 358; ``90000*1.15`` is 103 499.99999999999 in binary and ``TRUNC`` of it 103 500. MROUND
rounds halves away from zero. INT takes 15 significant digits too (``INT(0.57*100)`` is 57, as
in LibreOffice and Gnumeric; IronCalc floors the binary 56.99999999999999 to 56). MOD works on
the binary value.
"""

from __future__ import annotations

import math
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal, InvalidOperation
from typing import Any

from .values import DIV0, NUM, VALUE, ErrorValue, finite, number, number_pair, round15

_TWO52 = 2.0**52


def _decimal_round(x: float, digits: int, mode: str) -> float:
    """x (taken at 15 significant digits) rounded to ``digits`` decimals in ``mode``."""
    v = round15(x)
    if v == 0 or not math.isfinite(v) or (digits >= 0 and abs(v) >= _TWO52):
        return v
    digits = max(min(digits, 330), -330)
    try:
        quantum = Decimal(1).scaleb(-digits)
        return float(Decimal(repr(v)).quantize(quantum, rounding=mode))
    except InvalidOperation:  # more digits than Decimal's context holds: whole already
        return v


def _round(x: Any, d: Any, mode: str) -> Any:
    p = number_pair(x, d)
    if type(p) is ErrorValue:
        return p
    return finite(_decimal_round(float(p[0]), math.trunc(p[1]), mode))


def xl_round(x: Any, d: Any) -> Any:
    """ROUND: halves away from zero, at 15 significant digits (ROUND(2.675,2) is 2.68)."""
    return _round(x, d, ROUND_HALF_UP)


def xl_roundup(x: Any, d: Any) -> Any:
    """ROUNDUP (away from zero)."""
    return _round(x, d, ROUND_UP)


def xl_rounddown(x: Any, d: Any) -> Any:
    """ROUNDDOWN (towards zero)."""
    return _round(x, d, ROUND_DOWN)


def xl_trunc(x: Any, d: Any = 0) -> Any:
    """TRUNC: towards zero, at 15 significant digits (TRUNC(90000*1.15) is 103 500)."""
    return _round(x, d, ROUND_DOWN)


def xl_int(x: Any) -> Any:
    """INT: down to the next whole number at 15 significant digits (INT(-1.5) is -2)."""
    n = number(x)
    return n if type(n) is ErrorValue else float(math.floor(round15(float(n))))


def _multiple(n: float, s: float, up: bool) -> float:
    """n / s at 15 significant digits, rounded up or down to a whole number, times s."""
    q = round15(n / s)
    return round15((math.ceil(q) if up else math.floor(q)) * s)


def _pair(x: Any, y: Any) -> Any:
    p = number_pair(x, y)
    return p if type(p) is ErrorValue else (float(p[0]), float(p[1]))


def xl_mround(x: Any, m: Any) -> Any:
    """MROUND: the nearest multiple of m, halves away from zero; #NUM! for unlike signs."""
    p = _pair(x, m)
    if type(p) is ErrorValue:
        return p
    n, s = p
    if s == 0:
        return 0.0
    if n * s < 0:
        return NUM
    q = _decimal_round(n / s, 0, ROUND_HALF_UP)
    return finite(round15(q * s))


def xl_ceiling(x: Any, s: Any = 1) -> Any:
    """CEILING: up to a multiple of s (negative n with positive s towards zero, both
    negative away from zero); #NUM! for positive n with negative s."""
    p = _pair(x, s)
    if type(p) is ErrorValue:
        return p
    n, s = p
    if s == 0 or n == 0:
        return 0.0
    if n > 0 and s < 0:
        return NUM
    return finite(_multiple(n, s, up=True))


def xl_floor(x: Any, s: Any = 1) -> Any:
    """FLOOR: down to a multiple of s; #DIV/0! for s = 0, #NUM! for positive n with
    negative s."""
    p = _pair(x, s)
    if type(p) is ErrorValue:
        return p
    n, s = p
    if s == 0:
        return DIV0 if n else 0.0
    if n > 0 and s < 0:
        return NUM
    return finite(_multiple(n, s, up=False))


def _math_args(x: Any, s: Any, mode: Any) -> Any:
    if type(mode) is ErrorValue:
        return mode
    p = _pair(x, s)
    if type(p) is ErrorValue:
        return p
    m = number(mode)
    return m if type(m) is ErrorValue else (p[0], abs(p[1]), m)


def xl_ceiling_math(x: Any, s: Any = 1, mode: Any = 0) -> Any:
    """CEILING.MATH: up to a multiple of |s|; a negative number away from zero if mode."""
    a = _math_args(x, s, mode)
    if type(a) is ErrorValue:
        return a
    n, s, m = a
    if s == 0 or n == 0:
        return 0.0
    return finite(_multiple(n, s, up=n > 0 or m == 0))


def xl_floor_math(x: Any, s: Any = 1, mode: Any = 0) -> Any:
    """FLOOR.MATH: down to a multiple of |s|; a negative number towards zero if mode."""
    a = _math_args(x, s, mode)
    if type(a) is ErrorValue:
        return a
    n, s, m = a
    if s == 0 or n == 0:
        return 0.0
    return finite(_multiple(n, s, up=n < 0 and m != 0))


def xl_ceiling_precise(x: Any, s: Any = 1) -> Any:
    """CEILING.PRECISE and ISO.CEILING: up (towards +infinity) to a multiple of |s|."""
    return xl_ceiling_math(x, s, 0)


def xl_floor_precise(x: Any, s: Any = 1) -> Any:
    """FLOOR.PRECISE: down (towards -infinity) to a multiple of |s|."""
    return xl_floor_math(x, s, 0)


def xl_quotient(x: Any, d: Any) -> Any:
    """QUOTIENT: the whole part of x / d (towards zero); #DIV/0! for d = 0."""
    p = _pair(x, d)
    if type(p) is ErrorValue:
        return p
    if p[1] == 0:
        return DIV0
    return finite(float(math.trunc(round15(p[0] / p[1]))))


def xl_mod(x: Any, d: Any) -> Any:
    """MOD: the remainder with the sign of d; #DIV/0! for d = 0."""
    p = _pair(x, d)
    if type(p) is ErrorValue:
        return p
    if p[1] == 0:
        return DIV0
    return finite(p[0] % p[1])


def xl_value(x: Any) -> Any:
    """VALUE: a number, or text read as Excel (en-US) reads it; ``40 000`` is #VALUE!."""
    return VALUE if type(x) is bool else number(x)
