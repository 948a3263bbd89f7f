"""A write that fails half-way (disk full, a rename refused) loses nothing and says so."""

from __future__ import annotations

import errno
import os
import shutil

import pytest

from bygdevekst_xl.cli import main


def disk_full(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def rename_refused(*_args, **_kwargs):
    raise OSError(errno.EACCES, "Permission denied")


@pytest.mark.parametrize(
    ("where", "failure", "reason"),
    [
        ("fsync", disk_full, "No space left on device"),  # the data is in the temporary file
        ("replace", rename_refused, "Permission denied"),  # the last step, the rename
    ],
)
def test_a_failed_forced_write_keeps_the_existing_file_and_leaves_no_debris(
    tmp_path, monkeypatch, capsys, where, failure, reason
):
    """generate --force over an existing workbook fails half-way: exit 2, one line naming the
    file and the reason, the old bytes untouched, no temporary file and no stray backup."""
    out = tmp_path / "budsjett.xlsx"
    out.write_bytes(b"the finance officer's edited workbook")
    monkeypatch.setattr(os, where, failure)
    assert main(["generate", "-o", str(out), "--force"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"feil: {out}: kan ikke skrive: {reason}; den eksisterende filen er uendret"]
    assert out.read_bytes() == b"the finance officer's edited workbook"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["budsjett.xlsx"]


def test_a_failed_new_write_creates_nothing(tmp_path, monkeypatch, capsys):
    """A first write that fails leaves no file, not even an empty or partial one."""
    out = tmp_path / "ny.xlsx"
    monkeypatch.setattr(os, "fsync", disk_full)
    assert main(["generate", "-o", str(out), "--lang", "en"]) == 2
    assert capsys.readouterr().err.strip() == (
        f"error: {out}: cannot write: No space left on device; nothing was written"
    )
    assert list(tmp_path.iterdir()) == []


def test_a_backup_that_cannot_be_made_stops_the_write(tmp_path, monkeypatch, capsys):
    """Without its backup the old file is not replaced: exit 2 and the file is untouched."""
    out = tmp_path / "budsjett.xlsx"
    out.write_bytes(b"old")
    monkeypatch.setattr(shutil, "copy2", disk_full)
    assert main(["generate", "-o", str(out), "--force", "--lang", "en"]) == 2
    backup = tmp_path / "budsjett.backup-1.xlsx"
    assert capsys.readouterr().err.strip() == (
        f"error: {backup}: cannot keep a backup: No space left on device"
    )
    assert out.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["budsjett.xlsx"]
