"""The printed table, the machine notes and the PASS/FAIL targets of bench/bench.py."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import platform
import subprocess
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
GROWTH_SLACK = 1.2


def machine() -> dict[str, Any]:
    """nproc, CPU model, total memory, Python version, and the commit measured."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in _lines("/proc/cpuinfo")
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem_kb = next(
        (int(line.split()[1]) for line in _lines("/proc/meminfo") if line.startswith("MemTotal")), 0
    )
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": round(mem_kb / 1024**2, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_avg_1m": os.getloadavg()[0],
        "commit": _git("rev-parse", "--short", "HEAD"),
        "dirty": bool(_git("status", "--porcelain")),
        "when": dt.datetime.now().isoformat(timespec="seconds"),
    }


def _lines(path: str) -> list[str]:
    with contextlib.suppress(OSError):
        return Path(path).read_text().splitlines()
    return []


def _git(*args: str) -> str:
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        return subprocess.run(
            ["git", *args], cwd=REPO, capture_output=True, text=True, timeout=30
        ).stdout.strip()
    return ""


def _secs(result: dict[str, Any], timeout: float) -> str:
    if result["seconds"] is None:
        return f"> {timeout:g} s" if result["exit_code"] == -9 else "failed"
    return f"{result['seconds']:.2f}"


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}" if a and b else "–"


def _parts_text(parts: dict[str, float]) -> str:
    return ", ".join(
        f"{k} {v:.2f}" if k.endswith("_s") else f"{k} {v:,.0f}" for k, v in parts.items()
    )


def print_table(record: dict[str, Any], args: argparse.Namespace) -> None:
    """One table: size × tool -> seconds, CPU s, peak MB, check ÷ tool (time, memory), parts."""
    m = record["machine"]
    print(
        f"\nMachine: {m['nproc']} CPUs ({m['cpu']}), {m['memory_gb']} GB RAM, "
        f"Python {m['python']}, {m['platform']}; commit {m['commit']}"
        f"{' (dirty)' if m['dirty'] else ''}; {m['when']}; load (1 min) at start "
        f"{m['load_avg_1m']:.2f}"
    )
    print(
        f"Median of {args.runs} fresh processes (formulas: {args.formulas_runs}); seconds = "
        "wall, CPU = user+sys; peak MB = largest single-process RSS;\n"
        "ratio = check ÷ tool (< 1: check is cheaper); parts are timed inside the worker\n"
    )
    head = (
        f"{'size':<4} {'tool':<12} {'seconds':>9} {'CPU s':>7} {'peak MB':>8} "
        f"{'t ratio':>8} {'MB ratio':>8}"
    )
    print(head + "  parts / notes")
    print("-" * (len(head) + 50))
    for size in record["sizes"]:
        print(
            f"{size['size']:<4} formula cells {size['formula_cells']:,}, {size['sheets']} "
            f"sheets, {size['bytes'] / 1e6:.1f} MB file; load after "
            f"{size['load_avg_1m_after']:.2f}"
        )
        for tool, result in size["results"].items():
            print(_row(tool, result, size["results"]["check"], args))


def _row(tool: str, r: dict[str, Any], chk: dict[str, Any], args: argparse.Namespace) -> str:
    timeout = args.formulas_timeout if tool == "formulas" else args.timeout
    mb = f"{r['peak_mb']:.0f}" if r["peak_mb"] else "–"
    cpu = f"{r['cpu_seconds']:.2f}" if r["cpu_seconds"] else "–"
    ours = tool in ("check", "generate")
    ratio_t = "" if ours else _ratio(chk["seconds"], r["seconds"])
    ratio_m = "" if ours else _ratio(chk["peak_mb"], r["peak_mb"])
    extra = _parts_text(r["parts"]) + (f"exit {r['exit_code']}" if tool == "check" else "")
    note = f"  {r['note']}" if r["note"] else ""
    return (
        f"{'':<4} {tool:<12} {_secs(r, timeout):>9} {cpu:>7} {mb:>8} {ratio_t:>8} "
        f"{ratio_m:>8}  {extra}{note}"
    )


def targets(record: dict[str, Any]) -> list[tuple[str, bool | None, str]]:
    """Each target: (name, PASS/FAIL or None when not measured, the figures)."""
    by = {s["size"]: s for s in record["sizes"]}
    out: list[tuple[str, bool | None, str]] = []

    def sec(size: str, tool: str) -> float | None:
        return by[size]["results"][tool]["seconds"] if size in by else None

    for size in ("S", "M", "L"):
        for ref in ("libreoffice", "gnumeric"):
            if size in by and ref in by[size]["results"]:
                out.append(faster(size, ref, by[size]["results"]))
    for tool, limit in (("check", 0.5), ("generate", 0.3)):
        s = sec("S", tool)
        out.append(
            (
                f"S: {tool} <= {limit} s",
                None if s is None else s <= limit,
                "not measured" if s is None else f"{s:.2f} s",
            )
        )
    mb = by["L"]["results"]["check"]["peak_mb"] if "L" in by else None
    out.append(
        (
            "L: check peak memory <= 500 MB",
            None if mb is None else mb <= 500,
            "not measured" if mb is None else f"{mb:.0f} MB",
        )
    )
    out.extend(growth(by))
    return out


def faster(size: str, ref: str, res: dict[str, Any]) -> tuple[str, bool | None, str]:
    """check vs a reference's whole worker process; also vs its recalc + read-back parts only."""
    c, r = res["check"]["seconds"], res[ref]
    name = f"{size}: check faster than {ref} (+ read-back)"
    if c is None or (r["seconds"] is None and r["exit_code"] != -9):
        return name, None, f"check {c} s, {ref} {r['note'] or 'failed'}"
    if r["seconds"] is None:
        return name, True, f"check {c:.2f} s vs {ref} killed at the timeout"
    core = r["parts"].get("recalc_s", 0.0) + r["parts"].get("read_s", 0.0)
    strict = "PASS" if c < core else "FAIL"
    return (
        name,
        c < r["seconds"],
        (f"check {c:.2f} s vs {r['seconds']:.2f} s (recalc+read alone {core:.2f} s: {strict})"),
    )


def growth(by: dict[str, Any]) -> list[tuple[str, bool | None, str]]:
    """M -> L: time and memory ratios of check and generate vs 1.2 x the formula-cell ratio."""
    if "M" not in by or "L" not in by:
        return [("M->L growth no worse than linear", None, "needs M and L")]
    cells = by["L"]["formula_cells"] / by["M"]["formula_cells"]
    out: list[tuple[str, bool | None, str]] = []
    for tool in ("check", "generate"):
        for key, label in (("seconds", "time"), ("peak_mb", "memory")):
            m, big = by["M"]["results"][tool][key], by["L"]["results"][tool][key]
            ratio = big / m if m and big else None
            ok = None if ratio is None else ratio <= GROWTH_SLACK * cells
            out.append(
                (
                    f"M->L {tool} {label} ratio <= {GROWTH_SLACK} x cells ratio",
                    ok,
                    f"{ratio and round(ratio, 2)} vs {GROWTH_SLACK} x {cells:.2f}",
                )
            )
    return out


def print_targets(found: list[tuple[str, bool | None, str]]) -> None:
    print("\nTargets")
    for name, ok, figures in found:
        verdict = "n/a " if ok is None else ("PASS" if ok else "FAIL")
        print(f"  {verdict}  {name:<52} {figures}")
