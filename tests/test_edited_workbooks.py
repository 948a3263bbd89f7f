"""Check, extract and regenerate on workbooks edited the way people edit them.

Fast cases built with openpyxl (which saves no cached values: check evaluates them itself) and
Excel-shaped XML (a sheet renamed as Excel renames it: the sheet, every reference and every
defined name). The same edits made through LibreOffice over UNO are in test_real_edits.py.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml

from bygdevekst_xl.check import check_workbook
from bygdevekst_xl.cli import main
from bygdevekst_xl.extract import extract_spec
from bygdevekst_xl.layout.cells import ref
from bygdevekst_xl.regenerate import RefusedError, regenerate
from tests import damage
from tests.compare import inputs_as_read, places

P1, P2, P3 = "1 Prosjektledelse", "2 Boligbygging", "3 Arbeidsliv"
SUMMARY = "Samlet budsjett og finansiering"


def findings(path: Path, capsys) -> tuple[int, list[dict]]:
    """Exit code and findings of ``check --json``."""
    code = main(["check", "--json", str(path)])
    return code, json.loads(capsys.readouterr().out)["findings"]


def edit(source: Path, target: Path, changes: dict[tuple[str, str], object], **kw) -> Path:
    """A copy of ``source`` with cells set through openpyxl (and rows inserted first)."""

    def apply(wb: openpyxl.Workbook) -> None:
        for sheet, row in kw.get("insert", ()):
            wb[sheet].insert_rows(row)
        for (sheet, cell), value in changes.items():
            wb[sheet][cell] = value
        for sheet, row in kw.get("hide", ()):
            wb[sheet].row_dimensions[row].hidden = True

    return damage.with_openpyxl(source, target, apply)


def renamed_as_excel_does(source: Path, target: Path, old: str, new: str) -> Path:
    """Rename a sheet the way Excel does: the tab, every formula and every defined name."""
    before, after = ref(old, ""), ref(new, "")

    def rename(text: str) -> str:
        text = re.sub(rf"(?<![\w'.]){re.escape(before)}", after.replace("\\", "\\\\"), text)
        return text.replace(f'name="{old}"', f'name="{new}"')

    with zipfile.ZipFile(source) as zin:
        edits = {n: rename for n in zin.namelist() if n.endswith(".xml")}
    return damage.with_parts(source, target, edits)


def test_a_cap_breach_made_with_formulas_is_found(example_workbook, tmp_path, capsys):
    """Salary and KDD raised with formulas typed into the inputs: check counts the formulas'
    values, so the KDD total passes the cap and check says so (kdd-over-cap, exit 1)."""
    path = edit(
        example_workbook,
        tmp_path / "tak.xlsx",
        {(P1, "C7"): "=1050000+900000", (P1, "C28"): "=1180000+900000"},
    )
    code, found = findings(path, capsys)
    assert code == 1
    assert ("kdd-over-cap", SUMMARY, "E27") in places(found)
    report = check_workbook(path, _example())
    assert report.totals.kdd == 4_010_000
    assert not {f.code for f in report.findings} & {"total-mismatch", "not-balanced"}


def test_a_formula_without_references_is_an_ordinary_input(example_workbook, tmp_path, capsys):
    """`=7*50000` in an amount and `=3*50` in hours count as 350 000 kr and 150 hours (what was
    typed before): check is clean, and extract writes the values and lists the formulas."""
    path = edit(
        example_workbook,
        tmp_path / "formel.xlsx",
        {(P2, "C7"): "=7*50000", (P2, "C19"): "=3*50"},
    )
    before = inputs_as_read(example_workbook)
    code, found = findings(path, capsys)
    assert found == [] and code == 0, found
    extracted = extract_spec(path)
    assert [(f.cell, f.text, f.value) for f in extracted.formulas] == [
        (f"{P2}!C7", "=7*50000", 350_000),
        (f"{P2}!C19", "=3*50", 150),
    ]
    assert inputs_as_read(path) == before


def test_an_input_that_refers_to_other_cells_is_a_warning_and_counts(
    example_workbook, tmp_path, capsys
):
    """KDD linked to another cell (a plug) is an input-formula warning naming what it
    depends on; the value it gives counts in every rule."""
    path = edit(example_workbook, tmp_path / "plugg.xlsx", {(P2, "D28"): f"='{P1}'!D28"})
    code, found = findings(path, capsys)
    warning = next(f for f in found if f["code"] == "input-formula")
    assert (warning["sheet"], warning["cell"]) == (P2, "D28")
    assert f"'{P1}'!D28" in warning["message"]
    assert ("not-balanced", P2, "D50") in places(found) and code == 1


def test_regenerate_refuses_a_formula_whose_reference_has_no_place(example_workbook, tmp_path):
    """A formula that refers to a cell outside every table (a scratch cell) cannot be
    re-pointed, and the scratch value itself has no place: regenerate refuses, naming both
    cells, and writes nothing."""
    path = edit(example_workbook, tmp_path / "kladd.xlsx", {(P2, "H3"): 5, (P2, "C28"): "=H3*1000"})
    out = tmp_path / "ny.xlsx"
    with pytest.raises(RefusedError) as refused:
        regenerate(path, None, out)
    left = {(v.sheet, v.cell, v.value) for v in refused.value.result.left_out}
    assert left == {(P2, "C28", "=H3*1000"), (P2, "H3", 5)}
    assert not out.exists()


INSERTED = {P2: 5, P1: 1, SUMMARY: 1, "Forside": 1, P3: 17}
"""Rows inserted through LibreOffice: a note above a cost table, a stamp at the top of a
project sheet, the combined sheet and the Forside, and a row between two blocks."""


@pytest.fixture(scope="module")
def rows_inserted(example_workbook, tmp_path_factory):
    """The example with a row inserted (and a note typed) at each place of INSERTED, and a KDD
    plug typed after that, referring to rows that moved."""
    from bygdevekst_xl.office import edit_with_libreoffice, soffice_path, uno_python

    if soffice_path() is None or uno_python() is None:
        pytest.skip("needs LibreOffice with Python-UNO")
    target = tmp_path_factory.mktemp("inserted") / "rader.xlsx"
    notes = {(sheet, f"A{row}"): "Merk: alle beløp er eks. mva." for sheet, row in INSERTED.items()}
    edits = {**notes, (P2, "C29"): "=C16+C24-C30-C31"}
    return edit_with_libreoffice(
        example_workbook, target, edits, insert_rows=[(s, r) for s, r in INSERTED.items()]
    )


@pytest.mark.office
def test_rows_inserted_anywhere_are_at_most_text_warnings(rows_inserted, example_workbook, capsys):
    """Every table is found where it is now; each note is a text-outside-table warning, the
    plug an input-formula warning, and no typed value is lost by extract or regenerate."""
    code, found = findings(rows_inserted, capsys)
    expected = {("text-outside-table", s, f"A{r}") for s, r in INSERTED.items()}
    assert places(found) == expected | {("input-formula", P2, "C29")}
    assert code == 0
    assert inputs_as_read(rows_inserted) == inputs_as_read(example_workbook)
    assert extract_spec(rows_inserted).budget.projects[1].kdd == _example().projects[1].kdd


INSIDE = {(P1, 20), (P1, 30), (SUMMARY, 7), (SUMMARY, 49), ("Forside", 34)}
"""Rows inserted inside blocks: between two municipalities, between KDD and Statsforvalteren,
between two projects of a combined-sheet block, inside the rules table and the contents."""


@pytest.mark.office
def test_rows_inserted_inside_blocks_are_found(example_workbook, tmp_path, capsys):
    """Rows inserted inside the hours and financing tables, a block of the combined sheet, its
    rules table and the Forside's contents: each note is one text-outside-table warning, the
    inputs are read where they are, and regenerate keeps them all."""
    from bygdevekst_xl.office import edit_with_libreoffice, soffice_path, uno_python

    if soffice_path() is None or uno_python() is None:
        pytest.skip("needs LibreOffice with Python-UNO")
    edits = {(sheet, f"A{row}"): "notat" for sheet, row in INSIDE}
    path = edit_with_libreoffice(
        example_workbook, tmp_path / "inni.xlsx", edits, insert_rows=sorted(INSIDE)
    )
    code, found = findings(path, capsys)
    assert (code, places(found)) == (0, {("text-outside-table", s, f"A{r}") for s, r in INSIDE})
    assert inputs_as_read(path) == inputs_as_read(example_workbook)
    out = tmp_path / "ny.xlsx"
    regenerate(path, None, out)
    assert inputs_as_read(out) == inputs_as_read(example_workbook)


@pytest.mark.office
def test_regenerate_carries_formulas_with_references_re_pointed(rows_inserted, tmp_path):
    """The KDD plug refers to rows that moved when the note row was inserted; regenerate writes
    it in the new workbook with its references re-pointed to where those rows are there, and
    every typed value and total stays the same."""
    out = tmp_path / "ny.xlsx"
    regenerate(rows_inserted, None, out)
    ws = openpyxl.load_workbook(out)[P2]
    assert ws["C28"].value == "=C15+C23-C29-C30"
    assert ws["A15"].value == "Sum kostnader" and ws["A29"].value == "Statsforvalteren"
    assert inputs_as_read(out) == inputs_as_read(rows_inserted)
    assert (
        check_workbook(out, _example()).totals == check_workbook(rows_inserted, _example()).totals
    )


def test_a_sheet_renamed_as_excel_renames_it_is_one_warning(example_workbook, tmp_path, capsys):
    """Renaming a project sheet (Excel renames every reference and defined name with it) is
    one sheet-renamed warning; extract and regenerate carry all its values, and regenerate
    keeps the new name."""
    path = renamed_as_excel_does(example_workbook, tmp_path / "omdoept.xlsx", P1, "1 Ledelse")
    code, found = findings(path, capsys)
    assert (code, places(found)) == (0, {("sheet-renamed", "1 Ledelse", None)})
    before = inputs_as_read(example_workbook)
    assert inputs_as_read(path) == before
    spec = extract_spec(path).budget
    assert spec.projects[0].sheet == "1 Ledelse" and spec.projects[0].costs
    out = tmp_path / "ny.xlsx"
    regenerate(path, None, out)
    assert "1 Ledelse" in openpyxl.load_workbook(out).sheetnames
    assert inputs_as_read(out) == before


def test_renamed_fixed_sheets_are_found_by_their_names(example_workbook, tmp_path, capsys):
    """Parametre and the combined sheet renamed: found through their defined names."""
    path = renamed_as_excel_does(example_workbook, tmp_path / "a.xlsx", "Parametre", "Regler")
    path = renamed_as_excel_does(path, tmp_path / "b.xlsx", SUMMARY, "Samlet")
    code, found = findings(path, capsys)
    assert code == 0
    assert {f["code"] for f in found} == {"sheet-renamed"}


def test_a_category_with_a_trailing_space_is_unknown_as_in_excel(
    example_workbook, tmp_path, capsys
):
    """SUMIF does not match "Reiser " with "Reiser": the category is unknown at its cell (and
    the workbook's own rule says so), not silently trimmed."""
    path = edit(example_workbook, tmp_path / "mellomrom.xlsx", {(P2, "A8"): "Reiser "})
    code, found = findings(path, capsys)
    assert ("category-unknown", P2, "A8") in places(found) and code == 1


def test_upper_case_category_counts_as_excel_counts_it(example_workbook, tmp_path, capsys):
    """SUMIF matches without regard to case: "REISER" is Reiser."""
    path = edit(example_workbook, tmp_path / "store.xlsx", {(P2, "A8"): "REISER"})
    code, found = findings(path, capsys)
    assert (code, found) == (0, [])


def test_a_hidden_financing_row_with_money_is_a_warning(example_workbook, tmp_path, capsys):
    """A hidden Statsforvalteren row holding 350 000 kr is a hidden-row warning."""
    path = edit(example_workbook, tmp_path / "skjult.xlsx", {}, hide=[(P2, 29)])
    _, found = findings(path, capsys)
    assert ("hidden-row", P2, "A29") in places(found)


def test_a_lone_space_in_an_amount_is_blank(example_workbook, tmp_path, capsys):
    """A space typed into an empty amount cell is a blank: no finding, extract writes 0."""
    path = edit(example_workbook, tmp_path / "space.xlsx", {(P2, "C12"): " "})
    code, found = findings(path, capsys)
    assert (code, found) == (0, [])
    extract_spec(path)


def test_a_sheet_pasted_as_values_is_one_cause(example_workbook, tmp_path, capsys):
    """Every formula of a project sheet replaced by its value: one formulas-replaced error
    naming the sheet, with the overwritten cells as its consequences."""

    def paste_values(wb: openpyxl.Workbook) -> None:
        ws = wb[P3]
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.value = 0

    path = damage.with_openpyxl(example_workbook, tmp_path / "verdier.xlsx", paste_values)
    code, found = findings(path, capsys)
    causes = [f for f in found if f["sheet"] == P3]
    assert [f["code"] for f in causes][:1] == ["formulas-replaced"]
    assert len(causes[0]["consequences"]) > 50 and code == 1


def test_a_deleted_sheet_is_the_cause_of_what_follows(example_workbook, tmp_path, capsys):
    """A deleted project sheet: sheet-missing first, the broken formulas under it."""

    def delete(wb: openpyxl.Workbook) -> None:
        del wb[P3]

    path = damage.with_openpyxl(example_workbook, tmp_path / "slettet.xlsx", delete)
    code, found = findings(path, capsys)
    assert found[0]["code"] == "sheet-missing" and len(found[0]["consequences"]) > 50
    assert len(found) < 10 and code == 1


def test_extract_reports_formulas_in_json(example_workbook, tmp_path, capsys):
    """extract --json lists each input that held a formula with its value."""
    path = edit(example_workbook, tmp_path / "f.xlsx", {(P2, "C7"): "=2*195000"})
    assert main(["extract", "--json", str(path)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["formulas"] == [{"cell": f"{P2}!C7", "formula": "=2*195000", "value": 390000}]
    spec = yaml.safe_load(report["spec"])
    assert spec["projects"][1]["costs"][0]["amounts"][0] == 390000


def _example():
    from bygdevekst_xl.spec import example_path, load_spec

    return load_spec(example_path())


def test_a_hidden_column_of_amounts_is_a_warning(example_workbook, tmp_path, capsys):
    """A hidden year column on a project sheet (its amounts and hours still counted) is one
    hidden-row warning at the first counted cell it hides."""

    def hide(wb: openpyxl.Workbook) -> None:
        wb[P3].column_dimensions["D"].hidden = True

    path = damage.with_openpyxl(example_workbook, tmp_path / "kolonne.xlsx", hide)
    _, found = findings(path, capsys)
    hidden = [f for f in found if f["code"] == "hidden-row"]
    assert [(f["sheet"], f["cell"]) for f in hidden] == [(P3, "D7")]


def test_hours_shown_as_a_date_are_an_error_at_the_cell(example_workbook, tmp_path, capsys):
    """1.5 hours typed in a Norwegian Excel become 1 May (45 413, shown as a date): one
    number-as-date error at the cell (exit 1) saying "1.5" was probably typed; a date format
    elsewhere (Parametre's dates) is none."""

    def typed(wb: openpyxl.Workbook) -> None:
        wb[P2]["C19"] = 45413
        wb[P2]["C19"].number_format = "d. mmm"

    path = damage.with_openpyxl(example_workbook, tmp_path / "dato.xlsx", typed)
    code, found = findings(path, capsys)
    assert (code, places(found)) == (1, {("number-as-date", P2, "C19")})
    (finding,) = [f for f in found if f["code"] == "number-as-date"]
    assert "«1.5»" in finding["message"]


@pytest.mark.parametrize(
    ("code", "is_date"),
    [
        ("d. mmm", True),
        ("[$-414]d. mmmm yyyy", True),
        ("dd.mm.yyyy hh:mm", True),
        ('#,##0 "kr";[Red]-#,##0 "kr"', False),
        ("0.00", False),
        ('"dager" 0', False),
        ("General", False),
    ],
)
def test_date_formats_are_told_from_number_formats(code, is_date):
    """A format shows a date when its first section has day, month, year or time codes outside
    quotes, brackets and escapes."""
    from bygdevekst_xl.xlsx.styles import is_date_format

    assert is_date_format(code) is is_date


def test_a_category_chosen_by_a_formula_is_counted_and_carried(example_workbook, tmp_path, capsys):
    """A category typed as =Parametre!$A$24 (Reiser): counted as Reiser, an input-formula
    warning at the cell, and regenerate keeps the formula pointing at Reiser's cell."""
    path = edit(example_workbook, tmp_path / "kat.xlsx", {(P1, "A8"): "=Parametre!$A$24"})
    code, found = findings(path, capsys)
    assert (code, places(found)) == (0, {("input-formula", P1, "A8")})
    out = tmp_path / "ny.xlsx"
    regenerate(path, None, out)
    assert openpyxl.load_workbook(out)[P1]["A8"].value == "=Parametre!$A$24"
    assert inputs_as_read(out) == inputs_as_read(example_workbook)
