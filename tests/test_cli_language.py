"""The command line's own words (help, usage, argument errors) in bokmål by default, English
with ``--lang en``, argparse's included."""

from __future__ import annotations

import re

import pytest

from bygdevekst_xl.cli import build_parser, main
from bygdevekst_xl.cli.parser import ARGPARSE_NB, language_of
from bygdevekst_xl.cli.texts import HELP

COMMANDS = tuple(build_parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
"""Every command the parser has, a command added later included."""
ENGLISH = re.compile(
    r"\b(the|a|an|of|and|or|is|are|not|with|from|each|every|this|that|show|help|"
    r"message|exit|usage|options|optional|positional|arguments?|default|required|"
    r"expected|invalid|choice|choose|unrecognized|error|file|files|folder|workbook|spec|"
    r"write|print|report|version|program|language|output|only|when|which|new|old|"
    r"earlier|later|changed|values?|typed|drop|keep|place|rules?|checked|draft|despite)\b",
    re.IGNORECASE,
)


def english_in(text: str) -> list[str]:
    """English words in a help or error text, leaving out what a user types as it is: option
    names (``--drop-orphans``), choices (``{workbook,spec}``), the command names and file
    names in examples (``hjerteregionen.xlsx``)."""
    text = re.sub(r"--?[a-z][a-z-]*", "", text)
    text = re.sub(r"\{[a-z,]+\}", "", text)
    text = re.sub(r"\((workbook|spec)\)", "", text)  # a choice named where it is explained
    text = re.sub(r"'[^']*'", "", text)  # choices quoted in an error
    text = re.sub(r"\b[\w.-]+\.(xlsx|yaml)\b", "", text)
    text = re.sub(r"\b(" + "|".join(COMMANDS) + r")\b", "", text)
    text = text.replace("python -m bygdevekst_xl", "").replace("bygdevekst-xl", "")
    return ENGLISH.findall(text)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_every_help_is_bokmal_by_default_and_english_on_request(command, capsys):
    """``--help`` of the program and of each command: usage, headings, argparse's own lines
    and every option's help in bokmål, with no English word a user reads; ``--lang en``
    gives the English help."""
    args = [command] if command else []
    code, out, err = run(capsys, *args, "--help")
    assert code == 0 and err == ""
    assert out.startswith("bruk: ")
    assert "\nvalg:\n" in out
    assert "-h, --help" in out and "vis denne hjelpeteksten og avslutt" in out
    assert english_in(out) == [], (command, english_in(out), out)
    if command:
        code, out, _err = run(capsys, command, "--help", "--lang", "en")
        assert code == 0
        assert out.startswith("usage: ") and "\noptions:\n" in out
        assert "show this help message and exit" in out
        assert english_in(out)  # the scan has teeth


def test_help_texts_are_keyed_in_both_languages():
    """Every help text has a bokmål and an English wording, different where words differ."""
    for key, (nb, en) in HELP.items():
        assert nb and en, key
        assert nb != en or key.startswith("metavar."), key


@pytest.mark.parametrize(
    ("args", "nb", "en"),
    [
        (
            ["regenerate", "bok.xlsx"],
            "feil: disse argumentene mangler: -o/--output",
            "error: the following arguments are required: -o/--output",
        ),
        (
            ["check", "bok.xlsx", "--lang", "de"],
            "feil: argumentet --lang: ugyldig valg: 'de' (velg blant 'nb', 'en')",
            "",  # --lang de is no language: bokmål
        ),
        (
            ["sjekk"],
            "feil: argumentet KOMMANDO: ugyldig valg: 'sjekk' (velg blant 'generate', ",
            "error: argument COMMAND: invalid choice: 'sjekk' (choose from 'generate', ",
        ),
        (
            ["check", "bok.xlsx", "--bad"],
            "feil: ukjente argumenter: --bad",
            "error: unrecognized arguments: --bad",
        ),
        (
            ["check", "--spec"],
            "feil: argumentet --spec: ventet én verdi",
            "error: argument --spec: expected one argument",
        ),
        (
            ["diff", "a.xlsx", "b.xlsx", "--json", "--markdown"],
            "feil: argumentet --markdown: kan ikke brukes sammen med argumentet --json",
            "error: argument --markdown: not allowed with argument --json",
        ),
        ([], "feil: disse argumentene mangler: KOMMANDO", "error: the following arguments"),
    ],
)
def test_argument_errors_are_bokmal_by_default(args, nb, en, capsys):
    """A wrong command line exits 2 with argparse's usage and error in bokmål (``bruk:``,
    ``feil:``), and in English with ``--lang en`` (also given as ``--lang=en``)."""
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    assert err.startswith("bruk: ")
    assert nb in err, err
    assert english_in(err.split("\n", 1)[1].replace("bok.xlsx", "")) == [], err
    if en:
        code, _out, err = run(capsys, *args, "--lang=en")
        assert code == 2
        assert err.startswith("usage: ") and en in err, err


def test_the_language_is_read_before_parsing():
    """``--lang en`` and ``--lang=en`` anywhere before ``--``; anything else is bokmål."""
    assert language_of(["check", "x.xlsx", "--lang", "en"]) == "en"
    assert language_of(["--lang=en", "check"]) == "en"
    assert language_of(["check", "--lang", "de"]) == "nb"
    assert language_of(["check", "--", "--lang", "en"]) == "nb"
    assert language_of(["check", "--lang"]) == "nb"


def test_argparse_words_are_restored_after_parsing(capsys):
    """Building and running the bokmål parser leaves argparse's own words English for any
    other parser in the same process."""
    import argparse

    build_parser("nb").format_help()
    other = argparse.ArgumentParser(prog="annet")
    assert other.format_usage().startswith("usage: ")
    assert "show this help message and exit" in other.format_help()
    assert set(ARGPARSE_NB) >= {"usage: ", "options", "positional arguments"}


def test_output_suffix_error_is_bokmal(tmp_path, capsys):
    """An -o with the wrong ending is refused in bokmål by default, in English on request."""
    code, _out, err = run(capsys, "generate", "-o", str(tmp_path / "bok.txt"))
    assert code == 2
    assert (
        err
        == f"feil: {tmp_path / 'bok.txt'}: -o må være en fil som slutter på .xlsx for generate\n"
    )
    code, _out, err = run(capsys, "generate", "-o", str(tmp_path / "bok.txt"), "--lang", "en")
    assert (
        err == f"error: {tmp_path / 'bok.txt'}: -o must name a file ending in .xlsx for generate\n"
    )
