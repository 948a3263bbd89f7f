"""Sheet parts (sheet, sheet_xml, fastpath, formulas, limits): cell forms written by other tools,
and the caps on what a sheet may hold."""

from __future__ import annotations

import datetime as dt
import tracemalloc

import openpyxl
import pytest

from bygdevekst_xl.dataclass import replace
from bygdevekst_xl.evaluate import ErrorValue
from bygdevekst_xl.xlsx import DEFAULT_LIMITS, Limits, Validation, read_workbook
from bygdevekst_xl.xlsx import fastpath as xlsx_fastpath
from bygdevekst_xl.xlsx import formulas as xlsx_formulas
from tests.xlsx_fixtures import (
    GENERAL,
    MAIN,
    REL,
    STRICT,
    STRICT_REL,
    content_types,
    fails,
    fast_path_taken,
    hand_made,
    only_sheet,
    package_parts,
    read_both_ways,
    rels,
    sheet_xml,
    write_zip,
)

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


def test_the_fast_path_reads_text_formulas_empty_cells_and_row_changes(tmp_path, monkeypatch):
    """Formulas with a text cached (``t="str"``), styled empty cells and the usual row change
    are read by the fast path itself, as the general path reads them."""
    taken = fast_path_taken(monkeypatch)
    rows = (
        '<row r="1" spans="1:4"><c r="A1" t="str"><f>B1&amp;"x"</f><v>a&lt;x</v></c>'
        '<c r="B1" s="1" t="str"><f aca="false">""</f><v></v></c><c r="C1" s="2"/>'
        '<c r="D1" t="str"><f>D9</f><v/></c></row><row r="3" hidden="1">'
        '<c r="A3" t="str"><f>1</f><v>12</v></c><c r="B3" t="str"><f>C3</f></c>'
        '<c r="C3"><f>1/3</f><v>0.33333333333333331</v></c></row>'
    )
    sheet = only_sheet(read_both_ways(hand_made(tmp_path, sheet_xml(rows))))
    assert taken == [True]
    assert sheet.values == {} and sheet.hidden_rows == {3}
    assert sheet.formulas == {
        "A1": '=B1&"x"',
        "B1": '=""',
        "D1": "=D9",
        "A3": "=1",
        "B3": "=C3",
        "C3": "=1/3",
    }
    assert sheet.cached == {"A1": "a<x", "B1": "", "D1": "", "A3": "12", "B3": None, "C3": 1 / 3}


def test_a_bad_cell_in_a_plain_sheet_is_named_as_the_general_path_names_it(tmp_path):
    """A bad cell gives the fast path up; the general path names the first fault: the cell,
    or broken XML before it."""
    bad = '<c r="B1" t="s"><v>7</v></c>'
    path = hand_made(tmp_path, sheet_xml(f'<row r="1"><c r="A1"><v>1</v></c>{bad}</row>'))
    assert "cell B1: shared string '7' does not exist" in fails(path)
    broken = sheet_xml(f'<row r="1"><c r="A1"><v>1&bad;</v></c>{bad}</row>')
    assert "not well-formed XML (undefined entity" in fails(hand_made(tmp_path, broken, "b.xlsx"))


@pytest.mark.parametrize(
    "rows",
    [
        '<row r="1"><c r="A1"><f>1&bogus;</f><v>1</v></c></row>',
        '<row r="1"><c r="A1" t="str"><f>1</f><v>a]]>b</v></c></row>',
        '<row r="1"><c r="A1" t="str"><f>1</f><v>a\x0bb</v></c></row>',
        '<row r="1"><c r="A1" t="str"><f>1</f><v>a\ufffeb</v></c></row>',
        '<row r="1"><c r="A1"><f>1</f><v>&#0;</v></c></row>',
        '<row r="1" r="1"><c r="A1"><v>1</v></c></row>',
        '<row r="1"><c r="A1"><v>1</v></c></row><row r="2" ht="1" ht="2"><c r="A2"><v>1</v></c></row>',
        '<row r="1"><c r="A1"><f aca="1" aca="1">1</f><v>1</v></c></row>',
        '<row r="1"><c r="A1"\u00a0/></row>',
    ],
)
def test_broken_xml_the_tokens_could_take_is_refused_as_expat_refuses_it(tmp_path, rows):
    """References, ``]]>``, control characters, non-characters and attributes given twice:
    what the fast path's grammar leaves open is checked, and refused as the general path
    refuses it."""
    path = hand_made(tmp_path, sheet_xml(rows))
    message = fails(path)
    assert "is not well-formed XML" in message
    assert message == fails(path, GENERAL)


def test_well_formed_xml_beyond_the_tokens_grammar_reads_the_same(tmp_path):
    """Character references, a row attribute with an apostrophe, prefixed row attributes and
    blanks between rows read on both paths alike."""
    rows = (
        '<row r="1" x14ac:dyDescent="0.25" note="it\'s"><c r="A1" t="str"><f>"&#65;"</f>'
        '<v>&#x41;&amp;</v></c></row>\n\t<row r="2" spans="1:2" ><c r="B2"><v>2</v></c></row>'
    )
    sheet = sheet_xml(rows).replace("<worksheet ", '<worksheet xmlns:x14ac="urn:x14ac" ')
    content = only_sheet(read_both_ways(hand_made(tmp_path, sheet)))
    assert content.formulas == {"A1": '="A"'} and content.cached == {"A1": "A&"}
    assert content.values == {"B2": 2.0}


