"""The streaming reader: what it reads agrees with openpyxl, and damaged or hostile files fail
with one clear line."""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import functools
import io
import os
import re
import struct
import tempfile
import tracemalloc
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.worksheet.formula import ArrayFormula

from bygdevekst_xl import xlsx as reader
from bygdevekst_xl.evaluate import ErrorValue
from bygdevekst_xl.office import convert_libreoffice, soffice_path
from bygdevekst_xl.xlsx import ReadError, Validation, WorkbookContent, read_workbook
from bygdevekst_xl.xlsx import archive as xlsx_zip
from bygdevekst_xl.xlsx import fastpath as xlsx_fastpath
from bygdevekst_xl.xlsx import formulas as xlsx_formulas

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
STRICT_REL = "http://purl.oclc.org/ooxml/officeDocument/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
BUDGET, COSTS, PARAMS = "Budsjett 2025", "Kostnader æøå", "Parametre"
# A 1x1 transparent PNG for an image on a sheet.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


# ---------------------------------------------------------------------------------------
# Fixtures: a workbook written by xlsxwriter, and hand-made packages.


def write_budget(path: Path) -> Path:
    """A small budget: quoted sheet names, names, validations, protection, a comment, ..."""
    workbook = xlsxwriter.Workbook(str(path))
    budget = workbook.add_worksheet(BUDGET)
    costs = workbook.add_worksheet(COSTS)
    params = workbook.add_worksheet(PARAMS)
    params.write_column("A2", ["Lønn", "Reise", "Utstyr & drift", "<Annet>"])
    params.write("B4", 950)
    workbook.define_name("Kategorier", f"={PARAMS}!$A$2:$A$5")
    workbook.define_name("Sats", f"={PARAMS}!$B$4")
    workbook.define_name(f"'{BUDGET}'!Lokal", f"='{BUDGET}'!$B$2")
    budget.write("A1", "Prosjekt «Bygdevekst» – æøå")
    budget.write_boolean("B1", True)
    budget.write_boolean("C1", False)
    budget.write("B2", 1234.5)
    budget.write("B3", -7)
    budget.write_string("B4", "=ikke en formel")
    for r in range(6, 14):
        budget.write(f"A{r}", "Lønn")
        budget.write(f"B{r}", r * 10)
        budget.write_formula(f"C{r}", f"=B{r}*Sats", None, r * 10 * 950)
        budget.write_formula(f"D{r}", f"=C{r}+'{COSTS}'!B{r}", None, r * 10 * 950 + r)
    budget.write_formula("C14", "=SUM(C6:C13)", None, sum(r * 10 * 950 for r in range(6, 14)))
    budget.write_formula("E1", "=1/0", None, "#DIV/0!")
    budget.write_formula("E2", '="a"&"<b>"', None, "a<b>")
    budget.write_formula("E3", "=B1", None, True)
    budget.write_array_formula("F1:F2", "{=B2:B3*2}", None, 2469)
    budget.data_validation("A6:A13", {"validate": "list", "source": "=Kategorier"})
    budget.data_validation(
        "B6:B13",
        {
            "validate": "integer",
            "criteria": "between",
            "minimum": 0,
            "maximum": 100000,
            "multi_range": "B6:B13 G28:G29",
        },
    )
    budget.data_validation("H7", {"validate": "decimal", "criteria": ">=", "value": 0})
    budget.write_comment("A6", "Fyll inn kategori")
    budget.set_row(9, None, None, {"hidden": True})
    budget.set_row(19, None, None, {"hidden": True})
    budget.protect()
    for r in range(6, 14):
        costs.write(f"B{r}", r)
    costs.insert_image("D2", "logo.png", {"image_data": io.BytesIO(PNG)})
    chart = workbook.add_chart({"type": "column"})
    chart.add_series({"values": f"='{COSTS}'!$B$6:$B$13"})
    costs.insert_chart("F2", chart)
    params.hide()
    workbook.set_custom_property("Versjon", "1.2")
    workbook.set_custom_property("Kommune", "Hjerteregionen")
    workbook.set_calc_mode("manual")
    workbook.close()
    return path


@pytest.fixture(scope="module")
def budget_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_budget(tmp_path_factory.mktemp("budget") / "budsjett.xlsx")


def content_types(*overrides: tuple[str, str]) -> str:
    items = "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in overrides)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        f"{items}</Types>"
    )


def rels(*items: tuple[str, str, str], ns: str = REL) -> str:
    """A .rels part from (id, type, target); a type is short ("worksheet") or a whole URI,
    and an ``http`` or ``file`` target is external."""
    out = []
    for rid, kind, target in items:
        mode = ' TargetMode="External"' if target.startswith(("http", "file")) else ""
        uri = kind if kind.startswith("http") else f"{ns}/{kind}"
        out.append(f'<Relationship Id="{rid}" Type="{uri}" Target="{target}"{mode}/>')
    return f'<Relationships xmlns="{PKG_REL}">{"".join(out)}</Relationships>'


def sheet_xml(rows: str, *, ns: str = MAIN, before: str = "", after: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<worksheet xmlns="{ns}" xmlns:r="{REL}">{before}<sheetData>{rows}</sheetData>'
        f"{after}</worksheet>"
    )


