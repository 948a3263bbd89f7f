"""The command line, run as a user runs it: exit codes, messages and files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from bygdevekst_xl.cli import build_parser, kroner, main

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bygdevekst_xl", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_generate_without_arguments_writes_the_example(tmp_path, example_dict):
    """`python -m bygdevekst_xl generate` writes hjerteregionen.xlsx here and prints the totals."""
    result = run("generate", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Skrev hjerteregionen.xlsx" in result.stdout
    kdd = sum(sum(p["financing"]["kdd"]) for p in example_dict["projects"])
    cap = example_dict["pilot"]["kdd_cap"]
    assert (
        f"KDD {kroner(kdd)} av taket på {kroner(cap)} ({kroner(cap - kdd)} igjen)" in result.stdout
    )
    wb = openpyxl.load_workbook(tmp_path / "hjerteregionen.xlsx", read_only=True)
    assert wb.sheetnames[0] == "Forside"


def test_generate_is_idempotent_and_never_overwrites_silently(tmp_path, capsys):
    """A second run leaves an identical file alone; a different file needs --force and is backed up."""
    out = tmp_path / "b.xlsx"
    assert main(["generate", "-o", str(out)]) == 0
    assert main(["generate", "-o", str(out), "--lang", "en"]) == 0
    assert "up to date" in capsys.readouterr().out
    out.write_bytes(b"a person's edited workbook")
    assert main(["generate", "-o", str(out), "--lang", "en"]) == 2
    assert "exists and differs; use --force" in capsys.readouterr().err
    assert out.read_bytes() == b"a person's edited workbook"
    assert main(["generate", "-o", str(out), "--force"]) == 0
    assert (tmp_path / "b.backup-1.xlsx").read_bytes() == b"a person's edited workbook"
    assert out.read_bytes()[:2] == b"PK"


def test_bad_spec_exits_2_with_paths_and_writes_nothing(tmp_path, example_dict):
    """A broken spec gives one line per problem on stderr, exit 2, and no output file."""
    import yaml

    example_dict["projects"][2]["costs"][1]["amounts"] = [-1, 2.5]
    spec = tmp_path / "bad.yaml"
    spec.write_text(yaml.safe_dump(example_dict, allow_unicode=True), "utf-8")
    result = run("generate", str(spec), "-o", "out.xlsx", "--lang", "en", cwd=tmp_path)
    assert kroner(1234568) == "1\u00a0234\u00a0568\u00a0kr"
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"error: {spec}: projects[2].costs[1].amounts[0]: must be ≥ 0",
        f"error: {spec}: projects[2].costs[1].amounts[1]: must be a whole number, not 2.5",
    ]
    assert not (tmp_path / "out.xlsx").exists()
    assert "Traceback" not in result.stderr


def test_missing_spec_and_output_over_the_spec_are_refused(tmp_path, capsys):
    """A spec path that does not exist, an output that is not an .xlsx, and an output that
    would overwrite the spec (a spec saved under an .xlsx name) exit 2 and write nothing."""
    assert (
        main(
            [
                "generate",
                str(tmp_path / "nope.yaml"),
                "-o",
                str(tmp_path / "o.xlsx"),
                "--lang",
                "en",
            ]
        )
        == 2
    )
    assert "nope.yaml: file not found" in capsys.readouterr().err
    text = (ROOT / "workbook" / "hjerteregionen.yaml").read_text("utf-8")
    for name, message in (
        ("s.yaml", "-o must name a file ending in .xlsx for generate"),
        ("s.xlsx", "would overwrite the input"),
    ):
        spec = tmp_path / name
        spec.write_text(text, "utf-8")
        assert main(["generate", str(spec), "-o", str(spec), "--lang", "en"]) == 2
        assert message in capsys.readouterr().err
        assert spec.read_text("utf-8") == text


def test_output_into_a_missing_folder_is_refused(tmp_path, capsys):
    """An output in a folder that does not exist gives a one-line error naming the folder."""
    assert main(["generate", "-o", str(tmp_path / "no" / "x.xlsx")]) == 2
    assert "mappen finnes ikke" in capsys.readouterr().err


def test_bad_usage_exits_2(capsys):
    """An unknown command is bad usage: exit 2."""
    assert main(["frobnicate"]) == 2


def test_help_lists_every_command_and_readme_documents_them(capsys):
    """`--help` lists every command, and README.md documents each one."""
    assert main(["--help"]) == 0
    help_text = capsys.readouterr().out
    readme = (ROOT / "README.md").read_text("utf-8")
    commands = build_parser()._subparsers._group_actions[0].choices
    assert commands
    for command in commands:
        assert command in help_text
        assert f"python -m bygdevekst_xl {command}" in readme


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_generate_help(flag, capsys):
    """`generate --help` explains the spec, -o and --force."""
    assert main(["generate", flag]) == 0
    out = capsys.readouterr().out
    assert "--force" in out and "--output" in out


def test_readme_keeps_exactly_two_setup_commands():
    """README.md has the main command and the test command, each one line, and CI runs the latter."""
    readme = (ROOT / "README.md").read_text("utf-8")
    assert readme.count("<!-- main-command -->") == 1 and readme.count("<!-- test-command -->") == 1
    for marker in ("<!-- main-command -->", "<!-- test-command -->"):
        block = readme.split(marker, 1)[1].split("```")[1]
        lines = [line for line in block.splitlines()[1:] if line.strip()]
        assert len(lines) == 1
    main_command = readme.split("<!-- main-command -->", 1)[1].split("```")[1]
    assert "bygdevekst_xl generate" in main_command
    assert "test-command" in (ROOT / ".ci" / "run").read_text("utf-8")


def test_written_files_get_ordinary_permissions(tmp_path):
    """A generated workbook is readable like any file the user makes (not 0600 from mkstemp)."""
    import os

    out = tmp_path / "p.xlsx"
    umask = os.umask(0o022)
    try:
        assert main(["generate", "-o", str(out)]) == 0
    finally:
        os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o644


def test_commands_pause_the_cyclic_gc_and_restore_it(tmp_path, monkeypatch):
    """The cyclic collector is off while a command runs and back on afterwards, also when the
    command fails, and a caller who had it off keeps it off."""
    import gc

    import bygdevekst_xl.cli as cli

    seen = []
    real = cli._generate

    def spy(args):
        seen.append(gc.isenabled())
        return real(args)

    monkeypatch.setattr(cli, "_generate", spy)
    assert main(["generate", "-o", str(tmp_path / "a.xlsx")]) == 0
    assert main(["generate", str(tmp_path / "missing.yaml"), "-o", str(tmp_path / "b.xlsx")]) == 2
    assert seen == [False, False]
    assert gc.isenabled()
    gc.disable()
    try:
        assert main(["generate", "-o", str(tmp_path / "a.xlsx")]) == 0
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.slow
def test_checking_many_files_in_one_command_keeps_memory_flat(tmp_path):
    """check frees each workbook's reference cycles before the next (its cyclic collector is
    paused): five M-sized workbooks peak within a few MB of one, not 4 x 7 MB of cycles above."""
    from bygdevekst_xl.generate import workbook_bytes
    from bygdevekst_xl.spec import budget_from_dict
    from tests.test_agreement import random_spec
    from tests.test_hostile import run_bounded

    book = tmp_path / "m1.xlsx"
    book.write_bytes(workbook_bytes(budget_from_dict(random_spec(1)[0])))
    copies = [str(book)]
    for i in range(2, 6):
        copy = tmp_path / f"m{i}.xlsx"
        copy.write_bytes(book.read_bytes())
        copies.append(str(copy))
    one = run_bounded("check", "--lang", "nb", copies[0], cwd=tmp_path, timeout=120)
    five = run_bounded("check", "--lang", "nb", *copies, cwd=tmp_path, timeout=300)
    assert one.returncode == five.returncode
    assert "5 filer kontrollert" in five.stdout
    assert five.peak_mb - one.peak_mb < 8, (one.peak_mb, five.peak_mb)  # unfreed: ~7 MB a file


def test_the_process_entry_exits_with_mains_code_and_leaves_its_objects_to_the_exit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``python -m bygdevekst_xl`` and the ``bygdevekst-xl`` script go through ``entry``: main's
    exit code, and what is left frozen so that the exit does not walk it for cycles."""
    import bygdevekst_xl.cli as cli

    frozen: list[bool] = []
    monkeypatch.setattr(cli, "main", lambda: 3)
    monkeypatch.setattr(cli.gc, "freeze", lambda: frozen.append(True))
    assert cli.entry() == 3
    assert frozen == [True]
    done = subprocess.run(
        [sys.executable, "-m", "bygdevekst_xl", "check", "finnes-ikke.xlsx"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "finnes-ikke.xlsx" in done.stderr
