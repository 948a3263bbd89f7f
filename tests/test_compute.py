"""The Python computation rounds the way the workbook's ROUND does."""

from __future__ import annotations

import pytest

from bygdevekst_xl.compute import excel_round, priced_hours


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (2.5, 0, 3.0),
        (-2.5, 0, -3.0),
        (0.49999999999999994, 0, 0.0),  # adding 0.5 in floating point would give 1
        (482692.49999999994, 0, 482692.0),
        (643.5899999999999, 6, 643.59),
        (1.0000005, 6, 1.000001),
        (0.0, 0, 0.0),
        (1e300, 6, 1e300),  # past 2**52 a float is whole already
        (float("inf"), 0, float("inf")),
        (10**400, 6, 10**400),  # an int no float can hold
    ],
)
def test_excel_round_halves_away_from_zero_on_the_exact_value(value, digits, expected):
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


def test_the_schema_limits_are_the_model_limits():
    """The checker's input limits are the spec schema's maxima."""
    from bygdevekst_xl.model import MAX_HOURS, MAX_KRONER
    from bygdevekst_xl.spec import load_schema

    defs = load_schema()["$defs"]
    assert defs["kroner"]["maximum"] == MAX_KRONER
    assert defs["hours"]["maximum"] == MAX_HOURS


def test_the_schema_counts_are_the_reader_counts():
    """A workbook may hold as many municipalities, categories, projects and cost lines as the
    spec schema allows, no more: the reader refuses more (one line), so nothing quadratic in
    a crafted table runs."""
    from bygdevekst_xl.model import MAX_CATEGORIES, MAX_COST_LINES, MAX_MUNICIPALITIES, MAX_PROJECTS
    from bygdevekst_xl.spec import load_schema

    schema = load_schema()["properties"]
    assert schema["pilot"]["properties"]["municipalities"]["maxItems"] == MAX_MUNICIPALITIES
    assert schema["categories"]["maxItems"] == MAX_CATEGORIES
    assert schema["projects"]["maxItems"] == MAX_PROJECTS
    project = schema["projects"]["items"]["properties"]
    assert project["costs"]["maxItems"] == MAX_COST_LINES
