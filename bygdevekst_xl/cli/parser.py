"""An argument parser that speaks the user's language, argparse's own words included.

argparse words its usage line, headings, built-in help and errors through ``gettext``
(``argparse._`` and ``argparse.ngettext``), keyed by the English text. :class:`Parser` states
them in bokmål by answering those look-ups from :data:`ARGPARSE_NB` while it builds, parses and
formats; a text argparse adds in a later Python shows in English until it is added here (a
test lists the ones the commands meet). The language is known before parsing:
:func:`language_of` reads ``--lang`` from the raw arguments.
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator, Sequence
from typing import Any

# argparse's English message ids (Python 3.10-3.14) -> bokmål
ARGPARSE_NB: dict[str, str] = {
    "usage: ": "bruk: ",
    "options": "valg",
    "optional arguments": "valg",
    "positional arguments": "posisjonsargumenter",
    "subcommands": "kommandoer",
    "%(heading)s:": "%(heading)s:",
    "show this help message and exit": "vis denne hjelpeteksten og avslutt",
    "show program's version number and exit": "vis programmets versjonsnummer og avslutt",
    " (default: %(default)s)": " (standard: %(default)s)",
    "%(prog)s: error: %(message)s\n": "%(prog)s: feil: %(message)s\n",
    "%(prog)s: warning: %(message)s\n": "%(prog)s: advarsel: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "argumentet %(argument_name)s: %(message)s",
    "the following arguments are required: %s": "disse argumentene mangler: %s",
    "one of the arguments %s is required": "ett av argumentene %s må oppgis",
    "not allowed with argument %s": "kan ikke brukes sammen med argumentet %s",
    "unrecognized arguments: %s": "ukjente argumenter: %s",
    "expected one argument": "ventet én verdi",
    "expected at most one argument": "ventet høyst én verdi",
    "expected at least one argument": "ventet minst én verdi",
    "expected %s argument": "ventet %s verdi",
    "expected %s arguments": "ventet %s verdier",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "ugyldig valg: %(value)r (velg blant %(choices)s)"
    ),
    "invalid choice: %(value)r, maybe you meant %(closest)r? (choose from %(choices)s)": (
        "ugyldig valg: %(value)r, mente du %(closest)r? (velg blant %(choices)s)"
    ),
    "invalid %(type)s value: %(value)r": "ugyldig verdi for %(type)s: %(value)r",
    "ambiguous option: %(option)s could match %(matches)s": (
        "tvetydig valg: %(option)s kan bety %(matches)s"
    ),
    "ignored explicit argument %r": "valget tar ingen verdi: %r",
    "unexpected option string: %s": "uventet valg: %s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "ukjent kommando %(parser_name)r (velg blant %(choices)s)"
    ),
    "can't open '%(filename)s': %(error)s": "kan ikke åpne «%(filename)s»: %(error)s",
    "option '%(option)s' is deprecated": "valget «%(option)s» er utgått",
    "argument '%(argument_name)s' is deprecated": "argumentet «%(argument_name)s» er utgått",
    "command '%(parser_name)s' is deprecated": "kommandoen «%(parser_name)s» er utgått",
}


def language_of(argv: Sequence[str]) -> str:
    """The language ``--lang`` asks for in raw arguments (``--lang en``, ``--lang=en``);
    ``nb`` when none is given or it is not one we speak."""
    lang = "nb"
    args = list(argv)
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            lang = args[i + 1]
        elif arg.startswith("--lang="):
            lang = arg.removeprefix("--lang=")
    return lang if lang in ("nb", "en") else "nb"


def _gettext_nb(message: str) -> str:
    return ARGPARSE_NB.get(message, message)


def _ngettext_nb(singular: str, plural: str, n: int) -> str:
    return _gettext_nb(singular if n == 1 else plural)


@contextlib.contextmanager
def argparse_speaks(lang: str) -> Iterator[None]:
    """argparse's own texts in ``lang`` for the duration (nested uses restore in order)."""
    if lang != "nb":
        yield
        return
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = _gettext_nb, _ngettext_nb  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose own words (usage, headings, errors) are in ``lang``."""

    def __init__(self, *args: Any, lang: str = "nb", **kwargs: Any) -> None:
        self.lang = lang
        with argparse_speaks(lang):
            super().__init__(*args, **kwargs)

    def add_subparsers(self, **kwargs: Any) -> Any:
        kwargs.setdefault("parser_class", _subparser_class(self.lang))
        with argparse_speaks(self.lang):
            return super().add_subparsers(**kwargs)

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        with argparse_speaks(self.lang):
            return super().add_argument(*args, **kwargs)

    def parse_args(self, *args: Any, **kwargs: Any) -> Any:
        with argparse_speaks(self.lang):
            return super().parse_args(*args, **kwargs)

    def parse_known_args(self, *args: Any, **kwargs: Any) -> Any:
        with argparse_speaks(self.lang):
            return super().parse_known_args(*args, **kwargs)

    def format_usage(self) -> str:
        with argparse_speaks(self.lang):
            return super().format_usage()

    def format_help(self) -> str:
        with argparse_speaks(self.lang):
            return super().format_help()

    def error(self, message: str) -> Any:  # type: ignore[override]
        if self.lang == "nb" and message.startswith("argument "):  # Python 3.10 words it so
            message = "argumentet " + message.removeprefix("argument ")
        with argparse_speaks(self.lang):
            return super().error(message)


def _subparser_class(lang: str) -> Any:
    def make(**kwargs: Any) -> Parser:
        return Parser(lang=lang, **kwargs)

    return make
