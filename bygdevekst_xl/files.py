"""Writing files without losing any: atomic replacement, no silent overwrite, backups on --force."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import BygdevekstError


class OutputError(BygdevekstError, RuntimeError):
    """The output cannot be written where asked, and nothing was changed."""


@dataclass(frozen=True)
class Written:
    """What happened to the output file."""

    path: Path
    unchanged: bool = False
    backup: Path | None = None


def write_new(
    path: Path, data: bytes, *, force: bool = False, protect: tuple[Path, ...] = ()
) -> Written:
    """Write ``data`` to ``path`` atomically.

    An existing file with the same bytes is left alone; a different one is only replaced with
    ``force``, and then kept as a backup beside it first. Paths in ``protect`` (the inputs of the
    run) are never written.
    """
    path = Path(path)
    for source in protect:
        if _same_file(path, Path(source)):
            raise OutputError(
                f"{path}: the output would overwrite the input {source}; choose another -o"
            )
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; give a file name with -o")
    if not path.parent.exists():
        raise OutputError(f"{path.parent}: folder does not exist")
    backup = None
    if path.exists():
        try:
            if path.read_bytes() == data:
                return Written(path, unchanged=True)
        except OSError as exc:
            raise OutputError(f"{path}: cannot read the existing file: {exc.strerror}") from None
        if not force:
            raise OutputError(
                f"{path}: file exists and differs; use --force to replace it "
                "(the old file is kept as a backup)"
            )
        backup = _free_backup_name(path)
        try:
            shutil.copy2(path, backup)
        except OSError as exc:
            with contextlib.suppress(OSError):
                backup.unlink()
            raise OutputError(f"{backup}: cannot keep a backup: {_reason(exc)}") from None
    try:
        replace_atomically(path, data)
    except OSError as exc:
        if backup is not None:  # the old file is untouched, so its fresh copy is not needed
            with contextlib.suppress(OSError):
                backup.unlink()
        kept = "the existing file is unchanged" if backup else "nothing was written"
        raise OutputError(f"{path}: cannot write: {_reason(exc)}; {kept}") from None
    return Written(path, backup=backup)


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def replace_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path``, then rename it over: all or nothing."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, _mode_for(path))  # mkstemp makes 0600; a workbook is shared like any file
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _mode_for(path: Path) -> int:
    """The existing file's mode, or what a new file gets under the process umask."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _free_backup_name(path: Path) -> Path:
    for n in range(1, 10_000):
        candidate = path.with_name(f"{path.stem}.backup-{n}{path.suffix}")
        if not candidate.exists():
            return candidate
    raise OutputError(f"{path}: too many backups beside it; tidy them up first")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False
