"""Spec loading: the example is valid, and every kind of bad spec is refused with its path."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bygdevekst_xl.spec import SpecError, budget_from_dict, dump_spec, load_spec, parse_spec


def problems(data: Any) -> list[str]:
    with pytest.raises(SpecError) as caught:
        budget_from_dict(data)
    return caught.value.problems


def test_example_spec_is_valid_and_has_five_projects(example_budget):
    """The built-in Hjerteregionen spec loads with its three municipalities and five projects."""
    assert example_budget.pilot.municipalities == ("Hammerfest", "Hasvik", "Måsøy")
    assert example_budget.pilot.years == (2024, 2025)
    assert example_budget.pilot.kdd_cap == 4_000_000
    assert [p.id for p in example_budget.projects] == [
        "prosjektledelse",
        "boligbygging",
        "arbeidsliv",
        "plankontor",
        "markedsforing",
    ]
    assert [p.working_group for p in example_budget.projects] == [False, True, True, True, True]


def test_eligibility_matches_the_kdd_rules(example_budget):
    """KDD may pay for management, travel, courses and working groups, not the four excluded kinds."""
    eligible = {c.name for c in example_budget.categories if c.kdd_eligible}
    assert eligible == {"Prosjektledelse", "Reiser", "Kurs og kompetanse", "Arbeidsgrupper"}
    not_eligible = {c.name for c in example_budget.categories if not c.kdd_eligible}
    assert {
        "Ordinære driftskostnader",
        "Frikjøp av politiske ressurser",
        "Bedriftsutvikling",
        "Direkte støtte til bedrifter",
    } <= not_eligible


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["projects"][2]["costs"][1]["amounts"].__setitem__(0, -5),
            "projects[2].costs[1].amounts[0]: must be ≥ 0",
        ),
        (
            lambda d: d["projects"][2]["costs"][1]["amounts"].__setitem__(1, 10.5),
            "projects[2].costs[1].amounts[1]: must be a whole number, not 10.5",
        ),
        (  # kroner written the Norwegian way, with spaces, are text in YAML
            lambda d: d["pilot"].__setitem__("kdd_cap", "4 000 000"),
            "pilot.kdd_cap: must be a whole number, not text '4 000 000'; write 4000000 without spaces",
        ),
        (
            lambda d: d["projects"][0].__setitem__("colour", "red"),
            "projects[0]: unknown key 'colour'",
        ),
        (lambda d: d["pilot"].pop("kdd_cap"), "pilot: missing required field 'kdd_cap'"),
        (
            lambda d: d["pilot"].__setitem__("years", [2024, 2025, 2026]),
            "pilot.years: must have exactly 2 entries (one per project year), not 3",
        ),
        (
            lambda d: d["pilot"].__setitem__("years", [2024]),
            "pilot.years: must have exactly 2 entries (one per project year), not 1",
        ),
        (
            lambda d: d["projects"][1].__setitem__("sheet", "A" * 32),
            "projects[1].sheet: must be at most 31 characters",
        ),
        (
            lambda d: d["projects"][1].__setitem__("sheet", "Bolig/tomt"),
            "projects[1].sheet: sheet name must not contain any of []:*?/\\ or start or end with '",
        ),
        (
            lambda d: d["projects"][1].__setitem__("sheet", "Bolig[1]"),
            "projects[1].sheet: sheet name must not contain any of []:*?/\\ or start or end with '",
        ),
        (
            lambda d: d["projects"][3].__setitem__("id", "arbeidsliv"),
            "projects[3].id: duplicate project id 'arbeidsliv'",
        ),
        (
            lambda d: d["projects"][3].__setitem__("sheet", "3 ARBEIDSLIV"),
            "projects[3].sheet: sheet name '3 ARBEIDSLIV' is already used (case-insensitive)",
        ),
        (
            lambda d: d["projects"][3].__setitem__("sheet", "Parametre"),
            "projects[3].sheet: sheet name 'Parametre' is already used (case-insensitive)",
        ),
        (
            lambda d: d["projects"][4]["costs"][0].__setitem__("category", "lobbyisme"),
            "projects[4].costs[0].category: category 'lobbyisme' is not defined",
        ),
        (
            lambda d: d["projects"][1]["hours"].__setitem__("Alta", [1, 1]),
            "projects[1].hours.Alta: 'Alta' is not one of the municipalities in pilot.municipalities",
        ),
        (
            lambda d: d["pilot"].__setitem__("application_deadline", "01.11.2023"),
            "pilot.application_deadline: must be a date written YYYY-MM-DD",
        ),
    ],
)
def test_bad_spec_names_the_path(example_dict, change, expected):
    """Each kind of broken spec is refused with one line naming the path of the problem."""
    data = copy.deepcopy(example_dict)
    change(data)
    assert expected in problems(data)


def test_yaml_that_is_not_a_mapping_is_refused():
    """A spec that is a list or a scalar gets one top-level message."""
    assert problems(["a", "b"]) == [
        "(top): must be a mapping of pilot, categories and projects, not a list"
    ]


def test_missing_file_folder_and_bad_bytes_are_refused(tmp_path: Path):
    """A wrong path, a folder and non-UTF-8 bytes each give a one-line error naming the file."""
    with pytest.raises(SpecError, match="file not found"):
        load_spec(tmp_path / "nope.yaml")
    with pytest.raises(SpecError, match="is a folder"):
        load_spec(tmp_path)
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes("pilot: Måsøy".encode("latin-1"))
    with pytest.raises(SpecError, match="not UTF-8"):
        load_spec(bad)


def test_unsafe_yaml_tags_and_alias_bombs_are_refused():
    """Python object tags and aliases are refused, never constructed or expanded."""
    with pytest.raises(SpecError, match="not valid YAML"):
        parse_spec("pilot: !!python/object/apply:os.system ['echo hi']")
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n"
    with pytest.raises(SpecError, match="aliases"):
        parse_spec(bomb)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: &x 1\nb: *x\n", "line 1, column 4: this value is used again through an alias"),
        ("a: &m {x: 1}\nb:\n  <<: *m\n", "line 3, column 3: merge keys (<<) are not allowed"),
        ("a:\n  <<: {x: 1}\n", "line 2, column 3: merge keys (<<) are not allowed"),
        ("a: " + "[" * 25 + "]" * 25 + "\n", "nested more than 20 deep"),
        ("? [a, b]\n: 1\n", "line 1, column 3: a key must be text or a number"),
    ],
)
def test_yaml_features_a_spec_never_needs_are_refused_with_their_place(text, message):
    """Scalar aliases, merge keys, deep nesting and list keys are refused, naming the place."""
    with pytest.raises(SpecError) as caught:
        parse_spec(text)
    [problem] = caught.value.problems
    assert problem.startswith(message) if message.startswith("line") else message in problem


def test_a_key_given_twice_is_refused_not_silently_overwritten(example_dict):
    """YAML keeps only the last of two equal keys; a spec refuses, so no typed value is lost."""
    text = yaml.safe_dump(example_dict, allow_unicode=True, sort_keys=False)
    text = text.replace("  kdd_cap: 4000000\n", "  kdd_cap: 4000000\n  kdd_cap: 5000000\n")
    with pytest.raises(SpecError) as caught:
        parse_spec(text, "spec.yaml")
    [problem] = caught.value.problems
    line = text.splitlines().index("  kdd_cap: 5000000") + 1
    assert problem == f"line {line}, column 3: 'kdd_cap' is given twice"
    assert str(caught.value).startswith("spec.yaml: line ")


def test_invalid_yaml_reports_line():
    """A YAML syntax error names its line."""
    with pytest.raises(SpecError, match="line 2, column 13"):
        parse_spec("pilot:\n  name: 'x' y: z\n")


def test_dump_then_load_gives_the_same_budget(example_budget):
    """Writing a budget back to YAML and reading it again gives the same budget."""
    assert parse_spec(dump_spec(example_budget)) == example_budget


def test_unquoted_yaml_dates_are_accepted(example_dict):
    """A date written without quotes in YAML is read as the same ISO date."""
    text = yaml.safe_dump(example_dict, allow_unicode=True).replace("'2023-11-01'", "2023-11-01")
    assert parse_spec(text).pilot.application_deadline == "2023-11-01"


_YAML_PIECES = [
    "a",
    ": ",
    "- ",
    "\n",
    "  ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&x ",
    "*x",
    "!!str ",
    "!!int ",
    "!!float ",
    "!!binary ",
    "!!timestamp ",
    "!!python/name:os.system",
    "<<: ",
    "? ",
    "|\n",
    ">-\n",
    "'",
    '"',
    "#",
    "---\n",
    "...\n",
    "%YAML 1.1\n",
    "2023-11-01",
    "0x1F",
    "1_000",
    "1:30",
    ".inf",
    ".nan",
    "~",
    "null",
    "yes",
    "Ja",
    "Måsøy",
    "\t",
    "\\u0000",
    "\x85",
]


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.lists(st.sampled_from(_YAML_PIECES), max_size=40).map("".join),
        st.text(max_size=200),
    )
)
def test_any_text_is_a_budget_or_a_spec_error(text):
    """Whatever the text (tags, anchors, merge keys, odd scalars, control characters), reading
    it gives a budget or a SpecError with a message, never another exception."""
    try:
        parse_spec(text, "fuzz.yaml")
    except SpecError as exc:
        assert exc.problems and all(exc.problems)


@pytest.mark.slow
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.data())
def test_damaged_example_text_is_a_budget_or_a_spec_error(example_dict, data):
    """The example spec with a slice of its text deleted, duplicated or replaced."""
    text = yaml.safe_dump(example_dict, allow_unicode=True, sort_keys=False)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, min(len(text), start + 60)))
    piece = data.draw(st.sampled_from(["", text[start:end] * 2, *_YAML_PIECES]))
    try:
        parse_spec(text[:start] + piece + text[end:], "fuzz.yaml")
    except SpecError as exc:
        assert exc.problems and all(exc.problems)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["pilot"].__setitem__("name", "Hjerte\x01regionen"),
            "pilot.name: holds a control character (U+0001)",
        ),
        (
            lambda d: d["projects"][1].__setitem__("sheet", "Bolig\tbygging"),
            "projects[1].sheet: holds a line break or tab character (U+0009)",
        ),
        (
            lambda d: d["projects"][1].__setitem__("sheet", "Bolig\rbygging"),
            "projects[1].sheet: holds a line break or tab character (U+000D)",
        ),
        (
            lambda d: d["categories"][2].__setitem__("name", "Reise\ufffe"),
            "categories[2].name: holds a control character (U+FFFE)",
        ),
        (
            lambda d: d["projects"][0]["costs"][0].__setitem__("description", "a\x00b"),
            "projects[0].costs[0].description: holds a control character (U+0000)",
        ),
        (
            lambda d: d["pilot"]["municipalities"].__setitem__(0, "Hammer\ud800fest"),
            "pilot.municipalities[0]: holds a control character (U+D800)",
        ),
        (
            lambda d: d["categories"][0].__setitem__("name", "=Reiser"),
            "categories[0].name: '=Reiser' would be read by SUMIF as a comparison or wildcard",
        ),
        (
            lambda d: d["categories"][1].__setitem__("name", "<>"),
            "categories[1].name: '<>' would be read by SUMIF",
        ),
        (
            lambda d: d["categories"][1].__setitem__("name", "Reise *"),
            "categories[1].name: 'Reise *' would be read by SUMIF",
        ),
        (
            lambda d: d["categories"][1].__setitem__("name", "Hva? ~"),
            "categories[1].name: 'Hva? ~' would be read by SUMIF",
        ),
        (
            lambda d: d["projects"][1].__setitem__("sheet", "🏠" * 16),
            "projects[1].sheet: sheet name is 32 characters as Excel counts them (at most 31",
        ),
        (
            lambda d: d["projects"][1].__setitem__("sheet", "history"),
            "projects[1].sheet: sheet name 'history' is already used (case-insensitive)",
        ),
    ],
)
def test_text_a_workbook_cannot_hold_is_refused_with_its_path(example_dict, change, expected):
    """Control characters (which break the XML), line breaks in names and sheet names, category
    names SUMIF would read as an operator or wildcard, sheet names over 31 UTF-16 units and
    Excel's reserved "History" are refused with the spec path."""
    data = copy.deepcopy(example_dict)
    change(data)
    assert any(p.startswith(expected) for p in problems(data)), problems(data)


