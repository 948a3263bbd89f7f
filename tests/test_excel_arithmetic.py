"""Check on workbooks with the formulas finance officers type, judged as Excel computes them
(issue 21's table of false alarms and missed errors). Edits through openpyxl, which saves no
cached values, so every verdict comes from the evaluator."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
import yaml
from openpyxl.worksheet.table import Table

from bygdevekst_xl.cli import main
from bygdevekst_xl.compute import priced_hours
from bygdevekst_xl.office import edit_with_libreoffice, soffice_path
from bygdevekst_xl.xlsx import read_workbook
from tests import damage

P1 = "1 Prosjektledelse"
BUDGET_RULES = {"not-balanced", "total-mismatch", "kdd-over-cap", "kdd-over-eligible"}


def check(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict]]:
    """Exit code and top-level findings of ``check --json``."""
    code = main(["check", "--json", str(path)])
    return code, json.loads(capsys.readouterr().out)["findings"]


def typed(source: Path, target: Path, cells: dict[str, object]) -> Path:
    """A copy of ``source`` with formulas or values typed into Prosjektledelse's cells."""

    def apply(wb: openpyxl.Workbook) -> None:
        for cell, value in cells.items():
            wb[P1][cell] = value

    return damage.with_openpyxl(source, target, apply)


def errors(found: list[dict]) -> set[tuple[str, str | None]]:
    return {(f["code"], f.get("cell")) for f in found if f["severity"] == "error"}


@pytest.mark.parametrize(
    "cells",
    [
        {"C8": "=TRUNC(D8*1.15)-13500"},  # 103 500 - 13 500 in Excel (naively 89 999)
        {"C8": "=CEILING(D8*1.1,1000)-9000"},  # 99 000 - 9 000 (naively 91 000)
        {"C8": "=CEILING.MATH(D8*1.1,1000)-9000"},
        {"C8": "=FLOOR(D8*1.15,1)-13500"},
        {"C9": '=VALUE("40,000")'},
        {"C9": '=VALUE("50%")*80000'},
        {"C9": '="40,000"+0'},
        {"C9": '=DATEDIF(DATE(2024,1,1),DATE(2024,3,1),"d")*1000-20000'},  # 60 days
        {"C9": "=QUOTIENT(80001,2)+SUBTOTAL(9,C1:C2)"},
        {"C7": "=0.1*3*3500000"},  # 1 050 000.0000000002: Excel shows 1 050 000 kr
        {"C28": "=MROUND(1180500,1000)-1000"},  # halves away from zero: 1 181 000 - 1 000
        {"C28": "=IFS(C15>0,C15,TRUE,0)"},
        {"C28": '=SWITCH(A8,"Reiser",C15,0)'},
        {"C28": "=LET(kost,C15,kost)"},
        {"C28": '=XLOOKUP("Sum kostnader",A7:A15,C7:C15)'},
        {"C28": '=SUMIFS(C7:C14,A7:A14,"<>")'},
        {"C28": '=AVERAGEIFS(C7:C14,A7:A14,"Reiser")+1090000'},
    ],
)
def test_typed_formulas_check_clean_as_in_excel(example_workbook, tmp_path, capsys, cells):
    """A formula typed into an input that Excel computes to the typed budget's own amount
    leaves the workbook clean: no not-balanced, total-mismatch, amount-fractional or
    unsupported-formula."""
    path = typed(example_workbook, tmp_path / "typed.xlsx", cells)
    code, found = check(path, capsys)
    assert errors(found) == set()
    assert code == 0


def test_value_of_a_number_with_a_space_is_an_error_not_a_date(example_workbook, tmp_path, capsys):
    """``=VALUE("40 000")`` is #VALUE! in Excel (never the date 14 580): one error at the
    cell, the amount never counted silently, and what is computed from it (the totals, the
    balance computed without it) nested under it."""
    path = typed(example_workbook, tmp_path / "space.xlsx", {"C9": '=VALUE("40 000")'})
    code, found = check(path, capsys)
    assert code == 1
    assert errors(found) == {("error-value", "C9")}
    (cause,) = found_with(found, "error-value")
    assert cause["found"] == "#VALUE!"
    assert {"total-mismatch", "not-balanced"} <= {f["code"] for f in cause["consequences"]}