def test_a_sheet_read_in_many_spans_reads_as_in_one(tmp_path, monkeypatch):
    """The fast path lists a sheet's tokens span by span (each ending where a row ends); a
    sheet cut into many spans, empty hidden rows and blanks between them, reads as the
    general path reads it."""
    monkeypatch.setattr(xlsx_fastpath, "_WINDOW", 40)
    taken = fast_path_taken(monkeypatch)
    rows = "".join(
        f'<row r="{r}" spans="1:3"><c r="A{r}" t="s"><v>{r % 2}</v></c><c r="B{r}"><v>{r}</v></c>'
        f'<c r="C{r}"><f>B{r}*2</f><v>{2 * r}</v></c></row>'
        + (f'\n<row r="{r + 1}" hidden="1"/>\n' if r % 6 == 0 else "")
        for r in range(2, 60, 2)
    )
    strings = "<si><t>a</t></si><si><t>b</t></si>"
    content = only_sheet(read_both_ways(hand_made(tmp_path, sheet_xml(rows), strings=strings)))
    assert content.values["A2"] == "a" and content.formulas["C58"] == "=B58*2"
    assert content.hidden_rows == {r + 1 for r in range(6, 60, 6)}
    assert taken == [True]


def test_cells_given_again_after_one_out_of_order_are_replaced_on_both_paths(tmp_path):
    """After a cell out of order, a cell given again with a date style (empty, or a formula)
    replaces what it was given before on both paths: the empty one is empty, the formula a
    formula, and no value of before is left behind to be taken for a date."""
    rows = (
        '<row r="1"><c r="A1"><v>5</v></c><c r="B1"><v>6</v></c><c r="C1"><v>7</v></c></row>'
        '<row r="2"><c r="A1"><v>1</v></c><c r="B1" s="1"/><c r="C1" s="1"><f>1</f><v>1</v></c>'
        "</row>"
    )
    styles = (
        f'<styleSheet xmlns="{MAIN}"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/>'
        "</cellXfs></styleSheet>"
    )
    parts = package_parts(sheet_xml(rows))
    parts["xl/styles.xml"] = styles
    parts["xl/_rels/workbook.xml.rels"] = rels(
        ("rId1", "worksheet", "worksheets/sheet1.xml"), ("rId2", "styles", "styles.xml")
    )
    sheet = only_sheet(read_both_ways(write_zip(tmp_path / "dato.xlsx", parts)))
    assert sheet.values == {"A1": 1.0}
    assert sheet.formulas == {"C1": "=1"}
    assert sheet.date_cells == set()


def test_repeated_cells_keep_the_last(tmp_path):
    """A cell written twice (a damaged file) keeps its last content, as openpyxl does."""
    rows = (
        '<row r="1"><c r="A1"><v>1</v></c><c r="A1"><f>2+2</f><v>4</v></c>'
        '<c r="B1"><v>2</v></c></row><row r="1"><c r="B1"><v>3</v></c></row>'
    )
    sheet = only_sheet(read_both_ways(hand_made(tmp_path, sheet_xml(rows))))
    assert sheet.values == {"B1": 3.0}
    assert sheet.formulas == {"A1": "=2+2"}


def test_a_cell_given_again_after_one_out_of_order_keeps_only_its_last_content(tmp_path):
    """Once a cell came out of order, a later cell given again is still seen as repeated: B1
    given as a formula and then as a number is the number alone, never both."""
    rows = (
        '<row r="1"><c r="A1"><f>1+1</f><v>2</v></c><c r="B1"><f>2+2</f><v>4</v></c></row>'
        '<row r="1"><c r="A1"><v>3</v></c><c r="B1"><v>5</v></c><c r="C1"><v>6</v></c></row>'
    )
    sheet = only_sheet(read_both_ways(hand_made(tmp_path, sheet_xml(rows))))
    assert sheet.values == {"A1": 3.0, "B1": 5.0, "C1": 6.0}
    assert sheet.formulas == {}
    assert sheet.cached == {}


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


@pytest.mark.slow
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
    book = read_workbook(path, limits=Limits(max_cells=100))
    assert book.sheets["Ark 1"].values["A100"] == 100.0
    for limits in (Limits(max_cells=99), replace(GENERAL, max_cells=99)):
        assert "more than 99 cells in the workbook (max_cells)" in fails(path, limits)


def test_too_many_xml_elements_is_an_error(tmp_path):
    """Junk elements count against a budget, so a part of millions of them stops early."""
    path = hand_made(tmp_path, sheet_xml("", after="<junk/>" * 2_000))
    limits = Limits(max_cells=10, element_slack=1_000)
    assert "more than 1040 XML elements in the workbook; refusing" in fails(path, limits)


