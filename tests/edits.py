"""Edits applied to a generated workbook the way a person makes them, and the commands run on
the result (how inputs are compared: ``tests.compare``).

Three routes, each where that client is the one that writes the file:

- LibreOffice over UNO (``office.edit_many_with_libreoffice``): typing values, text and formulas,
  inserting and deleting rows, sorting, cut and paste, copying, moving and renaming sheets,
  hiding rows, comments, widths, AutoFilter, a round trip through .ods. LibreOffice's API
  silently does nothing when a sort, move or copy touches locked cells of a protected sheet, so
  such edits are wrapped in unprotect/protect, as a person must do, and every edit is followed
  by an ``expect`` that reads the cell back in LibreOffice before the file is saved.
- Gnumeric (``office.recalculate_gnumeric``): a plain re-save.
- Excel-shaped package XML (shared formulas, calcChain, custom properties written with
  indentation), where only Excel writes something: parts of a generated file rewritten.
"""

from __future__ import annotations

import functools
import io
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import openpyxl

from bygdevekst_xl.cli import main
from tests import damage

FRONT = "Forside"
SUMMARY = "Samlet budsjett og finansiering"
P1, P2, P3, P4, P5 = (
    "1 Prosjektledelse",
    "2 Boligbygging",
    "3 Arbeidsliv",
    "4 Plankontor",
    "5 Markedsføring",
)

# --------------------------------------------------------------------------- edits in LibreOffice


class Edit:
    """The operations one person makes on one workbook, in order, each read back after it."""

    def __init__(self, source: Path | None = None) -> None:
        self.ops: list[dict[str, Any]] = []
        self.source = source

    def address_of(self, sheet: str, text: str) -> str:
        """Where column A of the source's *sheet* holds *text* (the layout may move it)."""
        return _column_a(self.source, sheet)[text]

    def below_list(self, sheet: str, heading: str) -> str:
        """The first empty cell of column A below the list under *heading* in the source."""
        rows = {row: value for value, row in _rows_of(self.source, sheet).items()}
        row = int(self.address_of(sheet, heading)[1:]) + 1
        while row in rows:
            row += 1
        return f"A{row}"

    def _op(self, op: str, **args: Any) -> Edit:
        self.ops.append({"op": op, **args})
        return self

    def type(self, sheet: str, cell: str, value: Any, *, shows: float | None = None) -> Edit:
        """Type a number, a text or a formula (``=...``, Excel syntax) into a cell.

        A formula is read back as a formula and, with *shows*, with the value it gives.
        """
        self._op("set", sheet=sheet, cell=cell, value=value)
        if isinstance(value, str) and value.startswith("="):
            check: dict[str, Any] = {"formula": True}
            if shows is not None:
                check["value"] = shows
            return self._op("expect", sheet=sheet, cell=cell, **check)
        if isinstance(value, str):
            return self._op("expect", sheet=sheet, cell=cell, string=value)
        if value is None:
            return self._op("expect", sheet=sheet, cell=cell, empty=True)
        return self._op("expect", sheet=sheet, cell=cell, value=value)

    def expect(self, sheet: str, cell: str, **check: Any) -> Edit:
        """Read a cell back: ``value=``, ``string=``, ``formula=`` or ``empty=True``."""
        return self._op("expect", sheet=sheet, cell=cell, **check)

    @contextmanager
    def unprotected(self, sheet: str) -> Iterator[Edit]:
        """Remove the sheet protection (no password), edit, and protect the sheet again."""
        self._op("unprotect", sheet=sheet)
        yield self
        self._op("protect", sheet=sheet)

    def unprotect(self, sheet: str) -> Edit:
        """Remove the sheet protection and leave it off."""
        return self._op("unprotect", sheet=sheet)

    def insert_rows(self, sheet: str, row: int, count: int = 1) -> Edit:
        """Insert whole rows above 1-based *row* (the sheet must be unprotected)."""
        return self._op("insert_rows", sheet=sheet, row=row, count=count)

    def delete_rows(self, sheet: str, row: int, count: int = 1) -> Edit:
        return self._op("delete_rows", sheet=sheet, row=row, count=count)

    def insert_columns(self, sheet: str, column: int, count: int = 1) -> Edit:
        """Insert whole columns left of 1-based *column* (the sheet must be unprotected)."""
        return self._op("insert_columns", sheet=sheet, column=column, count=count)

    def delete_columns(self, sheet: str, column: int, count: int = 1) -> Edit:
        return self._op("delete_columns", sheet=sheet, column=column, count=count)

    def sort(self, sheet: str, cells: str, column: int, *, ascending: bool = True) -> Edit:
        """Sort a range by its *column* (1-based within the range), no header row."""
        return self._op("sort", sheet=sheet, range=cells, column=column, ascending=ascending)

    def cut_paste(self, sheet: str, cells: str, to: str) -> Edit:
        """Cut a range and paste it with its top-left corner at *to*."""
        return self._op("move_range", sheet=sheet, range=cells, to=to)

    def hide_row(self, sheet: str, row: int) -> Edit:
        self._op("hide_row", sheet=sheet, row=row)
        return self._op("expect_hidden", sheet=sheet, row=row)

    def copy_paste(self, sheet: str, cells: str, to: str) -> Edit:
        """Copy a range and paste it with its top-left corner at *to*."""
        return self._op("copy_range", sheet=sheet, range=cells, to=to)

    def hide_column(self, sheet: str, column: int) -> Edit:
        return self._op("hide_column", sheet=sheet, column=column)

    def paste_values(self, sheet: str, cells: str) -> Edit:
        """Copy a range and paste it over itself as values only (the sheet must be unprotected)."""
        return self._op("paste_values", sheet=sheet, range=cells)

    def delete_sheet(self, sheet: str) -> Edit:
        return self._op("delete_sheet", sheet=sheet)

    def comment(self, sheet: str, cell: str, text: str) -> Edit:
        return self._op("comment", sheet=sheet, cell=cell, text=text)

    def width(self, sheet: str, column: int, width_mm100: int) -> Edit:
        return self._op("width", sheet=sheet, column=column, width_mm100=width_mm100)

    def autofilter(self, sheet: str, cells: str) -> Edit:
        return self._op("autofilter", sheet=sheet, range=cells)

    def number_format(self, sheet: str, cell: str, code: str) -> Edit:
        return self._op("number_format", sheet=sheet, cell=cell, format=code)

    def rename_sheet(self, sheet: str, name: str) -> Edit:
        return self._op("rename_sheet", sheet=sheet, name=name)

    def copy_sheet(self, sheet: str, name: str, position: int) -> Edit:
        return self._op("copy_sheet", sheet=sheet, name=name, position=position)

    def move_sheet(self, sheet: str, position: int) -> Edit:
        return self._op("move_sheet", sheet=sheet, position=position)

    def sheets_are(self, names: list[str]) -> Edit:
        return self._op("expect_sheets", names=names)

    def ods_round_trip(self) -> Edit:
        """Save as .ods, close, open the .ods again (the final save writes .xlsx)."""
        return self._op("ods_round_trip")


