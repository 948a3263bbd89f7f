"""The layout: the single source of addresses, names and formulas, with values that follow the rules."""

from __future__ import annotations

import pytest

from bygdevekst_xl.layout import build_layout
from bygdevekst_xl.layout.cells import quote_sheet
from bygdevekst_xl.layout.rows import SPARE_COST_ROWS, ProjectRows
from bygdevekst_xl.texts import MISSING_HOURS, NOT_BALANCED, OK, OVER_CAP, OVER_ELIGIBLE, SEE_RULES
from tests.conftest import edited


def formulas_of(layout):
    return [(s.name, c) for s in layout.sheets for c in s.cells.values() if c.kind == "formula"]


def test_every_formula_compiles_with_formulas(example_budget):
    """Every generated formula parses and compiles with the `formulas` library."""
    import formulas

    layout = build_layout(example_budget)
    seen = set()
    for _, cell in formulas_of(layout):
        if cell.formula in seen:
            continue
        seen.add(cell.formula)
        formulas.Parser().ast(cell.formula)[1].compile()
    assert len(seen) > 100


def test_names_used_in_formulas_are_defined(example_budget):
    """Every defined name a formula or validation uses is defined at workbook level."""
    layout = build_layout(example_budget)
    used = {"KDD_Tak", "Timesats", "Kategorier"}
    text = " ".join(c.formula for _, c in formulas_of(layout))
    for name in used:
        assert name in text or name == "Kategorier"
        assert name in layout.names
    sheets = {s.name for s in layout.sheets}
    for name, reference in layout.names.items():
        sheet = reference.rsplit("!", 1)[0].strip("'").replace("''", "'")
        assert sheet in sheets, name


def test_sheet_names_fit_excel(example_budget):
    """Sheet names are at most 31 characters without []:*?/\\, in the documented order."""
    layout = build_layout(example_budget)
    names = [s.name for s in layout.sheets]
    assert names[0] == "Forside" and names[1] == "Samlet budsjett og finansiering"
    assert names[-1] == "Parametre"
    assert names[2:-1] == [p.sheet for p in example_budget.projects]
    for name in names:
        assert len(name) <= 31 and not set(name) & set("[]:*?/\\")


def test_cost_tables_have_spare_rows_inside_the_summed_range(example_budget):
    """Each cost table has spare input rows, and its totals sum over all of them."""
    layout = build_layout(example_budget)
    for project in example_budget.projects:
        rows = ProjectRows(len(project.costs) + SPARE_COST_ROWS, 3, len(example_budget.categories))
        sheet = layout.sheet(project.sheet)
        last_input = sheet.cells[(rows.cost_last, 2)]
        assert last_input.kind == "input" and last_input.value is None
        total = sheet.cells[(rows.cost_total, 2)]
        assert total.formula == f"=SUM(C{rows.cost_first + 1}:C{rows.cost_last + 1})"
        name = layout.names[f"Kostnader_{project.id}"]
        assert name.endswith(f"$A${rows.cost_first + 1}:$E${rows.cost_last + 1}")


def test_combined_sheet_totals_equal_the_spec(example_budget, example_dict):
    """The combined sheet's cached totals are the spec's sums: KDD, Statsforvalteren, hours."""
    layout = build_layout(example_budget)
    kdd = sum(sum(p["financing"]["kdd"]) for p in example_dict["projects"])
    sf = sum(sum(p["financing"]["statsforvalteren"]) for p in example_dict["projects"])
    hours = sum(sum(h) for p in example_dict["projects"] for h in p["hours"].values())
    rate = example_dict["pilot"]["hourly_rate"]
    costs = sum(sum(c["amounts"]) for p in example_dict["projects"] for c in p["costs"])
    assert layout.anchor("kdd_total").value == kdd
    assert layout.anchor("statsforvalteren").value == sf
    assert layout.anchor("own_share").value == hours * rate
    assert layout.anchor("total_costs").value == costs + hours * rate
    assert layout.anchor("balance").value == 0
    assert layout.anchor("rule_all").value == OK


