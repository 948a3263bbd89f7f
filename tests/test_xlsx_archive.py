"""The zip archive and content sniffing: not a workbook, or a damaged one, each fails with one
clear line."""

from __future__ import annotations

import os
import struct
import warnings
import zipfile
from pathlib import Path

import pytest

from bygdevekst_xl import xlsx as reader
from bygdevekst_xl.xlsx import Limits
from bygdevekst_xl.xlsx import archive as xlsx_zip
from tests.xlsx_fixtures import (
    fails,
    hand_made,
    package_parts,
    sheet_xml,
    write_zip,
)

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


def test_inflated_bytes_are_counted_across_parts(tmp_path):
    """Bytes are counted while inflating: parts each under the limit stop at the total cap."""
    strings = "<si><t>" + "x" * 30_000 + "</t></si>"
    path = hand_made(tmp_path, sheet_xml("", after=" " * 30_000), strings=strings)
    message = fails(path, Limits(max_total_bytes=50_000))
    assert "parts inflate past 50000 bytes in all; refusing (possible zip bomb)" in message


def test_thousands_of_entries_are_refused(tmp_path):
    """A zip of more than 10 000 entries is refused from its end record."""
    path = tmp_path / "mange.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for i in range(10_001):
            archive.writestr(f"x/{i}", b"")
    assert "zip declares 10001 entries (more than 10000)" in fails(path)


@pytest.mark.parametrize(
    "second", ["xl/worksheets/sheet1.xml", "XL/WORKSHEETS/SHEET1.XML", "xl/worksheets/sheet%31.xml"]
)
def test_an_entry_stored_twice_is_refused(tmp_path, second):
    """A part stored twice (in any case, or percent-encoded) is refused: zipfile, openpyxl and
    LibreOffice take the last copy, a scan the first, so no reader may pick one."""
    path = write_zip(tmp_path / "dobbel.xlsx", package_parts(sheet_xml(_ONE_CELL % 1)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate name it writes
        with zipfile.ZipFile(path, "a") as archive:
            archive.writestr(second, sheet_xml(_ONE_CELL % 9_350_000))
    assert f"zip holds the entry {second} twice" in fails(path)


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_only_stored_and_deflate_parts_are_read(tmp_path, method):
    """A bzip2 or LZMA part (which inflates a whole read at once, past the size counters) is
    refused before anything is inflated; stored and deflate parts read."""
    parts = package_parts(sheet_xml(_ONE_CELL % 7))
    path = tmp_path / "metode.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data, compress_type=method if "sheet1" in name else None)
    assert f"entry xl/worksheets/sheet1.xml uses compression method {method}" in fails(path)
    for stored in (False, True):
        write_zip(path, parts, stored=stored)
        (sheet,) = reader.read_workbook(path).sheets.values()
        assert sheet.values == {"A1": 7}


_ONE_CELL = '<row r="1"><c r="A1"><v>%d</v></c></row>'
