"""One base for every error a user can meet, each carrying its exit code.

The command line has one handler: it prints the error's lines (``error: …`` on standard
error, each naming the place: file, sheet, cell or spec path) and exits with its code. Exit
codes: 1 when the input is readable but must be fixed first (values that cannot be carried,
inputs a spec cannot state), 2 when it cannot be used at all (a bad spec, an unreadable
workbook, an output that cannot be written).
"""

from __future__ import annotations

EXIT_FINDINGS, EXIT_BAD_INPUT = 1, 2


class BygdevekstError(Exception):
    """An error a user can act on; ``str()`` is its first line."""

    exit_code = EXIT_BAD_INPUT

    def lines(self) -> list[str]:
        """Every line to show, the first naming the place."""
        return [str(self)]
