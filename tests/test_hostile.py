"""Damaged and hostile inputs: every one gets a clear answer, within bounds, and no traceback."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import random
import re
import signal
import subprocess
import sys
import threading
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import MergedCell

from bygdevekst_xl.cli import main
from tests import damage

TIME_BOUND = 10  # seconds a command may take on any input (a bound, not a measurement)
MEMORY_BOUND_MB = 500
FUZZ_EXAMPLES = int(os.environ.get("BYGDEVEKST_FUZZ_EXAMPLES", "60"))  # raise it to fuzz longer


@dataclass(frozen=True)
class Bounded:
    """A finished CLI child: its exit code, output and its own peak memory."""

    returncode: int
    stdout: str
    stderr: str
    peak_mb: float


def run_bounded(*args: str, cwd: Path, timeout: float = TIME_BOUND) -> Bounded:
    """Run the CLI in a child process that must finish within the time bound.

    The child is reaped with ``os.wait4``, which gives that child's own peak RSS (the
    ``RUSAGE_CHILDREN`` figure is the largest of every child this test process ever ran,
    LibreOffice included).
    """
    proc = subprocess.Popen(
        [sys.executable, "-m", "bygdevekst_xl", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )
    with ThreadPoolExecutor(2) as pool:
        out, err = pool.submit(proc.stdout.read), pool.submit(proc.stderr.read)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        stdout, stderr = out.result().decode(), err.result().decode()
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stdout.close()
    proc.stderr.close()
    assert proc.returncode != -signal.SIGKILL, f"{args} ran past {timeout} s"
    return Bounded(proc.returncode, stdout, stderr, usage.ru_maxrss / 1024)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "alias-bomb.yaml",
            "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
            "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n",
            "aliases (*name) are not allowed",
        ),
        (
            "tag.yaml",
            "pilot: !!python/object/apply:os.system ['touch /tmp/pwned']\n",
            "not valid YAML",
        ),
        ("nested.yaml", "a: " + "[" * 5000 + "]" * 5000 + "\n", "nest"),  # libyaml: "nesting depth"
        ("huge-number.yaml", "pilot: {kdd_cap: 1" + "0" * 400 + "}\n", "pilot.kdd_cap: must be ≤"),
        ("latin1.yaml", "pilot: Måsøy\n".encode("latin-1"), "not UTF-8"),
    ],
)
def test_hostile_specs_are_refused(tmp_path, name, content, message):
    """Alias bombs, unsafe tags, deep nesting, enormous numbers and non-UTF-8 bytes exit 2."""
    spec = tmp_path / name
    spec.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    result = run_bounded("generate", str(spec), "-o", "out.xlsx", "--lang", "en", cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out.xlsx").exists()
    assert not Path("/tmp/pwned").exists()
    assert result.peak_mb < MEMORY_BOUND_MB


def test_a_100_mb_spec_is_refused_without_reading_it(tmp_path):
    """A spec file of 100 MB is refused by its size."""
    spec = tmp_path / "big.yaml"
    with spec.open("wb") as handle:
        handle.truncate(100 * 1024 * 1024)
    result = run_bounded("generate", str(spec), "-o", "out.xlsx", "--lang", "en", cwd=tmp_path)
    assert result.returncode == 2
    assert "a spec may be at most" in result.stderr
    assert result.peak_mb < MEMORY_BOUND_MB


@pytest.mark.parametrize(
    "args",
    [
        ["check", "{dir}"],
        ["check", "{dir}/missing.xlsx"],
        ["extract", "{dir}"],
        ["regenerate", "{dir}/missing.xlsx", "--spec", "{spec}", "-o", "{dir}/o.xlsx"],
    ],
)
def test_wrong_paths_exit_2_with_one_line(tmp_path, args):
    """A folder or a missing path given as a workbook gives one line naming it and exit 2."""
    spec = Path(__file__).resolve().parents[1] / "workbook" / "hjerteregionen.yaml"
    argv = [a.format(dir=tmp_path, spec=spec) for a in args]
    result = run_bounded(*argv, cwd=tmp_path)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert str(tmp_path) in result.stderr


def _mutations(data: dict[str, bytes], rnd: random.Random) -> dict[str, bytes]:
    """One random damage to the parts of a workbook."""
    names = sorted(data)
    name = rnd.choice(names)
    part = data[name]
    kind = rnd.randrange(6)
    if kind == 0:  # truncate a part
        data[name] = part[: rnd.randrange(len(part) + 1)]
    elif kind == 1:  # flip bytes
        buf = bytearray(part)
        for _ in range(rnd.randint(1, 8)):
            if buf:
                buf[rnd.randrange(len(buf))] = rnd.randrange(256)
        data[name] = bytes(buf)
    elif kind == 2:  # drop a part
        del data[name]
    elif kind == 3:  # delete an element
        text = part.decode("utf-8", "replace")
        tags = list(re.finditer(r"<(\w+:)?(\w+)[^>]*/>|<(\w+:)?(\w+)[^>]*>.*?</\3?\4>", text, re.S))
        if tags:
            m = rnd.choice(tags)
            data[name] = (text[: m.start()] + text[m.end() :]).encode("utf-8")
    elif kind == 4:  # change a number or an address
        text = part.decode("utf-8", "replace")
        numbers = list(re.finditer(r"\d+", text))
        if numbers:
            m = rnd.choice(numbers)
            replacement = rnd.choice(["0", "-1", "99999999", "1048577", "A", ""])
            data[name] = (text[: m.start()] + replacement + text[m.end() :]).encode("utf-8")
    else:  # swap the contents of two parts
        other = rnd.choice(names)
        data[name], data[other] = data[other], part
    return data


@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(seed=st.integers(0, 2**32 - 1), rounds=st.integers(1, 3))
def test_fuzzed_workbooks_only_ever_exit_0_1_or_2(
    example_workbook, tmp_path_factory, seed, rounds, capsys
):
    """Random damage to the XML parts and zip structure: check exits 0, 1 or 2, never crashes."""
    rnd = random.Random(seed)
    with zipfile.ZipFile(example_workbook) as z:
        data = {n: z.read(n) for n in z.namelist()}
    for _ in range(rounds):
        data = _mutations(data, rnd)
    path = tmp_path_factory.mktemp("fuzz") / "fuzzed.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, part in data.items():
            z.writestr(name, part)
    assert main(["check", str(path)]) in (0, 1, 2)
    assert main(["extract", str(path)]) in (0, 1, 2)
    err = capsys.readouterr().err
    assert "Traceback" not in err


def _zip(path: Path, parts: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def _with_sheet1(workbook: Path, target: Path, xml: str) -> Path:
    with zipfile.ZipFile(workbook) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["xl/worksheets/sheet1.xml"] = xml
    return _zip(target, parts)


LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    "</sheetData></worksheet>"
)
XXE = (
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>'
)


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("empty", "empty"),
        ("csv", "CSV"),
        ("truncated", "zip"),
        ("xls", "xls"),
        ("encrypted", "encrypted"),
        ("ods", "ods"),
        ("bomb", "zip bomb"),
        ("laughs", "DTD"),
        ("xxe", "DTD"),
    ],
)
def test_hostile_workbooks_exit_2_within_bounds(example_workbook, tmp_path, case, message):
    """Each hostile or foreign file: exit 2, one line naming it and what it is, in bounded time
    and memory, with no temporary files left behind."""
    path = tmp_path / "in.xlsx"
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    if case == "empty":
        path.write_bytes(b"")
    elif case == "csv":
        path.write_text("prosjekt;beløp\nBolig;100\n", "utf-8")
    elif case == "truncated":
        path.write_bytes(example_workbook.read_bytes()[:5000])
    elif case == "xls":
        path.write_bytes(ole + "Workbook".encode("utf-16-le") + b"\0" * 512)
    elif case == "encrypted":
        path.write_bytes(
            ole
            + "EncryptionInfo".encode("utf-16-le")
            + "EncryptedPackage".encode("utf-16-le")
            + b"\0" * 512
        )
    elif case == "ods":
        _zip(
            path,
            {"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"},
        )
    elif case == "bomb":
        with zipfile.ZipFile(example_workbook) as z:
            parts = {n: z.read(n) for n in z.namelist() if n != "xl/worksheets/sheet1.xml"}
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in parts.items():
                z.writestr(name, data)
            with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
                chunk = b" " * (1 << 20)
                for _ in range(300):  # 300 MB of blanks that deflate to a few hundred KB
                    part.write(chunk)
    elif case == "laughs":
        _with_sheet1(example_workbook, path, LAUGHS)
    else:
        _with_sheet1(example_workbook, path, XXE)
    before = set(Path("/tmp").iterdir())
    result = run_bounded("check", str(path), "--lang", "en", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and "Traceback" not in result.stderr
    assert message.lower() in lines[0].lower()
    assert "root:" not in result.stdout + result.stderr  # nothing read from /etc/passwd
    assert result.peak_mb < MEMORY_BOUND_MB
    assert {p for p in Path("/tmp").iterdir() if p.name.startswith("tmp")} <= before


@pytest.mark.parametrize(
    ("formula", "reason"),
    [
        ('=INDIRECT("C7")', "INDIRECT"),
        ("=OFFSET(C7,1,0)", "OFFSET"),
        ("=LAMBDA(x,x+1)(2)", ""),
        ("=[other.xlsx]Ark1!A1", ""),
    ],
)
def test_formulas_we_cannot_evaluate_are_findings_at_their_cells(
    example_workbook, tmp_path, formula, reason, capsys
):
    """INDIRECT, OFFSET, LAMBDA and external references typed by a person are reported at their
    cells, never a crash."""
    import openpyxl

    wb = openpyxl.load_workbook(example_workbook)
    wb["2 Boligbygging"]["H3"] = formula
    path = tmp_path / "typed.xlsx"
    wb.save(path)
    assert main(["check", "--json", "--lang", "en", str(path)]) == 1
    import json

    findings = json.loads(capsys.readouterr().out)["findings"]
    [finding] = [f for f in findings if f["code"] == "unsupported-formula"]
    assert (finding["sheet"], finding["cell"]) == ("2 Boligbygging", "H3")
    assert reason in finding["found"]


_EXTREME_VALUES = [
    1e308, -1e308, 5e-324, 2**53 + 1, 10**20, -0.0, 1e15 + 0.3, 4e12, 0.005, -1e-9, 999999.999,
    True, False, "", " ", "=1+1", "'", "1 000", "#N/A", "#REF!", "x" * 300,
    dt.datetime(2024, 1, 1), dt.datetime(1900, 1, 1),
]  # fmt: skip


@settings(
    max_examples=FUZZ_EXAMPLES // 3,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_any_value_typed_anywhere_gets_findings_not_a_crash(
    example_workbook, example_budget, tmp_path_factory, data
):
    """Extreme or odd values typed into any cell of a project, Parametre or the combined
    sheet: check reports (in text and strict JSON), extract refuses or writes a spec, and
    regenerate carries or archives them, and none of them raises anything else."""

    from bygdevekst_xl.check import check_workbook
    from bygdevekst_xl.check.report import as_dict, as_json, as_text
    from bygdevekst_xl.extract import ExtractError, extract
    from bygdevekst_xl.inputs import NotOurWorkbook
    from bygdevekst_xl.regenerate import RefusedError, regenerate
    from bygdevekst_xl.spec import SpecError

    sheets = [p.sheet for p in example_budget.projects]
    sheets += ["Parametre", "Samlet budsjett og finansiering"]
    cells = st.tuples(
        st.sampled_from(sheets), st.sampled_from("ABCDEFGHI"), st.integers(1, 60)
    ).map(lambda t: (t[0], f"{t[1]}{t[2]}"))
    edits = data.draw(st.lists(st.tuples(cells, st.sampled_from(_EXTREME_VALUES)), max_size=4))
    folder = tmp_path_factory.mktemp("typed")

    def typed(wb):
        for (sheet, address), value in edits:
            if not isinstance(wb[sheet][address], MergedCell):  # Excel refuses those too
                wb[sheet][address] = value

    path = damage.with_openpyxl(example_workbook, folder / "typed.xlsx", typed)
    try:
        report = check_workbook(path, example_budget)
    except NotOurWorkbook as exc:  # a fixed label typed over: the CLI's one-line exit 2
        assert str(exc).strip() and "\n" not in str(exc)
        return
    as_text(report)
    as_json([as_dict(report)])
    with contextlib.suppress(ExtractError, SpecError):
        extract(path)
    with contextlib.suppress(RefusedError):
        regenerate(path, None, folder / "new.xlsx", orphans="archive")
        check_workbook(folder / "new.xlsx", example_budget)
