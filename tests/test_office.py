"""Real spreadsheet clients as oracles: LibreOffice and Gnumeric, forced to recalculate.

Every workbook here carries deliberately WRONG cached values (999), so a client that merely keeps
the cached values (LibreOffice's default for .xlsx) cannot pass. Each LibreOffice test starts
soffice at most once (the concurrency test starts two at the same time).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import time
import zipfile
from pathlib import Path

import pytest
import xlsxwriter

from bygdevekst_xl import office
from bygdevekst_xl.office import (
    OfficeError,
    convert_libreoffice,
    edit_with_libreoffice,
    gnumeric_path,
    read_formulas,
    read_values,
    recalculate_gnumeric,
    recalculate_libreoffice,
    soffice_path,
    uno_python,
)

OKT = "Økt boligbygging"
WRONG = 999

needs_soffice = pytest.mark.skipif(soffice_path() is None, reason="LibreOffice (soffice) missing")
needs_gnumeric = pytest.mark.skipif(gnumeric_path() is None, reason="Gnumeric (ssconvert) missing")


def teeth_workbook(path: Path, base: int = 2) -> Path:
    """A1=base, A2=base+1, and formulas whose cached values are all a wrong 999.

    Data!A3 ``=A1+A2``, Data!A4 ``='Økt boligbygging'!B2*2`` (quoted sheet name with a space and
    æøå; B2 = 21), Data!A5 ``=SUM(Tall)`` with the defined name Tall = Data!$A$1:$A$2.
    """
    wb = xlsxwriter.Workbook(str(path))
    data, okt = wb.add_worksheet("Data"), wb.add_worksheet(OKT)
    data.write("A1", base)
    data.write("A2", base + 1)
    data.write_formula("A3", "=A1+A2", None, WRONG)
    data.write_formula("A4", f"='{OKT}'!B2*2", None, WRONG)
    data.write_formula("A5", "=SUM(Tall)", None, WRONG)
    data.write("B1", "Notat")
    okt.write("B2", 21)
    wb.define_name("Tall", "=Data!$A$1:$A$2")
    wb.close()
    return path


def formula_values(path: Path) -> list[object]:
    values = read_values(path)
    return [values.get(("Data", ref)) for ref in ("A3", "A4", "A5")]


def written_by(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read("docProps/app.xml").decode("utf-8")


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Route office.py's temp dirs into one folder and prove they are all removed afterwards."""
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    yield root
    assert sorted(p.name for p in root.iterdir()) == [], "temporary directories left behind"


def test_read_values_and_formulas_report_cached_values_and_formulas(tmp_path):
    """read_values gives cached values of every non-empty cell; read_formulas every formula."""
    path = teeth_workbook(tmp_path / "teeth.xlsx")
    values = read_values(path)
    assert values[("Data", "A1")] == 2
    assert values[("Data", "B1")] == "Notat"
    assert formula_values(path) == [WRONG, WRONG, WRONG]
    assert ("Data", "C1") not in values
    assert read_formulas(path) == {
        ("Data", "A3"): "=A1+A2",
        ("Data", "A4"): f"='{OKT}'!B2*2",
        ("Data", "A5"): "=SUM(Tall)",
    }


@pytest.mark.office
@needs_soffice
def test_libreoffice_recalculates_wrong_cached_values(tmp_path, private_tmp):
    """LibreOffice recomputes every formula (cross-sheet æøå name, defined name) in one start,
    writing <stem>.libreoffice.xlsx next to the source without touching it, in input order."""
    first = teeth_workbook(tmp_path / "teeth.xlsx")
    other_dir = tmp_path / "other"
    other_dir.mkdir()
    second = teeth_workbook(other_dir / "andre bok æøå.xlsx", base=10)

    outputs = recalculate_libreoffice([first, second], tmp_path)

    assert outputs == [
        tmp_path / "teeth.libreoffice.xlsx",
        tmp_path / "andre bok æøå.libreoffice.xlsx",
    ]
    assert formula_values(outputs[0]) == [5, 42, 5]
    assert formula_values(outputs[1]) == [21, 42, 21]
    assert formula_values(first) == [WRONG, WRONG, WRONG], "the source must be left as it was"
    assert "LibreOffice" in written_by(outputs[0])
    formulas = read_formulas(outputs[0])
    assert formulas[("Data", "A3")] == "=A1+A2"
    assert formulas[("Data", "A5")] == "=SUM(Tall)"
    assert formulas[("Data", "A4")].replace("$", "") == f"='{OKT}'!B2*2"