def package_parts(
    sheet: str | bytes,
    *,
    strings: str | None = None,
    workbook: str | None = None,
    ns: str = MAIN,
    rel_ns: str = REL,
    sheet_target: str = "worksheets/sheet1.xml",
    sheet_part: str = "xl/worksheets/sheet1.xml",
) -> dict[str, str | bytes]:
    """The parts of a one-sheet workbook named "Ark 1" around a hand-written sheet part."""
    book_rels = [("rId1", "worksheet", sheet_target)]
    parts: dict[str, str | bytes] = {
        "[Content_Types].xml": content_types(),
        "_rels/.rels": rels(("rId1", "officeDocument", "xl/workbook.xml"), ns=rel_ns),
        "xl/workbook.xml": workbook
        or (
            f'<workbook xmlns="{ns}" xmlns:r="{rel_ns}"><sheets>'
            '<sheet name="Ark 1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        sheet_part: sheet,
    }
    if strings is not None:
        book_rels.append(("rId2", "sharedStrings", "sharedStrings.xml"))
        parts["xl/sharedStrings.xml"] = f'<sst xmlns="{ns}">{strings}</sst>'
    parts["xl/_rels/workbook.xml.rels"] = rels(*book_rels, ns=rel_ns)
    return parts


def write_zip(path: Path, parts: dict[str, str | bytes], *, stored: bool = False) -> Path:
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, data in parts.items():
            archive.writestr(name, data.encode("utf-8") if isinstance(data, str) else data)
    return path


def hand_made(tmp_path: Path, sheet: str, name: str = "hand.xlsx", **kwargs: Any) -> Path:
    return write_zip(tmp_path / name, package_parts(sheet, **kwargs))


def only_sheet(book: WorkbookContent) -> reader.SheetContent:
    (sheet,) = book.sheets.values()
    return sheet


@contextlib.contextmanager
def general_path() -> Iterator[None]:
    """Send every sheet through the expat path (no regular-expression fast path)."""
    saved = reader.FAST_PART_BYTES
    reader.FAST_PART_BYTES = -1
    try:
        yield
    finally:
        reader.FAST_PART_BYTES = saved


def read_both_ways(path: Path) -> WorkbookContent:
    """Read ``path`` with and without the fast path; they must agree exactly."""
    fast = read_workbook(path)
    with general_path():
        general = read_workbook(path)
    assert fast == general
    return fast


def fails(path: Path | str, **kwargs: Any) -> str:
    """The message of the ReadError that reading ``path`` raises; it is one line naming the file."""
    with pytest.raises(ReadError) as info:
        read_workbook(path, **kwargs)
    message = str(info.value)
    assert message.startswith(str(path)), message
    assert "\n" not in message and "\r" not in message
    assert "unexpected damage" not in message, message
    return message


# ---------------------------------------------------------------------------------------
# What openpyxl sees.


def same(ours: object, theirs: object) -> bool:
    """Equal values of the same kind (True is not 1.0; 3 == 3.0; an error is its code)."""
    if isinstance(ours, ErrorValue):
        return ours.code == theirs
    if isinstance(ours, bool) or isinstance(theirs, bool):
        return type(ours) is type(theirs) and ours == theirs
    if isinstance(ours, float) and isinstance(theirs, int | float):
        return ours == theirs
    return type(ours) is type(theirs) and ours == theirs


def assert_cells_match_openpyxl(path: Path, book: WorkbookContent) -> int:
    """Every value, formula and cached value agrees with openpyxl; returns cells compared."""
    formulas_view = openpyxl.load_workbook(path)
    values_view = openpyxl.load_workbook(path, data_only=True)
    compared = 0
    assert list(book.sheets) == formulas_view.sheetnames
    for ws in formulas_view.worksheets:
        sheet = book.sheets[ws.title]
        seen = set()
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                where = f"{ws.title}!{cell.coordinate}"
                seen.add(cell.coordinate)
                compared += 1
                if cell.data_type == "f":
                    text = cell.value.text if isinstance(cell.value, ArrayFormula) else cell.value
                    assert sheet.formulas[cell.coordinate] == text, where
                    cached = values_view[ws.title][cell.coordinate].value
                    assert same(sheet.cached[cell.coordinate], cached), where
                elif cell.data_type == "e":
                    assert sheet.errors[cell.coordinate] == cell.value, where
                else:
                    assert same(sheet.values[cell.coordinate], cell.value), where
        ours = set(sheet.values) | set(sheet.formulas) | set(sheet.errors)
        assert ours == seen, ws.title
    return compared


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
    taken = []
    original = xlsx_fastpath.fast_cells

    def spy(builder, text):
        taken.append(original(builder, text))
        return taken[-1]

    monkeypatch.setattr(xlsx_fastpath, "fast_cells", spy)
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


# ---------------------------------------------------------------------------------------
# Cell forms written by other tools.


def test_shared_formulas_are_translated_to_each_cell(tmp_path):
    """A shared formula's followers get the master's formula moved as Excel fills it."""
    rows = "".join(
        f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="B{r}"><v>{10 * r}</v></c>'
        + (
            f'<c r="C{r}"><f t="shared" ref="C2:C5" si="0">A2+B2*$A$1+SUM(A$2:A2)</f><v>1</v></c>'
            if r == 2
            else f'<c r="C{r}"><f t="shared" si="0"/><v>{r}</v></c>'
        )
        + "</row>"
        for r in range(2, 6)
    )
    rows += (
        '<row r="6"><c r="D6"><f t="shared" ref="D6:F6" si="1">\'Ark 1\'!A6&amp;"B6"</f>'
        '</c><c r="E6"><f t="shared" si="1"/></c><c r="F6"><f t="shared" si="1"/></c></row>'
    )
    path = hand_made(tmp_path, sheet_xml(rows))
    sheet = only_sheet(read_both_ways(path))
    assert sheet.formulas["C2"] == "=A2+B2*$A$1+SUM(A$2:A2)"
    assert sheet.formulas["C3"] == "=A3+B3*$A$1+SUM(A$2:A3)"
    assert sheet.formulas["C5"] == "=A5+B5*$A$1+SUM(A$2:A5)"
    assert sheet.cached["C5"] == 5.0
    assert sheet.formulas["F6"] == "='Ark 1'!C6&\"B6\""  # text in quotes is not a reference
    assert sheet.cached["E6"] is None
    view = openpyxl.load_workbook(path)["Ark 1"]
    assert all(sheet.formulas[f"C{r}"] == view[f"C{r}"].value for r in range(2, 6))


def test_shared_formula_translation_edges():
    """Ranges, whole rows and columns, names and functions are moved or left as Excel does."""

    def moved(formula: str, rows: int, cols: int) -> str:
        return xlsx_formulas.shift(xlsx_formulas.template(formula), rows, cols)

    assert moved("SUM(A1:B2)*$C$3+C$1+$D1", 2, 1) == "SUM(B3:C4)*$C$3+D$1+$D3"
    assert moved("SUM(A:A)+SUM(1:1)+SUM($B:$B)", 1, 1) == "SUM(B:B)+SUM(2:2)+SUM($B:$B)"
    assert moved("LOG10(A1)+Kategorier+Tax2024", 1, 0) == "LOG10(A2)+Kategorier+TAX2025"
    assert moved("Table1[[#This Row],[A1]]+[1]Ark!A1", 1, 0) == "Table1[[#This Row],[A1]]+[1]Ark!A2"
    assert moved("'It''s A1'!B2+\"A1\"", 1, 1) == "'It''s A1'!C3+\"A1\""
    assert moved("A1", -1, 0) == "#REF!"
    assert moved("1.5E+3+A1", 0, 1) == "1.5E+3+B1"


def test_a_follower_without_master_is_an_error(tmp_path):
    """A shared formula whose master is missing is reported, not read as an empty formula."""
    path = hand_made(tmp_path, sheet_xml('<row r="1"><c r="A1"><f t="shared" si="4"/></c></row>'))
    assert "cell A1: shared formula 4 has no master cell" in fails(path)


def test_cells_without_references_take_the_next_column(tmp_path):
    """Cells without r follow the previous cell (as openpyxl reads them); rows without r too."""
    rows = (
        '<row r="3"><c><v>1</v></c><c><v>2</v></c><c r="E3"><v>5</v></c><c><v>6</v></c></row>'
        '<row><c t="inlineStr"><is><t>neste</t></is></c></row>'
    )
    path = hand_made(tmp_path, sheet_xml(rows))
    sheet = only_sheet(read_workbook(path))
    assert sheet.values == {"A3": 1.0, "B3": 2.0, "E3": 5.0, "F3": 6.0, "A4": "neste"}
    view = openpyxl.load_workbook(path)["Ark 1"]
    assert {c.coordinate: c.value for r in view.iter_rows() for c in r if c.value} == {
        "A3": 1,
        "B3": 2,
        "E3": 5,
        "F3": 6,
        "A4": "neste",
    }


def test_cell_types_strings_and_escapes(tmp_path):
    """Rich and phonetic shared strings, inline strings, t="str", t="b", t="e", t="d", escapes."""
    strings = (
        "<si><t>enkel</t></si>"
        '<si><r><rPr><b/></rPr><t xml:space="preserve">fet </t></r><r><t>og vanlig</t></r>'
        '<rPh sb="0" eb="1"><t>FONETISK</t></rPh></si>'
        "<si><t>linje_x000D_slutt _x005F_x0041_</t></si>"
    )
    rows = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="C1" t="s"><v>2</v></c></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><r><t>in</t></r><r><t>line</t></r></is></c>'
        '<c r="B2" t="str"><v>tekst</v></c><c r="C2" t="b"><v>0</v></c>'
        '<c r="D2" t="e"><v>#REF!</v></c><c r="E2" t="d"><v>2025-03-01T12:30:00</v></c>'
        '<c r="F2" s="3"/><c r="G2"><v></v></c></row>'
        '<row r="3"><c r="A3" t="str"><f>A1&amp;"&lt;&gt;"</f><v>enkel&lt;&gt;</v></c>'
        '<c r="B3" t="e"><f>#N/A</f><v>#N/A</v></c><c r="C3" t="b"><f>TRUE</f><v>1</v></c>'
        '<c r="D3"><f>B9</f></c><c r="E3" t="str"><f>""</f><v></v></c></row>'
    )
    sheet = only_sheet(read_both_ways(hand_made(tmp_path, sheet_xml(rows), strings=strings)))
    assert sheet.values == {
        "A1": "enkel",
        "B1": "fet og vanlig",
        "C1": "linje\rslutt _x0041_",
        "A2": "inline",
        "B2": "tekst",
        "C2": False,
        "E2": dt.datetime(2025, 3, 1, 12, 30),
    }
    assert sheet.errors == {"D2": "#REF!"}
    assert sheet.formulas == {
        "A3": '=A1&"<>"',
        "B3": "=#N/A",
        "C3": "=TRUE",
        "D3": "=B9",
        "E3": '=""',
    }
    assert sheet.cached == {
        "A3": "enkel<>",
        "B3": ErrorValue("#N/A"),
        "C3": True,
        "D3": None,
        "E3": "",
    }


