"""The generation record: kept inside every workbook, read back under the reader's limits, and
what `check` makes of it (the pilot's facts, the scheme's trusted rules, which copy is which)."""

from __future__ import annotations

import copy
import hashlib
import json
import re
from pathlib import Path

import jsonschema
import pytest

from bygdevekst_xl import __version__
from bygdevekst_xl.check import check_workbook
from bygdevekst_xl.cli import main
from bygdevekst_xl.generate import workbook_bytes
from bygdevekst_xl.layout import LAYOUT_VERSION
from bygdevekst_xl.office import (
    convert_libreoffice,
    gnumeric_path,
    recalculate_gnumeric,
    soffice_path,
)
from bygdevekst_xl.record import (
    PART_CHARS,
    Record,
    RecordProblem,
    canonical,
    generation_id,
    read_record,
    record_properties,
)
from bygdevekst_xl.scheme import MAX_KDD_CAP
from bygdevekst_xl.spec import budget_from_dict, load_spec
from bygdevekst_xl.xlsx import read_workbook
from tests import damage

ROOT = Path(__file__).resolve().parents[1]
SECOND_PILOT = Path(__file__).parent / "specs" / "fjordriket.yaml"


@pytest.fixture(scope="module")
def second_budget():
    """Fjordriket: four municipalities, 650 kr an hour, another category set."""
    return load_spec(SECOND_PILOT)


@pytest.fixture(scope="module")
def second_workbook(tmp_path_factory, second_budget) -> Path:
    """The generated Fjordriket workbook (read-only)."""
    path = tmp_path_factory.mktemp("fjordriket") / "fjordriket.xlsx"
    path.write_bytes(workbook_bytes(second_budget))
    return path


def record_of(path: Path) -> Record | RecordProblem:
    return read_record(read_workbook(path).custom_properties)


def test_every_workbook_carries_its_spec_and_generate_stays_deterministic(
    second_budget, second_workbook
):
    """The record holds the spec itself, its SHA-256 and the versions, split into properties of
    at most 255 characters; the same spec gives the same bytes; the Forside names the copy."""
    assert workbook_bytes(second_budget) == second_workbook.read_bytes()
    record = record_of(second_workbook)
    assert isinstance(record, Record)
    assert record.spec == second_budget
    assert record.digest == hashlib.sha256(canonical(second_budget)).hexdigest()
    assert (record.layout, record.tool) == (LAYOUT_VERSION, __version__)
    assert all(len(value) <= PART_CHARS for _, value in record_properties(second_budget))
    forside = read_workbook(second_workbook).sheets["Forside"].values["A3"]
    assert forside == (
        f"Generasjon {generation_id(second_budget)} · spesifikasjonens dato: 20.09.2024"
    )


@pytest.mark.office
def test_the_record_survives_libreoffice_and_gnumeric_saves(
    second_budget, second_workbook, tmp_path
):
    """A workbook saved by LibreOffice and by Gnumeric still carries the same record (read
    without the indentation Gnumeric writes around each value) and checks clean without --spec."""
    if soffice_path() is None or gnumeric_path() is None:
        pytest.skip("LibreOffice or Gnumeric missing")
    saved = [
        convert_libreoffice(second_workbook, tmp_path / "lo", "xlsx"),
        recalculate_gnumeric(second_workbook, tmp_path / "gnumeric.xlsx"),
    ]
    for path in saved:
        content = read_workbook(path)
        assert content.custom_properties["bygdevekst_xl_layout"] == LAYOUT_VERSION
        record = read_record(content.custom_properties)
        assert isinstance(record, Record), (path, record)
        assert record.spec == second_budget
        report = check_workbook(path)
        assert [f.code for f in report.errors] == [], path
        assert report.generation["id"] == generation_id(second_budget)
        assert report.generation["changed_inputs"] == 0


def _custom(edit):
    return {"docProps/custom.xml": edit}


def _drop_part(xml: str) -> str:
    return re.sub(
        r'<property [^>]*name="bygdevekst_xl_spec_0002".*?</property>', "", xml, flags=re.S
    )


def _change_digest(xml: str) -> str:
    return re.sub(
        r'(name="bygdevekst_xl_spec_sha256"><vt:lpwstr>)([0-9a-f])',
        lambda m: m.group(1) + ("0" if m.group(2) != "0" else "1"),
        xml,
    )


