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
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import BygdevekstError
from ..messages import Count, Message, localize, say
from ..messages import kroner as _kroner
from ..reports import (
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
from .parser import Parser, language_of
from .texts import DEFAULT_OUTPUT, help_texts

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2


def kroner(value: float, lang: str = "nb") -> str:
    """``1 234 568 kr``, as a Norwegian Excel shows the amount."""
    return _kroner(value, lang)


def build_parser(lang: str = "nb") -> argparse.ArgumentParser:
    """The argument parser with every command, every text of it in ``lang``."""
    h = help_texts(lang)
    parser = Parser(
        prog="bygdevekst-xl"
        if Path(sys.argv[0]).stem == "bygdevekst-xl"
        else "python -m bygdevekst_xl",
        description=h("description"),
        add_help=False,
        lang=lang,
    )
    _add_help(parser, h)
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}", help=h("version")
    )
    commands = parser.add_subparsers(dest="command", metavar=h("command"), required=True)

    def command(name: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(
            name, help=h(name), description=h(f"{name}.description"), add_help=False
        )
        _add_help(sub, h)
        return sub

    gen = command("generate")
    gen.add_argument(
        "spec", nargs="?", type=Path, metavar=h("metavar.spec"), help=h("generate.spec")
    )
    gen.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path(DEFAULT_OUTPUT),
        metavar=h("metavar.output"),
        help=h("generate.output"),
    )
    _add_force(gen, h)
    gen.add_argument("--strict", action="store_true", help=h("generate.strict"))
    gen.add_argument("--json", action="store_true", help=h("json"))
    _add_lang(gen, h)
    gen.set_defaults(run=_generate)

    chk = command("check")
    chk.add_argument(
        "files", nargs="+", type=Path, metavar=h("metavar.file"), help=h("check.files")
    )
    chk.add_argument("--json", action="store_true", help=h("check.json"))
    _add_lang(chk, h)
    chk.add_argument("--spec", type=Path, metavar=h("metavar.spec"), help=h("check.spec"))
    chk.set_defaults(run=_check)

    ext = command("extract")
    ext.add_argument(
        "workbook", type=Path, metavar=h("metavar.workbook"), help=h("extract.workbook")
    )
    ext.add_argument(
        "-o",
        "--output",
        type=_file_or_stdout,
        metavar=h("metavar.output"),
        help=h("extract.output"),
    )
    ext.add_argument("--json", action="store_true", help=h("extract.json"))
    _add_force(ext, h)
    _add_lang(ext, h)
    ext.set_defaults(run=_extract)

    reg = command("regenerate")
    reg.add_argument(
        "workbook", type=Path, metavar=h("metavar.workbook"), help=h("regenerate.workbook")
    )
    reg.add_argument("--spec", type=Path, metavar=h("metavar.spec"), help=h("regenerate.spec"))
    reg.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar=h("metavar.output"),
        help=h("regenerate.output"),
    )
    _add_force(reg, h)
    orphans = reg.add_mutually_exclusive_group()
    orphans.add_argument(
        "--drop-orphans",
        action="store_const",
        dest="orphans",
        const="drop",
        default="refuse",
        help=h("regenerate.drop-orphans"),
    )
    orphans.add_argument(
        "--archive-orphans",
        action="store_const",
        dest="orphans",
        const="archive",
        help=h("regenerate.archive-orphans"),
    )
    reg.add_argument("--prefer", choices=("workbook", "spec"), help=h("regenerate.prefer"))
    reg.add_argument("--strict", action="store_true", help=h("regenerate.strict"))
    reg.add_argument("--json", action="store_true", help=h("json"))
    _add_lang(reg, h)
    reg.set_defaults(run=_regenerate)

    cou = command("council")
    cou.add_argument(
        "workbook", type=Path, metavar=h("metavar.workbook"), help=h("council.workbook")
    )
    cou.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path("."),
        metavar=h("metavar.folder"),
        help=h("council.output"),
    )
    cou.add_argument(
        "--municipality", metavar=h("metavar.municipality"), help=h("council.municipality")
    )
    cou.add_argument("--draft", action="store_true", help=h("council.draft"))
    cou.add_argument("--spec", type=Path, metavar=h("metavar.spec"), help=h("council.spec"))
    cou.add_argument("--json", action="store_true", help=h("json"))
    _add_force(cou, h)
    _add_lang(cou, h)
    cou.set_defaults(run=_council)

    dif = command("diff")
    dif.add_argument("old", type=Path, metavar=h("metavar.old"), help=h("diff.old"))
    dif.add_argument("new", type=Path, metavar=h("metavar.new"), help=h("diff.new"))
    dif_format = dif.add_mutually_exclusive_group()
    dif_format.add_argument("--json", action="store_true", help=h("json"))
    dif_format.add_argument("--markdown", action="store_true", help=h("diff.markdown"))
    dif.add_argument("--spec", type=Path, metavar=h("metavar.spec"), help=h("diff.spec"))
    _add_lang(dif, h)
    dif.set_defaults(run=_diff)

    acc = command("accounts")
    acc.add_argument(
        "workbook", type=Path, metavar=h("metavar.workbook"), help=h("accounts.workbook")
    )
    acc.add_argument(
        "--ledger",
        type=Path,
        action="append",
        required=True,
        metavar=h("metavar.file"),
        help=h("accounts.ledger"),
    )
    acc.add_argument(
        "--map", type=Path, required=True, metavar=h("metavar.map"), help=h("accounts.map")
    )
    acc.add_argument(
        "--hours",
        type=Path,
        action="append",
        default=[],
        metavar=h("metavar.file"),
        help=h("accounts.hours"),
    )
    acc.add_argument("--as-of", metavar=h("metavar.date"), help=h("accounts.as-of"))
    acc.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar=h("metavar.output"),
        help=h("accounts.output"),
    )
    acc.add_argument("--json", action="store_true", help=h("json"))
    acc.add_argument("--spec", type=Path, metavar=h("metavar.spec"), help=h("accounts.spec"))
    _add_force(acc, h)
    _add_lang(acc, h)
    acc.set_defaults(run=_accounts)

    srv = command("serve")
    srv.add_argument(
        "--port", type=int, default=8765, metavar=h("metavar.port"), help=h("serve.port")
    )
    srv.add_argument("--host", default="127.0.0.1", metavar=h("metavar.host"), help=h("serve.host"))
    srv.add_argument("--open", action="store_true", help=h("serve.open"))
    _add_lang(srv, h)
    srv.set_defaults(run=_serve)
    return parser


