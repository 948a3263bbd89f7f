"""The command line, a thin layer over the library. Exit 0 ok, 1 findings, 2 bad input."""

from __future__ import annotations

import argparse
import contextlib
import errno
import gc
import io
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from . import __version__
from .files import OutputError, Written
from .messages import kroner as _kroner
from .messages import localize, number, say
from .spec import SpecError, example_path

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2
DEFAULT_OUTPUT = "hjerteregionen.xlsx"


def kroner(value: float, lang: str = "nb") -> str:
    """``1 234 568 kr``, as a Norwegian Excel shows the amount."""
    return _kroner(value, lang)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every command."""
    parser = argparse.ArgumentParser(
        prog="bygdevekst-xl"
        if Path(sys.argv[0]).stem == "bygdevekst-xl"
        else "python -m bygdevekst_xl",
        description="Generate and check the Excel budget of a bygdevekstavtale application.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
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
    gen.add_argument(
        "--strict",
        action="store_true",
        help="write nothing and exit 1 when the spec breaks a rule (default: write the draft)",
    )
    _add_lang(gen)
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
    _add_lang(chk)
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
    _add_lang(ext)
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
    _add_lang(reg)
    reg.set_defaults(run=_regenerate)

    cou = commands.add_parser(
        "council",
        help="write each municipality's council attachment (PDF) and draft decision",
        description="From a checked workbook, write for each municipality (or the one named) a "
        "PDF attachment in bokmål (figures in 1 000 kr that add up) and a draft decision in "
        "numbered points. Exit 1 when the check finds errors, unless --draft.",
    )
    cou.add_argument("workbook", type=Path, help="checked workbook (.xlsx)")
    cou.add_argument("-o", "--output", type=Path, default=Path("."), help="folder (default: .)")
    cou.add_argument("--municipality", help="only this municipality (default: every one)")
    cou.add_argument("--draft", action="store_true", help="write despite errors, marked UTKAST")
    cou.add_argument("--spec", type=Path, help="spec whose rules apply (default: built-in)")
    _add_force(cou)
    _add_lang(cou)
    cou.set_defaults(run=_council)
    dif = commands.add_parser(
        "diff",
        help="what changed between two versions of the budget, in budget terms",
        description="Compare two versions of a budget workbook: projects, cost lines, hours, "
        "financing and rules in budget terms, formula changes apart, and the effect on the "
        "totals, KDD, the own shares and the rules. Exit 0: no budget difference; "
        "1: differences; 2: a file could not be read as a budget workbook.",
    )
    dif.add_argument("old", type=Path, metavar="OLD.xlsx", help="the earlier version")
    dif.add_argument("new", type=Path, metavar="NEW.xlsx", help="the later version")
    dif_format = dif.add_mutually_exclusive_group()
    dif_format.add_argument("--json", action="store_true", help="print the report as JSON")
    dif_format.add_argument("--markdown", action="store_true", help="print the report as Markdown")
    _add_lang(dif)
    dif.set_defaults(run=_diff)
    return parser


def _add_force(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace an existing, different output (the old file is kept as a backup)",
    )


def _add_lang(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lang",
        choices=("nb", "en"),
        default="nb",
        help="language of the messages (default: nb, bokmål)",
    )


def _error(text: str, lang: str) -> None:
    """One error line on stderr, in the user's language."""
    print(say("error", lang, text=localize(text, lang)), file=sys.stderr)


def _spec_problems(exc: SpecError, lang: str) -> None:
    for problem in exc.problems:
        _error(f"{exc.source}: {problem}", lang)


EXIT_INTERRUPTED, EXIT_TERMINATED, EXIT_PIPE_CLOSED = 130, 143, 141  # 128 + the signal
OUTPUT_SUFFIXES = {"generate": (".xlsx",), "regenerate": (".xlsx",), "extract": (".yaml", ".yml")}