def _garble_part(xml: str) -> str:
    return xml.replace(
        'name="bygdevekst_xl_spec_0001"><vt:lpwstr>',
        'name="bygdevekst_xl_spec_0001"><vt:lpwstr>!?',
        1,
    )


@pytest.mark.parametrize(
    ("edit", "code"),
    [
        (_drop_part, "record-damaged"),
        (_garble_part, "record-damaged"),
        (_change_digest, "record-mismatch"),
    ],
)
def test_a_damaged_or_changed_record_is_an_error_not_a_crash(
    example_workbook, tmp_path, edit, code
):
    """A record with a part gone, a garbled part or another digest is one error finding; the
    workbook is still checked (against the built-in spec) and nothing crashes."""
    path = damage.with_parts(example_workbook, tmp_path / "damaged.xlsx", _custom(edit))
    report = check_workbook(path)
    assert report.findings[0].code == code
    assert [f.code for f in report.findings] == [code]
    assert report.totals is not None


def tampered(example_dict: dict) -> dict:
    data = copy.deepcopy(example_dict)
    data["pilot"]["kdd_cap"] = 5_000_000
    for category in data["categories"]:
        if category["id"] == "drift":
            category["kdd_eligible"] = True
    return data


def test_a_record_against_the_scheme_is_an_error_and_the_scheme_holds(example_dict, tmp_path):
    """A record that raises the cap to 5 000 000 and marks ordinary operating costs eligible is
    an error for each; the check holds the cap at 4 000 000 and the category ineligible."""
    budget = budget_from_dict(tampered(example_dict))
    path = tmp_path / "tampered.xlsx"
    path.write_bytes(workbook_bytes(budget))
    report = check_workbook(path)
    scheme = [f for f in report.findings if f.code == "record-against-scheme"]
    assert [(f.params["path"], f.found, f.expected) for f in scheme] == [
        ("pilot.kdd_cap", 5_000_000, MAX_KDD_CAP),
        ("categories[6].kdd_eligible", True, False),
    ]
    assert all(f.severity == "error" for f in scheme) and not report.ok
    assert report.totals.kdd_cap == MAX_KDD_CAP
    # generate lays the workbook out within the scheme: its own cells agree with the check
    assert not [f for f in report.findings if f.code == "rule-changed"]
    parameters = read_workbook(path).sheets["Parametre"].values
    assert parameters["B4"] == MAX_KDD_CAP


def test_a_second_pilot_checks_clean_with_and_without_its_spec(
    second_workbook, example_workbook, tmp_path, capsys
):
    """Fjordriket's workbook has no finding without --spec or with its own; with
    Hjerteregionen's spec it is one other-pilot error, and the same the other way round."""
    assert check_workbook(second_workbook).findings == []
    assert check_workbook(second_workbook, load_spec(SECOND_PILOT)).findings == []
    example = ROOT / "workbook" / "hjerteregionen.yaml"
    for workbook, spec in ((second_workbook, example), (example_workbook, SECOND_PILOT)):
        report = check_workbook(workbook, load_spec(spec))
        assert [f.code for f in report.findings] == ["other-pilot"]
    assert main(["check", str(second_workbook), "--spec", str(example), "--json"]) == 1
    document = json.loads(capsys.readouterr().out)
    schema = json.loads((ROOT / "schemas" / "check-report.schema.json").read_text("utf-8"))
    jsonschema.validate(document, schema)
    assert document["findings"][0]["code"] == "other-pilot"
    assert "Fjordriket" in document["findings"][0]["message"]
    assert document["generation"]["id"] == generation_id(load_spec(SECOND_PILOT))
    assert document["generation"]["spec_date"] == "2024-09-20"


def test_a_workbook_without_a_record_is_checked_as_before_and_told_how_to_get_one(
    example_workbook, tmp_path, capsys
):
    """Without a record, check warns (and says `regenerate` without --spec); regenerating so
    gives the workbook a record, and then it checks clean with its generation id."""
    old = damage.without_record(example_workbook, tmp_path / "gammel.xlsx")
    report = check_workbook(old)
    assert [(f.code, f.severity) for f in report.findings] == [("record-missing", "warning")]
    assert "regenerate` uten --spec" in report.findings[0].message("nb")
    assert report.generation is None
    new = tmp_path / "ny.xlsx"
    assert main(["regenerate", str(old), "-o", str(new)]) == 0
    capsys.readouterr()
    assert main(["check", str(new)]) == 0
    out = capsys.readouterr().out
    report = check_workbook(new)
    assert report.findings == []
    assert f"Generasjon {report.generation['id']}" in out
    assert "0 inndata endret siden generering" in out