@pytest.mark.office
@needs_soffice
def test_default_profile_keeps_wrong_cached_values(tmp_path, private_tmp):
    """The trap: with LibreOffice's default settings (OOXMLRecalcMode = never) a conversion keeps
    the cached 999s, so only the forced-recalc profile makes LibreOffice an oracle with teeth."""
    source = teeth_workbook(tmp_path / "teeth.xlsx")
    target = tmp_path / "kept.xlsx"
    office._soffice_convert([source], [target], "xlsx", timeout=180, recalc=False)
    assert formula_values(target) == [WRONG, WRONG, WRONG]


@pytest.mark.office
@needs_soffice
def test_concurrent_calls_use_separate_profiles(tmp_path, private_tmp):
    """Two recalculations at the same time (as from two pytest workers) both succeed: each call
    has its own profile, so neither hands its job to the other's soffice nor fails on a lock."""
    sources = [teeth_workbook(tmp_path / f"book{i}.xlsx", base=i) for i in (1, 100)]
    results: dict[int, list[Path]] = {}
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            results[i] = recalculate_libreoffice([sources[i]], tmp_path / f"out{i}")
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert formula_values(results[0][0]) == [3, 42, 3]
    assert formula_values(results[1][0]) == [201, 42, 201]


@pytest.mark.office
@needs_soffice
def test_convert_libreoffice_renders_png(tmp_path, private_tmp):
    """convert_libreoffice renders a sheet to a PNG picture (the README screenshot path)."""
    source = teeth_workbook(tmp_path / "teeth.xlsx")
    png = convert_libreoffice(source, tmp_path, "png")
    assert png == tmp_path / "teeth.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


EDITS = {
    ("Data", "A1"): 10,
    ("Data", "A2"): None,
    (OKT, "B2"): 50,
    ("Data", "C1"): "=IF(A1>1,A1*2,0)",
    ("Data", "B1"): "Endret",
}


def check_edited(path: Path) -> None:
    values = read_values(path)
    assert formula_values(path) == [10, 100, 10]
    assert ("Data", "A2") not in values
    assert values[("Data", "C1")] == 20
    assert values[("Data", "B1")] == "Endret"
    assert read_formulas(path)[("Data", "C1")] == "=IF(A1>1,A1*2,0)"
    assert "LibreOffice" in written_by(path)


@pytest.mark.office
@needs_soffice
@pytest.mark.skipif(uno_python() is None, reason="no Python with the uno module (python3-uno)")
def test_edit_with_libreoffice_via_uno_updates_dependent_formulas(tmp_path, private_tmp):
    """Cells typed into LibreOffice through UNO (numbers, a cleared cell, text, an Excel-syntax
    formula) change the dependent formulas' values in the .xlsx that LibreOffice saves."""
    source = teeth_workbook(tmp_path / "teeth.xlsx")
    target = edit_with_libreoffice(source, tmp_path / "edited.xlsx", EDITS, method="uno")
    check_edited(target)
    assert formula_values(source) == [WRONG, WRONG, WRONG]


@pytest.mark.office
@needs_soffice
def test_edit_with_libreoffice_openpyxl_fallback_updates_dependent_formulas(tmp_path, private_tmp):
    """The fallback (edits applied with openpyxl, then recalculated and saved by LibreOffice)
    gives the same values as typing the edits into LibreOffice."""
    source = teeth_workbook(tmp_path / "teeth.xlsx")
    target = edit_with_libreoffice(source, tmp_path / "edited.xlsx", EDITS, method="openpyxl")
    check_edited(target)


@needs_gnumeric
def test_gnumeric_recalculates_wrong_cached_values(tmp_path, private_tmp):
    """Gnumeric (ssconvert --recalc) recomputes the same formulas; without --recalc it would
    keep the cached 999s, which is why recalculate_gnumeric always passes it."""
    source = teeth_workbook(tmp_path / "teeth.xlsx")
    target = recalculate_gnumeric(source, tmp_path / "gnumeric.xlsx")
    assert formula_values(target) == [5, 42, 5]
    assert read_formulas(target)[("Data", "A5")] == "=SUM(Tall)"

    plain = tmp_path / "plain.xlsx"
    subprocess.run(
        [gnumeric_path(), str(source), str(plain)], capture_output=True, check=True, timeout=120
    )
    assert formula_values(plain) == [WRONG, WRONG, WRONG]


# --------------------------------------------------------------------------- without a client