def test_strict_namespaces_absolute_targets_and_odd_part_names(tmp_path):
    """Strict OOXML, an absolute relationship target and a sheet part not named sheetN.xml."""
    sheet = sheet_xml(
        '<row r="1"><c r="A1"><v>7</v></c><c r="B1"><f>A1*2</f><v>14</v></c></row>',
        ns=STRICT,
        after='<sheetProtection sheet="true"/>',
    )
    parts = package_parts(
        sheet,
        ns=STRICT,
        rel_ns=STRICT_REL,
        sheet_target="/xl/worksheets/Data Ark.xml",
        sheet_part="xl/worksheets/Data Ark.xml",
    )
    book = read_both_ways(write_zip(tmp_path / "strict.xlsx", parts))
    sheet_content = only_sheet(book)
    assert sheet_content.values == {"A1": 7.0}
    assert sheet_content.formulas == {"B1": "=A1*2"} and sheet_content.cached == {"B1": 14.0}
    assert sheet_content.protected is True


def test_unusual_sheet_xml_goes_the_general_way_and_reads_the_same(tmp_path):
    """Comments, CDATA, prefixes, odd attribute order and CRLF leave the fast path; same result."""
    plain = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>a&amp;b</t></is></c>'
        '<c r="B1"><f>A1</f><v>1</v></c></row>'
    )
    expected = {"A1": "a&b"}
    variants = [
        plain.replace("<row", "<!-- note --><row", 1),
        plain.replace("<t>a&amp;b</t>", "<t><![CDATA[a&b]]></t>"),
        plain.replace('<c r="B1">', '<c s="0" r="B1">'),
        plain.replace("</c><c", "</c>\r\n<c"),
    ]
    for i, rows in enumerate(variants):
        sheet = only_sheet(read_both_ways(hand_made(tmp_path, sheet_xml(rows), f"v{i}.xlsx")))
        assert sheet.values == expected, rows
        assert sheet.formulas == {"B1": "=A1"} and sheet.cached == {"B1": 1.0}, rows
    prefixed = (
        f'<x:worksheet xmlns:x="{MAIN}"><x:sheetData><x:row r="2"><x:c r="C2">'
        "<x:v>3</x:v></x:c></x:row></x:sheetData></x:worksheet>"
    )
    assert only_sheet(read_both_ways(hand_made(tmp_path, prefixed, "x.xlsx"))).values == {"C2": 3.0}


