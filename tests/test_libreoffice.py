"""The real-client oracle: LibreOffice, forced to recalculate, agrees with every value we write."""

from __future__ import annotations

from pathlib import Path

import pytest

from bygdevekst_xl.check import check_workbook
from bygdevekst_xl.edited.inputs import Rules, read_budget
from bygdevekst_xl.generate import workbook_bytes
from bygdevekst_xl.layout import build_layout
from bygdevekst_xl.model import CostLine
from bygdevekst_xl.office import (
    edit_with_libreoffice,
    read_formulas,
    read_values,
    recalculate_gnumeric,
    recalculate_libreoffice,
    soffice_path,
    uno_python,
)
from bygdevekst_xl.xlsx import read_workbook
from tests import damage
from tests.compare import layout_disagreements
from tests.conftest import edited

pytestmark = [
    pytest.mark.office,
    pytest.mark.skipif(soffice_path() is None, reason="LibreOffice (soffice) missing"),
]


def formula_count(layout) -> int:
    return sum(1 for s in layout.sheets for c in s.cells.values() if c.kind == "formula")


def test_libreoffice_recalculation_equals_our_values(example_budget, example_workbook, tmp_path):
    """LibreOffice, recalculating on load, gives our value in every formula cell."""
    [out] = recalculate_libreoffice([example_workbook], tmp_path)
    layout = build_layout(example_budget)
    assert layout_disagreements(layout, read_values(out)) == []
    assert len(read_formulas(out)) >= formula_count(layout)


def test_the_oracle_has_teeth(example_budget, example_workbook, tmp_path):
    """A wrong cached value is corrected by the recalculation, so a wrong value cannot pass."""
    part = damage.sheet_part(example_workbook, "Samlet budsjett og finansiering")
    kdd = build_layout(example_budget).anchor("kdd_total")
    wrong = damage.with_parts(
        example_workbook,
        tmp_path / "wrong.xlsx",
        {part: lambda xml: damage.set_cached_value(xml, kdd.address, "1")},
    )
    assert read_values(wrong)[("Samlet budsjett og finansiering", kdd.address)] == 1
    [out] = recalculate_libreoffice([wrong], tmp_path / "out")
    assert read_values(out)[("Samlet budsjett og finansiering", kdd.address)] == kdd.value


def test_gnumeric_recalculation_equals_our_values(example_budget, example_workbook, tmp_path):
    """Gnumeric, a second independent engine, also agrees with every formula cell."""
    out = recalculate_gnumeric(example_workbook, tmp_path / "gnumeric.xlsx")
    assert layout_disagreements(build_layout(example_budget), read_values(out)) == []


@pytest.mark.parametrize(
    "changes",
    [
        {
            "projects.1.costs.0.amounts": [400_000, 150_000],
            "projects.1.hours.Hasvik": [10, 0],
            "projects.1.financing.statsforvalteren": [1, 2],
        },
        {
            "projects.0.financing.kdd": [3_000_000, 2_000_000],
            "projects.4.costs.2.category": "drift",
            "projects.3.hours.Måsøy": [0, 0],
        },
        {  # hours × rate is exactly half a krone: 643.59 × 750 and 595.19 × 750
            "pilot.hourly_rate": 750,
            "projects.1.hours.Hammerfest": [221, 252.2],
            "projects.1.hours.Hasvik": [293.29, 82.99],
            "projects.1.hours.Måsøy": [129.3, 260.0],
        },
    ],
)
def test_changed_inputs_move_every_dependent_total(example_dict, tmp_path, changes):
    """Changed inputs, recalculated by LibreOffice, give the values the rules say in every cell."""
    budget = edited(example_dict, **changes)
    path = tmp_path / "changed.xlsx"
    path.write_bytes(workbook_bytes(budget))
    [out] = recalculate_libreoffice([path], tmp_path / "out")
    assert layout_disagreements(build_layout(budget), read_values(out)) == []


@pytest.mark.skipif(uno_python() is None, reason="python3-uno missing")
def test_edits_typed_in_libreoffice_flow_through_live_formulas(
    example_budget, example_workbook, tmp_path
):
    """Values typed in LibreOffice itself move every dependent total, and the checker agrees."""
    p2 = example_budget.projects[1].sheet
    edits = {
        (p2, "C7"): 400_000,
        (p2, "D29"): 150_000,
        (p2, "C20"): 10,
        (p2, "A11"): "Kurs og kompetanse",
        (p2, "B11"): "Studietur",
        (p2, "D11"): 7_000,
    }
    saved = edit_with_libreoffice(example_workbook, tmp_path / "edited.xlsx", edits)
    read = read_budget(read_workbook(saved), Rules.of(example_budget))
    project = read.budget.projects[1]
    assert project.costs[0].amounts == (400_000, 100_000)
    assert project.costs[4] == CostLine("kurs", "Studietur", (None, 7_000))
    assert project.hours_of("Hasvik") == (10, 150)
    values = read_values(saved)
    assert layout_disagreements(build_layout(read.budget, read.capacities), values) == []
    before = build_layout(example_budget).anchor("total_costs")
    after = values[("Samlet budsjett og finansiering", before.address)]
    assert after == before.value + 50_000 + 7_000 - 140 * 700
    report = check_workbook(saved, example_budget)
    assert {(f.code, f.cell) for f in report.findings} == {
        ("not-balanced", "C50"),
        ("not-balanced", "D50"),
    }


def test_checker_passes_a_workbook_saved_by_libreoffice(example_budget, example_workbook, tmp_path):
    """A workbook opened and saved by LibreOffice checks clean, with LibreOffice's totals."""
    [out] = recalculate_libreoffice([example_workbook], tmp_path)
    report = check_workbook(out, example_budget)
    assert [(f.code, f.sheet, f.cell) for f in report.findings] == []
    values = read_values(out)
    layout = build_layout(example_budget)
    for key in ("kdd_total", "total_costs", "statsforvalteren", "own_share", "balance"):
        assert report.recomputed[key] == pytest.approx(
            values[("Samlet budsjett og finansiering", layout.anchor(key).address)]
        )


def test_readme_picture_is_rendered_from_the_combined_sheet():
    """The README's picture of the combined sheet exists (made by docs/render_screenshot.py)."""
    assert (
        Path(__file__).resolve().parents[1] / "docs" / "samlet-budsjett.png"
    ).stat().st_size > 10_000