def _rows_of(source: Path | None, sheet: str) -> dict[str, int]:
    return {value: int(address[1:]) for value, address in _column_a(source, sheet).items()}


@functools.cache
def _column_a(source: Path | None, sheet: str) -> dict[str, str]:
    """Text of column A -> its address (first occurrence) on a sheet of *source*."""
    assert source is not None, "this edit needs the source workbook: Edit(source)"
    wb = openpyxl.load_workbook(source, read_only=True)
    try:
        found: dict[str, str] = {}
        for row in wb[sheet].iter_rows(max_col=1):
            cell = row[0]
            if cell.value is not None:
                found.setdefault(str(cell.value), f"A{cell.row}")
        return found
    finally:
        wb.close()


def build_with_libreoffice(
    source: Path, out_dir: Path, cases: dict[str, Callable[[Edit], Any]]
) -> dict[str, Path]:
    """Every case applied to a copy of *source* in ONE LibreOffice run: name -> edited .xlsx."""
    from bygdevekst_xl.office import edit_many_with_libreoffice

    jobs = []
    for name, make in cases.items():
        edit = Edit(source)
        make(edit)
        jobs.append((source, out_dir / f"{name}.xlsx", edit.ops))
    paths = edit_many_with_libreoffice(jobs, timeout=900)  # one start, tens of documents
    return dict(zip(cases, paths, strict=True))


# --------------------------------------------------------------------------- Excel-shaped XML


def shared_line_formulas(source: Path, target: Path, sheet: str, first: int, last: int) -> Path:
    """The line totals ``E{first}:E{last}`` of *sheet* as one shared formula, as Excel saves a
    filled-down column (the master cell holds the text, the others only point at it)."""

    def share(xml: str) -> str:
        for row in range(first, last + 1):
            pattern = re.compile(rf'(<c r="E{row}"[^>]*>)<f>([^<]*)</f>')
            if row == first:
                repl = rf'\1<f t="shared" ref="E{first}:E{last}" si="0">\2</f>'
            else:
                repl = r'\1<f t="shared" si="0"/>'
            xml, n = pattern.subn(repl, xml, count=1)
            assert n == 1, f"no formula at {sheet}!E{row}"
        return xml

    return damage.with_parts(source, target, {damage.sheet_part(source, sheet): share})


