"""Damaged and hostile inputs: every one gets a clear answer, within bounds, and no traceback."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
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
from bygdevekst_xl.edited.inputs import MAX_COST_ROWS
from bygdevekst_xl.model import MAX_CATEGORIES, MAX_COST_LINES, MAX_MUNICIPALITIES, MAX_PROJECTS
from bygdevekst_xl.office import recalculate_libreoffice, soffice_path
from bygdevekst_xl.spec.yaml_nodes import MAX_NODES
from bygdevekst_xl.xlsx import ReadError, read_workbook
from tests import damage
from tests.xlsx_fixtures import package_parts, sheet_xml, write_zip

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
    temp_left: list[str]
    """What the child left in its own temporary folder (its private TMPDIR)."""


COMMANDS = ("generate", "check", "extract", "regenerate", "diff", "council")


def _in_english(args: tuple[str, ...]) -> tuple[str, ...]:
    """The arguments with ``--lang en`` (these tests read the English messages)."""
    if args and args[0] in COMMANDS and "--lang" not in args:
        return (args[0], "--lang", "en", *args[1:])
    return args


PEAK_OF_ITS_OWN = """
import atexit, os, runpy, sys

def _peak():
    with open("/proc/self/status") as status, open(os.environ["PEAK_FILE"], "w") as out:
        out.write(next(line.split()[1] for line in status if line.startswith("VmHWM:")))

atexit.register(_peak)
sys.argv[0] = "bygdevekst_xl"
runpy.run_module("bygdevekst_xl", run_name="__main__", alter_sys=True)
"""
"""Run the CLI and write its own peak RSS (kB, ``VmHWM`` of the process's memory after exec)
at exit. The rusage ``ru_maxrss`` of a child is no measure here: Python starts children with
vfork, and the kernel records the parent's high-water mark into the child's at exec, so the
test process's own peak (several hundred MB after the agreement tests) showed as the child's."""


def run_bounded(*args: str, cwd: Path, timeout: float = TIME_BOUND) -> Bounded:
    """Run the CLI in a child process that must finish within the time bound, and measure
    that child's own peak memory (see :data:`PEAK_OF_ITS_OWN`; a child killed before it could
    say falls back to its rusage). The child gets a private temporary folder (TMPDIR), so what
    it leaves behind is told apart from what other processes write to the shared one."""
    private = Path(tempfile.mkdtemp(prefix="bygdevekst-child-"))
    try:
        return _run_child(args, cwd, timeout, private)
    finally:
        shutil.rmtree(private, ignore_errors=True)


def _run_child(args: tuple[str, ...], cwd: Path, timeout: float, private: Path) -> Bounded:
    peak_file = cwd / f".peak-{os.getpid()}-{threading.get_ident()}"
    proc = subprocess.Popen(
        [sys.executable, "-c", PEAK_OF_ITS_OWN, *_in_english(args)],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        env={
            **os.environ,
            "PEAK_FILE": str(peak_file),
            "TMPDIR": str(private),
            "TEMP": str(private),
            "TMP": str(private),
        },
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
    try:
        peak_kb = float(peak_file.read_text())
        peak_file.unlink()
    except (OSError, ValueError):
        peak_kb = usage.ru_maxrss
    left = sorted(p.name for p in private.iterdir())
    return Bounded(proc.returncode, stdout, stderr, peak_kb / 1024, left)


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
        (
            "huge-number.yaml",
            "pilot: {kdd_cap: 1" + "0" * 400 + "}\n",
            "401 characters (at most 40)",
        ),
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


_EXAMPLE = (Path(__file__).resolve().parents[1] / "workbook" / "hjerteregionen.yaml").read_text(
    "utf-8"
)


def _example_with(old: str, new: str) -> str:
    assert old in _EXAMPLE
    return _EXAMPLE.replace(old, new, 1)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            _example_with("name: Hjerteregionen", 'name: "Hjerte\\x01regionen"'),
            "pilot.name: holds a control character (U+0001)",
        ),
        (
            _example_with("sheet: 2 Boligbygging", 'sheet: "2 Bolig\\tbygging"'),
            "projects[1].sheet: holds a line break or tab character (U+0009)",
        ),
        (
            _example_with("sheet: 2 Boligbygging", 'sheet: "2 Bolig\\uFFFE"'),
            "projects[1].sheet: holds a control character (U+FFFE)",
        ),
        (
            _example_with("name: Reiser", "name: '=Reiser'"),
            "categories[1].name: '=Reiser' would be read by SUMIF",
        ),
        (
            _example_with("sheet: 2 Boligbygging", "sheet: " + "\U0001f3e0" * 16),
            "projects[1].sheet: sheet name is 32 characters as Excel counts them",
        ),
        (
            _example_with("kdd_cap: 4000000", "kdd_cap: 0x" + "f" * 5000),
            "a number of 5002 characters (at most 40) is too large",
        ),
        (
            _example_with("kdd_cap: 4000000", "kdd_cap: 1" + ":59" * 3000),
            "a number of 9001 characters (at most 40) is too large",
        ),
        (_example_with("[60, 60]", "[.nan, 60]"), ".nan is not a number"),
        (
            "a: [" + ",1" * (MAX_NODES + 1) + "]\n",
            f"a spec may hold at most {MAX_NODES} (refusing)",
        ),
    ],
)
def test_specs_a_workbook_cannot_hold_are_refused(tmp_path, content, message):
    """Control characters, tabs and U+FFFE in names, a category SUMIF reads as a criterion,
    emoji sheet names over 31 UTF-16 units, YAML 1.1 integers of thousands of digits, .nan
    and more values than a spec may hold: generate exits 2 naming the place, within bounds,
    writing nothing."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(content, "utf-8")
    result = run_bounded("generate", str(spec), "-o", "out.xlsx", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"error: {spec}: ") and message in line
    assert not (tmp_path / "out.xlsx").exists()
    assert result.peak_mb < MEMORY_BOUND_MB


