"""One base for every error a user can meet, each carrying its exit code.

The command line has one handler (``cli.main``): it prints the error's :meth:`lines`, each
as ``feil: …`` in the user's language and naming the place (file, sheet, cell or spec path),
then its :meth:`~BygdevekstError.details` indented, and exits with its code. Exit codes: 1
when the input is readable but must be fixed first (values that cannot be carried, inputs a
spec cannot state, rules a ``--strict`` spec breaks), 2 when it cannot be used at all (a bad
spec, an unreadable workbook, an output that cannot be written).
"""

from __future__ import annotations

EXIT_FINDINGS, EXIT_BAD_INPUT = 1, 2


class BygdevekstError(Exception):
    """An error a user can act on; ``str()`` is its first line."""

    exit_code = EXIT_BAD_INPUT

    def lines(self) -> list[str]:
        """Every error line, in the library's English, each naming its place first (a
        ``Message`` the error was raised with stays one, to be said in any language)."""
        if len(self.args) == 1 and isinstance(self.args[0], str):
            return [self.args[0]]
        return [str(self)]

    def lines_in(self, lang: str) -> list[str]:
        """Every error line in ``lang``: a line that is a ``Message`` says itself; English
        text is matched against the catalogue's patterns (``messages.localize``)."""
        from .messages import localize

        return [localize(line, lang) for line in self.lines()]

    def details(self, lang: str = "nb") -> list[str]:
        """Lines that follow the error lines, in ``lang`` (the cells to fix, ...)."""
        return []