def test_line_breaks_are_allowed_in_free_text(example_dict):
    """Notes, the reservation and description lines may hold line breaks and tabs."""
    data = copy.deepcopy(example_dict)
    data["pilot"]["reservation"] = "Forbehold:\n\tvedtak i kommunestyret"
    data["categories"][0]["note"] = "linje 1\nlinje 2"
    data["projects"][0]["costs"][0]["description"] = "Reise\tTromsø"
    assert budget_from_dict(data).pilot.reservation.startswith("Forbehold:\n")


def test_the_error_list_shows_the_first_50_and_counts_the_rest(example_dict):
    """A spec with thousands of errors (three per cost line here, 100 lines in each of 30 or
    40 projects) lists the first 50 and one line counting the rest; past 10 000 errors, the
    count is a lower bound."""
    for projects, rest in ((30, "8950"), (40, "at least 9950")):
        data = copy.deepcopy(example_dict)
        wrong = [{"category": 1} for _ in range(100)]
        data["projects"] = [{**data["projects"][0], "costs": wrong}] * projects
        found = problems(data)
        assert len(found) == 51
        assert found[0].startswith("projects[0].costs[0]")
        assert found[-1] == f"(top): {rest} more problems (only the first 50 are shown)"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kdd_cap: 0x" + "f" * 5000, "a number of 5002 characters (at most 40) is too large"),
        ("kdd_cap: 0b" + "1" * 5000, "a number of 5002 characters (at most 40) is too large"),
        ("kdd_cap: 1" + ":59" * 2000, "a number of 6001 characters (at most 40) is too large"),
        ("kdd_cap: .nan", ".nan is not a number"),
    ],
)
def test_yaml_numbers_beyond_any_amount_are_refused(example_dict, text, expected):
    """YAML 1.1 integers of thousands of digits (hex, binary, base 60) and .nan are refused
    with their line, before Python converts or prints them."""
    spec = yaml.safe_dump(example_dict, allow_unicode=True, sort_keys=False)
    spec = spec.replace("kdd_cap: 4000000", text)
    with pytest.raises(SpecError) as caught:
        parse_spec(spec, "tall.yaml")
    [problem] = caught.value.problems
    assert problem.startswith("line ") and expected in problem