def _add_help(parser: argparse.ArgumentParser, h: Callable[[str], str]) -> None:
    parser.add_argument("-h", "--help", action="help", help=h("help"))


def _file_or_stdout(text: str) -> Path | None:
    """A path given with -o; ``-`` (standard output) is None, as when -o is left out."""
    return None if text == "-" else Path(text)


def _add_force(parser: argparse.ArgumentParser, h: Callable[[str], str]) -> None:
    parser.add_argument("--force", action="store_true", help=h("force"))


def _add_lang(parser: argparse.ArgumentParser, h: Callable[[str], str]) -> None:
    parser.add_argument("--lang", choices=("nb", "en"), default="nb", help=h("lang"))


EXIT_INTERRUPTED, EXIT_TERMINATED, EXIT_PIPE_CLOSED = 130, 143, 141  # 128 + the signal
OUTPUT_SUFFIXES = {
    "generate": (".xlsx",),
    "regenerate": (".xlsx",),
    "extract": (".yaml", ".yml"),
    "accounts": (".xlsx",),
}


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
    argv = sys.argv[1:] if argv is None else list(argv)
    lang = language_of(argv)
    try:
        parser = build_parser(lang)
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


def entry() -> int:
    """The process's entry point (``python -m bygdevekst_xl``, ``bygdevekst-xl``): :func:`main`,
    then everything still allocated handed to the collector's permanent generation.

    The process ends right after; without this, Python's exit walks every object the command
    made looking for cycles (xlsxwriter's worksheets refer to themselves), which cost
    ``generate`` 8 % of its time at 50 projects. Callers of :func:`main` in a longer-lived
    process keep their collector as it was.
    """
    code = main()
    gc.freeze()
    return code


