"""Shared fixtures for the reader tests: a workbook written by xlsxwriter, hand-made packages,
and what openpyxl sees."""

from __future__ import annotations

import base64
import io
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter
from openpyxl.worksheet.formula import ArrayFormula

from bygdevekst_xl import xlsx as reader
from bygdevekst_xl.evaluate import ErrorValue
from bygdevekst_xl.xlsx import DEFAULT_LIMITS, Limits, ReadError, WorkbookContent, read_workbook
from bygdevekst_xl.xlsx import fastpath as xlsx_fastpath

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


GENERAL = Limits(fast_part_bytes=-1)
"""The default limits, but every sheet through the expat path (no regular-expression fast path)."""


def read_both_ways(path: Path) -> WorkbookContent:
    """Read ``path`` with and without the fast path; they must agree exactly."""
    fast = read_workbook(path)
    general = read_workbook(path, limits=GENERAL)
    assert fast == general
    return fast


def fails(path: Path | str, limits: Limits = DEFAULT_LIMITS) -> str:
    """The message of the ReadError that reading ``path`` under ``limits`` raises; it is one
    line naming the file."""
    with pytest.raises(ReadError) as info:
        read_workbook(path, limits=limits)
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


def fast_path_taken(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """What the reader's fast path answers for each sheet from now on (True: it read the
    sheet itself; False: the general path did), in the order the sheets are read."""
    taken: list[bool] = []
    original = xlsx_fastpath.fast_cells

    def spy(builder: Any, text: str) -> bool:
        taken.append(original(builder, text))
        return taken[-1]

    monkeypatch.setattr(xlsx_fastpath, "fast_cells", spy)
    return taken
