"""read_workbook as a whole: what it reads agrees with openpyxl and LibreOffice."""

from __future__ import annotations

import zipfile

import openpyxl
import pytest

from bygdevekst_xl.evaluate import ErrorValue
from bygdevekst_xl.office import convert_libreoffice, soffice_path
from bygdevekst_xl.xlsx import Validation, read_workbook
from tests.xlsx_fixtures import (
    BUDGET,
    COSTS,
    PARAMS,
    assert_cells_match_openpyxl,
    fast_path_taken,
    hand_made,
    only_sheet,
    read_both_ways,
    sheet_xml,
)

# ---------------------------------------------------------------------------------------
# Agreement with openpyxl.


def test_budget_cells_match_openpyxl(budget_file):
    """Values, formulas and cached values of an xlsxwriter budget are exactly openpyxl's."""
    book = read_both_ways(budget_file)
    assert assert_cells_match_openpyxl(budget_file, book) > 40
    sheet = book.sheets[BUDGET]
    assert sheet.values["A1"] == "Prosjekt «Bygdevekst» – æøå"
    assert sheet.values["B1"] is True and sheet.values["C1"] is False
    assert sheet.values["B4"] == "=ikke en formel"
    assert sheet.formulas["D6"] == f"=C6+'{COSTS}'!B6"
    assert sheet.cached["C14"] == sum(r * 10 * 950 for r in range(6, 14))
    assert sheet.cached["E1"] == ErrorValue("#DIV/0!")
    assert sheet.cached["E2"] == "a<b>"
    assert sheet.cached["E3"] is True
    assert sheet.formulas["F1"] == "=B2:B3*2"
    assert book.sheets[PARAMS].values["A5"] == "<Annet>"


def test_budget_names_match_openpyxl(budget_file):
    """Workbook names and sheet-scoped names are read as openpyxl reads them, without "="."""
    book = read_workbook(budget_file)
    view = openpyxl.load_workbook(budget_file)
    assert book.names == {name: dn.attr_text for name, dn in view.defined_names.items()}
    assert book.names == {"Kategorier": f"{PARAMS}!$A$2:$A$5", "Sats": f"{PARAMS}!$B$4"}
    local = {key: text for key, text in book.local_names.items() if not key[1].startswith("_xlnm")}
    theirs = {
        (ws.title, name): dn.attr_text
        for ws in view.worksheets
        for name, dn in ws.defined_names.items()
    }
    assert local == theirs == {(BUDGET, "Lokal"): f"'{BUDGET}'!$B$2"}


def test_budget_validations_match_openpyxl(budget_file):
    """Each data validation keeps its ranges, type, operator and first formula."""
    book = read_workbook(budget_file)
    view = openpyxl.load_workbook(budget_file)[BUDGET]
    theirs = [
        Validation(str(dv.sqref), dv.type, dv.operator, dv.formula1)
        for dv in view.data_validations.dataValidation
    ]
    assert (
        book.sheets[BUDGET].validations
        == theirs
        == [
            Validation("A6:A13", "list", None, "Kategorier"),
            Validation("B6:B13 G28:G29", "whole", None, "0"),
            Validation("H7", "decimal", "greaterThanOrEqual", "0"),
        ]
    )


def test_budget_sheet_flags(budget_file):
    """Protection, hidden rows, sheet state, comments and drawings are read per sheet."""
    book = read_workbook(budget_file)
    view = openpyxl.load_workbook(budget_file)
    budget, costs, params = (book.sheets[name] for name in (BUDGET, COSTS, PARAMS))
    assert budget.protected is view[BUDGET].protection.sheet is True
    assert costs.protected is view[COSTS].protection.sheet is False
    assert budget.hidden_rows == {10, 20}
    assert {r for r, dim in view[BUDGET].row_dimensions.items() if dim.hidden} == {10, 20}
    assert (budget.state, costs.state, params.state) == ("visible", "visible", "hidden")
    assert budget.comments == 1 == sum(c.comment is not None for r in view[BUDGET] for c in r)
    assert costs.comments == 0
    assert (budget.drawings, costs.drawings) == (0, 2)  # the image and the chart


def test_budget_workbook_flags(budget_file):
    """Calculation mode, custom properties, macros and external links of the workbook."""
    book = read_workbook(budget_file)
    view = openpyxl.load_workbook(budget_file)
    assert book.calc_mode == view.calculation.calcMode == "manual"
    assert book.custom_properties == {"Versjon": "1.2", "Kommune": "Hjerteregionen"}
    assert book.custom_properties == {p.name: p.value for p in view.custom_doc_props.props}
    assert book.has_macros is False
    assert book.external_links == []
    assert book.path == budget_file


def test_the_fast_path_reads_xlsxwriter_sheets(budget_file, monkeypatch):
    """Sheets as xlsxwriter writes them take the fast path (so the agreement tests cover it)."""
    taken = fast_path_taken(monkeypatch)
    read_workbook(budget_file)
    assert taken == [True, True, True]


def test_calc_mode_is_none_when_absent(tmp_path):
    """A workbook without calcPr (automatic calculation) has calc_mode None."""
    book = read_workbook(hand_made(tmp_path, sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>')))
    assert book.calc_mode is None
    assert only_sheet(book).values == {"A1": 1.0}


@pytest.mark.office
@pytest.mark.skipif(soffice_path() is None, reason="LibreOffice (soffice) not on PATH")
def test_a_file_saved_by_libreoffice_matches_openpyxl(tmp_path, budget_file):
    """LibreOffice's XML (aca attributes, t="n", TRUE() formulas, its own styles) reads as
    openpyxl reads it, with and without the fast path."""
    converted = convert_libreoffice(budget_file, tmp_path / "out", "xlsx")
    assert b'aca="false"' in zipfile.ZipFile(converted).read("xl/worksheets/sheet1.xml")
    book = read_both_ways(converted)
    assert assert_cells_match_openpyxl(converted, book) > 40
    sheet = book.sheets[BUDGET]
    assert sheet.formulas["D6"] == f"=C6+'{COSTS}'!B6"
    assert sheet.protected and sheet.hidden_rows == {10, 20} and sheet.comments == 1
    assert book.sheets[COSTS].drawings == 2
    assert book.local_names[(BUDGET, "Lokal")] == f"'{BUDGET}'!$B$2"
    assert book.custom_properties == {"Versjon": "1.2", "Kommune": "Hjerteregionen"}
    view = openpyxl.load_workbook(converted)
    assert book.names == {name: dn.attr_text for name, dn in view.defined_names.items()}
    assert book.names["Kategorier"] == f"{PARAMS}!$A$2:$A$5"
    assert [v.type for v in sheet.validations] == ["list", "whole", "decimal"]