class Terminated(BaseException):
    """SIGTERM arrived: unwind like Ctrl-C, so that temporary files are removed."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code.

    Whatever happens, one line: Ctrl-C exits 130 and SIGTERM 143 (temporary files removed on
    the way out), a reader that closed the pipe (``| head``) ends it quietly (141), a full
    disk on standard output is one error line (2), and names that are not UTF-8 print escaped.
    """
    _escape_unprintable_output()
    previous = _on_sigterm(_terminate)
    try:
        parser = build_parser()
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:  # argparse exits 2 on bad usage, 0 on --help and --version
            return int(exc.code or 0)
        problem = _output_problem(args)
        if problem:
            print(f"error: {problem}", file=sys.stderr)
            return EXIT_BAD_INPUT
        with cyclic_gc_paused():
            code = args.run(args)
        sys.stdout.flush()  # a full disk or a closed pipe shows here, not at exit
        return code
    except KeyboardInterrupt:
        _say("interrupted; nothing was left half-written")
        return EXIT_INTERRUPTED
    except Terminated:
        _say("terminated; nothing was left half-written")
        return EXIT_TERMINATED
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_PIPE_CLOSED
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EIO, errno.EFBIG, errno.EDQUOT):
            raise
        _silence_stdout()
        _say(f"cannot write the output: {exc.strerror or exc}")
        return EXIT_BAD_INPUT
    finally:
        _on_sigterm(previous)


def _output_problem(args: argparse.Namespace) -> str | None:
    """Why ``-o`` cannot be the output of this command (a workbook must be .xlsx), or None."""
    output = getattr(args, "output", None)
    wanted = OUTPUT_SUFFIXES.get(args.command, ())
    if output is None or not wanted or output.suffix.lower() in wanted:
        return None
    return f"{output}: -o must name a file ending in {wanted[0]} for {args.command}"


def _escape_unprintable_output() -> None:
    """Print what cannot be encoded (a Latin-1 file name, a lone surrogate) escaped."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError, io.UnsupportedOperation):
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]


def _say(message: str) -> None:
    with contextlib.suppress(OSError, ValueError):
        print(f"error: {message}", file=sys.stderr)


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so that the flush at exit cannot fail again."""
    with contextlib.suppress(OSError, ValueError, AttributeError, io.UnsupportedOperation):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _terminate(_signum: int, _frame: object) -> None:
    raise Terminated


def _on_sigterm(handler: Any) -> Any:
    """Install ``handler`` for SIGTERM and return the one before (None outside the main
    thread, where Python cannot set handlers)."""
    if handler is None:
        return None
    try:
        return signal.signal(signal.SIGTERM, handler)
    except (ValueError, OSError):
        return None


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
    from .generate import RulesBroken, generate
    from .writer import WriteError

    lang = args.lang
    spec = args.spec or example_path()
    try:
        result = generate(spec, args.output, force=args.force, strict=args.strict)
    except SpecError as exc:
        _spec_problems(exc, lang)
        return EXIT_BAD_INPUT
    except (OutputError, WriteError) as exc:
        _error(str(exc), lang)
        return EXIT_BAD_INPUT
    except RulesBroken as exc:
        print_broken_rules(exc.broken, lang)
        print(say("rules-broken-strict", lang, count=len(exc.broken)), file=sys.stderr)
        return EXIT_FINDINGS
    print_written(result.written, lang)
    t = result.totals
    amounts = {
        "name": result.budget.pilot.name,
        "costs": kroner(t.total_costs, lang),
        "in_kind": kroner(t.in_kind, lang),
        "kdd": kroner(t.kdd, lang),
        "cap": kroner(t.kdd_cap, lang),
        "sf": kroner(t.statsforvalteren, lang),
        "balance": kroner(t.balance, lang),
    }
    if t.kdd_headroom >= 0:
        print(say("generate-summary", lang, headroom=kroner(t.kdd_headroom, lang), **amounts))
    else:
        print(say("generate-over-cap-summary", lang, over=kroner(-t.kdd_headroom, lang), **amounts))
    if result.broken:
        print_broken_rules(result.broken, lang)
        print(say("rules-broken-draft", lang, count=len(result.broken)), file=sys.stderr)
    return EXIT_OK


