"""The Python computation rounds the way the workbook's ROUND does."""

from __future__ import annotations

import pytest

from bygdevekst_xl.compute import excel_round, priced_hours


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (2.5, 0, 3.0),
        (-2.5, 0, -3.0),
        (0.49999999999999994, 0, 1.0),  # 0.5 at Excel's 15 significant digits
        (482692.49999999994, 0, 482693.0),  # 482 692.5 at 15 digits (IronCalc agrees)
        (267.15 * 50, 0, 13358.0),  # 13 357.499999999998 in binary, 13 358 in Excel
        (288.722 * 750, 0, 216542.0),
        (100 * 1.005, 0, 101.0),
        (12499.4, 0, 12499.0),
        (643.5899999999999, 6, 643.59),
        (1.0000005, 6, 1.000001),
        (0.0, 0, 0.0),
        (1e300, 6, 1e300),  # past 2**52 a float is whole already
        (float("inf"), 0, float("inf")),
        (10**400, 6, 10**400),  # an int no float can hold
    ],
)
def test_excel_round_halves_away_from_zero_at_15_significant_digits(value, digits, expected):
    """ROUND as Excel: the value at 15 significant digits, halves away from zero."""
    assert excel_round(value, digits) == expected


@pytest.mark.parametrize(
    ("hours", "expected"),
    [
        ([221, 293.29, 129.3], 482693.0),  # 643.59 h × 750 kr = 482 692.5 kr
        ([252.2, 82.99, 260.0], 446393.0),  # 595.19 h × 750 kr = 446 392.5 kr
        ([0.01], 8.0),  # 7.5 kr
    ],
)
def test_priced_hours_do_not_depend_on_how_the_hours_were_added(hours, expected):
    """Left-to-right and compensated sums of the same hours price to the same krone."""
    import math

    assert priced_hours(sum(hours), 750) == expected
    assert priced_hours(math.fsum(hours), 750) == expected


def test_sum_counts_numbers_and_nothing_else():
    """What SUM sees: ints and floats (and a formula's number) count; text, blanks, booleans
    and a formula's text are 0."""
    from bygdevekst_xl.compute import number
    from bygdevekst_xl.model import Formula

    assert [number(v) for v in (5, 2.5, -3, True, False, None, "", "7")] == [
        5,
        2.5,
        -3,
        0,
        0,
        0,
        0,
        0,
    ]
    assert number(Formula("=2*3", 6)) == 6 and number(Formula('="x"', "x")) == 0
