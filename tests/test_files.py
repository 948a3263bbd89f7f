"""A write that fails half-way (disk full, a rename refused, Ctrl-C, SIGTERM), races another
run or meets something that is not a regular file loses nothing and says so."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bygdevekst_xl.cli import main
from bygdevekst_xl.generate import workbook_bytes
from bygdevekst_xl.spec import load_spec


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


def _losing_half(real_fsync):
    """An fsync on a disk that silently keeps only the first half of what was written."""

    def fsync(fd: int) -> None:
        os.ftruncate(fd, os.fstat(fd).st_size // 2)
        real_fsync(fd)

    return fsync


def test_a_file_that_does_not_read_back_as_written_is_not_reported_written(
    tmp_path, monkeypatch, capsys
):
    """What a command writes is read back and compared with its bytes: a disk that loses half
    of a new workbook leaves no file and says so; one that loses half of a forced replacement
    puts the old file back, and the finance officer's bytes are untouched."""
    out = tmp_path / "ny.xlsx"
    monkeypatch.setattr(os, "fsync", _losing_half(os.fsync))
    assert main(["generate", "-o", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"feil: {out}: filen, lest tilbake, er ikke det som ble skrevet (")
    assert err.endswith("byte); ingenting er skrevet")
    assert list(tmp_path.iterdir()) == []

    old = tmp_path / "budsjett.xlsx"
    old.write_bytes(b"the finance officer's edited workbook")
    assert main(["generate", "-o", str(old), "--force", "--lang", "en"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.endswith("bytes); the existing file is put back"), err
    assert old.read_bytes() == b"the finance officer's edited workbook"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["budsjett.xlsx"]


def test_a_backup_that_cannot_be_made_stops_the_write(tmp_path, monkeypatch, capsys):
    """Without its backup the old file is not replaced: exit 2 and the file is untouched."""
    out = tmp_path / "budsjett.xlsx"
    out.write_bytes(b"old")
    monkeypatch.setattr(shutil, "copyfileobj", disk_full)
    assert main(["generate", "-o", str(out), "--force", "--lang", "en"]) == 2
    backup = tmp_path / "budsjett.backup-1.xlsx"
    assert capsys.readouterr().err.strip() == (
        f"error: {backup}: cannot keep a backup: No space left on device"
    )
    assert out.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["budsjett.xlsx"]


def _generate_child(spec: Path, out: Path, cwd: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bygdevekst_xl",
            "generate",
            "--lang",
            "en",
            str(spec),
            "-o",
            str(out),
        ],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.slow
def test_two_generates_racing_into_one_new_file_never_both_succeed(tmp_path, example_dict):
    """Two generate processes for different specs started together into one new path, many
    times: at most one exits 0, the other exits 2 with "file exists and differs", and the file
    is exactly the winner's workbook (the exists-check and the creation are one step)."""
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_text(yaml.safe_dump(example_dict, allow_unicode=True), "utf-8")
    example_dict["pilot"]["name"] = "Hjerteregionen B"
    second.write_text(yaml.safe_dump(example_dict, allow_unicode=True), "utf-8")
    expected = {
        spec: workbook_bytes(load_spec(spec)) for spec in (first, second)
    }  # the bytes each would write (fixed zip times make them reproducible)
    for trial in range(8):
        out = tmp_path / f"kappløp-{trial}.xlsx"
        children = [_generate_child(spec, out, tmp_path) for spec in (first, second)]
        codes = [child.wait(timeout=60) for child in children]
        errors = [child.stderr.read().decode() for child in children]
        for child in children:
            child.stderr.close()
        assert sorted(codes) == [0, 2], (codes, errors)
        winner = (first, second)[codes.index(0)]
        assert "file exists and differs" in errors[codes.index(2)]
        assert out.read_bytes() == expected[winner]
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_backup_never_follows_a_planted_symlink(tmp_path, capsys):
    """A dangling symlink planted where the backup would go is skipped: the backup takes the
    next free name and nothing is written outside the folder."""
    out = tmp_path / "budsjett.xlsx"
    out.write_bytes(b"old")
    outside = tmp_path / "utenfor" / "stjålet.xlsx"
    outside.parent.mkdir()
    (tmp_path / "budsjett.backup-1.xlsx").symlink_to(outside)
    assert main(["generate", "-o", str(out), "--force", "--lang", "en"]) == 0
    assert not outside.exists()
    assert (tmp_path / "budsjett.backup-2.xlsx").read_bytes() == b"old"
    assert "old file kept as" in capsys.readouterr().out


@pytest.mark.parametrize("kind", ["fifo", "device", "symlink", "dangling symlink"])
def test_an_output_that_is_not_a_regular_file_is_refused(tmp_path, capsys, kind):
    """-o a FIFO, a device node, or a symlink (even with --force) is refused in one line and
    left as it was: never read (no hang on a FIFO), never replaced by a regular file."""
    out = tmp_path / "ut.xlsx"
    if kind == "fifo":
        os.mkfifo(out)
    elif kind == "device":
        if os.geteuid() != 0:
            pytest.skip("making a device node needs root")
        os.mknod(out, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # like /dev/null
    else:
        target = tmp_path / "mål.xlsx"
        if kind == "symlink":
            target.write_bytes(b"old")
        out.symlink_to(target)
    before = os.lstat(out)
    assert main(["generate", "-o", str(out), "--force", "--lang", "en"]) == 2
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.startswith(f"error: {out}: the output is ") and "not a regular file" in line
    after = os.lstat(out)
    assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino)
    assert {p.name for p in tmp_path.iterdir()} <= {"mål.xlsx", "ut.xlsx"}


@pytest.mark.parametrize(
    ("interrupt", "code", "said"),
    [
        (lambda: os.kill(os.getpid(), signal.SIGINT), 130, "interrupted"),
        (lambda: os.kill(os.getpid(), signal.SIGTERM), 143, "terminated"),
    ],
)
def test_ctrl_c_or_sigterm_during_a_write_leaves_no_debris(
    tmp_path, monkeypatch, capsys, interrupt, code, said
):
    """Ctrl-C (exit 130) or SIGTERM (exit 143) arriving while the workbook is being written:
    one line, the old file untouched, no temporary file and no backup left behind."""
    out = tmp_path / "budsjett.xlsx"
    out.write_bytes(b"old")
    real_fsync = os.fsync

    def interrupted_fsync(fd):
        real_fsync(fd)
        interrupt()

    monkeypatch.setattr(os, "fsync", interrupted_fsync)
    assert main(["generate", "-o", str(out), "--force", "--lang", "en"]) == code
    assert capsys.readouterr().err.strip().splitlines() == [
        f"error: {said}; nothing was left half-written"
    ]
    assert out.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["budsjett.xlsx"]


_STALLED_WRITER = """
import os, sys, time
from pathlib import Path
from bygdevekst_xl.files import write_new

def stall(fd):  # the data is in the temporary file; the run is killed before it is linked
    print("writing", flush=True)
    time.sleep(120)

os.fsync = stall
write_new(Path(sys.argv[1]), Path(sys.argv[2]).read_bytes())
"""


def test_the_debris_of_a_killed_run_is_removed_by_the_next_run(tmp_path, example_workbook):
    """A run killed by SIGKILL while writing leaves its temporary file; the next run writing
    the same output removes it and writes the right workbook. A temporary file of a live run,
    and a symlink named like debris, are left alone."""
    from bygdevekst_xl.files import _debris_prefix, _host_key

    out = tmp_path / "budsjett.xlsx"
    child = subprocess.Popen(
        [sys.executable, "-c", _STALLED_WRITER, str(out), str(example_workbook)],
        stdout=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )
    assert child.stdout.readline() == b"writing\n"
    child.kill()
    assert child.wait(timeout=60) == -signal.SIGKILL
    child.stdout.close()
    [debris] = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert f".{child.pid}-" in debris.name and debris.stat().st_size > 0
    prefix = f"{_debris_prefix(out)}{{}}-{_host_key()}.abc123.tmp"
    live = tmp_path / prefix.format(os.getpid())  # this test runs: alive
    live.write_bytes(b"a write in progress")
    link = tmp_path / prefix.format(child.pid).replace("abc123", "link")
    link.symlink_to(live)
    done = subprocess.run(
        [sys.executable, "-m", "bygdevekst_xl", "generate", "-o", str(out), "--lang", "en"],
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == example_workbook.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([out.name, live.name, link.name])
    assert live.read_bytes() == b"a write in progress" and link.is_symlink()


def test_the_host_key_names_this_machine_as_socket_does() -> None:
    """Debris is told apart by host: the name comes from ``os.uname`` (no ``socket`` import),
    and it is the name ``socket.gethostname`` gives."""
    import hashlib
    import socket

    from bygdevekst_xl.files import _host_key

    expected = hashlib.sha256(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]
    assert _host_key() == expected
