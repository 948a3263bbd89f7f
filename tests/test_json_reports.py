"""--json on generate and council (each valid against its schema), and ``-o -`` for standard
output where a command writes one document."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from bygdevekst_xl.cli import main
from bygdevekst_xl.generate import workbook_bytes
from tests.damage import with_openpyxl

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"


def schema(name: str) -> dict:
    return json.loads((SCHEMAS / f"{name}-report.schema.json").read_text("utf-8"))


def test_generate_json_reports_the_file_totals_and_broken_rules(
    tmp_path, example_dict, example_budget, capsys
):
    """generate --json: written, then unchanged on a second run, with the generation id and the
    totals; a spec over the cap gives ok false and the rule check names, still writing a draft."""
    out = tmp_path / "b.xlsx"
    assert main(["generate", "-o", str(out), "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    jsonschema.validate(first, schema("generate"))
    assert first["ok"] is True and first["status"] == "written" and first["output"] == str(out)
    assert first["totals"]["kdd"] == 3_110_000 and first["totals"]["kdd_cap"] == 4_000_000
    assert first["broken_rules"] == [] and first["pilot"] == "Hjerteregionen"
    assert main(["generate", "-o", str(out), "--json", "--lang", "en"]) == 0
    second = json.loads(capsys.readouterr().out)
    assert second["status"] == "unchanged" and second["generation"] == first["generation"]
    example_dict["projects"][0]["financing"]["kdd"] = [3_000_000, 1_210_000]
    spec = tmp_path / "over.yaml"
    spec.write_text(yaml.safe_dump(example_dict, allow_unicode=True), "utf-8")
    assert main(["generate", str(spec), "-o", str(tmp_path / "over.xlsx"), "--json"]) == 0
    over = json.loads(capsys.readouterr().out)
    jsonschema.validate(over, schema("generate"))
    assert over["ok"] is False
    assert "kdd-over-cap" in {f["code"] for f in over["broken_rules"]}


def _run(*args: str, stdout=subprocess.PIPE) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bygdevekst_xl", *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        check=False,
    )


def test_generate_to_standard_output_writes_the_bytes_there_and_the_report_on_stderr(
    example_budget,
):
    """generate -o - | …: standard output carries exactly the workbook's bytes, the report goes
    to standard error (as JSON with --json); to a terminal it refuses with one line, exit 2."""
    done = _run("generate", "-o", "-")
    assert done.returncode == 0, done.stderr
    assert done.stdout == workbook_bytes(example_budget)
    assert "KDD 3 110 000 kr" in done.stderr.decode().replace("\xa0", " ")
    done = _run("generate", "-o", "-", "--json")
    assert done.stdout == workbook_bytes(example_budget)
    report = json.loads(done.stderr.decode().splitlines()[0])
    jsonschema.validate(report, schema("generate"))
    assert report["output"] == "-"
    leader, follower = os.openpty()
    try:
        done = _run("generate", "-o", "-", stdout=follower)
    finally:
        os.close(follower)
        os.close(leader)
    assert done.returncode == 2
    assert done.stderr.decode().strip() == (
        "feil: -: standard utdata er en terminal; send den til en fil (> NAVN.xlsx) eller "
        "oppgi en fil med -o"
    )


def test_extract_to_standard_output_is_the_same_as_no_output(example_workbook, capsys):
    """extract -o - prints the spec, exactly as extract without -o."""
    assert main(["extract", str(example_workbook)]) == 0
    plain = capsys.readouterr().out
    assert main(["extract", str(example_workbook), "-o", "-"]) == 0
    assert capsys.readouterr().out == plain and plain.startswith("#")


def test_council_json_lists_the_files_or_the_errors(tmp_path, example_workbook, capsys):
    """council --json: each file with its status and the content id; a workbook with errors:
    ok false with the check's errors, exit 1 and nothing written."""
    out = tmp_path / "pakke"
    args = ["council", str(example_workbook), "-o", str(out), "--municipality", "Hasvik"]
    assert main([*args, "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    jsonschema.validate(document, schema("council"))
    assert document["ok"] is True and len(document["content_digest"]) == 12
    assert [Path(f["output"]).name for f in document["files"]] == [
        "kommunestyre-hasvik.pdf",
        "vedtak-hasvik.txt",
        "vedtak-hasvik.docx",
    ]
    assert {f["status"] for f in document["files"]} == {"written"}
    assert main([*args, "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert {f["status"] for f in again["files"]} == {"unchanged"}

    def over_cap(wb):
        wb["1 Prosjektledelse"]["C28"] = 2_500_000
        wb["1 Prosjektledelse"]["C7"] = 2_370_000

    bad = with_openpyxl(example_workbook, tmp_path / "over.xlsx", over_cap)
    empty = tmp_path / "tom"
    assert main(["council", str(bad), "-o", str(empty), "--json"]) == 1
    refused = json.loads(capsys.readouterr().out)
    jsonschema.validate(refused, schema("council"))
    assert refused["ok"] is False and refused["files"] == []
    assert any("kdd-over-cap" in line for line in refused["errors"])
    assert not empty.exists()


@pytest.mark.parametrize("name", ["generate", "council"])
def test_report_schemas_ship_with_the_package(name):
    """The new schemas are where the package's schemas are (bygdevekst_xl.schemas)."""
    from importlib import resources

    text = resources.files("bygdevekst_xl.schemas").joinpath(f"{name}-report.schema.json")
    assert json.loads(text.read_text("utf-8"))["title"] == f"bygdevekst_xl {name} report"
