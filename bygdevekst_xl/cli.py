"""The command line, a thin layer over the library. Exit 0 ok, 1 findings, 2 bad input."""

from __future__ import annotations

import argparse
import contextlib
import errno
import gc
import io
import json
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from . import __version__
from .errors import BygdevekstError
from .files import STANDARD_OUTPUT, OutputError
from .messages import kroner as _kroner
from .messages import localize, say
from .reports import (
    broken_rule_lines,
    council_dict,
    council_refused_dict,
    error_lines,
    extracted_formulas,
    generate_dict,
    generate_summary,
    regeneration_dict,
    regeneration_lines,
    written_line,
)
from .spec import example_path

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
        help=f"workbook to write (default: {DEFAULT_OUTPUT}; - for standard output)",
    )
    _add_force(gen)
    gen.add_argument("--json", action="store_true", help="print the report as JSON")
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
    ext.add_argument(
        "-o", "--output", type=_file_or_stdout, help="spec to write (default or -: print it)"
    )
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
    cou.add_argument("--json", action="store_true", help="print the report as JSON")
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


def _file_or_stdout(text: str) -> Path | None:
    """A path given with -o; ``-`` (standard output) is None, as when -o is left out."""
    return None if text == "-" else Path(text)


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


EXIT_INTERRUPTED, EXIT_TERMINATED, EXIT_PIPE_CLOSED = 130, 143, 141  # 128 + the signal
OUTPUT_SUFFIXES = {"generate": (".xlsx",), "regenerate": (".xlsx",), "extract": (".yaml", ".yml")}


class Terminated(BaseException):
    """SIGTERM arrived: unwind like Ctrl-C, so that temporary files are removed."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code.

    One handler for every error of ours: its lines on standard error in the user's language,
    and its exit code. Whatever else happens, one line: Ctrl-C exits 130 and SIGTERM 143
    (temporary files removed on the way out), a reader that closed the pipe (``| head``) ends
    it quietly (141), a full disk on standard output is one error line (2), and names that are
    not UTF-8 print escaped.
    """
    _escape_unprintable_output()
    previous = _on_sigterm(_terminate)
    lang = "nb"
    try:
        parser = build_parser()
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:  # argparse exits 2 on bad usage, 0 on --help and --version
            return int(exc.code or 0)
        lang = args.lang
        _refuse_output_suffix(args)
        with cyclic_gc_paused():
            code = args.run(args)
        sys.stdout.flush()  # a full disk or a closed pipe shows here, not at exit
        return code
    except BygdevekstError as exc:
        _say(*error_lines(exc, lang))
        return exc.exit_code
    except KeyboardInterrupt:
        _say(say("error", lang, text=say("interrupted", lang)))
        return EXIT_INTERRUPTED
    except Terminated:
        _say(say("error", lang, text=say("terminated", lang)))
        return EXIT_TERMINATED
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_PIPE_CLOSED
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EIO, errno.EFBIG, errno.EDQUOT):
            raise
        _silence_stdout()
        why = say("cannot-write-output", lang, why=exc.strerror or exc)
        _say(say("error", lang, text=why))
        return EXIT_BAD_INPUT
    finally:
        _on_sigterm(previous)


def _refuse_output_suffix(args: argparse.Namespace) -> None:
    """Refuse a ``-o`` this command cannot write (a workbook must be .xlsx)."""
    output = getattr(args, "output", None)
    wanted = OUTPUT_SUFFIXES.get(args.command, ())
    if output is None or not wanted or output.suffix.lower() in wanted or output == STANDARD_OUTPUT:
        return
    raise OutputError(f"{output}: -o must name a file ending in {wanted[0]} for {args.command}")