def test_mround_half_to_even_would_miss_an_imbalance(example_workbook, tmp_path, capsys):
    """``=MROUND(1050500,1000)`` is 1 051 000 in Excel: KDD 500 kr over the costs of 2024 is
    a not-balanced error (rounding half to even gave 1 050 000 and missed it)."""
    path = typed(example_workbook, tmp_path / "mround.xlsx", {"C28": "=MROUND(1180500,1000)"})
    code, found = check(path, capsys)
    assert code == 1
    balance = [(f["sheet"], f["found"]) for f in found if f["code"] == "not-balanced"]
    assert balance == [(P1, 1000)]


def test_an_unsupported_function_groups_what_follows_under_it(example_workbook, tmp_path, capsys):
    """A function the evaluator does not know (AGGREGATE) is one unsupported-formula at its
    cell; the balance computed without its value and the totals after it are nested under it,
    never findings of their own."""
    path = typed(example_workbook, tmp_path / "aggregate.xlsx", {"C28": "=AGGREGATE(9,6,C15)"})
    code, found = check(path, capsys)
    assert code == 1
    top = {(f["code"], f.get("cell")) for f in found}
    assert ("unsupported-formula", "C28") in top
    assert not {code for code, _ in top} & BUDGET_RULES
    (cause,) = [f for f in found if f["code"] == "unsupported-formula"]
    assert "not-balanced" in {f["code"] for f in cause["consequences"]}


def test_an_unsupported_cost_groups_the_eligibility_rule_under_it(
    example_workbook, tmp_path, capsys
):
    """An unsupported function in a cost amount: kdd-over-eligible, computed as if the cost
    were 0 and shown at the KDD total (which does not follow the cost), is nested under the
    unsupported-formula too."""
    path = typed(example_workbook, tmp_path / "cost.xlsx", {"C9": "=AGGREGATE(9,6,D9)"})
    code, found = check(path, capsys)
    assert code == 1
    assert [(f["code"], f["cell"]) for f in found if f["severity"] == "error"] == [
        ("unsupported-formula", "C9")
    ]
    (cause,) = found_with(found, "unsupported-formula")
    assert {"kdd-over-eligible", "not-balanced"} <= {f["code"] for f in cause["consequences"]}


def found_with(found: list[dict], code: str) -> list[dict]:
    return [f for f in found if f["code"] == code]


def test_a_structured_reference_names_no_cells_of_its_own(example_workbook, tmp_path, capsys):
    """The references listed for a typed formula are cell references, never the tail of a
    table's name (``Kostnader2[2024]`` holds no cell DER2)."""
    from bygdevekst_xl.excel import references

    assert references('=SUMIFS(Kostnader2[2024],Kostnader2[Kategori],"Reiser")') == ()
    assert references("=C7+'1 P'!D8:D9*Parametre!$B$2") == ("C7", "'1 P'!D8:D9", "Parametre!$B$2")


def test_a_sum_over_an_excel_table_is_read(example_workbook, tmp_path, capsys):
    """Travel costs summed from an Excel Table a person made on a sheet of their own
    (``=SUMIFS(Kostnader2[2024],Kostnader2[Kategori],"Reiser")``, a structured reference):
    the table part is read and the amount counted; the workbook checks clean."""

    def apply(wb: openpyxl.Workbook) -> None:
        ws = wb.create_sheet("Grunnlag")
        ws.append(["Kategori", "2024"])
        for row in (["Reiser", 60000], ["Kurs", 5000], ["Reiser", 30000]):
            ws.append(row)
        ws.add_table(Table(displayName="Kostnader2", ref="A1:B4"))
        wb[P1]["C8"] = '=SUMIFS(Kostnader2[2024],Kostnader2[Kategori],"Reiser")'

    path = damage.with_openpyxl(example_workbook, tmp_path / "tabell.xlsx", apply)
    (table,) = read_workbook(path).sheets["Grunnlag"].tables
    assert (table.name, table.ref, table.columns) == ("Kostnader2", "A1:B4", ("Kategori", "2024"))
    code, found = check(path, capsys)
    assert errors(found) == set()
    assert code == 0


