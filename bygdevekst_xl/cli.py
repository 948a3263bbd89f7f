"""The command line, a thin layer over the library. Exit 0 ok, 1 findings, 2 bad input."""

from __future__ import annotations

import argparse
import contextlib
import gc
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from .files import OutputError, Written
from .spec import SpecError, example_path

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2
DEFAULT_OUTPUT = "hjerteregionen.xlsx"


def kroner(value: float) -> str:
    """``1 234 568 kr``, as a Norwegian Excel shows the amount."""
    text = f"{round(value):,}".replace(",", " ")
    return f"{text} kr"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every command."""
    parser = argparse.ArgumentParser(
        prog="python -m bygdevekst_xl",
        description="Generate and check the Excel budget of a bygdevekstavtale application.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    gen = commands.add_parser(
        "generate",
        help="write the budget workbook for a spec (default: the built-in Hjerteregionen)",
        description="Write the budget workbook for a YAML spec. Without a spec, the built-in "
        "Hjerteregionen example is used.",
    )
    gen.add_argument(
        "spec", nargs="?", type=Path, help="budget spec (YAML); default: built-in example"
    )
    gen.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path(DEFAULT_OUTPUT),
        help=f"workbook to write (default: {DEFAULT_OUTPUT})",
    )
    _add_force(gen)
    gen.set_defaults(run=_generate)

    chk = commands.add_parser(
        "check",
        help="recompute an edited workbook headlessly and check totals, cap and rules",
        description="Check budget workbooks: re-evaluate every formula headlessly, recompute every "
        "total from the inputs, and check the KDD cap, eligibility, balance and structure. "
        "Exit 0: no errors; 1: errors found; 2: a file could not be read as a budget workbook.",
    )
    chk.add_argument("files", nargs="+", type=Path, metavar="FILE", help="workbook(s) to check")
    chk.add_argument("--json", action="store_true", help="print one JSON document per file")
    chk.add_argument(
        "--lang",
        choices=("nb", "en"),
        default="nb",
        help="language of the messages (default: nb, bokmål)",
    )
    chk.add_argument(
        "--spec",
        type=Path,
        help="spec whose facts (municipalities, hourly rate, categories) apply; default: the "
        "spec the workbook was generated from (its generation record); the scheme's cap and "
        "excluded uses always apply",
    )
    chk.set_defaults(run=_check)

    ext = commands.add_parser(
        "extract",
        help="write the spec back from an edited workbook, with every typed value",
        description="Write the YAML spec of an edited workbook: cost lines (including lines a "
        "person added), hours, financing and descriptions. Refuses, listing the cells, when an "
        "input cannot be stated in a spec.",
    )
    ext.add_argument("workbook", type=Path, help="edited workbook (.xlsx)")
    ext.add_argument("-o", "--output", type=Path, help="spec to write (default: print it)")
    ext.add_argument(
        "--json",
        action="store_true",
        help="print a JSON report: the spec written and the inputs that held formulas",
    )
    _add_force(ext)
    ext.set_defaults(run=_extract)

    reg = commands.add_parser(
        "regenerate",
        help="write a new workbook for a changed spec, carrying over every typed value",
        description="Merge three ways: the spec WORKBOOK was generated from (its record), "
        "WORKBOOK's inputs and --spec; write a new workbook with the structure of --spec "
        "(projects matched by id) and the merged inputs; WORKBOOK is never modified. An input "
        "changed in both to different values makes it refuse (exit 1, listing them) unless "
        "--prefer says which wins; values with no place in the new spec make it refuse unless "
        "--drop-orphans or --archive-orphans says what to do with them.",
    )
    reg.add_argument("workbook", type=Path, help="edited workbook (.xlsx)")
    reg.add_argument(
        "--spec",
        type=Path,
        help="the new spec (YAML); without it the workbook keeps its own projects, which "
        "brings a workbook made by an older version up to the current layout",
    )
    reg.add_argument("-o", "--output", type=Path, required=True, help="new workbook to write")
    _add_force(reg)
    orphans = reg.add_mutually_exclusive_group()
    orphans.add_argument(
        "--drop-orphans",
        action="store_const",
        dest="orphans",
        const="drop",
        default="refuse",
        help="drop typed values that have no place (listed)",
    )
    orphans.add_argument(
        "--archive-orphans",
        action="store_const",
        dest="orphans",
        const="archive",
        help="keep typed values that have no place in an 'Arkiv' sheet",
    )
    reg.add_argument(
        "--prefer",
        choices=("workbook", "spec"),
        help="which side wins an input changed in both the workbook and the spec",
    )
    reg.add_argument("--json", action="store_true", help="print the report as JSON")
    reg.set_defaults(run=_regenerate)
    return parser


def _add_force(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace an existing, different output (the old file is kept as a backup)",
    )


def _spec_problems(exc: SpecError) -> None:
    for problem in exc.problems:
        print(f"error: {exc.source}: {problem}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad usage, 0 on --help
        return int(exc.code or 0)
    with cyclic_gc_paused():
        return args.run(args)


@contextlib.contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for one command, then restore it.

    A command builds large trees of objects (a spec, a layout, a workbook's cells); the cyclic
    collector re-walks every live one each time enough new ones pile up, which was a third of
    ``generate``'s time at 100 000 cost lines and made its time grow faster than the work.
    Reference counting still frees what is not in a cycle; a command that goes through many
    files collects the cycles of each before the next (``check``).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _generate(args: argparse.Namespace) -> int:
    from .generate import generate
    from .writer import WriteError

    spec = args.spec or example_path()
    try:
        result = generate(spec, args.output, force=args.force)
    except SpecError as exc:
        _spec_problems(exc)
        return EXIT_BAD_INPUT
    except (OutputError, WriteError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    written, t = result.written, result.totals
    print_written(written)
    print(
        f"{result.budget.pilot.name}: costs {kroner(t.total_costs)} (in kind {kroner(t.in_kind)}), "
        f"KDD {kroner(t.kdd)} of cap {kroner(t.kdd_cap)} ({kroner(t.kdd_headroom)} headroom), "
        f"Statsforvalteren {kroner(t.statsforvalteren)}, balance {kroner(t.balance)}"
    )
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from .check import Report, check_workbook
    from .check.report import as_dict, as_json, as_text
    from .inputs import NotOurWorkbook
    from .spec import load_spec
    from .xlsx import ReadError

    try:
        rules = load_spec(args.spec) if args.spec else None
    except SpecError as exc:
        _spec_problems(exc)
        return EXIT_BAD_INPUT
    codes, documents = [], []
    for path in args.files:
        try:
            report: Report | None = check_workbook(path, rules)
            reason = None
        except (ReadError, NotOurWorkbook) as exc:
            report, reason = None, str(exc)
            if not reason.startswith(str(path)):
                reason = f"{path}: {reason}"
        if report is None:
            code = EXIT_BAD_INPUT
            if args.json:
                documents.append(
                    {
                        "file": str(path),
                        "ok": False,
                        "error": reason,
                        "findings": [],
                        "totals": None,
                    }
                )
            print(f"error: {reason}", file=sys.stderr)
        else:
            code = EXIT_OK if report.ok else EXIT_FINDINGS
            if args.json:
                documents.append(as_dict(report, args.lang))
            else:
                print(as_text(report, args.lang))
        codes.append(code)
        gc.collect()  # the collector is paused: free one file's reference cycles before the next
    if args.json:
        print(as_json(documents))
    elif len(codes) > 1:
        print(
            f"{len(codes)} files checked: {codes.count(EXIT_OK)} ok, "
            f"{codes.count(EXIT_FINDINGS)} with errors, {codes.count(EXIT_BAD_INPUT)} unreadable"
        )
    return max(codes)


def _read_problem(exc: Exception, path: Path) -> str:
    reason = str(exc)
    return reason if reason.startswith(str(path)) else f"{path}: {reason}"


def _extract(args: argparse.Namespace) -> int:
    import json

    from .extract import ExtractError, extract_spec
    from .files import write_new
    from .inputs import NotOurWorkbook
    from .spec import dump_spec
    from .xlsx import ReadError

    try:
        extracted = extract_spec(args.workbook)
        budget = extracted.budget
    except (ReadError, NotOurWorkbook) as exc:
        print(f"error: {_read_problem(exc, args.workbook)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except ExtractError as exc:
        print(f"error: {exc}", file=sys.stderr)
        for f in exc.findings:
            print(f"  {f.sheet}!{f.cell}: {f.message('en')}", file=sys.stderr)
        return EXIT_FINDINGS
    except SpecError as exc:
        _spec_problems(exc)
        return EXIT_FINDINGS
    text = f"# Extracted from {args.workbook.name} by bygdevekst_xl\n" + dump_spec(budget)
    formulas = [
        {
            "cell": f.cell,
            "formula": f.text,
            "value": f.value if f.value is None else _plain(f.value),
        }
        for f in extracted.formulas
    ]
    if args.json:
        report = {"output": str(args.output) if args.output else None, "formulas": formulas}
        if args.output is None:
            report["spec"] = text
    else:
        for item in formulas:
            print(
                f"merk: {item['cell']} inneholder formelen {item['formula']}; spesifikasjonen "
                f"får verdien {item['value']}",
                file=sys.stderr,
            )
    if args.output is None:
        if args.json:
            print(json.dumps(report, ensure_ascii=False))
        else:
            sys.stdout.write(text)
        return EXIT_OK
    try:
        written = write_new(
            args.output, text.encode("utf-8"), force=args.force, protect=(args.workbook,)
        )
    except OutputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        print_written(written)
    return EXIT_OK


def _plain(value: object) -> object:
    """A value as JSON holds it (whole numbers as integers, anything odd as text)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value if isinstance(value, int | float | str | bool) else str(value)