def test_repeated_cells_keep_the_last(tmp_path):
    """A cell written twice (a damaged file) keeps its last content, as openpyxl does."""
    rows = (
        '<row r="1"><c r="A1"><v>1</v></c><c r="A1"><f>2+2</f><v>4</v></c>'
        '<c r="B1"><v>2</v></c></row><row r="1"><c r="B1"><v>3</v></c></row>'
    )
    sheet = only_sheet(read_both_ways(hand_made(tmp_path, sheet_xml(rows))))
    assert sheet.values == {"B1": 3.0}
    assert sheet.formulas == {"A1": "=2+2"}


def test_extension_validations_external_links_and_macros_are_read(tmp_path):
    """x14 validations (lists on other sheets), external links and a VBA project are reported."""
    x14 = (
        '<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
        'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
        '<x14:dataValidations xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main" '
        'count="1"><x14:dataValidation type="list" allowBlank="1"><x14:formula1>'
        "<xm:f>Parametre!$A$2:$A$5</xm:f></x14:formula1><xm:sqref>A7:A14</xm:sqref>"
        "</x14:dataValidation></x14:dataValidations></ext></extLst>"
    )
    parts = package_parts(
        sheet_xml('<row r="1"><c r="A1"><f>[1]Ark!A1</f><v>2</v></c></row>', after=x14)
    )
    parts["xl/_rels/workbook.xml.rels"] = rels(
        ("rId1", "worksheet", "worksheets/sheet1.xml"),
        ("rId5", "externalLink", "externalLinks/externalLink1.xml"),
    )
    parts["xl/externalLinks/externalLink1.xml"] = (
        f'<externalLink xmlns="{MAIN}" xmlns:r="{REL}"><externalBook r:id="rId1"/></externalLink>'
    )
    parts["xl/externalLinks/_rels/externalLink1.xml.rels"] = rels(
        ("rId1", "externalLinkPath", "file:///C:/Budsjett/Annet.xlsx")
    )
    parts["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0 not really a VBA project"
    book = read_workbook(write_zip(tmp_path / "makro.xlsm", parts))
    assert only_sheet(book).validations == [
        Validation("A7:A14", "list", None, "Parametre!$A$2:$A$5")
    ]
    assert book.external_links == ["file:///C:/Budsjett/Annet.xlsx"]
    assert book.has_macros is True
    assert only_sheet(book).formulas == {"A1": "=[1]Ark!A1"}


def test_comments_threads_and_drawings_are_counted(tmp_path):
    """Commented cells (legacy notes and threads, replies not counted twice) and drawing
    objects (an AlternateContent fallback is the same object) are counted per sheet."""
    xdr = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    parts = package_parts(
        sheet_xml(
            '<row r="1"><c r="A1"><v>1</v></c></row>',
            after='<drawing r:id="rId3"/><picture r:id="rId4"/>',
        )
    )
    parts["xl/worksheets/_rels/sheet1.xml.rels"] = rels(
        ("rId1", "comments", "../comments1.xml"),
        (
            "rId2",
            "http://schemas.microsoft.com/office/2017/10/relationships/threadedComment",
            "../threadedComments/threadedComment1.xml",
        ),
        ("rId3", "drawing", "/xl/drawings/drawing1.xml"),
        ("rId4", "image", "../media/image1.png"),
    )
    parts["xl/comments1.xml"] = (
        f'<comments xmlns="{MAIN}"><commentList><comment ref="A1"><text><t>a</t></text></comment>'
        '<comment ref="B2"><text><t>b</t></text></comment></commentList></comments>'
    )
    parts["xl/threadedComments/threadedComment1.xml"] = (
        '<ThreadedComments xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/'
        'threadedcomments"><threadedComment ref="A1" id="{1}"><text>a</text></threadedComment>'
        '<threadedComment ref="A1" id="{2}" parentId="{1}"><text>svar</text></threadedComment>'
        '<threadedComment ref="C3" id="{3}"><text>c</text></threadedComment></ThreadedComments>'
    )
    parts["xl/drawings/drawing1.xml"] = (
        f'<xdr:wsDr xmlns:xdr="{xdr}" xmlns:mc="{mc}"><xdr:twoCellAnchor/><xdr:oneCellAnchor/>'
        '<mc:AlternateContent><mc:Choice Requires="a14"><xdr:twoCellAnchor/></mc:Choice>'
        "<mc:Fallback><xdr:twoCellAnchor/></mc:Fallback></mc:AlternateContent></xdr:wsDr>"
    )
    sheet = only_sheet(read_workbook(write_zip(tmp_path / "notater.xlsx", parts)))
    assert sheet.comments == 3  # A1, B2, C3
    assert sheet.drawings == 4  # three anchors and the background picture


def test_a_macro_content_type_alone_marks_macros(tmp_path):
    """A macro-enabled workbook content type is reported even without a VBA part."""
    parts = package_parts(sheet_xml(""))
    parts["[Content_Types].xml"] = content_types(
        ("/xl/x.xml", "application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    )
    assert read_workbook(write_zip(tmp_path / "makro.xlsm", parts)).has_macros is True
    assert read_workbook(hand_made(tmp_path, sheet_xml(""), "uten.xlsx")).has_macros is False


def test_a_huge_dimension_and_many_empty_rows_stream_in_little_memory(tmp_path):
    """A dimension of the whole sheet allocates nothing; 100 000 junk rows read fine."""
    rows = "".join(f'<row r="{r}" spans="1:16384"/>' for r in range(1, 100_001))
    rows += '<row r="100001" hidden="1"><c r="XFD100001"><v>1</v></c></row>'
    path = hand_made(tmp_path, sheet_xml(rows, before='<dimension ref="A1:XFD1048576"/>'))
    tracemalloc.start()
    try:
        sheet = only_sheet(read_workbook(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert sheet.values == {"XFD100001": 1.0} and sheet.hidden_rows == {100_001}
    assert peak < 40 * 2**20


def test_more_cells_than_max_cells_is_an_error(tmp_path):
    """max_cells caps the cells of the whole workbook, on both paths."""
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, 101))
    path = hand_made(tmp_path, sheet_xml(rows))
    assert read_workbook(path, max_cells=100).sheets["Ark 1"].values["A100"] == 100.0
    assert "more than 99 cells in the workbook (max_cells)" in fails(path, max_cells=99)
    with general_path():
        assert "more than 99 cells in the workbook (max_cells)" in fails(path, max_cells=99)


def test_too_many_xml_elements_is_an_error(tmp_path, monkeypatch):
    """Junk elements count against a budget, so a part of millions of them stops early."""
    monkeypatch.setattr(reader, "ELEMENT_SLACK", 1_000)
    path = hand_made(tmp_path, sheet_xml("", after="<junk/>" * 2_000))
    assert "XML elements in the workbook; refusing" in fails(path, max_cells=10)


def test_hidden_rows_validations_and_names_count_against_a_cap(tmp_path, monkeypatch):
    """Things kept besides cells (hidden rows, validations, names, ...) are capped in all."""
    monkeypatch.setattr(reader, "MAX_ITEMS", 20)
    rows = "".join(f'<row r="{r}" hidden="1"/>' for r in range(1, 30))
    path = hand_made(tmp_path, sheet_xml(rows))
    assert "more than 20 hidden rows and the like; refusing" in fails(path)
    with general_path():
        assert "more than 20 hidden rows and the like; refusing" in fails(path)
    validations = "".join(
        f'<dataValidation type="whole" sqref="A{r}"><formula1>0</formula1></dataValidation>'
        for r in range(1, 30)
    )
    path = hand_made(
        tmp_path,
        sheet_xml("", after=f"<dataValidations>{validations}</dataValidations>"),
        "dv.xlsx",
    )
    assert "more than 20 data validations and the like; refusing" in fails(path)


def test_sheets_element_names_and_shared_formula_text_are_capped(tmp_path, monkeypatch):
    """Ten thousand sheets, ten thousand element names or huge shared formulas are refused."""
    monkeypatch.setattr(reader, "MAX_SHEETS", 2)
    sheets = "".join(f'<sheet name="A{i}" sheetId="{i}" r:id="rId1"/>' for i in range(1, 4))
    workbook = f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>{sheets}</sheets></workbook>'
    assert "more than 2 sheets; refusing" in fails(
        hand_made(tmp_path, sheet_xml(""), "ark.xlsx", workbook=workbook)
    )
    names = "".join(f"<n{i}/>" for i in range(reader.MAX_NAMES + 1))
    path = hand_made(tmp_path, sheet_xml("", after=names), "navn.xlsx")
    assert f"more than {reader.MAX_NAMES} different XML element names; refusing" in fails(path)
    monkeypatch.setattr(reader, "MAX_SHARED_FORMULA_TEXT", 100)
    rows = '<row r="1"><c r="A1"><f t="shared" ref="A1:A30" si="0">B1+C1+D1</f></c></row>'
    rows += "".join(
        f'<row r="{r}"><c r="A{r}"><f t="shared" si="0"/></c></row>' for r in range(2, 31)
    )
    path = hand_made(tmp_path, sheet_xml(rows), "delt.xlsx")
    assert "shared formulas expand past 100 characters; refusing" in fails(path)


# ---------------------------------------------------------------------------------------
# Not a workbook, or a damaged one.


def test_missing_file_directory_and_empty_file(tmp_path):
    """A missing path, a directory and an empty file each get their own message."""
    assert fails(tmp_path / "nei.xlsx").endswith(": no such file")
    assert fails(tmp_path).endswith(": is a directory, not a workbook")
    (tmp_path / "tom.xlsx").write_bytes(b"")
    assert fails(tmp_path / "tom.xlsx").endswith(": empty file (0 bytes)")


def test_a_file_without_read_permission(tmp_path, monkeypatch):
    """A file the user may not read says so (simulated too, since root may read anything)."""
    path = write_zip(tmp_path / "låst.xlsx", package_parts(sheet_xml("")))
    if os.name == "posix" and os.geteuid() != 0:
        path.chmod(0)
        try:
            assert fails(path).endswith(": no permission to read the file")
        finally:
            path.chmod(0o600)

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(xlsx_zip, "open", refuse, raising=False)
    assert fails(path).endswith(": no permission to read the file")


def test_a_fifo_is_not_read(tmp_path):
    """A named pipe (or device) is refused before anything reads from it."""
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    os.mkfifo(tmp_path / "pipe.xlsx")
    assert fails(tmp_path / "pipe.xlsx").endswith(": not a regular file")


def test_text_csv_html_and_pdf_renamed_xlsx(tmp_path):
    """Text, HTML and PDF files renamed .xlsx are named for what they are."""
    cases = {
        "csv.xlsx": ("Prosjekt;Beløp\nLønn;1000\n".encode(), "not a zip: looks like text/CSV"),
        "html.xlsx": (
            b"<html><body><table><tr><td>1</td></tr></table></body></html>",
            "not a zip: looks like HTML",
        ),
        "pdf.xlsx": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "not a zip: looks like a PDF"),
        "bin.xlsx": (bytes(range(256)), "not a zip (unrecognised content starting 00 01 02 03)"),
    }
    for name, (data, message) in cases.items():
        (tmp_path / name).write_bytes(data)
        assert message in fails(tmp_path / name), name


def ole_file(*stream_names: str) -> bytes:
    """The start of an OLE2 compound file holding directory entries with these names."""
    entries = b"".join(name.encode("utf-16-le").ljust(64, b"\0") for name in stream_names)
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + entries.ljust(1024, b"\0")


def test_legacy_xls_and_encrypted_workbooks_are_named(tmp_path):
    """An OLE2 file is a legacy .xls, unless it holds an encrypted OOXML package."""
    (tmp_path / "gammel.xlsx").write_bytes(ole_file("Root Entry", "Workbook"))
    assert fails(tmp_path / "gammel.xlsx").endswith(
        "legacy .xls (Excel 97-2003) file, not an .xlsx; save it as .xlsx"
    )
    (tmp_path / "passord.xlsx").write_bytes(
        ole_file("Root Entry", "EncryptionInfo", "EncryptedPackage")
    )
    assert "encrypted (password-protected) workbook" in fails(tmp_path / "passord.xlsx")


def test_ods_docx_and_plain_zips_are_named(tmp_path):
    """An OpenDocument spreadsheet, a Word document and a zip of anything are told apart."""
    ods = write_zip(
        tmp_path / "regneark.xlsx",
        {"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"},
    )
    assert "an OpenDocument spreadsheet (.ods), not an .xlsx" in fails(ods)
    docx = write_zip(tmp_path / "brev.xlsx", {"word/document.xml": "<w/>"})
    assert "a Word document (.docx), not an .xlsx" in fails(docx)
    plain = write_zip(tmp_path / "arkiv.xlsx", {"notes.txt": "hei"})
    assert "missing [Content_Types].xml" in fails(plain)
    parts = package_parts(sheet_xml(""))
    del parts["xl/workbook.xml"]
    assert "missing xl/workbook.xml" in fails(write_zip(tmp_path / "uten.xlsx", parts))


def test_a_truncated_zip(tmp_path, budget_file):
    """A download cut short is a damaged or truncated zip."""
    data = budget_file.read_bytes()
    (tmp_path / "halv.xlsx").write_bytes(data[: len(data) // 2])
    assert "damaged or truncated zip" in fails(tmp_path / "halv.xlsx")


def test_a_corrupt_entry_names_the_part(tmp_path):
    """A flipped byte in a stored part (CRC) or a deflated part (inflate) names the part."""
    sheet = sheet_xml('<row r="1"><c r="A1"><v>123456</v></c></row>')
    stored = write_zip(tmp_path / "lagret.xlsx", package_parts(sheet), stored=True)
    data = bytearray(stored.read_bytes())
    at = data.index(b"123456")
    data[at] = ord("9")
    stored.write_bytes(bytes(data))
    assert "part xl/worksheets/sheet1.xml is damaged (Bad CRC-32" in fails(stored)
    deflated = write_zip(tmp_path / "pakket.xlsx", package_parts(sheet + " " * 3000))
    with zipfile.ZipFile(deflated) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    data = bytearray(deflated.read_bytes())
    start = info.header_offset + 30 + len(info.filename)
    for i in range(start + 5, start + info.compress_size - 2):
        data[i] ^= 0x5A
    deflated.write_bytes(bytes(data))
    assert "part xl/worksheets/sheet1.xml is damaged" in fails(deflated)


def set_declared_size(path: Path, name: str, size: int) -> None:
    """Rewrite the uncompressed size the central directory and local header declare."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(name)
    data = bytearray(path.read_bytes())
    struct.pack_into("<I", data, info.header_offset + 22, size)
    central = data.index(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(name)] != name.encode():
        central = data.index(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", data, central + 24, size)
    path.write_bytes(bytes(data))


def test_a_zip_bomb_is_stopped_by_its_declared_size(tmp_path):
    """A part declaring more than the limit is refused before a byte of it is inflated."""
    path = hand_made(tmp_path, sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>'))
    set_declared_size(path, "xl/worksheets/sheet1.xml", 3_000_000_000)
    message = fails(path)
    assert "part xl/worksheets/sheet1.xml declares 3000000000 bytes uncompressed" in message
    assert "(possible zip bomb)" in message


def test_a_zip_bomb_is_stopped_by_its_compression_ratio(tmp_path):
    """A part that inflates a thousandfold (50 MB of blanks) is refused by its ratio."""
    path = tmp_path / "bombe.xlsx"
    parts = package_parts(sheet_xml(""))
    del parts["xl/worksheets/sheet1.xml"]
    write_zip(path, parts)
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part,
    ):
        part.write(sheet_xml("").encode()[:-12])
        blanks = b" " * (1 << 20)
        for _ in range(50):
            part.write(blanks)
        part.write(b"</worksheet>")
    message = fails(path)
    assert "part xl/worksheets/sheet1.xml compresses" in message and "possible zip bomb" in message


def test_a_part_lying_about_its_size_is_damaged(tmp_path):
    """A part declaring fewer bytes than it holds fails its checksum instead of overflowing."""
    path = hand_made(tmp_path, sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>'))
    set_declared_size(path, "xl/worksheets/sheet1.xml", 40)
    assert "part xl/worksheets/sheet1.xml is damaged" in fails(path)


def test_inflated_bytes_are_counted_across_parts(tmp_path, monkeypatch):
    """Bytes are counted while inflating: parts each under the limit stop at the total cap."""
    monkeypatch.setattr(reader, "MAX_TOTAL_BYTES", 50_000)
    strings = "<si><t>" + "x" * 30_000 + "</t></si>"
    path = hand_made(tmp_path, sheet_xml("", after=" " * 30_000), strings=strings)
    assert "parts inflate past 50000 bytes in all; refusing (possible zip bomb)" in fails(path)


def test_thousands_of_entries_are_refused(tmp_path):
    """A zip of more than 10 000 entries is refused from its end record."""
    path = tmp_path / "mange.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for i in range(10_001):
            archive.writestr(f"x/{i}", b"")
    assert "zip declares 10001 entries (more than 10000)" in fails(path)


# ---------------------------------------------------------------------------------------
# Hostile XML.

BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 or "")) * 10}">' for i in range(1, 10))
    + f']><worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
    "&lol9;</t></is></c></row></sheetData></worksheet>"
)


def test_billion_laughs_is_refused(tmp_path):
    """Nested entities in a sheet are refused at the DOCTYPE, before any is expanded."""
    tracemalloc.start()
    try:
        message = fails(hand_made(tmp_path, BILLION_LAUGHS))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert message.endswith(
        "part xl/worksheets/sheet1.xml contains a DTD; refusing (possible XML entity attack)"
    )
    assert peak < 20 * 2**20 and "lol" not in message


def test_external_entities_are_refused_and_nothing_is_read(tmp_path):
    """An XXE in a sheet, the shared strings or workbook.xml is refused; the file is not read."""
    secret = tmp_path / "hemmelig.txt"
    secret.write_text("TOPPHEMMELIG")
    xxe = f'<!DOCTYPE x [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
    sheet = sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>&x;</t></is></c></row>')
    sheet = sheet.replace("<worksheet", xxe + "<worksheet", 1)
    message = fails(hand_made(tmp_path, sheet, "ark.xlsx"))
    assert "sheet1.xml contains a DTD" in message and "TOPPHEMMELIG" not in message
    strings = hand_made(
        tmp_path,
        sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'),
        "strenger.xlsx",
        strings="<si><t>&x;</t></si>",
    )
    data = zipfile.ZipFile(strings).read("xl/sharedStrings.xml").decode()
    write_zip(
        strings,
        {
            **package_parts(sheet_xml("")),
            "xl/sharedStrings.xml": xxe + data,
            "xl/_rels/workbook.xml.rels": rels(
                ("rId1", "worksheet", "worksheets/sheet1.xml"),
                ("rId2", "sharedStrings", "sharedStrings.xml"),
            ),
        },
    )
    assert "sharedStrings.xml contains a DTD" in fails(strings)
    parts = package_parts(sheet_xml(""))
    parts["xl/workbook.xml"] = f'<!DOCTYPE workbook SYSTEM "{secret.as_uri()}">' + str(
        parts["xl/workbook.xml"]
    )
    assert "workbook.xml contains a DTD" in fails(write_zip(tmp_path / "bok.xlsx", parts))


def test_a_utf16_doctype_is_refused(tmp_path):
    """A DTD hidden in a UTF-16 part is refused too."""
    sheet = BILLION_LAUGHS.replace(
        '<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>'
    )
    path = write_zip(tmp_path / "utf16.xlsx", package_parts(sheet.encode("utf-16")))
    assert "contains a DTD" in fails(path)


def test_malformed_xml_and_bad_cells_name_part_and_cell(tmp_path):
    """Broken XML names its part; bad cell content names sheet and cell."""
    broken = hand_made(tmp_path, sheet_xml('<row r="1"><c r="A1"><v>1</c></row>'), "brutt.xlsx")
    assert "part xl/worksheets/sheet1.xml is not well-formed XML (mismatched tag" in fails(broken)
    after = hand_made(
        tmp_path,
        sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>', after="<pageMargins></pageMargin>"),
        "etter.xlsx",
    )
    message = fails(after)
    assert message.endswith("is not well-formed XML (mismatched tag: line 1, column 287)")
    with general_path():
        assert fails(after) == message
    cases = {
        '<c r="A1" t="s"><v>7</v></c>': "cell A1: shared string '7' does not exist (the table has 0)",
        '<c r="B1"><v>12,5</v></c>': "cell B1: '12,5' is not a number",
        '<c r="C1" t="b"><v>ja</v></c>': "cell C1: 'ja' is not a boolean",
        '<c r="D1" t="q"><v>1</v></c>': "cell D1: unknown cell type 'q'",
        '<c r="E1" t="d"><v>i morgen</v></c>': "cell E1: 'i morgen' is not an ISO 8601 date",
        '<c r="1A"><v>1</v></c>': "cell reference '1A' is not a cell address",
        '<c r="XFE1"><v>1</v></c>': "cell reference 'XFE1' is not a cell address",
        '<c r="A1048577"><v>1</v></c>': "cell reference A1048577 is outside the sheet",
        '<c r="A1"><v>NaN</v></c>': "cell A1: 'NaN' is not a number",
        '<c r="A1"><v>2E+308</v></c>': "cell A1: '2E+308' is not a number",
    }
    for i, (cell, reason) in enumerate(cases.items()):
        path = hand_made(tmp_path, sheet_xml(f'<row r="1">{cell}</row>'), f"c{i}.xlsx")
        assert fails(path).endswith(f"sheet 'Ark 1' (xl/worksheets/sheet1.xml): {reason}"), cell
    path = hand_made(tmp_path, sheet_xml('<row r="2000000"/>'), "rad.xlsx")
    assert fails(path).endswith("row 2000000 is outside the sheet")


def test_a_message_stays_on_one_line(tmp_path):
    """File-supplied text (a sheet name with a line break) cannot split the message."""
    workbook = (
        f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets><sheet name="Ark&#10;1" '
        'sheetId="1" r:id="rId9"/></sheets></workbook>'
    )
    message = fails(hand_made(tmp_path, sheet_xml(""), workbook=workbook))
    assert "sheet 'Ark 1': its part (relationship rId9) is missing" in message


# ---------------------------------------------------------------------------------------
# Properties.


@functools.cache
def small_budget() -> bytes:
    """A small xlsxwriter workbook for the fuzz test to damage."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "liten.xlsx"
        workbook = xlsxwriter.Workbook(str(path))
        sheet = workbook.add_worksheet("Ark æ")
        sheet.write_row("A1", ["Lønn", 1000, True])
        sheet.write_formula("D1", "=B1*2", None, 2000)
        sheet.write_formula("E1", '=A1&"x"', None, "Lønnx")
        sheet.data_validation("B1:B5", {"validate": "decimal", "criteria": ">", "value": 0})
        workbook.define_name("Sats", "='Ark æ'!$B$1")
        sheet.write_comment("A1", "hei")
        workbook.close()
        return path.read_bytes()


ODD_ATTRIBUTES = [
    "",
    "0",
    "-1",
    "A0",
    "a1",
    "$A$1",
    "XFE1",
    "1048577",
    "s",
    "str",
    "e",
    "b",
    "d",
    "n",
    "inlineStr",
    "shared",
    "array",
    "dataTable",
    "9" * 30,
    "A1:B2",
    "true",
    "hidden",
    "rId9",
    "../../x.xml",
    "/xl/workbook.xml",
    "http://x/",
]
ODD_TEXTS = [
    "",
    "NaN",
    "1e999",
    "-0",
    "#REF!",
    "99",
    "abc",
    "2025-13-45",
    "&amp;",
    "A1+",
    "SUM(A:A)",
    "0x10",
    " 5 ",
    "TRUE",
]


def damage(data: bytes, how: st.DataObject) -> bytes:
    """Truncate, flip bytes, drop an entry, or edit the XML (bytes, attributes, texts) inside."""
    kind = how.draw(st.sampled_from(["truncate", "flip", "drop", "edit", "attribute", "text"]))
    if kind == "truncate":
        return data[: how.draw(st.integers(0, len(data) - 1))]
    if kind == "flip":
        out = bytearray(data)
        for _ in range(how.draw(st.integers(1, 8))):
            out[how.draw(st.integers(0, len(out) - 1))] = how.draw(st.integers(0, 255))
        return bytes(out)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    name = how.draw(st.sampled_from(sorted(parts)))
    if kind == "drop":
        del parts[name]
    elif kind in ("attribute", "text"):
        text = parts[name].decode("utf-8", "replace")
        pattern = r'(?<==")[^"]*(?=")' if kind == "attribute" else r"(?<=>)[^<]*(?=<)"
        spots = [m.span() for m in re.finditer(pattern, text)]
        for _ in range(how.draw(st.integers(1, 3)) if spots else 0):
            start, end = how.draw(st.sampled_from(spots))
            odd = ODD_ATTRIBUTES if kind == "attribute" else ODD_TEXTS
            text = text[:start] + how.draw(st.sampled_from(odd)) + text[end:]
            spots = [m.span() for m in re.finditer(pattern, text)]
        parts[name] = text.encode("utf-8")
    else:
        part = bytearray(parts[name])
        for _ in range(how.draw(st.integers(1, 6))):
            at = how.draw(st.integers(0, max(len(part) - 1, 0)))
            piece = how.draw(
                st.sampled_from(
                    [
                        b"<",
                        b">",
                        b"&",
                        b'"',
                        b"\x00",
                        b"9",
                        b"-",
                        b"r",
                        b"<!--",
                        b"<c>",
                        b"</row>",
                        b'si="0"',
                        b't="s"',
                        b"A1048577",
                        b"\xff",
                        b"",
                    ]
                )
            )
            part[at : at + how.draw(st.integers(0, 4))] = piece
        parts[name] = bytes(part)
    buffer = io.BytesIO()
    write_zip_to(buffer, parts)
    return buffer.getvalue()


def write_zip_to(target: io.BytesIO, parts: dict[str, bytes]) -> None:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(how=st.data())
def test_damaged_files_read_or_fail_cleanly(how):
    """Any damage gives a workbook or a one-line ReadError, never another exception."""
    data = damage(small_budget(), how)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "skadet.xlsx"
        path.write_bytes(data)
        for context in (contextlib.nullcontext(), general_path()):
            with context:
                try:
                    book = read_workbook(path)
                except ReadError as exc:
                    message = str(exc)
                    assert message.startswith(str(path)) and "\n" not in message
                    assert "unexpected damage" not in message, message
                else:
                    assert isinstance(book, WorkbookContent)


EXCEL_FLOATS = st.floats(-9.99e307, 9.99e307)  # Excel holds no larger number
cell_values = st.one_of(
    EXCEL_FLOATS,
    st.integers(-(10**12), 10**12),
    st.booleans(),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12),
    st.sampled_from(["&amp;", '<c r="A1">', "]]>", "_x000D_", " pad ", "=1+1", "'", '"']),
)
formula_results = st.one_of(
    EXCEL_FLOATS,
    st.booleans(),
    st.sampled_from(["tekst", "<&>", "#DIV/0!", "#N/A"]),
)


@settings(max_examples=30, deadline=None)
@given(
    cells=st.dictionaries(
        st.tuples(st.integers(0, 30), st.integers(0, 6)),
        st.one_of(cell_values, st.tuples(st.just("f"), formula_results)),
        min_size=1,
        max_size=40,
    ),
    hidden=st.sets(st.integers(0, 30), max_size=3),
)
def test_fast_and_general_paths_agree_with_openpyxl(cells, hidden):
    """For any xlsxwriter sheet, both paths read the same cells, and openpyxl agrees."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "egenskap.xlsx"
        workbook = xlsxwriter.Workbook(
            str(path), {"strings_to_numbers": False, "strings_to_formulas": False}
        )
        sheet = workbook.add_worksheet("Ark 1")
        for (row, col), value in sorted(cells.items()):
            if isinstance(value, tuple):
                sheet.write_formula(row, col, f"=ROW()+{row}", None, value[1])
            elif isinstance(value, str):
                sheet.write_string(row, col, value)
            else:
                sheet.write(row, col, value)
        for row in hidden:
            sheet.set_row(row, None, None, {"hidden": True})
        workbook.close()
        book = read_both_ways(path)
        assert assert_cells_match_openpyxl(path, book) > 0
        assert only_sheet(book).hidden_rows == {row + 1 for row in hidden}