def print_broken_rules(broken: list, lang: str) -> None:
    """Each broken rule on stderr, in the words ``check`` uses, at its sheet and cell."""
    for finding in broken:
        place = f"{finding.sheet}!{finding.cell}" if finding.cell else str(finding.sheet)
        print(
            say("rule-broken", lang, place=place, message=finding.message(lang), code=finding.code),
            file=sys.stderr,
        )


def _check(args: argparse.Namespace) -> int:
    from .check import Report, check_workbook
    from .check.report import as_dict, as_json, as_text
    from .inputs import NotOurWorkbook
    from .spec import load_spec
    from .xlsx import ReadError

    lang = args.lang
    try:
        rules = load_spec(args.spec) if args.spec else None
    except SpecError as exc:
        _spec_problems(exc, lang)
        return EXIT_BAD_INPUT
    codes, documents = [], []
    for path in args.files:
        try:
            report: Report | None = check_workbook(path, rules)
            reason = None
        except (ReadError, NotOurWorkbook) as exc:
            report, reason = None, localize(_read_problem(exc, path), lang)
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
            print(say("error", lang, text=reason), file=sys.stderr)
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
            say(
                "files-checked",
                lang,
                count=len(codes),
                ok=codes.count(EXIT_OK),
                failed=codes.count(EXIT_FINDINGS),
                unreadable=codes.count(EXIT_BAD_INPUT),
            )
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

    lang = args.lang
    try:
        extracted = extract_spec(args.workbook)
        budget = extracted.budget
    except (ReadError, NotOurWorkbook) as exc:
        _error(_read_problem(exc, args.workbook), lang)
        return EXIT_BAD_INPUT
    except ExtractError as exc:
        text = say("extract-refused", lang, path=args.workbook, count=len(exc.findings))
        print(say("error", lang, text=text), file=sys.stderr)
        for f in exc.findings:
            print(f"  {f.sheet}!{f.cell}: {f.message(lang)}", file=sys.stderr)
        return EXIT_FINDINGS
    except SpecError as exc:
        _spec_problems(exc, lang)
        return EXIT_FINDINGS
    name = " ".join(args.workbook.name.encode("utf-8", "backslashreplace").decode().split())
    text = say("extracted-from", lang, name=name) + "\n" + dump_spec(budget)
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
            print(say("formula-input", lang, **item), file=sys.stderr)
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
        _error(str(exc), lang)
        return EXIT_BAD_INPUT
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        print_written(written, lang)
    return EXIT_OK


def _plain(value: object) -> object:
    """A value as JSON holds it (whole numbers as integers, anything odd as text)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value if isinstance(value, int | float | str | bool) else str(value)


def print_written(written: Written, lang: str = "nb") -> None:
    """Say where a file went: written (with its backup) or already up to date."""
    if written.unchanged:
        print(say("up-to-date", lang, path=written.path))
    elif written.backup:
        print(say("wrote-backup", lang, path=written.path, backup=written.backup))
    else:
        print(say("wrote", lang, path=written.path))


def _regenerate(args: argparse.Namespace) -> int:
    import json

    from .inputs import NotOurWorkbook
    from .regenerate import ConflictError, RefusedError, Regeneration, regenerate
    from .writer import WriteError
    from .xlsx import ReadError

    lang = args.lang
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
        _error(_read_problem(exc, args.workbook), lang)
        return EXIT_BAD_INPUT
    except SpecError as exc:
        _spec_problems(exc, lang)
        return EXIT_BAD_INPUT
    except (OutputError, WriteError) as exc:
        _error(str(exc), lang)
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
        refused = say("regenerate-refused", lang, count=len(result.left_out))
        print(say("error", lang, text=refused), file=sys.stderr)
    if args.json:
        document = _regeneration_dict(result, args.orphans, code, lang)
        print(json.dumps(document, ensure_ascii=False))
    else:
        _print_regeneration(result, args.orphans, code, lang, args.prefer)
    return code


def _regeneration_dict(result, orphans: str, code: int, lang: str = "nb") -> dict:
    written = result.written
    return {
        "ok": code == EXIT_OK,
        "output": str(written.path) if written else None,
        "generation": result.generation or None,
        "base_generation": result.base or None,
        "changes": [localize(change, lang) for change in result.changes],
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
                "what": localize(v.what, lang),
                "value": v.value if isinstance(v.value, int | float | str) else str(v.value),
            }
            for v in result.left_out
        ],
        "left_out_treatment": orphans if result.left_out else None,
        "warnings": [localize(warning, lang) for warning in result.warnings],
    }


def _shown(value: object, lang: str) -> str:
    """A left-out value: a number as a finance officer writes it, anything else quoted."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return number(value, lang)
    return repr(value)


