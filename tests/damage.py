"""Build damaged copies of a generated workbook, as Excel users and worse damage them."""

from __future__ import annotations

import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl


def with_openpyxl(source: Path, target: Path, edit: Callable[[openpyxl.Workbook], None]) -> Path:
    """A copy of ``source`` edited through openpyxl (which drops cached values, like a script)."""
    wb = openpyxl.load_workbook(source)
    edit(wb)
    wb.save(target)
    return target


def with_parts(
    source: Path,
    target: Path,
    edits: dict[str, Callable[[str], str]],
    extra: dict[str, bytes] | None = None,
) -> Path:
    """A copy of ``source`` with zip parts rewritten by ``edits`` (part name -> text -> text)."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename in edits:
                data = edits[item.filename](data.decode("utf-8")).encode("utf-8")
            zout.writestr(item, data)
        for name, data in (extra or {}).items():
            zout.writestr(name, data)
    return target


def sheet_part(source: Path, sheet_name: str) -> str:
    """The zip part of a sheet, by its name (xlsxwriter writes sheets in order)."""
    wb = openpyxl.load_workbook(source, read_only=True)
    return f"xl/worksheets/sheet{wb.sheetnames.index(sheet_name) + 1}.xml"


def set_cached_value(xml: str, cell: str, value: str) -> str:
    """Sheet XML with the cached value of a formula cell replaced."""
    pattern = re.compile(rf'(<c r="{cell}"[^>]*>.*?<v>)([^<]*)(</v>)', re.S)
    out, n = pattern.subn(lambda m: m.group(1) + value + m.group(3), xml, count=1)
    assert n == 1, f"no cached value at {cell}"
    return out


def copy(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    return target


def without_record(source: Path, target: Path) -> Path:
    """A copy of ``source`` as versions before generation records made it: no record."""

    def drop(xml: str) -> str:
        pattern = r'<property [^>]*name="bygdevekst_xl_(?:spec|tool)[^"]*"[^>]*>.*?</property>'
        return re.sub(pattern, "", xml, flags=re.S)

    def no_generation_line(xml: str) -> str:  # the Forside's A3 names the generation
        return re.sub(r'<c r="A3"[^>]*>.*?</c>', "", xml, count=1, flags=re.S)

    edits = {"docProps/custom.xml": drop, "xl/worksheets/sheet1.xml": no_generation_line}
    return with_parts(source, target, edits)
