"""Bokmål end to end: what every command prints by default is Norwegian, with Norwegian
numbers; `--lang en` gives English."""

from __future__ import annotations

import re

import yaml

from bygdevekst_xl.cli import main
from bygdevekst_xl.messages import (
    CATALOG,
    DETAIL_IN_ENGLISH,
    PATTERNS,
    Count,
    Message,
    kroner,
    localize,
    plural,
    say,
)
from tests import damage

P2, P5 = "2 Boligbygging", "5 Markedsføring"
ENGLISH = re.compile(
    r"\b(the|is|are|not|of|with|and|was|were|no|file|files|folder|wrote|checked|error|errors|"
    r"warning|cannot|must|found|expected|sheet|project|value|values|kept|carried|change|"
    r"headroom|costs|balance|cap|missing|unknown|refusing|rule|broken|written|would|lost|"
    r"exists|removed|added|renamed|typed|place)\b",
    re.IGNORECASE,
)


def english_words(text: str, *paths: object) -> list[str]:
    """English words in a command's output, leaving out file paths, finding codes, options and
    the spec paths a message names."""
    for path in paths:
        text = text.replace(str(path), "PATH")
    text = re.sub(r"\[[a-z]+(-[a-z]+)+\]", "", text)  # [kdd-over-cap]
    text = re.sub(r"\b[a-z]+(-[a-z]+)+\b", "", text)  # codes in the check table
    text = re.sub(r"--[a-z-]+", "", text)
    text = re.sub(r"\b[a-z_]+(\[\d+\])?(\.[a-z_]+(\[\d+\])?)+", "", text)  # pilot.kdd_cap
    return ENGLISH.findall(text)


def test_numbers_are_written_the_norwegian_way():
    """1 234 568 kr with no-break spaces, −12 500 kr with a true minus sign; øre after a decimal
    comma in bokmål, a point in English."""
    assert kroner(1234567.6) == "1\u00a0234\u00a0567,60\u00a0kr"
    assert kroner(1234568) == "1\u00a0234\u00a0568\u00a0kr"
    assert kroner(1234.5, "nb") == "1\u00a0234,50\u00a0kr"
    assert kroner(1234.5, "en") == "1\u00a0234.50\u00a0kr"
    assert kroner(-12500) == "\u221212\u00a0500\u00a0kr"


def test_every_catalogue_entry_has_both_languages_with_the_same_fields():
    """A sentence added in one language only, or with other fields, fails here; a detail a
    library gives in English only (PyYAML's, jsonschema's) is left out of the bokmål, and a
    counted word has a singular and a plural in both."""
    fields = re.compile(r"\{(\w+)")
    for key, (nb, en) in CATALOG.items():
        assert nb and en, key
        assert nb != en or key in ("error", "at", "shown-bool"), key
        if key in DETAIL_IN_ENGLISH:
            assert set(fields.findall(nb)) < set(fields.findall(en)), key
        else:
            assert sorted(fields.findall(nb)) == sorted(fields.findall(en)), key
        if key.startswith("n-"):
            assert nb.count("|") == en.count("|") == 1, key
    for en, nb in PATTERNS:
        assert sorted(fields.findall(nb)) == sorted(fields.findall(en)), en
        assert not english_words(re.sub(r"\{\w+\}", "", localize(en, "nb"))), en