def test_a_spec_of_too_many_values_is_refused_before_parsing():
    """A flow list of two million values is refused by counting, not parsed."""
    from bygdevekst_xl.spec.yaml_nodes import MAX_NODES

    with pytest.raises(SpecError) as caught:
        parse_spec("a: [" + ",1" * 2_000_000 + "]", "mange.yaml")
    assert f"a spec may hold at most {MAX_NODES} (refusing)" in caught.value.problems[0]


def test_fifos_devices_and_lying_sizes_are_not_read(tmp_path):
    """A FIFO and /dev/zero are refused without reading them (no hang, no MemoryError)."""
    import os

    fifo = tmp_path / "spec.yaml"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero")):
        with pytest.raises(SpecError) as caught:
            load_spec(path)
        assert caught.value.problems == ["is not a regular file (a pipe or a device?)"]


@pytest.mark.parametrize(
    "text", ["5", "-5", "017", "-017", "0", "-0", "00", "1_000", "0x1f", "+5", "1:30", "'5'"]
)
def test_whole_numbers_read_as_yaml_reads_them(text):
    """The quick path for plain whole numbers agrees with PyYAML on every YAML 1.1 form
    (octal 017, base 60, underscores, signs)."""
    from bygdevekst_xl.spec.yaml_nodes import load_yaml

    ours, theirs = load_yaml(f"a: {text}"), yaml.safe_load(f"a: {text}")
    assert ours == theirs and type(ours["a"]) is type(theirs["a"])