def print_written(written: Written) -> None:
    """Say where a file went: written (with its backup) or already up to date."""
    if written.unchanged:
        print(f"{written.path} is up to date (same content)")
        return
    backup = f" (old file kept as {written.backup})" if written.backup else ""
    print(f"Wrote {written.path}{backup}")


def _regenerate(args: argparse.Namespace) -> int:
    import json

    from .inputs import NotOurWorkbook
    from .regenerate import ConflictError, RefusedError, Regeneration, regenerate
    from .writer import WriteError
    from .xlsx import ReadError

    try:
        result: Regeneration = regenerate(
            args.workbook,
            args.spec,
            args.output,
            orphans=args.orphans,
            prefer=args.prefer,
            force=args.force,
        )
        code = EXIT_OK
    except (ReadError, NotOurWorkbook) as exc:
        print(f"error: {_read_problem(exc, args.workbook)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except SpecError as exc:
        _spec_problems(exc)
        return EXIT_BAD_INPUT
    except (OutputError, WriteError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except ConflictError as exc:
        result, code = exc.result, EXIT_FINDINGS
        print(
            f"feil: {len(result.conflicts)} inndata er endret både i arbeidsboka og i "
            "spesifikasjonen; ingenting er skrevet. Rett den ene siden, eller velg med "
            "--prefer workbook eller --prefer spec:",
            file=sys.stderr,
        )
    except RefusedError as exc:
        result, code = exc.result, EXIT_FINDINGS
        print(
            f"error: {exc}; nothing was written. Use --drop-orphans or --archive-orphans, "
            "or keep them in the spec:",
            file=sys.stderr,
        )
    if args.json:
        print(json.dumps(_regeneration_dict(result, args.orphans, code), ensure_ascii=False))
    else:
        _print_regeneration(result, args.orphans, code, args.prefer)
    return code


def _regeneration_dict(result, orphans: str, code: int) -> dict:
    written = result.written
    return {
        "ok": code == EXIT_OK,
        "output": str(written.path) if written else None,
        "generation": result.generation or None,
        "base_generation": result.base or None,
        "changes": result.changes,
        "applied": [
            {
                "project": c.project,
                "line": c.line,
                "year": c.year,
                "old": _json_value(c.old),
                "new": _json_value(c.new),
                "text": c.text(),
            }
            for c in result.applied
        ],
        "conflicts": [_conflict_dict(c) for c in result.conflicts],
        "resolved": [_conflict_dict(c) for c in result.resolved],
        "left_out": [
            {
                "sheet": v.sheet,
                "cell": v.cell,
                "project": v.project,
                "what": v.what,
                "value": v.value if isinstance(v.value, int | float | str) else str(v.value),
            }
            for v in result.left_out
        ],
        "left_out_treatment": orphans if result.left_out else None,
        "warnings": result.warnings,
    }


def _print_regeneration(result, orphans: str, code: int, prefer: str | None = None) -> None:
    out = sys.stdout if code == EXIT_OK else sys.stderr
    winner = "arbeidsboka" if prefer == "workbook" else "spesifikasjonen"
    if result.written:
        print_written(result.written)
    if result.base or result.generation:
        print(f"  generasjon {result.base or '(ingen post)'} -> {result.generation}", file=out)
    for conflict in result.conflicts:
        print(f"  konflikt: {conflict.text()}", file=out)
    for conflict in result.resolved:
        print(f"  konflikt avgjort ({winner} vant): {conflict.text()}", file=out)
    verb = "endret" if code == EXIT_OK else "ville endret"
    for change in result.applied:
        print(f"  {verb}: {change.text()}", file=out)
    for change in result.changes:
        print(f"  change: {change}", file=out)
    verb_left = {"refuse": "would be lost", "drop": "dropped", "archive": "kept in sheet 'Arkiv'"}
    for value in result.left_out:
        print(
            f"  {verb_left[orphans]}: {value.sheet}!{value.cell} = {value.value!r} ({value.what})",
            file=out,
        )
    for warning in result.warnings:
        print(f"  warning: {warning}", file=out)


def _conflict_dict(c) -> dict:
    return {
        "sheet": c.sheet,
        "cell": c.cell,
        "project": c.project,
        "line": c.line,
        "year": c.year,
        "base": _json_value(c.base),
        "workbook": _json_value(c.workbook),
        "spec": _json_value(c.spec),
        "text": c.text(),
    }


def _json_value(value: object) -> object:
    if isinstance(value, tuple):
        return [_json_value(v) for v in value]
    return value if value is None or isinstance(value, int | float | str) else str(value)