def test_hidden_rows_validations_and_names_count_against_a_cap(tmp_path):
    """Things kept besides cells (hidden rows, validations, names, ...) are capped in all."""
    limits = Limits(max_items=20)
    rows = "".join(f'<row r="{r}" hidden="1"/>' for r in range(1, 30))
    path = hand_made(tmp_path, sheet_xml(rows))
    assert "more than 20 hidden rows and the like; refusing" in fails(path, limits)
    general = replace(GENERAL, max_items=20)
    assert "more than 20 hidden rows and the like; refusing" in fails(path, general)
    validations = "".join(
        f'<dataValidation type="whole" sqref="A{r}"><formula1>0</formula1></dataValidation>'
        for r in range(1, 30)
    )
    path = hand_made(
        tmp_path,
        sheet_xml("", after=f"<dataValidations>{validations}</dataValidations>"),
        "dv.xlsx",
    )
    assert "more than 20 data validations and the like; refusing" in fails(path, limits)


def test_sheets_element_names_and_shared_formula_text_are_capped(tmp_path):
    """Ten thousand sheets, ten thousand element names or huge shared formulas are refused."""
    sheets = "".join(f'<sheet name="A{i}" sheetId="{i}" r:id="rId1"/>' for i in range(1, 4))
    workbook = f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>{sheets}</sheets></workbook>'
    assert "more than 2 sheets; refusing" in fails(
        hand_made(tmp_path, sheet_xml(""), "ark.xlsx", workbook=workbook), Limits(max_sheets=2)
    )
    max_names = DEFAULT_LIMITS.max_names
    names = "".join(f"<n{i}/>" for i in range(max_names + 1))
    path = hand_made(tmp_path, sheet_xml("", after=names), "navn.xlsx")
    assert f"more than {max_names} different XML element names; refusing" in fails(path)
    rows = '<row r="1"><c r="A1"><f t="shared" ref="A1:A30" si="0">B1+C1+D1</f></c></row>'
    rows += "".join(
        f'<row r="{r}"><c r="A{r}"><f t="shared" si="0"/></c></row>' for r in range(2, 31)
    )
    path = hand_made(tmp_path, sheet_xml(rows), "delt.xlsx")
    limits = Limits(max_shared_formula_text=100)
    assert "shared formulas expand past 100 characters; refusing" in fails(path, limits)


@pytest.mark.parametrize("text", ["1_000", "١٢٣", "0x10", "1e5_0", "5e", "--5", "1,5", "Infinity"])
def test_numbers_outside_the_ooxml_grammar_are_refused(tmp_path, text):
    """A number Python's float() takes but the OOXML grammar does not (LibreOffice reads
    ``1_000`` as 1 and ``١٢٣`` as 0) is refused at its cell, as a value or a cached result."""
    for cell in (f'<c r="B2"><v>{text}</v></c>', f'<c r="B2"><f>1</f><v>{text}</v></c>'):
        path = hand_made(tmp_path, sheet_xml(f'<row r="2">{cell}</row>'))
        assert f"cell B2: {text!r} is not a number" in fails(path)
        assert f"cell B2: {text!r} is not a number" in fails(path, GENERAL)


def test_numbers_in_the_grammar_read_as_libreoffice_reads_them(tmp_path):
    """Signs, a bare point, exponents and surrounding blanks are numbers (LibreOffice reads
    ``+5``, `` 5 ``, ``5.``, ``.5`` and ``1E2`` as 5, 5, 5, 0.5 and 100)."""
    texts = ["+5", " 5 ", "5.", ".5", "1E2", "-0.25e-1"]
    cells = "".join(f'<c r="{c}1"><v>{t}</v></c>' for c, t in zip("ABCDEF", texts, strict=True))
    sheet = only_sheet(read_both_ways(hand_made(tmp_path, sheet_xml(f'<row r="1">{cells}</row>'))))
    assert sheet.values == {"A1": 5, "B1": 5, "C1": 5, "D1": 0.5, "E1": 100, "F1": -0.025}


def test_references_and_indexes_follow_the_grammar(tmp_path):
    """``r="$C$7"`` is refused (LibreOffice drops that cell), ``c08`` is C8 as there; a row
    number or shared-string index in other scripts' digits is refused, never read as ASCII."""
    path = hand_made(tmp_path, sheet_xml('<row r="7"><c r="$C$7"><v>1</v></c></row>'))
    assert "cell reference '$C$7' is not a cell address" in fails(path)
    sheet = only_sheet(
        read_both_ways(hand_made(tmp_path, sheet_xml('<row r="8"><c r="c08"><v>2</v></c></row>')))
    )
    assert sheet.values == {"C8": 2}
    path = hand_made(tmp_path, sheet_xml('<row r="\u0667"><c><v>1</v></c></row>'))
    assert "row number '\u0667' is not a row number" in fails(path)
    path = hand_made(
        tmp_path,
        sheet_xml('<row r="1"><c r="A1" t="s"><v>\u0660</v></c></row>'),
        strings="<si><t>x</t></si>",
    )
    assert "shared string '\u0660' does not exist" in fails(path)
