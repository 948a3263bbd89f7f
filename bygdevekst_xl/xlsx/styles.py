"""``xl/styles.xml``: which cell styles show a number as a date.

A finance officer in a Norwegian locale who types ``1.5`` into an hours cell gets the date
1 May (a number formatted as a date); the reader reports which cells carry a date format so
the checker can say so. Only the number formats are read: ``numFmts`` and ``cellXfs``.
"""

from __future__ import annotations

import re
import zipfile

from .xmlparts import Parts, tags

BUILTIN_DATE_FORMATS = frozenset({*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)})
"""Excel's built-in number format ids that show dates or times."""
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')
_DATE_CODES = re.compile(r"[dDmMyYhHsS]")


def is_date_format(code: str) -> bool:
    """True when a format code shows a date or time (``d.m.yyyy``, ``[$-414]d. mmm``)."""
    section = _QUOTED.sub("", code.split(";")[0])
    return bool(_DATE_CODES.search(section)) and "General" not in section


def date_styles(parts: Parts, info: zipfile.ZipInfo | None) -> frozenset[str]:
    """The indexes of the cell styles (``<c s>``, as written) whose number format shows a date."""
    if info is None:
        return frozenset()
    custom: dict[int, str] = {}
    formats: list[int] = []
    num_fmt, cell_xfs, xf = tags("numFmt"), tags("cellXfs"), tags("xf")
    inside = False

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal inside
        if name in num_fmt:
            number = attrs.get("numFmtId", "")
            if number.isdecimal() and len(number) < 6:
                custom[int(number)] = attrs.get("formatCode", "")
        elif name in cell_xfs:
            inside = True
        elif name in xf and inside:
            parts.keep("cell styles")
            number = attrs.get("numFmtId", "0")
            formats.append(int(number) if number.isdecimal() and len(number) < 6 else 0)

    def end(name: str) -> None:
        nonlocal inside
        if name in cell_xfs:
            inside = False

    parts.parse(info.filename, info, start, end)
    return frozenset(
        str(i)
        for i, number in enumerate(formats)
        if number in BUILTIN_DATE_FORMATS or (number in custom and is_date_format(custom[number]))
    )