def fake_soffice(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "fake-soffice"
    script.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    script.chmod(0o755)
    return script


def process_gone(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return any(line.startswith("State:") and "Z" in line for line in status.splitlines())


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to watch the process")
def test_timeout_kills_the_whole_process_group(tmp_path, private_tmp, monkeypatch):
    """A hanging soffice is killed with all its children after the timeout, the error names the
    file, and no temporary directory is left behind."""
    pid_file = tmp_path / "child.pid"
    fake = fake_soffice(tmp_path, f"sleep 300 &\necho $! > '{pid_file}'\nwait\n")
    monkeypatch.setattr(office, "soffice_path", lambda: str(fake))
    source = teeth_workbook(tmp_path / "hangs.xlsx")

    with pytest.raises(OfficeError, match=r"hangs\.xlsx.*timed out"):
        recalculate_libreoffice([source], tmp_path, timeout=1)

    child = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while not process_gone(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process_gone(child), "the soffice child survived the timeout"


def test_missing_output_is_an_error_naming_the_file(tmp_path, private_tmp, monkeypatch):
    """A conversion that exits without writing an output raises OfficeError naming the source."""
    monkeypatch.setattr(office, "soffice_path", lambda: str(fake_soffice(tmp_path, "exit 0\n")))
    source = teeth_workbook(tmp_path / "budsjett.xlsx")
    with pytest.raises(OfficeError, match=r"budsjett\.xlsx"):
        recalculate_libreoffice([source], tmp_path / "out")


def test_unwritable_home_is_replaced_by_a_temp_home(tmp_path, private_tmp, monkeypatch):
    """With HOME missing or unwritable the client gets a writable temporary HOME; a usable HOME
    is passed through unchanged."""
    seen = tmp_path / "home.txt"
    body = f'[ -d "$HOME" ] && [ -w "$HOME" ] && echo "$HOME" > \'{seen}\'\nexit 0\n'
    monkeypatch.setattr(office, "soffice_path", lambda: str(fake_soffice(tmp_path, body)))
    source = teeth_workbook(tmp_path / "budsjett.xlsx")

    monkeypatch.setenv("HOME", str(tmp_path / "does-not-exist"))
    with pytest.raises(OfficeError):
        recalculate_libreoffice([source], tmp_path / "out")
    assert seen.read_text().strip().startswith(str(private_tmp))

    usable = tmp_path / "home"
    usable.mkdir()
    monkeypatch.setenv("HOME", str(usable))
    with pytest.raises(OfficeError):
        recalculate_libreoffice([source], tmp_path / "out")
    assert seen.read_text().strip() == str(usable)


def test_two_sources_with_one_output_name_are_refused(tmp_path):
    """Sources that would be written to the same output file are refused before any work."""
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    sources = [teeth_workbook(a / "budsjett.xlsx"), teeth_workbook(b / "budsjett.xlsx")]
    with pytest.raises(ValueError, match="budsjett"):
        recalculate_libreoffice(sources, tmp_path)


def test_edit_values_are_checked_before_starting_a_client(tmp_path):
    """Unsupported values and malformed cell references are refused up front."""
    source = teeth_workbook(tmp_path / "teeth.xlsx")
    with pytest.raises(TypeError):
        edit_with_libreoffice(source, tmp_path / "x.xlsx", {("Data", "A1"): object()})
    with pytest.raises(ValueError):
        edit_with_libreoffice(source, tmp_path / "x.xlsx", {("Data", "A1:B2"): 1})
    assert not os.path.exists(tmp_path / "x.xlsx")


@pytest.mark.office
@needs_soffice
@pytest.mark.skipif(uno_python() is None, reason="no Python with the uno module (python3-uno)")
@pytest.mark.parametrize(
    ("operation", "message"),
    [
        (
            {"op": "sort", "sheet": "Data", "range": "A1:A2", "column": 1, "ascending": False},
            r"sorting on protected sheet 'Data': unprotect it first",
        ),
        ({"op": "expect", "sheet": "Data", "cell": "A1", "value": 3}, r"Data!A1 holds '2'"),
    ],
)
def test_an_edit_that_would_not_take_is_refused(tmp_path, private_tmp, operation, message):
    """LibreOffice's API silently does nothing when it sorts locked cells of a protected sheet:
    the driver refuses such an operation, and an ``expect`` that reads a cell back fails when
    the cell does not hold what the edit should have left, naming the cell; nothing is saved."""
    path = tmp_path / "locked.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    data = wb.add_worksheet("Data")
    data.write("A1", 2)
    data.write("A2", 3)
    data.protect()
    wb.close()
    target = tmp_path / "edited.xlsx"
    with pytest.raises(OfficeError, match=message):
        office.edit_many_with_libreoffice([(path, target, [operation])])
    assert not target.exists()