def _escape_unprintable_output() -> None:
    """Print what cannot be encoded (a Latin-1 file name, a lone surrogate) escaped."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError, io.UnsupportedOperation):
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]


def _say(*lines: str) -> None:
    """Lines on standard error, even when it is closed or full."""
    with contextlib.suppress(OSError, ValueError):
        for line in lines:
            print(line, file=sys.stderr)


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
    from .generate import generate

    result = generate(
        args.spec or example_path(), args.output, force=args.force, strict=args.strict
    )
    report = sys.stderr if args.output == STANDARD_OUTPUT else sys.stdout  # stdout has the xlsx
    if args.json:
        print(json.dumps(generate_dict(result, args.lang), ensure_ascii=False), file=report)
    else:
        print(written_line(result.written, args.lang), file=report)
        print(generate_summary(result, args.lang), file=report)
    if result.broken:
        _say(*broken_rule_lines(result.broken, args.lang))
        _say(say("rules-broken-draft", args.lang, count=len(result.broken)))
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from .check import check_workbook
    from .check.report import as_dict, as_json, as_text, unreadable_dict
    from .inputs import NotOurWorkbook
    from .spec import load_spec
    from .xlsx import ReadError

    lang = args.lang
    rules = load_spec(args.spec) if args.spec else None
    codes, documents = [], []
    for path in args.files:  # one unreadable file does not stop the others
        try:
            report = check_workbook(path, rules)
        except (ReadError, NotOurWorkbook) as exc:
            reason = localize(str(exc), lang)
            _say(say("error", lang, text=reason))
            documents.append(unreadable_dict(path, reason))
            codes.append(EXIT_BAD_INPUT)
            continue
        finally:
            gc.collect()  # the collector is paused: free one file's cycles before the next
        codes.append(EXIT_OK if report.ok else EXIT_FINDINGS)
        if args.json:
            documents.append(as_dict(report, lang))
        else:
            print(as_text(report, lang))
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


def _extract(args: argparse.Namespace) -> int:
    from .extract import extract_spec
    from .files import write_new
    from .spec import dump_spec

    lang = args.lang
    extracted = extract_spec(args.workbook)
    name = " ".join(args.workbook.name.encode("utf-8", "backslashreplace").decode().split())
    text = say("extracted-from", lang, name=name) + "\n" + dump_spec(extracted.budget)
    formulas = extracted_formulas(extracted)
    report = {"output": str(args.output) if args.output else None, "formulas": formulas}
    if not args.json:
        _say(*(say("formula-input", lang, **item) for item in formulas))
    if args.output is None:
        if args.json:
            print(json.dumps({**report, "spec": text}, ensure_ascii=False))
        else:
            sys.stdout.write(text)
        return EXIT_OK
    written = write_new(
        args.output, text.encode("utf-8"), force=args.force, protect=(args.workbook,)
    )
    print(json.dumps(report, ensure_ascii=False) if args.json else written_line(written, lang))
    return EXIT_OK


def _regenerate(args: argparse.Namespace) -> int:
    from .regenerate import ConflictError, RefusedError, regenerate

    lang = args.lang
    try:
        result = regenerate(
            args.workbook,
            args.spec,
            args.output,
            orphans=args.orphans,
            prefer=args.prefer,
            force=args.force,
        )
        code = EXIT_OK
    except (ConflictError, RefusedError) as exc:  # refused with a report of what and why
        result, code = exc.result, exc.exit_code
        _say(*error_lines(exc, lang))
    if args.json:
        document = regeneration_dict(result, args.orphans, code == EXIT_OK, lang)
        print(json.dumps(document, ensure_ascii=False))
    else:
        lines = regeneration_lines(result, args.orphans, code == EXIT_OK, lang, args.prefer)
        print("\n".join(lines), file=sys.stdout if code == EXIT_OK else sys.stderr)
    return code


def _council(args: argparse.Namespace) -> int:
    from .council import Refused, council_pack
    from .council.write import write_pack
    from .spec import load_spec

    lang = args.lang
    rules = load_spec(args.spec or example_path())
    try:
        pack = council_pack(args.workbook, rules, args.municipality, draft=args.draft)
    except Refused as refused:
        if args.json:
            print(json.dumps(council_refused_dict(refused.details(lang)), ensure_ascii=False))
        raise
    documents = [(d.name, d.data) for d in pack.documents]
    written = write_pack(documents, args.output, force=args.force, protect=(args.workbook,))
    if args.json:
        document = council_dict(pack.digest, pack.draft, written, pack.warnings, lang)
        print(json.dumps(document, ensure_ascii=False))
        return EXIT_OK
    for item in written:
        print(written_line(item, lang))
    _say(*(say("warning", lang, text=localize(warning, lang)) for warning in pack.warnings))
    print(say("content-id-draft" if pack.draft else "content-id", lang, digest=pack.digest))
    return EXIT_OK


def _diff(args: argparse.Namespace) -> int:
    from .diff import Unreadable, diff_versions, read_version
    from .diff.render import as_dict, as_json, as_markdown, as_text, unreadable_dict

    versions, reasons = [], []
    for path in (args.old, args.new):  # both files are read, so both problems are told
        try:
            versions.append(read_version(path))
        except Unreadable as exc:
            reasons.append(str(exc))
    if reasons:
        _say(*(say("error", args.lang, text=localize(reason, args.lang)) for reason in reasons))
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
