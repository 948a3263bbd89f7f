"""Speed work must not change what any command says: record the outputs, then compare.

``record OUT.jsonl FOLDER [--ref WORKBOOK]`` runs, in this process through ``cli.main``, for
every .xlsx under FOLDER (up to 3 MB): ``check --json``, ``check --lang en``, ``extract -o
-``, ``regenerate --json`` (with the sha256 of the workbook it writes) and, with ``--ref``,
``diff --json REF FILE``; one JSON line per file and command (exit code, standard output,
standard error).
``compare A.jsonl B.jsonl`` lists every difference and exits 1 when there is one; the names
of temporary folders in messages are masked.

A corpus worth the name is the workbooks the test suite makes (damaged, hostile, fuzzed,
edited through LibreOffice, re-saved by Gnumeric)::

    .venv/bin/python -m pytest -p no:cacheprovider --basetemp=/tmp/corpus/run
    cp -r /tmp/corpus/run /tmp/corpus/files  # the next pytest run empties its basetemp
    .venv/bin/python bench/bench_same_outputs.py record before.jsonl /tmp/corpus/files
    # ... change the code ...
    .venv/bin/python bench/bench_same_outputs.py record after.jsonl /tmp/corpus/files
    .venv/bin/python bench/bench_same_outputs.py compare before.jsonl after.jsonl
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import re
import sys
import tempfile
import warnings
from pathlib import Path
from typing import Any

_TEMPORARY = re.compile(r"/tmp/bygdevekst-[A-Za-z0-9_]+")
MAX_BYTES = 3_000_000  # the few larger workbooks of the suite time limits, not outputs


def run(argv: list[str]) -> list[Any]:
    """[exit code, standard output, standard error] of one command, in this process."""
    from bygdevekst_xl.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code: Any = main(argv)
        except SystemExit as exc:
            code = exc.code
        except Exception as exc:  # a crash is an output too: recorded, compared
            code = f"crash {type(exc).__name__}: {exc}"
    return [code, out.getvalue(), err.getvalue()]


def record(out: Path, folder: Path, ref: Path | None) -> int:
    """Every command's output for every workbook in ``folder``, as JSON lines in ``out``."""
    warnings.simplefilter("ignore", SyntaxWarning)  # third-party modules compiled afresh
    files = sorted(
        p for p in folder.rglob("*.xlsx") if p.is_file() and p.stat().st_size <= MAX_BYTES
    )
    with tempfile.TemporaryDirectory() as work, out.open("w", encoding="utf-8") as lines:
        written = Path(work) / "regenerated.xlsx"
        for file in files:
            name = str(file)
            outputs = {
                "check": run(["check", "--json", name]),
                "check-en": run(["check", "--lang", "en", name]),
                "extract": run(["extract", name, "-o", "-"]),
            }
            if ref is not None:
                outputs["diff"] = run(["diff", "--json", str(ref), name])
            written.unlink(missing_ok=True)
            regenerated = run(["regenerate", name, "-o", str(written), "--json"])
            regenerated = [str(part).replace(str(written), "OUT") for part in regenerated]
            data = written.read_bytes() if written.exists() else b""
            outputs["regenerate"] = [*regenerated, hashlib.sha256(data).hexdigest()]
            for command, result in outputs.items():
                row = {"file": name, "command": command, "output": result}
                lines.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
    print(f"{len(files)} workbooks recorded in {out}")
    return 0


def _read(path: Path) -> dict[tuple[str, str], Any]:
    rows = (json.loads(line) for line in path.open(encoding="utf-8"))
    return {
        (row["file"], row["command"]): json.loads(_TEMPORARY.sub("TMP", json.dumps(row["output"])))
        for row in rows
    }


def compare(before: Path, after: Path) -> int:
    """Every (file, command) whose output differs, or is missing, in ``after``."""
    old, new = _read(before), _read(after)
    differ = 0
    for key, output in old.items():
        if new.get(key) == output:
            continue
        differ += 1
        print(f"differs: {key[0]} ({key[1]})")
        now_output = new.get(key) or [None] * len(output)
        for part, (was, now) in enumerate(zip(output, now_output, strict=False)):
            if was != now:
                was_text, now_text = str(was), str(now)
                at = next(
                    (i for i, (a, b) in enumerate(zip(was_text, now_text, strict=False)) if a != b),
                    min(len(was_text), len(now_text)),
                )
                start = max(at - 80, 0)
                print(f"  part {part} before: {was_text[start : at + 160]!r}")
                print(f"  part {part} after:  {now_text[start : at + 160]!r}")
    print(f"{len(old)} compared, {differ} differ")
    return 1 if differ else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    recording = commands.add_parser("record", help="record every command's output")
    recording.add_argument("out", type=Path)
    recording.add_argument("folder", type=Path)
    recording.add_argument("--ref", type=Path, help="diff every workbook against this one")
    comparing = commands.add_parser("compare", help="compare two recordings")
    comparing.add_argument("before", type=Path)
    comparing.add_argument("after", type=Path)
    args = parser.parse_args(argv)
    if args.command == "record":
        return record(args.out, args.folder, args.ref)
    return compare(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
