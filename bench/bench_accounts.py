"""Lines per second and peak memory of reading and classifying ledgers (CSV and SAF-T).

Run from the repository root: ``python bench/bench_accounts.py [lines] [pilot_share]``
(default 1 000 000 lines, 2 % of them the pilot's). Each format is written to a temporary
file, then read, classified and turned into the report in a fresh process, whose wall time and
peak resident memory (``ru_maxrss``) are printed, with the CPU time (the machine may be
shared). Memory should stay flat in the number of
lines: only the pilot's lines are kept. Nothing here is asserted; tests never time.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

NS = "urn:StandardAuditFile-Taxation-Financial:NO"
CODES = ["212500", "212501", "212502", "212503", "212504"]
ACCOUNTS = ["10100", "11500", "11600", "12700", "14290", "17000", "11200", "13700"]


def write_csv(path: Path, lines: int, pilot_every: int) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        out.write("Bilag;Linje;Dato;Art;Ansvar;Funksjon;Prosjekt;Beløp;Tekst\r\n")
        for n in range(lines):
            project = CODES[n % 5] if n % pilot_every == 0 else ("777777" if n % 3 else "")
            day = dt.date(2024, 1, 1) + dt.timedelta(days=n % 700)
            ore = (n * 7919) % 10_000_000 - 2_000_000
            kr, rest = divmod(abs(ore), 100)
            amount = f"{'-' if ore < 0 else ''}{f'{kr:,}'.replace(',', ' ')},{rest:02d}"
            out.write(
                f"{n // 3};{n % 3 + 1};{day.strftime('%d.%m.%Y')};{ACCOUNTS[n % 8]};1200;3250;"
                f"{project};{amount};Faktura {n}\r\n"
            )


def write_saft(path: Path, lines: int, pilot_every: int) -> None:
    with open(path, "w", encoding="utf-8") as out:
        out.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<n1:AuditFile xmlns:n1="{NS}">\n')
        out.write("<n1:Header><n1:AuditFileVersion>1.30</n1:AuditFileVersion></n1:Header>\n")
        out.write("<n1:GeneralLedgerEntries><n1:Journal><n1:JournalID>GL</n1:JournalID>\n")
        for n in range(lines):
            project = CODES[n % 5] if n % pilot_every == 0 else ("777777" if n % 3 else "")
            day = dt.date(2024, 1, 1) + dt.timedelta(days=n % 700)
            ore = (n * 7919) % 10_000_000 - 2_000_000
            side = "DebitAmount" if ore >= 0 else "CreditAmount"
            analysis = (
                f"<n1:Analysis><n1:AnalysisType>P</n1:AnalysisType><n1:AnalysisID>{project}"
                "</n1:AnalysisID></n1:Analysis>"
                if project
                else ""
            )
            out.write(  # indented like the public example files
                f"\t\t<n1:Transaction>\n\t\t\t<n1:TransactionID>{n}</n1:TransactionID>\n"
                f"\t\t\t<n1:TransactionDate>{day.isoformat()}</n1:TransactionDate>\n"
                f"\t\t\t<n1:Line>\n\t\t\t\t<n1:RecordID>1</n1:RecordID>\n"
                f"\t\t\t\t<n1:AccountID>{ACCOUNTS[n % 8]}</n1:AccountID>\n"
                f"\t\t\t\t{analysis}\n\t\t\t\t<n1:Description>Faktura {n}</n1:Description>\n"
                f"\t\t\t\t<n1:{side}>\n\t\t\t\t\t<n1:Amount>{abs(ore) // 100}.{abs(ore) % 100:02d}"
                f"</n1:Amount>\n\t\t\t\t</n1:{side}>\n\t\t\t</n1:Line>\n\t\t</n1:Transaction>\n"
            )
        out.write("</n1:Journal></n1:GeneralLedgerEntries></n1:AuditFile>\n")


def measure(ledger: str) -> None:
    """In this (fresh) process: read, classify and report one ledger; print JSON."""
    from bygdevekst_xl.accounts import read_ledgers
    from bygdevekst_xl.accounts.classify import Classifier
    from bygdevekst_xl.accounts.ledger import DEFAULT_LIMITS
    from bygdevekst_xl.accounts.mapping import map_from_dict
    from bygdevekst_xl.accounts.report import build_report, grant_period
    from bygdevekst_xl.spec import example_path, load_spec

    budget = load_spec(example_path())
    mapping = map_from_dict(
        {
            "columns": {
                "voucher": "Bilag",
                "line": "Linje",
                "date": "Dato",
                "account": "Art",
                "project": "Prosjekt",
                "amount": "Beløp",
            },
            "projects": dict(zip(CODES, [p.id for p in budget.projects], strict=True)),
            "categories": {
                "101*": "prosjektledelse",
                "115*": "kurs",
                "116*": "reiser",
                "127*": "utredninger",
                "112*": "arbeidsgrupper",
            },
            "income": {"170*": "kdd"},
        },
        budget,
    )
    start, cpu = time.perf_counter(), time.process_time()
    classifier = Classifier(mapping, grant_period(budget))
    infos = read_ledgers([Path(ledger)], mapping, classifier, DEFAULT_LIMITS)
    report = build_report(budget, mapping, classifier.result, infos, [])
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    counts = report.classified.counts()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux -> MB
    print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mb": peak, "counts": counts}))


def main() -> None:
    lines = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    share = float(sys.argv[2]) if len(sys.argv) > 2 else 0.02
    pilot_every = max(1, round(1 / share))
    with tempfile.TemporaryDirectory() as folder:
        for kind, writer, name in (("CSV", write_csv, "hb.csv"), ("SAF-T", write_saft, "saft.xml")):
            path = Path(folder) / name
            writer(path, lines, pilot_every)
            size = path.stat().st_size / 1e6
            env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
            done = subprocess.run(
                [sys.executable, __file__, "--measure", str(path)],
                capture_output=True,
                text=True,
                check=True,
                env=env,
            )
            result = json.loads(done.stdout)
            seconds, counts = result["seconds"], result["counts"]
            pilot = lines - counts["outside"]
            print(
                f"{kind:6} {lines:>9,} lines ({size:,.0f} MB, {pilot:,} the pilot's): "
                f"{seconds:6.1f} s ({result['cpu']:.1f} s CPU), {lines / seconds:>9,.0f} lines/s, "
                f"peak {result['peak_mb']:,.0f} MB"
            )
            path.unlink()


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--measure":
        measure(sys.argv[2])
    else:
        main()
