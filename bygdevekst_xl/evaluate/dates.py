"""Date functions on Excel's serial numbers (the 1900 system: 1 is 1 January 1900, 45 413
is 1 May 2024): DATE, YEAR, MONTH, DAY and DATEDIF."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from .values import NUM, VALUE, ErrorValue, number

_EPOCH = dt.date(1899, 12, 30)
_MAX_SERIAL = 2_958_465  # 31 December 9999


def _date(serial: Any) -> Any:
    """The date of a serial number, or an error value."""
    n = number(serial)
    if type(n) is ErrorValue:
        return n
    if not 0 <= n <= _MAX_SERIAL:
        return NUM
    n = math.floor(n)
    if n < 61:  # Excel's 1900 has a 29 February (serial 60); before it, one day earlier
        return dt.date(1900, 1, 1) + dt.timedelta(days=max(n - 1, 0))
    return _EPOCH + dt.timedelta(days=n)


def _serial(d: dt.date) -> float:
    return float((d - _EPOCH).days)


def xl_date(year: Any, month: Any, day: Any) -> Any:
    """DATE: months and days past their range carry over (DATE(2024,13,1) is 1 January
    2025); a year below 1900 is counted from 1900."""
    parts = [number(v) for v in (year, month, day)]
    for p in parts:
        if type(p) is ErrorValue:
            return p
    y, m, d = (math.trunc(p) for p in parts)
    if 0 <= y < 1900:
        y += 1900
    months = y * 12 + m - 1
    y, m = divmod(months, 12)
    if not 1900 <= y <= 9999:
        return NUM
    try:
        serial = _serial(dt.date(y, m + 1, 1)) + d - 1
    except (ValueError, OverflowError):
        return NUM
    return serial if 0 <= serial <= _MAX_SERIAL else NUM


def _part(serial: Any, attribute: str) -> Any:
    d = _date(serial)
    if type(d) is ErrorValue:
        return d
    if number(serial) == 60:  # the 29 February 1900 Excel counts
        return {"year": 1900.0, "month": 2.0, "day": 29.0}[attribute]
    return float(getattr(d, attribute))


def xl_year(serial: Any) -> Any:
    """YEAR."""
    return _part(serial, "year")


def xl_month(serial: Any) -> Any:
    """MONTH."""
    return _part(serial, "month")


def xl_day(serial: Any) -> Any:
    """DAY."""
    return _part(serial, "day")


def _months(a: dt.date, b: dt.date) -> int:
    """Whole months from a to b."""
    months = (b.year - a.year) * 12 + b.month - a.month
    return months - 1 if b.day < a.day else months


def xl_datedif(start: Any, end: Any, unit: Any) -> Any:
    """DATEDIF: whole years ("Y"), months ("M") or days ("D") from start to end, or the
    remainder in days ignoring months and years ("MD"), in months ignoring years ("YM"),
    in days ignoring years ("YD"); #NUM! when start is after end."""
    if type(unit) is ErrorValue:
        return unit
    a, b = _date(start), _date(end)
    if type(a) is ErrorValue:
        return a
    if type(b) is ErrorValue:
        return b
    if type(unit) is not str:
        return NUM
    if a > b:
        return NUM
    u = unit.strip().upper()
    if u == "D":
        return float((b - a).days)
    if u == "M":
        return float(_months(a, b))
    if u == "Y":
        return float(_months(a, b) // 12)
    if u == "YM":
        return float(_months(a, b) % 12)
    if u == "MD":
        if b.day >= a.day:
            return float(b.day - a.day)
        before = b.replace(day=1) - dt.timedelta(days=1)  # the month before end's
        return float((b - before.replace(day=min(a.day, before.day))).days)
    if u == "YD":
        shifted = _same_day_in(a, b.year)
        if shifted > b:
            shifted = _same_day_in(a, b.year - 1)
        return float((b - shifted).days)
    return VALUE if not u else NUM


def _same_day_in(d: dt.date, year: int) -> dt.date:
    """d in another year (29 February becomes 28 February)."""
    try:
        return d.replace(year=year)
    except ValueError:
        return d.replace(year=year, day=28)
