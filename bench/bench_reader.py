"""Time ``read_workbook`` against openpyxl on a workbook of about 100 000 formula cells.

Run from the repository root: ``python bench/bench_reader.py [formula_cells] [repeats]``.
Prints the best of ``repeats`` runs (wall time) of ``read_workbook`` (fast path, then forced
onto the general expat path) and of openpyxl's full load, and the peak memory tracemalloc sees
during one run of each. ``read_workbook`` gives formulas and cached values in one read;
openpyxl needs both loads for that. Nothing here is asserted.
"""

from __future__ import annotations

import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import openpyxl
import xlsxwriter

from bygdevekst_xl.xlsx import Limits, read_workbook


def build(path: Path, formulas: int) -> None:
    """Rows of two inputs and two formulas (one shared-looking, one absolute), cached values."""
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Budsjett 2025")
    rows = formulas // 2
    for r in range(rows):
        sheet.write_number(r, 0, r)
        sheet.write_number(r, 1, 2 * r)
        sheet.write_formula(r, 2, f"=A{r + 1}+B{r + 1}", None, 3 * r)
        sheet.write_formula(r, 3, f"=SUM($A$1:A{r + 1})*2", None, r * (r + 1))
    workbook.close()


def best(run: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def peak(run: Callable[[], object]) -> float:
    tracemalloc.start()
    run()
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return top / 2**20


def main() -> None:
    formulas = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.xlsx"
        build(path, formulas)
        print(f"{formulas} formula cells + {formulas} numbers, {path.stat().st_size // 1024} KiB")

        runs = {
            "read_workbook": lambda: read_workbook(path),
            "read_workbook (general expat path only)": lambda: read_workbook(
                path, limits=Limits(fast_part_bytes=-1)
            ),
            "openpyxl load_workbook": lambda: openpyxl.load_workbook(path),
            "openpyxl load_workbook(data_only=True)": lambda: openpyxl.load_workbook(
                path, data_only=True
            ),
        }
        seconds = {name: best(run, repeats) for name, run in runs.items()}
        for name, run in runs.items():
            print(f"{name:40} {seconds[name]:6.2f} s   peak {peak(run):6.0f} MiB (tracemalloc)")
        ratio = seconds["openpyxl load_workbook"] / seconds["read_workbook"]
        print(f"read_workbook is {ratio:.1f}x faster than openpyxl's full load")


if __name__ == "__main__":
    main()