def test_an_oversized_record_is_refused_within_the_limit():
    """A record that inflates beyond the largest spec (a zip bomb in properties) is damage,
    found without inflating it all."""
    import base64
    import zlib

    from bygdevekst_xl.spec import MAX_SPEC_BYTES

    bomb = base64.b64encode(zlib.compress(b" " * (MAX_SPEC_BYTES + 1), 9)).decode("ascii")
    parts = [bomb[i : i + PART_CHARS] for i in range(0, len(bomb), PART_CHARS)]
    properties = {
        "bygdevekst_xl_spec_sha256": "0" * 64,
        "bygdevekst_xl_spec_parts": str(len(parts)),
        **{f"bygdevekst_xl_spec_{i + 1:04d}": part for i, part in enumerate(parts)},
    }
    found = read_record(properties)
    assert isinstance(found, RecordProblem)
    assert (found.code, found.reason) == ("damaged", "the recorded spec is cut off or too large")


@pytest.mark.parametrize(
    ("category", "excluded"),
    [
        ({"id": "drift", "name": "Drift"}, True),
        ({"id": "andre", "name": "Driftskostnader i kommunen"}, True),
        ({"id": "frikjop", "name": "Frikjøp"}, True),
        ({"id": "x", "name": "Frikjøp av politikere"}, True),
        ({"id": "y", "name": "Bedriftsutvikling"}, True),
        ({"id": "z", "name": "Direkte støtte til bedrifter"}, True),
        ({"id": "ledelse", "name": "Ledelse og koordinering"}, False),
        ({"id": "reise", "name": "Reiser"}, False),
    ],
)
def test_the_excluded_uses_are_known_by_id_or_name(second_budget, category, excluded):
    """An excluded use marked KDD-eligible breaches the scheme whether its id or its name says
    what it is; other categories may be eligible."""
    from bygdevekst_xl.dataclass import replace
    from bygdevekst_xl.model import Category
    from bygdevekst_xl.scheme import breaches, within_scheme

    budget = replace(second_budget, categories=(Category(category["id"], category["name"], True),))
    paths = [b.path for b in breaches(budget)]
    assert paths == (["categories[0].kdd_eligible"] if excluded else [])
    assert within_scheme(budget).categories[0].kdd_eligible is not excluded


def test_the_canonical_form_is_the_budgets_own(example_budget, example_dict):
    """Asked again, for the same budget or another, the canonical form is each one's."""
    first = canonical(example_budget)
    assert canonical(example_budget) == first
    example_dict["pilot"]["name"] = "Annen pilot"
    other = budget_from_dict(example_dict)
    assert b"Annen pilot" in canonical(other) and canonical(other) != first
    assert canonical(example_budget) == first


def _record_of_json(text: str) -> Record | RecordProblem:
    """The record a workbook would carry for exactly this JSON (its digest made to match)."""
    import base64
    import zlib

    data = text.encode("utf-8")
    packed = base64.b64encode(zlib.compress(data, 9)).decode("ascii")
    parts = [packed[i : i + PART_CHARS] for i in range(0, len(packed), PART_CHARS)]
    return read_record(
        {
            "bygdevekst_xl_spec_sha256": hashlib.sha256(data).hexdigest(),
            "bygdevekst_xl_spec_parts": str(len(parts)),
            **{f"bygdevekst_xl_spec_{i + 1:04d}": part for i, part in enumerate(parts)},
        }
    )


@pytest.mark.parametrize(
    "written", ["\u200b", "\\u200b", "\\u200B", "\\n", "\\ud83d\\ude00x\\udb40\\udc01"]
)
def test_a_recorded_name_with_a_hidden_character_is_damage_however_the_json_writes_it(
    example_budget, written
):
    """The record's texts are looked through in its own JSON: a character no name may hold
    is found written as itself or escaped, in either case of hex digits."""
    from bygdevekst_xl.spec import validate

    text = canonical(example_budget).decode("utf-8")
    assert isinstance(_record_of_json(text), Record)
    name = json.dumps(example_budget.projects[0].name, ensure_ascii=False)
    changed = text.replace(name, name[:-1] + written + '"', 1)
    assert changed != text
    found = _record_of_json(changed)
    assert isinstance(found, RecordProblem) and found.code == "damaged"
    first = next(validate(json.loads(changed)))
    assert found.reason == f"the recorded spec is not valid: {first}"