def test_every_number_on_the_combined_sheet_is_a_formula(example_budget):
    """Nothing on the combined sheet is a copied number: every number there is a formula."""
    sheet = build_layout(example_budget).sheet("Samlet budsjett og finansiering")
    for cell in sheet.cells.values():
        if isinstance(cell.value, int | float):
            assert cell.kind == "formula", cell.address


@pytest.mark.parametrize(
    ("changes", "rule", "status"),
    [
        (
            {
                "projects.0.financing.kdd": [2_500_000, 2_000_000],
                "projects.0.costs.0.amounts": [2_370_000, 1_870_000],
            },
            "rule_cap",
            OVER_CAP,
        ),
        (
            {
                "projects.4.financing.kdd": [360_000, 60_000],
                "projects.4.financing.statsforvalteren": [0, 200_000],
            },
            "rule_eligible",
            OVER_ELIGIBLE,
        ),
        (
            {"projects.1.financing.statsforvalteren": [350_000, 100_001]},
            "rule_balance",
            NOT_BALANCED,
        ),
        ({"projects.2.hours.Hasvik": [0, 0]}, "rule_hours", MISSING_HOURS),
    ],
)
def test_a_broken_rule_shows_its_status(example_dict, changes, rule, status):
    """Breaking one rule flips that rule's cached status and the overall status, and no other."""
    layout = build_layout(edited(example_dict, **changes))
    assert layout.anchor(rule).value == status
    assert layout.anchor("rule_all").value == SEE_RULES
    others = {"rule_cap", "rule_eligible", "rule_balance", "rule_hours", "rule_categories"} - {rule}
    assert all(layout.anchor(r).value == OK for r in others)


def test_status_formulas_name_the_rules_cells(example_budget):
    """The cap rule compares the KDD total with the KDD_Tak name, not with a typed number."""
    layout = build_layout(example_budget)
    sheet = layout.sheet("Samlet budsjett og finansiering")
    row = layout.anchors["rule_cap"][1]
    assert sheet.cells[(row, 2)].formula == "=KDD_Tak"
    assert sheet.cells[(row, 4)].formula.startswith("=IF(B")


def test_spec_text_is_kept_as_labels_not_formulas(example_dict):
    """Text from the spec that looks like a formula is laid out as a label."""
    budget = edited(
        example_dict,
        **{
            "projects.1.name": '=HYPERLINK("http://x")',
            "projects.1.costs.0.description": "+cmd|' /C calc'!A0",
        },
    )
    layout = build_layout(budget)
    sheet = layout.sheet(budget.projects[1].sheet)
    title = sheet.cells[(0, 0)]
    assert title.kind == "label" and "=HYPERLINK" in title.value
    assert sheet.cells[(6, 1)].kind == "input" and sheet.cells[(6, 1)].value.startswith("+cmd")


@pytest.mark.parametrize(
    ("name", "prefix"),
    [
        ("Parametre", "Parametre"),
        ("Tiltak_7", "Tiltak_7"),
        ("XFD1048576x", "XFD1048576x"),
        ("XY12", "'XY12'"),  # a cell address
        ("a1", "'a1'"),
        ("R2C3", "'R2C3'"),  # R1C1 references
        ("R12abc", "'R12abc'"),
        ("C5x", "'C5x'"),
        ("rc", "'rc'"),
        ("TRUE", "'TRUE'"),
        ("2 Boligbygging", "'2 Boligbygging'"),
        ("Måsøy", "'Måsøy'"),
        ("Ola's", "'Ola''s'"),
    ],
)
def test_sheet_names_excel_could_misread_are_quoted(name, prefix):
    """Formulas quote a sheet name that Excel would read as a cell, an R1C1 reference or a
    logical, or that is not a plain identifier; other names stay bare."""
    assert quote_sheet(name) == prefix


def test_a_cell_laid_out_twice_is_an_error_and_the_first_stays():
    """Two cells at one place are a bug in the layout: refused, the first one kept."""
    from bygdevekst_xl.layout.cells import SheetLayout

    sheet = SheetLayout("Ark")
    sheet.label(0, 0, "først")
    with pytest.raises(ValueError, match="Ark!A1 is laid out twice"):
        sheet.input(0, 0, 5, "amount", "input_amount")
    assert sheet.cells[(0, 0)].value == "først"