def shared_input_formulas(
    source: Path, target: Path, sheet: str, cells: list[str], formula: str
) -> Path:
    """*cells* (inputs holding numbers) given one shared formula without references, as Excel
    saves a formula typed once and filled over a range: the first cell holds the text and the
    range, the others point at it; each keeps its saved value."""

    def share(xml: str) -> str:
        for i, cell in enumerate(cells):
            f = (
                f'<f t="shared" ref="{cells[0]}:{cells[-1]}" si="7">{formula}</f>'
                if i == 0
                else '<f t="shared" si="7"/>'
            )
            xml, n = re.subn(rf'(<c r="{cell}"[^>]*>)(<v>)', rf"\1{f}\2", xml, count=1)
            assert n == 1, f"no number at {sheet}!{cell}"
        return xml

    return damage.with_parts(source, target, {damage.sheet_part(source, sheet): share})


def with_calc_chain(source: Path, target: Path) -> Path:
    """*source* with the calcChain.xml part Excel keeps of every formula cell it calculated."""
    wb = openpyxl.load_workbook(source)
    entries = []
    for index, ws in enumerate(wb.worksheets, start=1):
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    entries.append(f'<c r="{cell.coordinate}" i="{index}"/>')
    wb.close()
    chain = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<calcChain xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + "".join(entries)
        + "</calcChain>"
    )
    content_type = (
        '<Override PartName="/xl/calcChain.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml"/>'
    )
    relationship = (
        '<Relationship Id="rIdCalcChain" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/calcChain" Target="calcChain.xml"/>'
    )
    return damage.with_parts(
        source,
        target,
        {
            "[Content_Types].xml": lambda xml: xml.replace("</Types>", content_type + "</Types>"),
            "xl/_rels/workbook.xml.rels": lambda xml: xml.replace(
                "</Relationships>", relationship + "</Relationships>"
            ),
        },
        extra={"xl/calcChain.xml": chain.encode("utf-8")},
    )


def indented_custom_properties(source: Path, target: Path) -> Path:
    """docProps/custom.xml pretty-printed, each element on its own indented line (as Gnumeric
    and XML tools write it; the values themselves untouched)."""

    def indent(xml: str) -> str:
        xml = re.sub(r"(<property\b)", r"\n  \1", xml)
        xml = re.sub(r"(<vt:\w+>[^<]*</vt:\w+>)", r"\n    \1\n  ", xml)
        return xml.replace("</Properties>", "\n</Properties>\n")

    return damage.with_parts(source, target, {"docProps/custom.xml": indent})


# --------------------------------------------------------------------------- the command line


def run_cli(*args: Any) -> tuple[int, str, str]:
    """``python -m bygdevekst_xl ARGS`` in this process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def check_json(path: Path) -> tuple[int, dict[str, Any]]:
    """``check --json`` of one workbook: (exit code, the report document)."""
    code, out, err = run_cli("check", path, "--json")
    assert out.strip(), f"check printed no JSON (exit {code}): {err}"
    return code, json.loads(out)


def findings_at(report: dict[str, Any], sheet: str, cell: str | None) -> list[dict[str, Any]]:
    """The findings of a check report at one cell."""
    return [f for f in report["findings"] if f["sheet"] == sheet and f["cell"] == cell]


def codes(report: dict[str, Any]) -> set[str]:
    return {f["code"] for f in report["findings"]}


def errors(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for f in report["findings"] if f["severity"] == "error"]


def extract_and_generate(workbook: Path, work: Path) -> tuple[int, Path, str]:
    """``extract`` the spec of *workbook*, then ``generate`` it: (extract exit code, the new
    workbook, what extract printed)."""
    spec, out = work / f"{workbook.stem}.yaml", work / f"{workbook.stem}.generated.xlsx"
    code, stdout, stderr = run_cli("extract", workbook, "-o", spec, "--force")
    if code != 0:
        return code, out, stdout + stderr
    generated, _, gen_err = run_cli("generate", spec, "-o", out, "--force")
    assert generated == 0, gen_err
    return code, out, stdout + stderr


def regenerate_to(workbook: Path, work: Path) -> tuple[int, Path, str]:
    """``regenerate`` *workbook* without a spec: (exit code, the new workbook, its output)."""
    out = work / f"{workbook.stem}.regenerated.xlsx"
    code, stdout, stderr = run_cli("regenerate", workbook, "-o", out, "--force")
    return code, out, stdout + stderr
