"""The workbook prints whole: LibreOffice's PDF of it keeps every block (a table with its
heading, the rules, the Forside's sections) on one page, descriptions and chart labels whole,
and each sheet on as few pages as it needs."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from bygdevekst_xl.generate import workbook_bytes
from bygdevekst_xl.layout import build_layout
from bygdevekst_xl.office import convert_libreoffice, soffice_path
from bygdevekst_xl.texts import FRONT_SHEET, PARAMETER_SHEET, SUMMARY_SHEET
from bygdevekst_xl.writer.pages import blocks, row_heights
from tests.conftest import edited

pytestmark = [
    pytest.mark.office,
    pytest.mark.skipif(soffice_path() is None, reason="LibreOffice (soffice) missing"),
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing"),
]
LONG = " ".join(f"ord{i:02d}" for i in range(28))  # 139 characters, every word distinct


def pages_by_sheet(pdf) -> dict[str, list[str]]:
    """The PDF's text per page, grouped by the sheet its footer names."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    out: dict[str, list[str]] = {}
    for page in text.split("\f"):
        lines = [line for line in page.splitlines() if line.strip()]
        if not lines:
            continue
        footer = lines[-1].split("Side")[0].strip()  # "<sheet>      Side 3 av 9"
        out.setdefault(footer, []).append(page)
    return out


def test_every_block_prints_on_one_page(example_dict, tmp_path):
    """Forside, every project sheet and Parametre take one page each, the combined sheet two;
    no heading is parted from the last row of its table; a 139-character description and the
    longest project name in the chart print whole."""
    path = tmp_path / "utskrift.xlsx"
    budget = edited(example_dict, **{"projects.1.costs.0.description": LONG})
    path.write_bytes(workbook_bytes(budget))
    pages = pages_by_sheet(convert_libreoffice(path, tmp_path, "pdf"))
    layout = build_layout(budget)
    counts = {name: len(found) for name, found in pages.items()}
    expected = {FRONT_SHEET: 1, SUMMARY_SHEET: 2, PARAMETER_SHEET: 1}
    expected |= {p.sheet: 1 for p in budget.projects}
    assert counts == expected

    for sheet in layout.sheets:
        for first, last in blocks(sheet, row_heights(sheet)):
            heading = sheet.cells.get((first, 0))
            closing = [c for (r, _), c in sheet.cells.items() if r == last and c.kind == "label"]
            if heading is None or not closing:
                continue  # a chart: checked below
            on = [
                i
                for i, page in enumerate(pages[sheet.name])
                if any(line.strip().startswith(heading.value) for line in page.splitlines())
            ]
            assert on, (sheet.name, heading.value)
            assert str(closing[0].value) in pages[sheet.name][on[0]], (sheet.name, heading.value)

    project_page = pages[budget.projects[1].sheet][0]
    assert all(word in project_page for word in LONG.split())
    chart_page = pages[SUMMARY_SHEET][-1]
    assert "Kostnader per prosjekt" in chart_page
    for project in budget.projects:
        assert project.name in chart_page


def test_an_english_libreoffice_shows_norwegian_numbers(example_dict, tmp_path):
    """In a LibreOffice set to US English, the Forside still shows amounts as 4 000 000 kr and
    shares as 42,6 % (the formats carry the bokmål locale tag); with the untagged kroner
    format the same LibreOffice shows 4,000,000 kr, so the check has teeth."""
    import xlsxwriter

    book = tmp_path / "bok.xlsx"
    book.write_bytes(workbook_bytes(edited(example_dict)))
    untagged = tmp_path / "untagged.xlsx"
    with xlsxwriter.Workbook(str(untagged)) as wb:
        sheet = wb.add_worksheet("Ark")
        sheet.set_column(0, 0, 30)  # wide enough: a narrow column prints ###
        sheet.write_number(0, 0, 4_000_000, wb.add_format({"num_format": '#,##0 "kr"'}))
    pdfs = [
        convert_libreoffice(path, tmp_path / "pdf", "pdf", locale="en-US")
        for path in (book, untagged)
    ]
    forside = pages_by_sheet(pdfs[0])[FRONT_SHEET][0]
    assert "4 000 000 kr" in forside and "7 296 000 kr" in forside
    assert "42,6 %" in forside and "24,0 %" in forside
    assert "4,000,000" not in forside and "42.6" not in forside
    other = subprocess.run(
        ["pdftotext", "-layout", str(pdfs[1]), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "4,000,000 kr" in other
