"""The command line, a thin layer over the library. Exit 0 ok, 1 findings, 2 bad input."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .files import OutputError
from .spec import SpecError, example_path
from .writer import WriteError

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
    gen.add_argument(
        "--force",
        action="store_true",
        help="replace an existing, different output (the old file is kept as a backup)",
    )
    gen.set_defaults(run=_generate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad usage, 0 on --help
        return int(exc.code or 0)
    return args.run(args)


def _generate(args: argparse.Namespace) -> int:
    from .generate import generate

    spec = args.spec or example_path()
    try:
        result = generate(spec, args.output, force=args.force)
    except SpecError as exc:
        for problem in exc.problems:
            print(f"error: {exc.source}: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (OutputError, WriteError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    written, t = result.written, result.totals
    if written.unchanged:
        print(f"{written.path} is up to date (same content)")
    else:
        print(
            f"Wrote {written.path}"
            + (f" (old file kept as {written.backup})" if written.backup else "")
        )
    print(
        f"{result.budget.pilot.name}: costs {kroner(t.total_costs)} (in kind {kroner(t.in_kind)}), "
        f"KDD {kroner(t.kdd)} of cap {kroner(t.kdd_cap)} ({kroner(t.kdd_headroom)} headroom), "
        f"Statsforvalteren {kroner(t.statsforvalteren)}, balance {kroner(t.balance)}"
    )
    return EXIT_OK