def test_every_command_speaks_bokmal_by_default(example_workbook, example_dict, tmp_path, capsys):
    """generate (with broken rules), check (several files, one unreadable), extract (refusing),
    regenerate (refusing, then archiving) and the errors of a missing file print no English
    sentence without --lang en, and English with it."""
    moved = example_dict
    projects = {p["id"]: p for p in moved["projects"]}
    projects["prosjektledelse"]["financing"] = {
        "kdd": [1_080_000, 1_210_000],
        "statsforvalteren": [100_000, 0],
    }
    projects["markedsforing"]["financing"] = {"kdd": [160_000, 60_000],
                                             "statsforvalteren": [200_000, 200_000]}  # fmt: skip
    spec = tmp_path / "moved.yaml"
    spec.write_text(yaml.safe_dump(moved, allow_unicode=True), "utf-8")
    book = tmp_path / "moved.xlsx"
    typed = damage.with_openpyxl(
        example_workbook, tmp_path / "typed.xlsx", lambda wb: wb[P2].__setitem__("C9", "150 000")
    )
    edited = damage.with_openpyxl(  # project 5 edited, so removing it loses a typed value
        example_workbook, tmp_path / "edited.xlsx", lambda wb: wb[P5].__setitem__("C8", 35_000)
    )
    fewer = dict(example_dict, projects=example_dict["projects"][:4])
    smaller = tmp_path / "fewer.yaml"
    smaller.write_text(yaml.safe_dump(fewer, allow_unicode=True), "utf-8")
    runs = [
        (["generate", str(spec), "-o", str(book)], 0),
        (["generate", str(spec), "-o", str(book), "--strict", "--force"], 1),
        (["check", str(book), str(example_workbook), str(tmp_path / "nope.xlsx")], 2),
        (["extract", str(typed)], 1),
        (["regenerate", str(edited), "--spec", str(smaller), "-o", "x.xlsx"], 1),
        (["generate", str(tmp_path / "nope.yaml"), "-o", str(tmp_path / "n.xlsx")], 2),
    ]
    for args, code in runs:
        assert main(args) == code, args
        out = capsys.readouterr()
        text = out.out + out.err
        assert not english_words(text, tmp_path), (args, english_words(text, tmp_path), text)
        assert main([*args, "--lang", "en"]) == code, args
        out = capsys.readouterr()
        assert english_words(out.out + out.err, tmp_path), args
    assert main(["generate", str(spec), "-o", str(book), "--force"]) == 0
    text = capsys.readouterr().err
    assert "Markedsføring 2024: KDD-midlene (160\u00a0000\u00a0kr) er mer enn prosjektets" in text
    assert "\n1 regelbrudd: arbeidsboka er skrevet som et utkast" in text


