"""extract: the spec comes back from a workbook with every typed value."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings

from bygdevekst_xl.cli import main
from bygdevekst_xl.dataclass import replace
from bygdevekst_xl.extract import ExtractError, extract, spec_problems
from bygdevekst_xl.generate import workbook_bytes
from bygdevekst_xl.model import Budget
from bygdevekst_xl.record import canonical
from bygdevekst_xl.scheme import within_scheme
from bygdevekst_xl.spec import budget_from_dict, load_spec
from tests import damage
from tests.strategies import specs

P2 = "2 Boligbygging"


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(spec=specs())
def test_generate_then_extract_gives_the_same_spec(spec, tmp_path_factory):
    """Random valid specs -> generate -> extract -> the same spec, within the scheme (a cap over
    4 000 000 kr or an excluded use marked eligible comes back as the scheme has it)."""
    budget = budget_from_dict(spec)
    path = tmp_path_factory.mktemp("rt") / "wb.xlsx"
    path.write_bytes(workbook_bytes(budget))
    assert extract(path) == within_scheme(budget)


def test_extract_carries_lines_typed_in_excel(example_workbook, example_budget, tmp_path):
    """A line typed into a spare row, changed hours and financing all come back in the spec."""
    edit = {
        "A12": "Kurs og kompetanse",
        "B12": "Studietur til Trøndelag",
        "C12": 25_000,
        "D12": 0,
        "C20": 175,
        "D29": 125_000,
    }
    path = damage.with_openpyxl(
        example_workbook,
        tmp_path / "e.xlsx",
        lambda wb: [wb[P2].__setitem__(k, v) for k, v in edit.items()],
    )
    budget = extract(path)
    project = budget.projects[1]
    assert project.costs[-1].description == "Studietur til Trøndelag"
    assert project.costs[-1].category == "kurs" and project.costs[-1].amounts == (25_000, 0)
    assert len(project.costs) == len(example_budget.projects[1].costs) + 1
    assert project.hours_of("Hasvik") == (175, 150)
    assert project.statsforvalteren == (350_000, 125_000)


def test_extract_refuses_inputs_a_spec_cannot_hold(example_workbook, tmp_path, capsys):
    """Text in an amount cell stops extract with the cell named; nothing is written."""
    path = damage.with_openpyxl(
        example_workbook, tmp_path / "e.xlsx", lambda wb: wb[P2].__setitem__("C9", "150 000")
    )
    with pytest.raises(ExtractError) as caught:
        extract(path)
    assert [(f.code, f.sheet, f.cell) for f in caught.value.findings] == [
        ("amount-not-number", P2, "C9")
    ]
    out = tmp_path / "spec.yaml"
    assert main(["extract", str(path), "-o", str(out)]) == 1
    assert f"{P2}!C9: Beløpet er tekst («150 000»)" in capsys.readouterr().err
    assert main(["extract", str(path), "-o", str(out), "--lang", "en"]) == 1
    assert f"{P2}!C9: The amount is text («150 000»)" in capsys.readouterr().err
    assert not out.exists()


def test_extract_cli_writes_a_spec_that_generates_the_same_workbook(
    example_workbook, tmp_path, example_budget, capsys
):
    """`extract -o` writes a valid spec; generating from it gives the same bytes as the original."""
    out = tmp_path / "spec.yaml"
    assert main(["extract", str(example_workbook), "-o", str(out)]) == 0
    assert load_spec(out) == example_budget
    assert workbook_bytes(load_spec(out)) == example_workbook.read_bytes()
    assert main(["extract", str(example_workbook), "-o", str(out)]) == 0
    assert "up to date" not in capsys.readouterr().err


def test_spec_problems_trusts_only_the_record_s_own_json(example_budget):
    """Inputs exactly as the record holds them are valid without a second validation; inputs
    equal to it only as Python compares (true for 1), or not JSON at all, are validated."""
    project = example_budget.projects[0]

    def with_amounts(*amounts: object) -> Budget:
        line = replace(project.costs[0], amounts=amounts)
        changed = replace(project, costs=(line, *project.costs[1:]))
        return replace(example_budget, projects=(changed, *example_budget.projects[1:]))

    recorded = canonical(with_amounts(1, 0))
    assert spec_problems(with_amounts(1, 0), recorded) == []
    for amounts in [(True, False), (dt.date(2026, 1, 1), 0)]:
        problems = spec_problems(with_amounts(*amounts), recorded)
        assert problems and problems == spec_problems(with_amounts(*amounts))
        assert "projects[0].costs[0].amounts[0]" in str(problems[0])
