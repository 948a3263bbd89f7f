"""Measure ``generate`` and ``check`` against reference spreadsheet engines, at three sizes.

Run from the repository root::

    python bench/bench.py [--sizes S,M,L] [--runs 3] [--json bench/results.json]
                          [--formulas-runs 1] [--formulas-timeout 300] [--workdir DIR]
                          [--pairs 7] [--skip libreoffice,formulas]

Sizes: S = the built-in Hjerteregionen example as is; M = 25 projects x 50 cost lines;
L = 50 projects x 100 cost lines (the schema's maximum counts). Every synthetic project is
balanced per year (KDD + Statsforvalteren = cash costs, in-kind hours on both sides), KDD never
exceeds the costs KDD may finance, and KDD in total stays under the built-in cap, so ``check``
runs with its default rules and should exit 0.

For each size it times, as the median of ``--runs`` fresh processes (interpreter start included):
``python -m bygdevekst_xl generate SPEC -o OUT --force`` and ``python -m bygdevekst_xl check OUT``;
and on the same workbook the references: IronCalc (load, evaluate, read every cell), LibreOffice
headless forced to recalculate + openpyxl read-back, Gnumeric ``ssconvert --recalc`` + read-back,
and the ``formulas`` library (``ExcelModel().loads().finish()`` + ``calculate()``, killed after
``--formulas-timeout`` s); ``--skip`` leaves references out. Then, per size, the paired CPU
ratios of ``bench_paired.py`` (``--pairs`` pairs each: check ÷ IronCalc, check ÷ Gnumeric's
bare recalc, generate ÷ the xlsxwriter floor, diff ÷ check), and once the start-up (CPU of
``check --help`` and its ``-X importtime``): the figures to compare across commits and hosts.
Peak memory is the largest resident set of any single process of the run (``ru_maxrss``).
Children run with bytecode cached under the work folder (``PYTHONPYCACHEPREFIX``) after one
untimed warm-up, as on a user's install; ``--no-pycache`` runs them with the environment as is.
It prints one table, the machine, PASS/FAIL per target, and writes the same as JSON.
No figure here is asserted anywhere: the targets are printed, never enforced.
Specs: ``bench_specs.py``; table and targets: ``bench_report.py``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench_paired import paired, paired_targets, print_paired, startup
from bench_report import machine, print_table, print_targets, targets
from bench_specs import SIZES, workbook_shape, write_spec

REFERENCES = ("ironcalc", "libreoffice", "gnumeric", "formulas")


# --------------------------------------------------------------------------- measurements


@dataclass
class Run:
    """One fresh process: wall and CPU seconds, peak resident MB, exit code, parts timed inside."""

    seconds: float
    peak_mb: float
    exit_code: int
    cpu_seconds: float = 0.0
    parts: dict[str, float] = field(default_factory=dict)
    output: str = ""
    timed_out: bool = False


@dataclass
class Result:
    """The median of several runs of one tool at one size."""

    tool: str
    seconds: float | None
    peak_mb: float | None
    exit_code: int
    runs: int
    cpu_seconds: float | None = None
    parts: dict[str, float] = field(default_factory=dict)
    all_seconds: list[float] = field(default_factory=list)
    note: str = ""


def _group_peak_mb(pgid: int) -> float:
    """The largest VmHWM (peak RSS) of the live processes in a process group, in MB."""
    peak = 0.0
    for status in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = status.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) != pgid:
                continue
            text = (status.parent / "status").read_text()
            match = re.search(r"VmHWM:\s+(\d+) kB", text)
            if match:
                peak = max(peak, int(match.group(1)) / 1024)
    return peak


def _wrapped(cmd: list[str], stats: Path) -> list[str]:
    """*cmd* under a Python rusage shim writing wall s, max RSS kB, user and sys CPU s of the
    child into *stats* (GNU time's ``%U %S`` have 10 ms steps: too coarse for a paired ratio)."""
    shim = (
        "import resource,subprocess,sys,time;t=time.perf_counter();"
        "r=subprocess.call(sys.argv[2:]);w=time.perf_counter()-t;"
        "u=resource.getrusage(resource.RUSAGE_CHILDREN);"
        "open(sys.argv[1],'w').write(f'{w:.3f} {u.ru_maxrss} {u.ru_utime} {u.ru_stime}');"
        "sys.exit(r)"
    )
    return [sys.executable, "-c", shim, str(stats), *cmd]


def _read_stats(stats: Path, fallback_seconds: float) -> tuple[float, float, float]:
    """(wall s, peak MB, CPU s) from the stats file (its last line)."""
    with contextlib.suppress(OSError, IndexError, ValueError):
        seconds, kb, user, system = stats.read_text().strip().splitlines()[-1].split()
        return float(seconds), int(kb) / 1024, float(user) + float(system)
    return fallback_seconds, 0.0, 0.0


def child_env(folder: Path, pycache: bool) -> dict[str, str]:
    """The children's environment: bytecode cached in a private folder, as a user's install has.

    (``PYTHONDONTWRITEBYTECODE`` would make every run recompile the package from source; the
    private ``PYTHONPYCACHEPREFIX`` keeps the repository untouched.) ``pycache=False``: as is.
    """
    env = dict(os.environ)
    if pycache:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    return env


ENV: dict[str, str] = dict(os.environ)


def measure(cmd: list[str], *, timeout: float, cwd: Path) -> Run:
    """Run *cmd* in a fresh session; wall time and peak RSS; kill its group after *timeout*."""
    stats = cwd / f".stats-{os.getpid()}-{time.monotonic_ns()}"
    start = time.perf_counter()
    proc = subprocess.Popen(
        _wrapped(cmd, stats),
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        errors="replace",
        start_new_session=True,
        env=ENV,
    )
    try:
        output, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        peak = _group_peak_mb(proc.pid)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        stats.unlink(missing_ok=True)
        return Run(time.perf_counter() - start, peak, -9, timed_out=True)
    seconds, peak, cpu = _read_stats(stats, time.perf_counter() - start)
    stats.unlink(missing_ok=True)
    return Run(seconds, peak, proc.returncode, cpu, _parts(output), output)


def _parts(output: str) -> dict[str, float]:
    """Timings a worker printed as its last line: ``BENCH-PARTS {json}``."""
    for line in reversed(output.splitlines()):
        if line.startswith("BENCH-PARTS "):
            return json.loads(line.removeprefix("BENCH-PARTS "))
    return {}


def summarise(tool: str, runs: list[Run]) -> Result:
    """Median seconds and memory of the runs; a timed-out run makes the result "> timeout"."""
    if any(r.timed_out for r in runs):
        peak = max(r.peak_mb for r in runs) or None
        return Result(tool, None, peak, -9, len(runs), note="killed at timeout")
    parts = {k: statistics.median(r.parts.get(k, 0.0) for r in runs) for k in runs[0].parts}
    worst = max((r.exit_code for r in runs), key=abs)
    return Result(
        tool,
        statistics.median(r.seconds for r in runs),
        statistics.median(r.peak_mb for r in runs),
        worst,
        len(runs),
        statistics.median(r.cpu_seconds for r in runs),
        parts,
        [r.seconds for r in runs],
    )


# --------------------------------------------------------------------------- reference workers


def _recalc_and_read(recalc: Callable[[], Path]) -> dict[str, float]:
    """Time a recalculation (a client run as a child) and the openpyxl read-back of its output."""
    from bygdevekst_xl import office

    start = time.perf_counter()
    target = recalc()
    recalculated = time.perf_counter()
    client_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    cells = len(office.read_values(target))
    return {
        "recalc_s": recalculated - start,
        "read_s": time.perf_counter() - recalculated,
        "recalc_mb": client_mb,
        "cells_read": cells,
    }


def _worker_libreoffice(source: Path, out: Path) -> dict[str, float]:
    from bygdevekst_xl import office

    return _recalc_and_read(lambda: office.recalculate_libreoffice([source], out, timeout=3600)[0])


def _worker_gnumeric(source: Path, out: Path) -> dict[str, float]:
    from bygdevekst_xl import office

    target = out / f"{source.stem}.gnumeric.xlsx"
    return _recalc_and_read(lambda: office.recalculate_gnumeric(source, target, timeout=3600))


def _worker_ironcalc(source: Path, out: Path) -> dict[str, float]:
    import ironcalc

    start = time.perf_counter()
    model = ironcalc.load_from_xlsx(str(source), "en", "UTC")
    loaded = time.perf_counter()
    model.evaluate()
    evaluated = time.perf_counter()
    cells = [model.get_cell_value(*cell) for cell in model.get_all_cells()]
    return {
        "load_s": loaded - start,
        "evaluate_s": evaluated - loaded,
        "read_s": time.perf_counter() - evaluated,
        "cells_read": len(cells),
    }


def _worker_formulas(source: Path, out: Path) -> dict[str, float]:
    import formulas

    start = time.perf_counter()
    model = formulas.ExcelModel().loads(str(source)).finish()
    loaded = time.perf_counter()
    solution = model.calculate()
    return {
        "load_s": loaded - start,
        "calculate_s": time.perf_counter() - loaded,
        "solution_nodes": len(solution),
    }


WORKERS = {
    "ironcalc": _worker_ironcalc,
    "libreoffice": _worker_libreoffice,
    "gnumeric": _worker_gnumeric,
    "formulas": _worker_formulas,
}


def run_worker(tool: str, source: Path, out: Path) -> int:
    """Run one reference in this (fresh) process; print its part timings for the parent."""
    out.mkdir(parents=True, exist_ok=True)
    parts = WORKERS[tool](source, out)
    print("BENCH-PARTS " + json.dumps(parts))
    return 0


# --------------------------------------------------------------------------- one size


def bench_cli(spec: Path, book: Path, runs: int, timeout: float) -> list[Result]:
    """Median generate and check runs (the output is removed before each generate)."""
    py = [sys.executable, "-m", "bygdevekst_xl"]
    gen, chk = [], []
    for _ in range(runs):
        book.unlink(missing_ok=True)
        gen.append(
            measure(
                [*py, "generate", str(spec), "-o", str(book), "--force"],
                timeout=timeout,
                cwd=book.parent,
            )
        )
        if gen[-1].exit_code != 0:
            print(f"!! generate failed for {spec}:\n{gen[-1].output}")
            failed = summarise("generate", gen)
            failed.note = f"exit {gen[-1].exit_code}: {gen[-1].output.strip()[:200]}"
            return [failed]
    for _ in range(runs):
        chk.append(measure([*py, "check", str(book)], timeout=timeout, cwd=book.parent))
    check = summarise("check", chk)
    if check.exit_code != 0:
        head = "\n".join((chk[-1].output.strip() or "(no output)").splitlines()[:25])
        check.note = f"exit {check.exit_code}: " + " | ".join(head.splitlines()[:4])[:300]
        print(f"!! check exited {check.exit_code} on {book}; first lines:\n{head}\n")
    return [summarise("generate", gen), check]


def bench_reference(tool: str, book: Path, runs: int, timeout: float) -> Result:
    """Median of *runs* fresh worker processes; stop early once a run hits the timeout."""
    done: list[Run] = []
    for i in range(runs):
        out = book.parent / f"{tool}-{i}"
        cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", tool, str(book), str(out)]
        done.append(measure(cmd, timeout=timeout, cwd=book.parent))
        shutil.rmtree(out, ignore_errors=True)
        if done[-1].timed_out:
            break
        if done[-1].exit_code != 0:
            tail = "\n".join(done[-1].output.splitlines()[-5:])
            return Result(tool, None, None, done[-1].exit_code, i + 1, note=f"failed: {tail}")
    return summarise(tool, done)


def warm_up(folder: Path) -> None:
    """Generate and check the example once, untimed: fills the bytecode and file caches."""
    from bygdevekst_xl.spec import example_path

    book = folder / "warm-up.xlsx"
    py = [sys.executable, "-m", "bygdevekst_xl"]
    measure(
        [*py, "generate", str(example_path()), "-o", str(book), "--force"], timeout=600, cwd=folder
    )
    measure([*py, "check", str(book)], timeout=600, cwd=folder)
    book.unlink(missing_ok=True)


def bench_size(size: str, folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Every tool at one size; returns the JSON-able record."""
    spec = write_spec(size, folder)
    book = folder / f"budget-{size}.xlsx"
    print(
        f"[{size}] spec {spec.name}: timing generate and check ({args.runs} runs each)…", flush=True
    )
    results = bench_cli(spec, book, args.runs, args.timeout)
    if len(results) == 1:  # generate failed: nothing to check or recalculate
        return {
            "size": size,
            "shape": SIZES[size],
            "formula_cells": 0,
            "sheets": 0,
            "bytes": 0,
            "results": {r.tool: asdict(r) for r in results},
        }
    shape = workbook_shape(book)
    for tool in REFERENCES:
        if tool in args.skip:
            continue
        print(f"[{size}] {tool}…", flush=True)
        runs = args.formulas_runs if tool == "formulas" else args.runs
        timeout = args.formulas_timeout if tool == "formulas" else args.timeout
        results.append(bench_reference(tool, book, runs, timeout))
    pairs = (
        paired(
            size,
            spec,
            book,
            args.pairs,
            lambda cmd, cwd: measure(cmd, timeout=args.timeout, cwd=cwd),
        )
        if args.pairs
        else {}
    )
    return {
        "size": size,
        "shape": SIZES[size],
        **shape,
        "load_avg_1m_after": os.getloadavg()[0],
        "results": {r.tool: asdict(r) for r in results},
        "paired": pairs,
    }


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="S,M,L", help="comma-separated of S, M, L")
    parser.add_argument("--runs", type=int, default=3, help="runs per tool (median; default 3)")
    parser.add_argument(
        "--formulas-runs",
        type=int,
        default=1,
        help="runs of the formulas library (default 1; it is slow)",
    )
    parser.add_argument("--formulas-timeout", type=float, default=300)
    parser.add_argument(
        "--pairs",
        type=int,
        default=7,
        help="paired CPU runs per ratio (check ÷ ironcalc, check ÷ gnumeric, generate ÷ floor, "
        "diff ÷ check) and start-up runs; 0: none (default 7)",
    )
    parser.add_argument(
        "--skip",
        default="",
        help="comma-separated references left out of the median table (e.g. libreoffice,formulas)",
    )
    parser.add_argument("--timeout", type=float, default=1800, help="per run, other tools")
    parser.add_argument("--json", type=Path, help="write the results here as JSON")
    parser.add_argument(
        "--workdir", type=Path, help="keep specs and workbooks here (default: a temp dir, removed)"
    )
    parser.add_argument(
        "--no-pycache",
        action="store_true",
        help="run children with the environment as is (no bytecode cache "
        "when PYTHONDONTWRITEBYTECODE is set), and no warm-up run",
    )
    parser.add_argument(
        "--worker", nargs=3, metavar=("TOOL", "XLSX", "OUT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    args.sizes = [s.strip().upper() for s in args.sizes.split(",") if s.strip()]
    args.skip = {s.strip().lower() for s in args.skip.split(",") if s.strip()}
    unknown = set(args.sizes) - set(SIZES)
    if unknown:
        parser.error(f"unknown size(s): {', '.join(sorted(unknown))}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.worker:
        tool, source, out = args.worker
        return run_worker(tool, Path(source), Path(out))
    folder = args.workdir or Path(tempfile.mkdtemp(prefix="bygdevekst-bench-"))
    folder = folder.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    ENV.clear()
    ENV.update(child_env(folder, not args.no_pycache))
    try:
        if not args.no_pycache:
            warm_up(folder)
        record = {
            "machine": machine(),
            "runs": args.runs,
            "pycache": not args.no_pycache,
            "sizes": [bench_size(size, folder, args) for size in args.sizes],
        }
        if args.pairs:
            run = lambda cmd, cwd: measure(cmd, timeout=args.timeout, cwd=cwd)  # noqa: E731
            record["startup"] = startup(args.pairs, folder, run, ENV)
    finally:
        if args.workdir is None:
            shutil.rmtree(folder, ignore_errors=True)
    found = targets(record) + paired_targets(record)
    record["targets"] = [{"target": n, "pass": ok, "figures": f} for n, ok, f in found]
    print_table(record, args)
    print_paired(record)
    print_targets(found)
    if args.json:
        args.json.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", "utf-8")
        print(f"\nWrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