def test_a_scalar_repeated_plain_and_quoted_keeps_each_ones_tag():
    """Each distinct scalar's tag is resolved once per document: the same text plain and
    quoted, or in another style, still reads as PyYAML reads it."""
    from bygdevekst_xl.spec.yaml_nodes import load_yaml

    text = "a: [1, '1', 1, \"1\", null, 'null', null, yes, 'yes', 2023-11-01, '2023-11-01']\n"
    ours, theirs = load_yaml(text), yaml.safe_load(text)
    theirs["a"][9] = theirs["a"][9].isoformat()  # dates read as ISO text
    assert ours == theirs
    assert [type(v) for v in ours["a"]] == [type(v) for v in theirs["a"]]


def test_check_spec_refuses_what_budget_from_dict_refuses(example_dict):
    """check_spec raises the same problems as budget_from_dict, and passes a valid spec."""
    from bygdevekst_xl.spec import check_spec

    assert check_spec(example_dict) is None
    example_dict["projects"][0]["costs"][0]["amounts"][0] = "90 000"
    with pytest.raises(SpecError) as checked:
        check_spec(example_dict, "x")
    with pytest.raises(SpecError) as built:
        budget_from_dict(example_dict, "x")
    assert checked.value.problems == built.value.problems


def test_description_paragraphs_read_back_as_written(example_dict, tmp_path, capsys):
    """Description paragraphs with surrounding spaces, a line break or a blank one are kept
    as the workbook gives them back (trimmed, one a line): the fresh workbook checks clean."""
    from bygdevekst_xl.cli import main

    example_dict["projects"][0]["description"] = ["Første avsnitt ", " to\nlinjer", "  "]
    assert budget_from_dict(example_dict).projects[0].description == (
        "Første avsnitt",
        "to",
        "linjer",
    )
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump(example_dict, allow_unicode=True), "utf-8")
    out = tmp_path / "ut.xlsx"
    assert main(["generate", str(spec), "-o", str(out)]) == 0
    capsys.readouterr()
    assert main(["check", str(out), "--lang", "en"]) == 0
    assert "0 errors, 0 warnings" in capsys.readouterr().out