def test_hours_priced_as_excel_prices_them():
    """In-kind value of awkward hours: 267.15 h × 50 kr is 13 358 kr and 288.722 h × 750 kr
    216 542 kr in Excel (ROUND at 15 significant digits), not 1 kr less."""
    assert priced_hours(267.15, 50) == 13358
    assert priced_hours(288.722, 750) == 216542


def test_extract_states_a_typed_formula_as_the_krone_excel_shows(
    example_workbook, tmp_path, capsys
):
    """extract writes ``=0.1*3*3500000`` (1 050 000.0000000002) as 1 050 000 and a sum over an
    Excel Table as its value, exit 0."""
    path = typed(example_workbook, tmp_path / "typed.xlsx", {"C7": "=0.1*3*3500000"})
    out = tmp_path / "spec.yaml"
    assert main(["extract", str(path), "-o", str(out)]) == 0
    spec = yaml.safe_load(out.read_text("utf-8"))
    assert spec["projects"][0]["costs"][0]["amounts"] == [1050000, 1080000]


def test_extract_refuses_a_formula_it_cannot_evaluate_naming_the_cell(
    example_workbook, tmp_path, capsys
):
    """An amount typed with a function the evaluator does not know has no value to state:
    extract exits 1 naming the cell and its error, never an internal message."""
    path = typed(example_workbook, tmp_path / "typed.xlsx", {"C9": "=AGGREGATE(9,6,D9)"})
    assert main(["extract", str(path), "-o", str(tmp_path / "spec.yaml")]) == 1
    err = capsys.readouterr().err
    assert f"{P1}!C9" in err and "#NAME?" in err
    assert "ErrorValue" not in err


@pytest.mark.parametrize(
    ("value", "typed_text", "shown"),
    [
        (45413, "1.5", "01.05.2024"),  # 1.5 typed in a Norwegian Excel: 1 May
        (45658, "1.1", "01.01.2025"),
        (12, "12", "12.01.1900"),  # 12 typed into a cell formatted as a date
        (12.5, "12,5", "12.01.1900"),
        (0, None, None),
    ],
)
def test_a_number_shown_as_a_date_names_what_was_probably_typed(value, typed_text, shown):
    """number-as-date says which date the number shows and what was probably typed: the day
    and month of a recent date, else the number itself."""
    from bygdevekst_xl.check.rules import probably_typed, shown_date

    assert probably_typed(value) == typed_text
    if shown is not None:
        assert shown_date(value) == shown


def test_amounts_whole_at_15_significant_digits_are_whole():
    """300 000.00000000006 (``=0.1*3*1000000``) is a whole krone as Excel shows it;
    12 499.5 and 40 000.0000000001 are real fractions."""
    from bygdevekst_xl.check.rules import whole_krone

    assert whole_krone(0.1 * 3 * 1000000)
    assert whole_krone(300000.0)
    assert not whole_krone(12499.5)
    assert not whole_krone(0.1 * 3 * 1000000 - 260000)  # 40 000.0000000001 at 15 digits


LO_TYPED = {
    "C8": "=TRUNC(D8*1.15)-13500",
    "C9": '=VALUE("40,000")',
    "D9": '=DATEDIF(DATE(2024,1,1),DATE(2024,3,1),"d")*1000-20000',
    "C28": "=MROUND(1180500,1000)-1000",
    "D28": "=CEILING.MATH(D15-500,1000)",
}


@pytest.mark.office
@pytest.mark.skipif(soffice_path() is None, reason="LibreOffice (soffice) missing")
def test_formulas_typed_in_libreoffice_check_as_in_excel(example_workbook, tmp_path, capsys):
    """The issue's formulas typed into inputs in LibreOffice and saved there as .xlsx (its own
    spelling of newer functions, ``_xlfn.CEILING.MATH``): check reads and computes every one to
    Excel's value, and the workbook checks without an error."""
    path = edit_with_libreoffice(
        example_workbook, tmp_path / "lo.xlsx", {(P1, a): f for a, f in LO_TYPED.items()}
    )
    code, found = check(path, capsys)
    assert errors(found) == set()
    assert code == 0
