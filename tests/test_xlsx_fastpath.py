"""Properties: damaged files read or fail cleanly, and the fast and general paths agree with
openpyxl."""

from __future__ import annotations

import functools
import io
import re
import tempfile
import zipfile
from pathlib import Path

import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bygdevekst_xl.xlsx import DEFAULT_LIMITS, ReadError, WorkbookContent, read_workbook
from tests.xlsx_fixtures import (
    GENERAL,
    assert_cells_match_openpyxl,
    only_sheet,
    read_both_ways,
)

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
        for limits in (DEFAULT_LIMITS, GENERAL):
            try:
                book = read_workbook(path, limits=limits)
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


@pytest.mark.slow
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
