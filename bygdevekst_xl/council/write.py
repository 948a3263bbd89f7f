"""Writing a council pack: all of its files, or none.

The folder is made when it does not exist. Every file is judged before any is written (a
different file already there is refused without ``force``); if a write still fails half way
(a full disk), the files this run wrote are removed and the ones it replaced are put back, so a
pack is never half written.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from pathlib import Path

from ..files import OutputError, Written, check_regular, write_new
from ..messages import Message

__all__ = ["write_pack"]


def write_pack(
    documents: Sequence[tuple[str, bytes]],
    folder: Path,
    *,
    force: bool = False,
    protect: tuple[Path, ...] = (),
) -> list[Written]:
    """Write each ``(name, bytes)`` into ``folder`` (made if missing): all of them, or none."""
    folder = Path(folder)
    made = _make_folder(folder)
    targets = [(folder / name, data) for name, data in documents]
    try:
        for path, data in targets:  # refuse before writing any
            check_regular(path)
            if path.exists() and not force and path.read_bytes() != data:
                raise _refused(path, "exists-differs-backup")
        written: list[Written] = []
        try:
            for path, data in targets:
                written.append(write_new(path, data, force=force, protect=protect))
        except BaseException:
            _undo(written)
            raise
    except BaseException:
        if made:
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    return written


def _make_folder(folder: Path) -> bool:
    """Make ``folder`` (and its parents) if missing; True when this run made it."""
    if folder.is_dir():
        return False
    if folder.exists() or folder.is_symlink():
        raise _refused(folder, "not-a-folder")
    try:
        folder.mkdir(parents=True)
    except FileExistsError:
        return False
    except OSError as exc:
        raise _refused(folder, "cannot-make-folder", why=exc.strerror or exc) from None
    return True


def _refused(path: Path, key: str, /, **params: object) -> OutputError:
    """``path: …``, the catalogue's sentence ``key``."""
    return OutputError(Message("at", place=str(path), text=Message(key, **params)))


def _undo(written: list[Written]) -> None:
    """Remove the files this run wrote and put back the ones it replaced."""
    for item in reversed(written):
        with contextlib.suppress(OSError):
            if item.unchanged:
                continue
            if item.backup is not None:
                os.replace(item.backup, item.path)
            else:
                item.path.unlink()
