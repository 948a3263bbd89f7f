"""Hostile XML parts (xmlparts): entities, DTDs, malformed XML fail with one clear line."""

from __future__ import annotations

import tracemalloc
import zipfile

from tests.xlsx_fixtures import (
    GENERAL,
    MAIN,
    REL,
    fails,
    hand_made,
    package_parts,
    rels,
    sheet_xml,
    write_zip,
)

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
    assert fails(after, GENERAL) == message
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
