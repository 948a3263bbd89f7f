"""locate: the cells of a workbook's label column, as the A1 addresses say."""

from __future__ import annotations

from types import SimpleNamespace

from bygdevekst_xl.edited.locate import _column
from bygdevekst_xl.excel import parse_a1


def test_a_column_holds_the_cells_its_addresses_name():
    """Every address parse_a1 reads in the column, values then formulas; none of another
    column, nothing parse_a1 refuses (a leading zero, past the last row, no row)."""
    values = {
        "A1": "Kostnader",
        "AB3": 2,
        "A012": 1,
        "A1048576": "last",
        "A1048577": "past",
        "A": "no row",
        "A$7": "dollar",
        "B2": "x",
        "A١٢": "arabic digits",
    }
    formulas = {"A5": "=1", "AA5": "=2"}
    content = SimpleNamespace(values=values, formulas=formulas)
    expected = [
        (position[0], address)
        for address in (*values, *formulas)
        if (position := parse_a1(address)) is not None and position[1] == 0
    ]
    assert _column(content, 0) == expected
    assert expected == [(0, "A1"), (1048575, "A1048576"), (6, "A$7"), (4, "A5")]
    assert _column(content, 26) == [(4, "AA5")]
