"""XLOOKUP over a row or a column: the value of ``return_array`` where ``lookup_array``
matches, comparing as ``=`` does (text case-insensitive, numbers at 15 digits)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .criteria import criterion
from .keys import gather
from .values import NA, VALUE, ErrorValue, compare, number


def xl_xlookup(
    g: Callable,
    wanted: Any,
    look_d: tuple,
    return_d: tuple,
    missing: Any = NA,
    match_mode: Any = 0,
    search_mode: Any = 1,
) -> Any:
    """XLOOKUP(lookup_value, lookup_array, return_array, [if_not_found], [match_mode],
    [search_mode]); match modes 0 (exact), -1 (exact or next smaller), 1 (exact or next
    larger), 2 (wildcards); search modes 1 and 2 from the first, -1 and -2 from the last."""
    if type(wanted) is ErrorValue:
        return wanted
    mode, direction = number(match_mode), number(search_mode)
    for n in (mode, direction):
        if type(n) is ErrorValue:
            return n
    if mode not in (0, -1, 1, 2) or direction not in (1, -1, 2, -2):
        return VALUE
    if 1 not in (look_d[1], look_d[2]):
        return VALUE
    length = look_d[1] * look_d[2]
    by_rows = look_d[2] == 1
    if (return_d[1] if by_rows else return_d[2]) != length:
        return VALUE
    if (return_d[2] if by_rows else return_d[1]) != 1:
        return VALUE  # a returned row or column would spill: not one cell's value
    looked = gather(g, look_d)
    order = range(length) if direction > 0 else range(length - 1, -1, -1)
    wanted = "" if wanted is None else wanted
    best = None
    if mode == 2 and type(wanted) is str:
        test = criterion("=" + wanted)
        best = next((i for i in order if test(looked[i])), None)
    else:
        best_value: Any = None
        for i in order:
            v = looked[i]
            c = compare(v, wanted) if v is not None and type(v) is not ErrorValue else None
            if c is None or type(c) is ErrorValue:
                continue
            if c == 0:
                best = i
                break
            if mode not in (-1, 1) or c != mode or isinstance(v, str) != isinstance(wanted, str):
                continue  # not on the side match_mode takes, or another kind of value
            if best is None or compare(v, best_value) == -mode:  # closer to the value wanted
                best, best_value = i, v
    if best is None:
        return missing
    found = gather(g, return_d)[best]
    return 0.0 if found is None else found