def _refuse_output_suffix(args: argparse.Namespace) -> None:
    """Refuse a ``-o`` this command cannot write (a workbook must be .xlsx)."""
    output = getattr(args, "output", None)
    wanted = OUTPUT_SUFFIXES.get(args.command, ())
    if output is None or not wanted or output.suffix.lower() in wanted:
        return
    from ..files import STANDARD_OUTPUT, OutputError

    if output == STANDARD_OUTPUT:
        return
    wrong = Message("output-suffix", suffix=wanted[0], command=args.command)
    raise OutputError(Message("at", place=str(output), text=wrong))


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


def _json_line(document: object) -> str:
    """``document`` as one line of JSON (``json`` loads here: most runs print text)."""
    import json

    return json.dumps(document, ensure_ascii=False)


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
    from ..files import STANDARD_OUTPUT
    from ..generate import generate
    from ..spec import example_path

    result = generate(
        args.spec or example_path(), args.output, force=args.force, strict=args.strict
    )
    report = sys.stderr if args.output == STANDARD_OUTPUT else sys.stdout  # stdout has the xlsx
    if args.json:
        print(_json_line(generate_dict(result, args.lang)), file=report)
    else:
        print(written_line(result.written, args.lang), file=report)
        print(generate_summary(result, args.lang), file=report)
    if result.broken:
        _say(*broken_rule_lines(result.broken, args.lang))
        count = Count(len(result.broken), "n-broken-rules")
        _say(say("rules-broken-draft", args.lang, count=count))
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from ..check import check_workbook
    from ..check.report import as_dict, as_json, as_text, unreadable_dict
    from ..edited.inputs import NotOurWorkbook
    from ..spec import load_spec
    from ..xlsx import ReadError

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
                count=Count(len(codes), "n-files"),
                ok=codes.count(EXIT_OK),
                failed=codes.count(EXIT_FINDINGS),
                unreadable=codes.count(EXIT_BAD_INPUT),
            )
        )
    return max(codes)


def _extract(args: argparse.Namespace) -> int:
    from ..extract import extract_spec, spec_text
    from ..files import write_new

    lang = args.lang
    extracted = extract_spec(args.workbook)
    name = " ".join(args.workbook.name.encode("utf-8", "backslashreplace").decode().split())
    text = spec_text(extracted, say("extracted-from", lang, name=name))
    formulas = extracted_formulas(extracted)
    report = {"output": str(args.output) if args.output else None, "formulas": formulas}
    if not args.json:
        _say(*(say("formula-input", lang, **item) for item in formulas))
    if args.output is None:
        if args.json:
            print(_json_line({**report, "spec": text}))
        else:
            sys.stdout.write(text)
        return EXIT_OK
    written = write_new(
        args.output, text.encode("utf-8"), force=args.force, protect=(args.workbook,)
    )
    print(_json_line(report) if args.json else written_line(written, lang))
    return EXIT_OK


def _regenerate(args: argparse.Namespace) -> int:
    from ..regenerate import Refusal, regenerate

    lang = args.lang
    try:
        result = regenerate(
            args.workbook,
            args.spec,
            args.output,
            orphans=args.orphans,
            prefer=args.prefer,
            force=args.force,
            strict=args.strict,
        )
        code = EXIT_OK
    except Refusal as exc:
        result, code = exc.result, exc.exit_code  # refused with a report of what and why
        _say(*error_lines(exc, lang))
    if code == EXIT_OK and result.broken:
        _say(*broken_rule_lines(result.broken, lang))
        _say(say("rules-broken-draft", lang, count=len(result.broken)))
    if args.json:
        document = regeneration_dict(result, args.orphans, code == EXIT_OK, lang)
        print(_json_line(document))
    else:
        lines = regeneration_lines(result, args.orphans, code == EXIT_OK, lang, args.prefer)
        print("\n".join(lines), file=sys.stdout if code == EXIT_OK else sys.stderr)
    return code