def test_unreadable_files_are_explained_in_bokmal(tmp_path, capsys):
    """Why a file cannot be read (empty, text, a PDF, a zip that is no workbook, a folder)
    is said in bokmål, one line each."""
    import zipfile

    files = {
        "tom.xlsx": b"",
        "tekst.xlsx": b"a;b\n1;2\n",
        "pdf.xlsx": b"%PDF-1.7\n",
    }
    paths = []
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
        paths.append(tmp_path / name)
    with zipfile.ZipFile(tmp_path / "zip.xlsx", "w") as archive:
        archive.writestr("hei.txt", "hei")
    paths += [tmp_path / "zip.xlsx", tmp_path]
    assert main(["check", *map(str, paths)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == len(paths)
    assert not english_words("\n".join(err), tmp_path), err


def test_counts_take_the_word_that_goes_with_them():
    """1 advarsel / 2 advarsler, 1 endring / 2 endringer, 1 error / 2 errors: never ``(er)``
    or ``(s)``, and a count inside a message is said in the message's language."""
    assert plural(1, "n-warnings") == "1 advarsel"
    assert plural(2, "n-warnings") == "2 advarsler"
    assert plural(1, "n-changes") == "1 endring"
    assert plural(3, "n-changes") == "3 endringer"
    assert plural(1, "n-errors", "en") == "1 error"
    assert plural(2, "n-errors", "en") == "2 errors"
    refused = Message("council-refused", count=Count(1, "n-errors"))
    assert refused.say("nb").startswith("kontrollen fant 1 feil; ")
    assert str(refused).startswith("the check found 1 error; ")
    assert say("files-checked", "en", count=Count(1, "n-files"), ok=1, failed=0, unreadable=0) == (
        "1 file checked: 1 ok, 0 with errors, 0 unreadable"
    )
    for nb, en in CATALOG.values():
        assert "(er)" not in nb and "(r)" not in nb and "(s)" not in en


def test_a_message_is_english_text_and_says_itself_in_bokmal():
    """A library message keeps its key and fields: ``str()`` is English (what code and logs
    see), :func:`localize` says it in bokmål from the catalogue, not by matching English."""
    problem = Message("at", place="pilot.kdd_cap", text=Message("spec-at-least", v=1))
    assert isinstance(problem, str)
    assert problem == "pilot.kdd_cap: must be ≥ 1"
    assert localize(problem, "nb") == "pilot.kdd_cap: må være ≥ 1"
    assert localize(problem, "en") == "pilot.kdd_cap: must be ≥ 1"
    assert not any(en.startswith("must be") for en, _nb in PATTERNS)  # no pattern needed
    warning = Message("no-record-written", problem=problem)  # a message inside a message
    assert localize(warning, "nb") == (
        "ingen generasjonspost er skrevet: arbeidsboka har verdier en spesifikasjon ikke kan "
        "uttrykke (pilot.kdd_cap: må være ≥ 1); rett dem og kjør regenerate igjen"
    )


def test_spec_errors_are_bokmal_through_and_through(tmp_path, example_workbook, capsys):
    """The errors of a spec a Norwegian writes say what to do in bokmål with no English mixed
    in: the top of the spec, the place in the YAML text, a number written with spaces (with
    the fix), a date that is no date, and a workbook given where a spec belongs."""
    cases = {
        "tall.yaml": (
            "pilot:\n  kdd_cap: 90 000\n",
            "pilot.kdd_cap: må være et heltall, ikke teksten '90 000'; skriv 90000 uten mellomrom",
        ),
        "topp.yaml": ("- a\n- b\n", "(øverste nivå): må være nøkler med verdier"),
        "tab.yaml": (
            "pilot:\n\tname: x\n",
            "linje 2, kolonne 1: ikke gyldig YAML: en tabulator; rykk inn med mellomrom",
        ),
        "kolon.yaml": ("pilot: name: x\n", "linje 1, kolonne 12: ikke gyldig YAML: et kolon"),
        "dato.yaml": (
            "pilot:\n  council_meeting: 2023-02-30\n",
            "linje 2, kolonne 20: '2023-02-30' er ikke en gyldig dato",
        ),
    }
    for name, (text, expected) in cases.items():
        (tmp_path / name).write_text(text, "utf-8")
        assert main(["generate", str(tmp_path / name), "-o", str(tmp_path / "x.xlsx")]) == 2
        err = capsys.readouterr().err
        assert f"feil: {tmp_path / name}: {expected}" in err, err
        assert not english_words(err.replace("'90 000'", ""), tmp_path), err
        assert "(top)" not in err and "line " not in err and "date" not in err
    assert main(["generate", str(example_workbook), "-o", str(tmp_path / "y.xlsx")]) == 2
    err = capsys.readouterr().err
    assert err == (
        f"feil: {example_workbook}: dette er en arbeidsbok (.xlsx), ikke en spesifikasjon "
        "(YAML); mente du check?\n"
    )
    assert (
        main(["generate", str(example_workbook), "-o", str(tmp_path / "y.xlsx"), "--lang", "en"])
        == 2
    )
    assert "this is a workbook (.xlsx), not a spec (YAML); did you mean check?" in (
        capsys.readouterr().err
    )


def test_check_counts_one_warning_in_the_singular(example_workbook, tmp_path, capsys):
    """A workbook with one warning ends ``Resultat: OK (0 feil, 1 advarsel)`` (``0 errors,
    1 warning`` in English), amounts with no-break spaces."""
    path = damage.with_openpyxl(
        example_workbook, tmp_path / "tittel.xlsx", lambda wb: wb["Forside"].__setitem__("A1", "Ny")
    )
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "  Resultat: OK (0 feil, 1 advarsel)" in out
    assert "    Balanse: 0\u00a0kr" in out
    assert main(["check", str(path), "--lang", "en"]) == 0
    assert "  Verdict: OK (0 errors, 1 warning)" in capsys.readouterr().out


def test_no_keyed_message_is_also_translated_by_pattern():
    """A sentence the catalogue keys is said from its key: no English pattern repeats it (a
    rewording of one would then silently keep an old translation)."""
    keyed = {en for _nb, en in CATALOG.values()}
    assert [en for en, _nb in PATTERNS if en in keyed] == []