def _print_regeneration(
    result, orphans: str, code: int, lang: str = "nb", prefer: str | None = None
) -> None:
    out = sys.stdout if code == EXIT_OK else sys.stderr
    if result.written:
        print_written(result.written, lang)
    winner = "arbeidsboka" if prefer == "workbook" else "spesifikasjonen"
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
        print(say("change", lang, text=localize(change, lang)), file=out)
    for value in result.left_out:
        print(
            say(
                f"left-out-{orphans}",
                lang,
                place=f"{value.sheet}!{value.cell}",
                value=_shown(value.value, lang),
                what=localize(value.what, lang),
            ),
            file=out,
        )
    for warning in result.warnings:
        print(say("report-warning", lang, text=localize(warning, lang)), file=out)


def _council(args: argparse.Namespace) -> int:
    from .council import CouncilError, Refused, council_pack, finding_lines
    from .files import write_new
    from .inputs import NotOurWorkbook
    from .spec import load_spec
    from .xlsx import ReadError

    try:
        rules = load_spec(args.spec or example_path())
        pack = council_pack(args.workbook, rules, args.municipality, draft=args.draft)
        if not args.output.is_dir():
            raise OutputError(f"{args.output}: folder does not exist")
        targets = [(args.output / d.name, d.data) for d in pack.documents]
        for path, data in targets:  # refuse before writing any, so no pack is half written
            if path.exists() and not args.force and path.read_bytes() != data:
                raise OutputError(f"{path}: file exists and differs; use --force to replace it")
        for path, data in targets:
            written = write_new(path, data, force=args.force, protect=(args.workbook,))
            print_written(written, args.lang)
        for warning in pack.warnings:
            print(f"warning: {warning}", file=sys.stderr)
    except SpecError as exc:
        _spec_problems(exc, args.lang)
        return EXIT_BAD_INPUT
    except Refused as exc:
        print(f"error: {exc}; fix them, or use --draft for a pack marked UTKAST:", file=sys.stderr)
        for line in finding_lines(exc.report):
            print(f"  {line}", file=sys.stderr)
        return EXIT_FINDINGS
    except (ReadError, NotOurWorkbook) as exc:
        _error(_read_problem(exc, args.workbook), args.lang)
        return EXIT_BAD_INPUT
    except (CouncilError, OutputError, OSError) as exc:
        _error(str(exc), args.lang)
        return EXIT_BAD_INPUT
    print(f"Innholds-ID {pack.digest}" + (" (UTKAST)" if pack.draft else ""))
    return EXIT_OK


def _diff(args: argparse.Namespace) -> int:
    from .diff import Unreadable, diff_versions, read_version
    from .diff.render import as_dict, as_json, as_markdown, as_text, unreadable_dict

    versions, reasons = [], []
    for path in (args.old, args.new):
        try:
            versions.append(read_version(path))
        except Unreadable as exc:
            reasons.append(str(exc))
    for reason in reasons:
        _error(reason, args.lang)
    if reasons:
        if args.json:
            print(as_json(unreadable_dict(str(args.old), str(args.new), "; ".join(reasons))))
        return EXIT_BAD_INPUT
    report = diff_versions(*versions)
    if args.json:
        print(as_json(as_dict(report, args.lang)))
    elif args.markdown:
        sys.stdout.write(as_markdown(report, args.lang))
    else:
        print(as_text(report, args.lang))
    return EXIT_FINDINGS if report.differs else EXIT_OK


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