def _council(args: argparse.Namespace) -> int:
    from ..council import Refused, council_pack
    from ..council.write import write_pack
    from ..spec import load_spec

    lang = args.lang
    spec = load_spec(args.spec) if args.spec else None
    try:
        pack = council_pack(args.workbook, spec, args.municipality, draft=args.draft)
    except Refused as refused:
        if args.json:
            print(_json_line(council_refused_dict(refused.details(lang))))
        raise
    documents = [(d.name, d.data) for d in pack.documents]
    written = write_pack(documents, args.output, force=args.force, protect=(args.workbook,))
    if args.json:
        document = council_dict(pack.digest, pack.draft, written, pack.warnings, lang)
        print(_json_line(document))
        return EXIT_OK
    for item in written:
        print(written_line(item, lang))
    _say(*(say("warning", lang, text=localize(warning, lang)) for warning in pack.warnings))
    print(say("content-id-draft" if pack.draft else "content-id", lang, digest=pack.digest))
    return EXIT_OK


def _diff(args: argparse.Namespace) -> int:
    from ..diff import Unreadable, diff_versions, read_version
    from ..diff.render import as_dict, as_json, as_markdown, as_text, unreadable_dict
    from ..spec import load_spec

    spec = load_spec(args.spec) if args.spec else None
    versions, reasons = [], []
    for path in (args.old, args.new):  # both files are read, so both problems are told
        try:
            versions.append(read_version(path, spec))
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


def _accounts(args: argparse.Namespace) -> int:
    from ..accounts import parse_as_of, run_accounts
    from ..accounts.readback import read_back
    from ..accounts.render import as_dict, as_json, summary_lines
    from ..files import OutputError, write_new

    lang, output = args.lang, args.output
    inputs = (
        args.workbook,
        args.map,
        *args.ledger,
        *args.hours,
        *([args.spec] if args.spec else []),
    )
    as_of = parse_as_of(args.as_of) if args.as_of else None
    run = run_accounts(args.workbook, args.ledger, args.map, args.hours, as_of, args.spec)
    read_back(run.workbook, run.checks, str(output), run.cells)  # a difference: nothing written
    targets = [
        (output, run.workbook),
        (output.with_name(f"{output.stem}-egeninnsats.pdf"), run.statement),
    ]
    for path, data in targets:  # refuse before writing either, so nothing is half written
        if path.is_file() and not args.force and path.read_bytes() != data:
            differs = Message("exists-differs-backup")
            raise OutputError(Message("at", place=str(path), text=differs))
    written = [write_new(p, d, force=args.force, protect=inputs) for p, d in targets]
    if args.json:
        print(as_json(as_dict(run.report, run.findings, lang)))
    else:
        print("\n".join(summary_lines(run.report, run.findings, lang)))
        for item in written:
            print(written_line(item, lang))
    return EXIT_FINDINGS if run.errors else EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    from ..serve import local, missing, url

    lang = args.lang
    if missing():
        _say(say("error", lang, text=say("serve-needs", lang)))
        return EXIT_BAD_INPUT
    from ..serve.run import listen, run

    gc.enable()  # a server runs for hours: the collector must not stay paused
    if not local(args.host):
        _say(say("warning", lang, text=say("serve-open-host", lang, host=args.host)))
    sock = listen(args.host, args.port)  # a port in use is one line (OutputError), exit 2
    print(say("serve-listening", lang, url=url(args.host, sock.getsockname()[1])), flush=True)
    run(sock, open_browser=args.open)
    return EXIT_OK
