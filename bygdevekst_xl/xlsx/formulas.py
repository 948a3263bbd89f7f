"""Shared formulas: split a master cell's formula into a template, and shift it to a cell.

Excel saves a formula filled across cells once, on its master cell; every other cell names
the master. The template keeps the formula's literal text and its relocatable references
apart, so moving it to each cell is one join.
"""

from __future__ import annotations

import re
from typing import Any

from .address import COL_INDEX, COLS, MAX_COL, MAX_ROW

_SPECIAL = re.compile(r"[\"'\[]")
_REF = re.compile(
    r"""(?<![\w.$\\])(?:
        (\$?)([A-Za-z]{1,3})(\$?)([0-9]{1,7})(?![\w.(!\[])            # A1, $A$1
       |(\$?)([A-Za-z]{1,3}):(\$?)([A-Za-z]{1,3})(?![\w.(!\[])         # A:C
       |(\$?)([0-9]{1,7}):(\$?)([0-9]{1,7})(?![\w.(!\[])               # 1:3
    )""",
    re.X,
)

Template = list[Any]  # str pieces and (kind, abs1, n1, abs2, n2) reference tuples


def template(formula: str) -> Template:
    """Split formula text into literal pieces and relocatable references.

    String literals, quoted sheet names and anything in brackets (structured references,
    external workbook indexes) are never touched; names and functions are not references.
    """
    parts: Template = []
    code_start = i = 0
    n = len(formula)
    while True:
        found = _SPECIAL.search(formula, i)
        end = found.start() if found else n
        _template_code(formula[code_start:end], parts)
        if not found:
            return parts
        quote = formula[end]
        j = end + 1
        if quote == "[":
            depth = 1
            while j < n and depth:
                depth += {"[": 1, "]": -1}.get(formula[j], 0)
                j += 1
        else:
            while j < n:
                if formula[j] == quote:
                    if j + 1 < n and formula[j + 1] == quote:
                        j += 2
                        continue
                    j += 1
                    break
                j += 1
        parts.append(formula[end:j])
        code_start = i = j


def _template_code(code: str, parts: Template) -> None:
    """Append the pieces of ``code`` (formula text outside quotes and brackets) to ``parts``."""
    last = 0
    for match in _REF.finditer(code):
        g = match.groups()
        if g[1] is not None:
            col, row = COL_INDEX[g[1].upper()], int(g[3])
            if not col or not 1 <= row <= MAX_ROW:
                continue
            ref = (0, g[0], col, g[2], row)
        elif g[5] is not None:
            first, second = COL_INDEX[g[5].upper()], COL_INDEX[g[7].upper()]
            if not first or not second:
                continue
            ref = (1, g[4], first, g[6], second)
        else:
            first, second = int(g[9]), int(g[11])
            if not (1 <= first <= MAX_ROW and 1 <= second <= MAX_ROW):
                continue
            ref = (2, g[8], first, g[10], second)
        parts.append(code[last : match.start()])
        parts.append(ref)
        last = match.end()
    parts.append(code[last:])


def shift(template: Template, rows: int, cols: int) -> str:
    """The formula of ``template`` moved by ``rows`` and ``cols``, as Excel fills it."""
    out = []
    for part in template:
        if part.__class__ is str:
            out.append(part)
            continue
        kind, abs1, n1, abs2, n2 = part
        if kind == 0:
            col = n1 if abs1 else n1 + cols
            row = n2 if abs2 else n2 + rows
            ok = 1 <= col <= MAX_COL and 1 <= row <= MAX_ROW
            out.append(f"{abs1}{COLS[col]}{abs2}{row}" if ok else "#REF!")
        elif kind == 1:
            a = n1 if abs1 else n1 + cols
            b = n2 if abs2 else n2 + cols
            ok = 1 <= a <= MAX_COL and 1 <= b <= MAX_COL
            out.append(f"{abs1}{COLS[a]}:{abs2}{COLS[b]}" if ok else "#REF!")
        else:
            a = n1 if abs1 else n1 + rows
            b = n2 if abs2 else n2 + rows
            ok = 1 <= a <= MAX_ROW and 1 <= b <= MAX_ROW
            out.append(f"{abs1}{a}:{abs2}{b}" if ok else "#REF!")
    return "".join(out)
