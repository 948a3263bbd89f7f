"""Benchmark bygdevekst_xl.evaluate on a synthetic budget-like workbook.

Run: python bench/bench_evaluate.py [ROWS_PER_SHEET] [SHEETS] [REPEATS]
Prints the number of formula cells, seconds for the first (cold) and later calls, CPU
seconds per phase, peak resident memory (ru_maxrss, so measure in a fresh process), and
whether evaluating imported formulas or numpy (it should not: every shape here is ours).
"""

from __future__ import annotations

import resource
import sys
import time


def build(rows: int, sheets: int) -> tuple[dict, dict, dict]:
    """Constants, formulas and names shaped like our generated grant budgets."""
    values: dict = {("Parametre", "B4"): 0.25}
    formulas: dict = {}
    cats = ["Lønn", "Reise", "Innkjøp", "Tjenester", "Annet"]
    for i, cat in enumerate(cats):
        values[("Parametre", f"A{12 + i}")] = cat
        values[("Parametre", f"B{12 + i}")] = 0.5 + i / 10
    names = {
        "Kategorier": "Parametre!$A$12:$A$20",
        "Kategori_KDD": "Parametre!$B$12:$B$20",
        "KDD_Tak": "Parametre!$B$4",
    }
    titles = [f"{n + 1} Økt bolig-{n}" for n in range(sheets)]
    for s, title in enumerate(titles):
        prev = titles[s - 1] if s else None
        for r in range(8, 8 + rows):
            if r % 7:
                values[(title, f"A{r}")] = cats[r % len(cats)]
            values[(title, f"C{r}")] = float(r % 13)
            if r % 5:
                values[(title, f"D{r}")] = r % 17
            f = formulas
            f[(title, f"E{r}")] = f"=SUM(C{r}:D{r})"
            f[(title, f"F{r}")] = f"='{prev}'!E{r}*KDD_Tak" if prev else f"=E{r}*Parametre!$B$4"
            f[(title, f"G{r}")] = f'=IF(A{r}="",0,SUMIF(Kategorier,A{r},Kategori_KDD)*E{r})'
            f[(title, f"H{r}")] = f"=ROUND(F{r}+G{r},0)"
            f[(title, f"I{r}")] = f'=IF(MIN(C{r}:D{r})>0,"OK","Mangler timer")'
        last = 7 + rows
        formulas[(title, f"E{last + 2}")] = f"=SUM(E8:E{last})"
        formulas[(title, f"H{last + 2}")] = f"=SUM(H8:H{last})"
    return values, formulas, names


def phases(values: dict, formulas: dict, names: dict) -> dict[str, float]:
    """Seconds (CPU) spent in each phase of one evaluate() call."""
    from bygdevekst_xl.evaluate.graph import EvaluationRun

    t = [time.process_time()]
    run = EvaluationRun(values, formulas, names)
    t.append(time.process_time())
    run.compile()
    t.append(time.process_time())
    order = run.order()
    t.append(time.process_time())
    run.calculate(order)
    t.append(time.process_time())
    labels = ("read inputs", "scan+compile", "order", "calculate")
    return {label: t[i + 1] - t[i] for i, label in enumerate(labels)}


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    sheets = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    values, formulas, names = build(rows, sheets)
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    from bygdevekst_xl.evaluate import evaluate

    t0 = time.perf_counter()
    result = evaluate(values, formulas, names)  # cold: first call, caches empty
    cold = time.perf_counter() - t0
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    warm, cpu = [], []
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        evaluate(values, formulas, names)
        warm.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    print(f"formula cells      {len(formulas):>10,}")
    print(f"constant cells     {len(values):>10,}")
    print(f"evaluate, cold     {cold:>10.2f} s (first call)")
    print(f"evaluate, warm     {min(warm):>10.2f} s wall, {min(cpu):.2f} s CPU (best of {repeats})")
    for label, secs in phases(values, formulas, names).items():
        print(f"  {label:<16} {secs:>10.2f} s CPU")
    print(f"peak RSS           {rss1:>10.0f} MB (inputs built: {rss0:.0f} MB)")
    print(f"circular/unsupp.   {len(result.circular)} / {len(result.unsupported)}")
    imported = [m for m in ("formulas", "numpy") if m in sys.modules]
    print(f"imported           {', '.join(imported) or 'neither formulas nor numpy'}")


if __name__ == "__main__":
    main()