def test_dump_spec_escapes_what_libyaml_cannot_write(example_budget):
    """dump_spec (libyaml, for speed) falls back to PyYAML's escaping for a lone surrogate a
    damaged workbook can hold, instead of failing."""
    from bygdevekst_xl.dataclass import replace

    pilot = replace(example_budget.pilot, name="a\ud800b")
    text = dump_spec(replace(example_budget, pilot=pilot))
    assert yaml.safe_load(text)["pilot"]["name"] == "a\ud800b"


def test_the_quick_text_scan_misses_no_character_the_spec_refuses():
    """The one-pass scan that lets a clean spec skip the per-path walk flags every character
    a name, sheet name or free text may not hold (2 174 of them, invisible ones included), in a
    value and in a key; and
    it passes ordinary text (Norwegian letters, quotes, a backslash) without the walk; text that only
    looks like an escape (a backslash before n) merely takes the walk."""
    from bygdevekst_xl.spec import _maybe_bad_text, _not_in_text

    refused = [chr(c) for c in range(0x10000) if _not_in_text().sheet.match(chr(c))]
    assert len(refused) == 2174
    for ch in refused:
        assert _maybe_bad_text({"projects": [{"name": f"x{ch}y", "amounts": [1, 2]}]}), hex(ord(ch))
        assert _maybe_bad_text({f"x{ch}": 1}), hex(ord(ch))
    for text in ("Måsøy og Hasvik", 'Sitat "her"', "C:\\Mappe\\Budsjett", "100 % · – ‹›", "\u00a0"):
        assert not _maybe_bad_text({"pilot": {"name": text}, "amounts": [0, 10**12]})


def test_a_json_text_found_valid_is_not_validated_again_and_an_invalid_one_always_is(
    example_dict, monkeypatch
):
    """regenerate meets its record's JSON three times (read, written, read back): validated
    once; a text that failed is refused every time, and other data is still validated."""
    import json

    import bygdevekst_xl.spec as spec

    looked = []
    real = spec.validate
    monkeypatch.setattr(spec, "validate", lambda *a: looked.append(1) or real(*a))
    monkeypatch.setattr(spec, "_VALID_JSON", {})
    text = json.dumps(example_dict)
    for _ in range(3):
        budget_from_dict(json.loads(text), "generation record", text)
    assert len(looked) == 1
    broken = copy.deepcopy(example_dict)
    broken["pilot"]["kdd_cap"] = "mange"
    bad = json.dumps(broken)
    for _ in range(2):
        with pytest.raises(SpecError, match="kdd_cap"):
            budget_from_dict(json.loads(bad), "generation record", bad)
    with pytest.raises(SpecError, match="kdd_cap"):  # same data, no text: validated
        budget_from_dict(broken, "spec")
    assert len(looked) == 4
