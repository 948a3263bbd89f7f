"""Criteria of SUMIF, SUMIFS, COUNTIF and COUNTIFS: a criterion as a predicate on values.

As Excel: "<>x" also matches blanks and numbers, "<>" non-blank cells, "=" blank ones,
wildcards (``* ? ~``) ignore case, and ">4" skips numbers stored as text.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from itertools import compress, count
from typing import Any, ClassVar

from .keys import gather
from .limits import CellsRead
from .values import ERRORS, NUM_RE, VALUE, ErrorValue

_CRIT_OPS = (">=", "<=", "<>", "<", ">", "=")
_cache: dict[tuple, Any] = {}

_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "=": lambda a, b: a == b,
    "<": lambda a, b: a < b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    ">=": lambda a, b: a >= b,
}


@functools.lru_cache(maxsize=16384)
def _fold(text: str) -> str:
    """``text.casefold()``, remembered: a SUMIF per category scans the same category cells
    once per category (``str`` caches its hash, so a long text is hashed once)."""
    return text.casefold()


def criterion(c: Any) -> Any:
    """A predicate over cell values for an Excel criterion, or the criterion's error."""
    key = (type(c), c)
    p = _cache.get(key)
    if p is None:
        if len(_cache) > 4096:
            _cache.clear()
        p = _cache[key] = _make_criterion(c)
    return p


def _numeric(v: Any) -> Any:
    """v as a number for criteria: numbers and numeric text (as formulas), else None."""
    t = type(v)
    if t is float or t is int:
        return v
    if t is str and NUM_RE.match(v):
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
    """Build what :func:`criterion` caches."""
    t = type(c)
    if t is ErrorValue:
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
    if NUM_RE.match(rest):
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
    if rest in ERRORS:
        err = ERRORS[rest]
        return lambda v: v == err if op == "=" else False
    if op == "=":
        if rest == "":  # Excel: "" matches blank cells and empty text, "=" only blanks
            return (lambda v: v is None or v == "") if c == "" else (lambda v: v is None)
        match = _wildcard(rest)
        if match is not None:
            return lambda v: type(v) is str and match(v) is not None
        return TextEquals(rest.casefold())
    compare, folded = _COMPARE[op], rest.casefold()
    return lambda v: type(v) is str and compare(_fold(v), folded)


class TextEquals:
    """The predicate of a criterion that compares text with one text (``"Lønn"``):
    :class:`Matches` finds those cells in an index of the range instead of testing each."""

    __slots__ = ("folded",)

    def __init__(self, folded: str) -> None:
        self.folded = folded  # the text casefolded

    def __call__(self, v: Any) -> bool:
        return type(v) is str and _fold(v) == self.folded


class Matches:
    """Which cells of a range meet a criterion, found once per (range, criterion) in one
    evaluation: ``SUMIF(A7:A106,"Lønn",C7:C106)`` and ``SUMIF(A7:A106,"Lønn",D7:D106)``
    test the category column once. Valid while the cells keep their values: every formula
    cell of a range is calculated before any formula that reads the range, so within one
    run (one cell getter ``g``) they do; :meth:`clear` ends a run.
    """

    g: ClassVar[Callable[[int], Any] | None] = None
    found: ClassVar[dict[tuple[Any, ...], list[int]]] = {}
    texts: ClassVar[dict[tuple[Any, ...], dict[str, list[int]]]] = {}
    """Per range: where each text is (:func:`_text_index`), for criteria that compare text."""

    @classmethod
    def clear(cls) -> None:
        """Forget every match and index (and the getter, with the cells it holds)."""
        cls.g, cls.found, cls.texts = None, {}, {}

    @classmethod
    def positions(
        cls, g: Callable[[int], Any], d: tuple, c: Any, p: Callable[[Any], Any]
    ) -> list[int]:
        """The positions (row by row, ascending) of the cells of range ``d`` that meet
        criterion ``c`` (``p`` its predicate), found at the first use; each use counts its
        cells read, as :func:`gather` does."""
        if cls.g is not g:
            cls.g, cls.found, cls.texts = g, {}, {}
        key = (d, type(c), c)
        hits = cls.found.get(key)
        if hits is not None:
            CellsRead.spend(d[1] * d[2])
            return hits
        if type(p) is not TextEquals:
            hits = list(compress(count(), map(p, gather(g, d))))
        else:
            texts = cls.texts.get(d)
            if texts is None:
                texts = cls.texts[d] = _text_index(gather(g, d))
            else:
                CellsRead.spend(d[1] * d[2])
            hits = texts.get(p.folded, [])
        cls.found[key] = hits
        return hits


def _text_index(values: list[Any]) -> dict[str, list[int]]:
    """The positions of the text cells among ``values``, by their casefolded text."""
    index: dict[str, list[int]] = {}
    for i, v in enumerate(values):
        if type(v) is str:
            index.setdefault(_fold(v), []).append(i)
    return index