def _one_over(data: dict, dimension: str) -> None:
    """*data* (the example spec) with one more municipality, or cost line, than the limit."""
    if dimension == "municipalities":
        names = data["pilot"]["municipalities"]
        names.extend(f"Kommune {i}" for i in range(MAX_MUNICIPALITIES + 1 - len(names)))
    else:
        costs = data["projects"][0]["costs"]
        costs.extend(
            {**costs[0], "amounts": [1, 2]} for _ in range(MAX_COST_LINES + 1 - len(costs))
        )


@pytest.mark.parametrize(
    ("dimension", "path", "limit"),
    [
        ("municipalities", "pilot.municipalities", MAX_MUNICIPALITIES),
        ("cost lines", "projects[0].costs", MAX_COST_LINES),
    ],
)
def test_a_spec_one_over_a_limit_is_refused_in_one_line(
    tmp_path, example_dict, dimension, path, limit
):
    """One municipality, or one cost line in a project, more than the schema allows (the
    limits the model and the workbook reader share): one line naming the spec and the path,
    exit 2, nothing written."""
    import yaml

    _one_over(example_dict, dimension)
    spec = tmp_path / "for-stor.yaml"
    spec.write_text(yaml.safe_dump(example_dict, allow_unicode=True), "utf-8")
    result = run_bounded("generate", str(spec), "-o", "out.xlsx", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines() == [
        f"error: {spec}: {path}: must have at most {limit} entries, not {limit + 1}"
    ]
    assert not (tmp_path / "out.xlsx").exists()


@pytest.mark.slow
def test_many_spec_problems_are_listed_50_and_counted(tmp_path, example_dict):
    """A list of 100 000 wrong items is refused by its count alone, in one line; a spec with
    thousands of wrong items within the counts (100 bad cost lines in each of 40 projects)
    lists 50 problems and a line counting the rest (past 10 000 schema errors, as a lower
    bound), within the bounds."""
    import yaml

    class Unaliased(yaml.SafeDumper):
        def ignore_aliases(self, data):
            return True

    huge = tmp_path / "huge.yaml"
    huge.write_text(_example_with("categories:\n", "categories:\n" + "  - 1\n" * 100_000))
    result = run_bounded("generate", str(huge), "-o", "out.xlsx", cwd=tmp_path)
    assert result.returncode == 2 and result.peak_mb < MEMORY_BOUND_MB
    assert result.stderr.strip().splitlines() == [
        f"error: {huge}: categories: must have at most {MAX_CATEGORIES} entries, not 100010"
    ]
    wrong = [{"category": 1} for _ in range(100)]
    example_dict["projects"] = [{**example_dict["projects"][0], "costs": wrong}] * 40
    many = tmp_path / "many.yaml"
    many.write_text(yaml.dump(example_dict, Dumper=Unaliased, allow_unicode=True), "utf-8")
    result = run_bounded("generate", str(many), "-o", "out.xlsx", cwd=tmp_path)
    assert result.returncode == 2 and result.peak_mb < MEMORY_BOUND_MB
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 51
    assert lines[-1] == (
        f"error: {many}: (top): at least 9950 more problems (only the first 50 are shown)"
    )


@pytest.mark.parametrize("kind", ["fifo", "/dev/zero"])
def test_a_fifo_or_device_as_the_spec_is_refused_at_once(tmp_path, kind):
    """A FIFO or /dev/zero given as the spec (or --spec) is refused without being read."""
    spec = tmp_path / "spec.yaml"
    if kind == "fifo":
        os.mkfifo(spec)
    else:
        spec = Path(kind)
    for args in (
        ["generate", str(spec), "-o", "out.xlsx"],
        ["check", "x.xlsx", "--spec", str(spec)],
    ):
        result = run_bounded(*args, cwd=tmp_path)
        assert result.returncode == 2
        assert result.stderr.strip() == (
            f"error: {spec}: is not a regular file (a pipe or a device?)"
        )


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


@pytest.mark.slow
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


def _split_view(workbook: Path, target: Path, case: str) -> Path:
    """The example workbook with its first project sheet (sheet3) changed so that readers
    could disagree: stored twice, bzip2-compressed, ``1_000`` for a number, ``$C$7``."""
    with zipfile.ZipFile(workbook) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    name = "xl/worksheets/sheet3.xml"
    xml = parts[name].decode("utf-8")
    if case == "underscore":
        xml = re.sub(r'(<c r="C7"[^>]*><v>)1050000(</v>)', r"\g<1>1_000\2", xml)
    elif case == "dollar":
        xml = xml.replace('<c r="C7" ', '<c r="$C$7" ')
    assert case in ("twice", "bzip2") or xml != parts[name].decode("utf-8")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for part, data in parts.items():
            method = zipfile.ZIP_BZIP2 if case == "bzip2" and part == name else None
            z.writestr(part, xml if part == name else data, compress_type=method)
        if case == "twice":
            z.writestr(name.upper(), xml.replace("<v>1050000</v>", "<v>9350000</v>"))
    return target


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
        ("twice", "twice"),
        ("bzip2", "compression method 12"),
        ("underscore", "'1_000' is not a number"),
        ("dollar", "'$C$7' is not a cell address"),
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
    elif case in ("twice", "bzip2", "underscore", "dollar"):
        _split_view(example_workbook, path, case)
    else:
        _with_sheet1(example_workbook, path, XXE)
    result = run_bounded("check", str(path), "--lang", "en", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and "Traceback" not in result.stderr
    assert message.lower() in lines[0].lower()
    assert "root:" not in result.stdout + result.stderr  # nothing read from /etc/passwd
    assert result.peak_mb < MEMORY_BOUND_MB
    assert result.temp_left == []  # its own temporary folder only: others may use /tmp


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


@pytest.mark.slow
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
    from bygdevekst_xl.edited.inputs import NotOurWorkbook
    from bygdevekst_xl.extract import ExtractError, extract
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


@pytest.mark.parametrize(("col", "typed"), [(0, 1e308), (2, ""), (4, "")])
def test_a_table_header_typed_over_or_cleared_is_a_changed_label_not_a_deleted_column(
    example_workbook, tmp_path, col, typed
):
    """1E308 typed over the cost table's "Kategori" header, the first year's or the "Sum"
    header cleared (found by Hypothesis above): the headers right of it have not moved (and
    below the last one its formulas still are), so the column is still there. One
    label-changed warning at the header; regenerate writes the layout's header back and
    nothing is lost."""
    from bygdevekst_xl.check import check_workbook
    from bygdevekst_xl.cli import main
    from bygdevekst_xl.edited import read_edited
    from bygdevekst_xl.excel import a1

    place = next(iter(read_edited(example_workbook).read.places.values()))
    header = a1(place.cost_row(0) - 1, col)

    def edit(wb):
        wb[place.sheet][header] = typed

    path = damage.with_openpyxl(example_workbook, tmp_path / "overskrift.xlsx", edit)
    report = check_workbook(path)
    assert [(f.code, f.sheet, f.cell) for f in report.findings] == [
        ("label-changed", place.sheet, header)
    ]
    assert report.content_digest == check_workbook(example_workbook).content_digest
    assert main(["regenerate", str(path), "-o", str(tmp_path / "ny.xlsx")]) == 0
    assert check_workbook(tmp_path / "ny.xlsx").findings == []


def test_a_number_typed_right_of_the_years_is_outside_the_table_not_a_third_year(
    example_workbook, tmp_path, capsys
):
    """1E308 typed in the cell right of Parametre's two years (found by Hypothesis above): the
    years are the cells their defined name spans, so it is one value outside the tables (not
    a third year that every project sheet lacks); regenerate lists it as it would be lost."""
    from bygdevekst_xl.check import check_workbook
    from bygdevekst_xl.cli import main
    from bygdevekst_xl.edited import read_edited
    from bygdevekst_xl.excel import a1, parse_area
    from bygdevekst_xl.layout.parameter_sheet import PARAMETER_NAMES

    reading = read_edited(example_workbook)
    years = parse_area(reading.content.names[PARAMETER_NAMES["years"]])
    right = a1(years.first_row, years.last_col + 1)

    def typed(wb):
        wb[reading.read.parameters][right] = 1e308

    path = damage.with_openpyxl(example_workbook, tmp_path / "aar.xlsx", typed)
    report = check_workbook(path)
    assert [(f.code, f.sheet, f.cell) for f in report.findings] == [
        ("value-outside-table", reading.read.parameters, right)
    ]
    assert report.totals == check_workbook(example_workbook).totals
    assert main(["regenerate", str(path), "-o", str(tmp_path / "ny.xlsx")]) == 1
    assert f"ville gått tapt: {reading.read.parameters}!{right} = 1E308" in capsys.readouterr().err


def test_true_typed_into_an_amount_is_reported_and_carried_as_true(example_workbook, tmp_path):
    """TRUE typed into an amount (found by Hypothesis above): check says it is no number,
    regenerate carries it as TRUE and reads it back as TRUE (it refused: "meant True, read
    True"), and the new workbook reports it where the old one did."""
    import openpyxl

    from bygdevekst_xl.check import check_workbook
    from bygdevekst_xl.cli import main
    from bygdevekst_xl.edited import read_edited
    from bygdevekst_xl.excel import a1
    from bygdevekst_xl.layout.rows import year_col

    place = next(iter(read_edited(example_workbook).read.places.values()))
    cell = a1(place.cost_row(0), year_col(0))

    def typed(wb):
        wb[place.sheet][cell] = True

    path = damage.with_openpyxl(example_workbook, tmp_path / "sann.xlsx", typed)
    assert ("amount-not-number", cell) in [(f.code, f.cell) for f in check_workbook(path).errors]
    new = tmp_path / "ny.xlsx"
    assert main(["regenerate", str(path), "-o", str(new)]) == 0
    assert openpyxl.load_workbook(new)[place.sheet][cell].value is True
    assert ("amount-not-number", cell) in [(f.code, f.cell) for f in check_workbook(new).errors]


_SPLIT_VIEWS = {  # name: (the cells of row 7 of a one-sheet workbook, refused by our reader)
    "twice": ('<c r="C7"><v>1</v></c>', True),
    "underscore": ('<c r="C7"><v>1_000</v></c>', True),
    "arabic-digits": ('<c r="C7"><v>\u0661\u0662\u0663</v></c>', True),
    "dollar-reference": ('<c r="$C$7"><v>7</v></c>', True),
    "lowercase-zero-padded": ('<c r="c007"><v>7</v></c>', False),
    "blanks-and-signs": ('<c r="C7"><v> +5. </v></c><c r="D7"><v>.5E1</v></c>', False),
}


@pytest.mark.office
@pytest.mark.skipif(soffice_path() is None, reason="LibreOffice (soffice) not on PATH")
def test_split_views_are_refused_or_read_as_libreoffice_reads_them(tmp_path):
    """Every shape where readers could see different workbooks (a part stored twice, numbers
    and references Python parses but the OOXML grammar does not) is either refused by our
    reader or read to exactly the values LibreOffice reads."""
    paths = []
    for name, (cells, _refused) in _SPLIT_VIEWS.items():
        parts = package_parts(sheet_xml(f'<row r="7">{cells}</row>'))
        path = write_zip(tmp_path / f"{name}.xlsx", parts)
        if name == "twice":
            with zipfile.ZipFile(path, "a") as z:
                z.writestr(
                    "XL/WORKSHEETS/SHEET1.XML", sheet_xml('<row r="7"><c r="C7"><v>9</v></c></row>')
                )
        paths.append(path)
    theirs = recalculate_libreoffice(paths, tmp_path / "lo")
    for (name, (_cells, refused)), path, converted in zip(
        _SPLIT_VIEWS.items(), paths, theirs, strict=True
    ):
        try:
            ours = read_workbook(path)
        except ReadError:
            assert refused, name
            continue
        assert not refused, name
        (ours_sheet,) = ours.sheets.values()
        (their_sheet,) = read_workbook(converted).sheets.values()
        assert ours_sheet.values == their_sheet.values and ours_sheet.values, name


_EXPLODING = {  # cell on a project sheet: (formula, what the finding says)
    "P1": ("=" + "+".join(["C7"] * 3000), "characters (Excel allows 8192)"),
    "P2": ("=" + "(" * 5000 + "1" + ")" * 5000, "characters (Excel allows 8192)"),
    "P3": ("=" + "IF(C7," * 800 + "1" + ",0)" * 800, "nested 800 levels deep"),
    "P4": ("=" + "-".join(["C7"] * 1000), "formula with 999 operators"),
    "P5": ("={" + ",".join(["1"] * 30000) + "}", "characters (Excel allows 8192)"),
}


def test_formulas_that_recurse_or_explode_are_findings_within_bounds(example_workbook, tmp_path):
    """Chains of operators, deep parentheses and IFs, huge array constants (findings at their
    cells), =SUM(A1:B1048576) in several cells and REPT("x",10^9) (evaluated as Excel does):
    check answers within the time and memory bounds, exit 1, one JSON document."""
    import json

    def typed(wb):
        sheet = wb["2 Boligbygging"]
        for cell, (formula, _reason) in _EXPLODING.items():
            sheet[cell] = formula
        for row in range(6, 11):
            sheet[f"Q{row}"] = f"=SUM(A1:B1048576)+{row}"
        sheet["Q11"] = '=LEN(REPT("x",10^9))'

    path = damage.with_openpyxl(example_workbook, tmp_path / "eksploderer.xlsx", typed)
    result = run_bounded("check", "--json", "--lang", "en", str(path), cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.peak_mb < MEMORY_BOUND_MB and "Traceback" not in result.stderr
    document = json.loads(result.stdout)
    found = {
        f["cell"]: f["found"]
        for f in document["findings"]
        if f["code"] == "unsupported-formula" and f["sheet"] == "2 Boligbygging"
    }
    for cell, (_formula, reason) in _EXPLODING.items():
        assert reason in found[cell], (cell, found.get(cell))
    assert not {f"Q{row}" for row in range(6, 12)} & set(found)


def _cli(*args: str, cwd: Path, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bygdevekst_xl", *_in_english(args)],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=60,
        **kwargs,
    )


def test_a_closed_pipe_and_a_full_disk_end_in_one_line(example_workbook, tmp_path):
    """`check … | head -1` ends quietly (no traceback, exit 141 as for SIGPIPE); standard
    output on /dev/full is one error line and exit 2."""
    files = [str(example_workbook)] * 3
    proc = subprocess.Popen(
        [sys.executable, "-m", "bygdevekst_xl", "check", *files],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )
    proc.stdout.readline()
    proc.stdout.close()  # the reader goes away, like head
    err = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.wait(timeout=60) == 141 and err == ""
    with open("/dev/full", "wb") as full:
        full_run = subprocess.run(
            [sys.executable, "-m", "bygdevekst_xl", "check", str(example_workbook)],
            cwd=tmp_path,
            stdin=subprocess.DEVNULL,
            stdout=full,
            stderr=subprocess.PIPE,
            timeout=60,
        )
    assert full_run.returncode == 2
    assert full_run.stderr.decode().splitlines() == [
        "feil: kan ikke skrive utdata: No space left on device"
    ]


def test_names_that_are_not_utf8_print_safely(example_workbook, tmp_path):
    """A Latin-1 file name (a Windows share) is checked, extracted and printed escaped, also
    under a strict UTF-8 standard output; a newline in the name stays out of the YAML."""
    latin1 = os.fsencode(tmp_path) + "/budsjett Måsøy\n.xlsx".encode("latin-1")
    with open(latin1, "wb") as handle:
        handle.write(example_workbook.read_bytes())
    env = {**os.environ, "PYTHONIOENCODING": "utf-8:strict"}
    checked = _cli("check", latin1.decode("utf-8", "surrogateescape"), cwd=tmp_path, env=env)
    assert checked.returncode == 0 and b"Traceback" not in checked.stderr
    assert b"M\\udce5s\\udcf8y" in checked.stdout
    extracted = _cli("extract", latin1.decode("utf-8", "surrogateescape"), cwd=tmp_path, env=env)
    assert extracted.returncode == 0, extracted.stderr
    first, second = extracted.stdout.decode("utf-8").splitlines()[:2]
    assert first == "# Extracted from budsjett M\\udce5s\\udcf8y .xlsx by bygdevekst_xl"
    assert second == "pilot:"


def test_version_output_suffixes_and_long_names(tmp_path):
    """--version prints the version; -o must end in .xlsx for generate (.yaml for extract);
    a 300-byte file name is one line, exit 2, nothing written."""
    from bygdevekst_xl import __version__

    version = _cli("--version", cwd=tmp_path)
    assert version.returncode == 0 and version.stdout.decode().split() == [
        "python",
        "-m",
        "bygdevekst_xl",
        __version__,
    ]
    for args, message in (
        (["generate", "-o", "budsjett.xls"], "budsjett.xls: -o must name a file ending in .xlsx"),
        (["extract", "x.xlsx", "-o", "spec.txt"], "spec.txt: -o must name a file ending in .yaml"),
        (["generate", "-o", "a" * 300 + ".xlsx"], "File name too long"),
    ):
        result = _cli(*args, cwd=tmp_path)
        assert result.returncode == 2
        [line] = result.stderr.decode().splitlines()
        assert message in line
    assert list(tmp_path.iterdir()) == []


def test_a_project_sheet_named_arkiv_with_archived_orphans_is_refused(
    example_workbook, example_dict, tmp_path, capsys
):
    """regenerate --archive-orphans into a spec whose project sheet is named 'Arkiv' (the
    sheet orphans go to) is refused in one line naming the clash, exit 2, nothing written."""
    import yaml

    example_dict["projects"].pop()  # its typed values become orphans
    example_dict["projects"][3]["sheet"] = "Arkiv"
    spec = tmp_path / "arkiv.yaml"
    spec.write_text(yaml.safe_dump(example_dict, allow_unicode=True), "utf-8")
    out = tmp_path / "ny.xlsx"
    args = ["regenerate", str(example_workbook), "--spec", str(spec), "-o", str(out)]
    assert main([*args, "--archive-orphans"]) == 2
    [line] = capsys.readouterr().err.strip().splitlines()
    assert "Arkiv" in line and not out.exists()


def _tables_too_long(wb, case: str) -> None:
    """Shape a workbook like a budget larger than any spec may give."""
    params = wb["Parametre"]
    if case == "register":
        for row in range(41, 41 + 150):  # the register ends at row 40: 150 more projects
            params[f"A{row}"], params[f"B{row}"] = row, f"p{row}"
            params[f"C{row}"], params[f"D{row}"] = f"P {row}", "2 Boligbygging"
        wb.defined_names["Prosjekter"].attr_text = "Parametre!$A$36:$E$190"
    elif case == "municipalities":
        wb.defined_names["Kommuner"].attr_text = "Parametre!$A$17:$A$8017"
        for row in range(17, 8018):
            params[f"A{row}"] = f"Kommune {row}"
    else:  # the cost table's name gone and its total label 100 000 rows down
        del wb.defined_names["Kostnader_boligbygging"]
        sheet = wb["2 Boligbygging"]
        sheet["A15"] = None
        sheet["A99990"] = "Sum kostnader"


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("register", f"has 155 rows; a budget has at most {MAX_PROJECTS}"),
        ("municipalities", f"has 8001 rows; a budget has at most {MAX_MUNICIPALITIES}"),
        ("cost rows", f"a budget has at most {MAX_COST_ROWS}"),
    ],
)
def test_tables_longer_than_any_budget_are_refused_within_bounds(
    example_workbook, tmp_path, case, message
):
    """A register of 155 projects, 8 001 municipalities, a cost table 100 000 rows long: one
    line naming the table and the limit, exit 2, within the time and memory bounds."""
    path = damage.with_openpyxl(
        example_workbook, tmp_path / "lang.xlsx", lambda wb: _tables_too_long(wb, case)
    )
    result = run_bounded("check", "--lang", "en", str(path), cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    [line] = result.stderr.strip().splitlines()
    assert message in line and str(path) in line
    assert result.peak_mb < MEMORY_BOUND_MB


_TEXT_BUILDERS = {
    "C7": 'SUBSTITUTE(SUBSTITUTE(REPT("x",30000),"x",REPT("y",30000)),"y","zz")',
    "D7": 'SUBSTITUTE(REPT("x",30000),"x",REPT("y",30000))',
    "C8": 'CONCATENATE(REPT("x",20000),REPT("x",20000))',
    "D8": 'TEXTJOIN(",",TRUE,REPT("x",20000),REPT("x",20000))',
    "C9": 'REPLACE(REPT("x",20000),1,1,REPT("x",20000))&"!"',
    "D9": 'SUBSTITUTE(REPT("ab",100),"a","cc")&DEC2BIN(1,10^9)',
}
"""Text past Excel's 32 767 characters (SUBSTITUTE's product of a long text by a long one
would be 900 million): #VALUE!, as in Excel. D9 is short, but DEC2BIN allows 10 places."""


@pytest.mark.slow
def test_text_past_excels_limit_is_value_error_within_bounds(example_workbook, tmp_path):
    """SUBSTITUTE, CONCATENATE, TEXTJOIN, REPLACE and & (evaluated through the formulas
    package) give #VALUE! past 32 767 characters without building the text, and DEC2BIN #NUM!
    past 10 places: extract reports each typed formula's value within the time and memory
    bounds; a short SUBSTITUTE evaluates."""
    import json

    def typed(wb):
        sheet = wb["2 Boligbygging"]
        for cell, text in _TEXT_BUILDERS.items():
            sheet[cell] = f"=IF(ISERROR({text}),1,LEN({text}))"
        sheet["A10"], sheet["B10"] = "Reiser", "Tekst"
        sheet["D10"] = '=LEN(SUBSTITUTE(REPT("ab",100),"a","cc"))'

    path = damage.with_openpyxl(example_workbook, tmp_path / "lang-tekst.xlsx", typed)
    result = run_bounded("extract", "--json", str(path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.peak_mb < MEMORY_BOUND_MB
    values = {f["cell"]: f["value"] for f in json.loads(result.stdout)["formulas"]}
    assert values == {
        **{f"2 Boligbygging!{cell}": 1 for cell in _TEXT_BUILDERS},
        "2 Boligbygging!D10": 300,
    }
