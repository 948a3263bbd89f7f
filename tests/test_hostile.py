"""Damaged and hostile inputs: every one gets a clear answer, within bounds, and no traceback."""

from __future__ import annotations

import os
import random
import re
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bygdevekst_xl.cli import main

TIME_BOUND = 10  # seconds a command may take on any input (a bound, not a measurement)
MEMORY_BOUND_MB = 500
FUZZ_EXAMPLES = int(os.environ.get("BYGDEVEKST_FUZZ_EXAMPLES", "60"))  # raise it to fuzz longer


def run_bounded(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the CLI in a child process; it must finish within the time bound."""
    return subprocess.run(
        [sys.executable, "-m", "bygdevekst_xl", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=TIME_BOUND,
    )


def child_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


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
    result = run_bounded("generate", str(spec), "-o", "out.xlsx", cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out.xlsx").exists()
    assert not Path("/tmp/pwned").exists()
    assert child_peak_mb() < MEMORY_BOUND_MB


def test_a_100_mb_spec_is_refused_without_reading_it(tmp_path):
    """A spec file of 100 MB is refused by its size."""
    spec = tmp_path / "big.yaml"
    with spec.open("wb") as handle:
        handle.truncate(100 * 1024 * 1024)
    result = run_bounded("generate", str(spec), "-o", "out.xlsx", cwd=tmp_path)
    assert result.returncode == 2
    assert "a spec may be at most" in result.stderr
    assert child_peak_mb() < MEMORY_BOUND_MB


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
