"""SUBTOTAL: an aggregate of its references that leaves out other SUBTOTAL and AGGREGATE
results inside them, so a column of subtotals can be summed again without counting twice.

Function numbers 1-11 and 101-111 (AVERAGE, COUNT, COUNTA, MAX, MIN, PRODUCT, STDEV, STDEVP,
SUM, VAR, VARP). 101-111 also leave out the rows a person hid.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from .keys import W
from .limits import CellsRead
from .values import DIV0, VALUE, ErrorValue, finite, number


class Nested:
    """The int keys of the formula cells that call SUBTOTAL or AGGREGATE in the running
    evaluation (set by the evaluation before it calculates, as :class:`.limits.CellsRead`)."""

    keys: frozenset[int] = frozenset()
    hidden_rows: frozenset[int] = frozenset()
    """The hidden rows, each as the int key of its column 0 (``key & ~(W - 1)``)."""


def _keys(d: tuple) -> list[int]:
    keys = d[0]
    return list(keys) if type(keys) is range else [k for r in keys for k in r]


def _variance(ns: list[float], sample: bool) -> Any:
    import statistics  # on first use: only SUBTOTAL's variances need it (~2 ms to import)

    if len(ns) < (2 if sample else 1):
        return DIV0
    return statistics.variance(ns) if sample else statistics.pvariance(ns)


_FUNCTIONS: dict[int, Callable[[list[float], int], Any]] = {
    1: lambda ns, _n: finite(math.fsum(ns) / len(ns)) if ns else DIV0,
    2: lambda ns, _n: float(len(ns)),
    3: lambda _ns, n: float(n),
    4: lambda ns, _n: max(ns, default=0.0),
    5: lambda ns, _n: min(ns, default=0.0),
    6: lambda ns, _n: finite(math.prod(ns)) if ns else 0.0,
    7: lambda ns, _n: _sqrt(_variance(ns, True)),
    8: lambda ns, _n: _sqrt(_variance(ns, False)),
    9: lambda ns, _n: finite(sum(ns)),
    10: lambda ns, _n: _variance(ns, True),
    11: lambda ns, _n: _variance(ns, False),
}


def _sqrt(v: Any) -> Any:
    return v if type(v) is ErrorValue else math.sqrt(v)


def xl_subtotal(g: Callable, function: Any, descs: tuple) -> Any:
    """SUBTOTAL(function, ref1, ...): numbers in the references, nested subtotals left out."""
    f = number(function)
    if type(f) is ErrorValue:
        return f
    code = int(f) % 100 if 1 <= f < 12 or 101 <= f < 112 else 0
    if code not in _FUNCTIONS or not descs:
        return VALUE
    nested = Nested.keys
    hidden = Nested.hidden_rows if f > 100 else frozenset()
    row_mask = ~(W - 1)
    numbers: list[float] = []
    non_blank = 0
    for d in descs:
        CellsRead.spend(d[1] * d[2])
        for k in _keys(d):
            if k in nested or (hidden and k & row_mask in hidden):
                continue
            v = g(k)
            t = type(v)
            if t is ErrorValue:
                return v
            if v is not None:
                non_blank += 1
            if t is float or t is int:
                numbers.append(v)
    return _FUNCTIONS[code](numbers, non_blank)
