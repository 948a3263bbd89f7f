"""Writing files without losing any: atomic creation and replacement, no silent overwrite,
backups on --force.

A new output is created with ``link`` (which fails if the name exists), so two runs writing
the same new file cannot both succeed; an existing one is replaced by ``rename`` only with
``force``, after a backup made under a name that did not exist (never through a symlink).
Outputs and inputs must be regular files: a device, FIFO or symlink is refused, not replaced.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

from .dataclass import dataclass
from .errors import BygdevekstError
from .messages import Message


class OutputError(BygdevekstError, RuntimeError):
    """The output cannot be written where asked, and nothing was changed."""


@dataclass(frozen=True)
class Written:
    """What happened to the output file."""

    path: Path
    unchanged: bool = False
    backup: Path | None = None


_NO_LINK = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV, errno.EMLINK, errno.ENOSYS}


def write_new(
    path: Path, data: bytes, *, force: bool = False, protect: tuple[Path, ...] = ()
) -> Written:
    """Write ``data`` to ``path`` atomically.

    An existing file with the same bytes is left alone; a different one is only replaced with
    ``force``, and then kept as a backup beside it first. Paths in ``protect`` (the inputs of the
    run) are never written. What was written is read back and compared with ``data``: a file
    that does not hold it is removed (or the replaced one put back), and nothing is reported
    written.
    """
    path = Path(path)
    for source in protect:
        if _same_file(path, Path(source)):
            raise _refused(path, "output-over-input", source=str(source))
    if not path.parent.is_dir():
        raise _refused(path.parent, "no-folder")
    remove_debris(path)
    for _attempt in range(2):
        if _kind(path) is None:
            try:
                _create_atomically(path, data)
            except FileExistsError:
                continue  # another run created it just now: judge it as an existing file
            except OSError as exc:
                reason = _reason(exc)
                raise _refused(path, "cannot-write-nothing", why=reason) from None
            why = _not_as_written(path, data)
            if why:
                with contextlib.suppress(OSError):
                    path.unlink()
                raise _refused(path, "written-differs-nothing", why=why)
            return Written(path)
        return _over_existing(path, data, force)
    raise _refused(path, "output-flickers")


STANDARD_OUTPUT = Path("-")
"""``-o -``: the one document a command writes goes to standard output."""


def write_standard_output(data: bytes) -> Written:
    """Write ``data`` to standard output, which must not be a terminal (a workbook's bytes
    would only garble it): redirect it to a file or a pipe."""
    stream = sys.stdout
    if stream.isatty():
        raise _refused(STANDARD_OUTPUT, "stdout-terminal")
    stream.flush()
    stream.buffer.write(data)
    stream.buffer.flush()
    return Written(STANDARD_OUTPUT)


def check_regular(path: Path) -> None:
    """Refuse ``path`` unless it is a regular file or does not exist (symlinks refused)."""
    kind = _kind(path)
    if kind is None or kind == "file":
        return
    raise _refused(path, "output-not-regular", kind=Message(f"kind-{kind}"))


def _refused(path: Path, key: str, /, **params: object) -> OutputError:
    """``path: …``, the catalogue's sentence ``key``."""
    return OutputError(Message("at", place=str(path), text=Message(key, **params)))


def _kind(path: Path) -> str | None:
    """None for a free name, "file" for a regular file, else what is there instead."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _refused(path, "cannot-look", why=_reason(exc)) from None
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISDIR(mode):
        raise _refused(path, "output-is-folder")
    if stat.S_ISLNK(mode):
        return "symlink"
    if stat.S_ISFIFO(mode):
        return "fifo"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "special"


def _over_existing(path: Path, data: bytes, force: bool) -> Written:
    """Leave an equal file alone; replace a different one (with ``force``) after a backup."""
    check_regular(path)
    try:
        same = path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError as exc:
        raise _refused(path, "cannot-read-existing", why=_reason(exc)) from None
    if same:
        return Written(path, unchanged=True)
    if not force:
        raise _refused(path, "exists-differs-backup")
    backup = _keep_backup(path)
    try:
        replace_atomically(path, data)
    except BaseException as exc:  # the old file is untouched, so its fresh copy is not needed
        with contextlib.suppress(OSError):
            backup.unlink()
        if not isinstance(exc, OSError):
            raise  # Ctrl-C, SIGTERM
        raise _refused(path, "cannot-write-unchanged", why=_reason(exc)) from None
    why = _not_as_written(path, data)
    if why:
        with contextlib.suppress(OSError):
            os.replace(backup, path)
        raise _refused(path, "written-differs-unchanged", why=why)
    return Written(path, backup=backup)


def _not_as_written(path: Path, data: bytes) -> str | Message | None:
    """Why the file at ``path``, read back, does not hold ``data`` (None when it does)."""
    try:
        back = path.read_bytes()
    except OSError as exc:
        return _reason(exc)
    if back == data:
        return None
    if len(back) != len(data):
        return Message("bytes-of", found=len(back), meant=len(data))
    return Message("other-bytes")


def _keep_backup(path: Path) -> Path:
    """Copy ``path`` to a new ``NAME.backup-N.ext`` beside it, created exclusively: a name
    that exists in any form (a dangling symlink too) is skipped, never written through."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    for n in range(1, 10_000):
        backup = path.with_name(f"{path.stem}.backup-{n}{path.suffix}")
        try:
            fd = os.open(backup, flags, 0o600)
        except FileExistsError:
            continue
        except OSError as exc:
            raise _refused(backup, "cannot-backup", why=_reason(exc)) from None
        try:
            with open(path, "rb") as source, os.fdopen(fd, "wb") as target:
                shutil.copyfileobj(source, target)
            shutil.copystat(path, backup)
            why = _not_as_written(backup, path.read_bytes())  # the backup is read back too
        except OSError as exc:
            why = _reason(exc)
        if why:
            with contextlib.suppress(OSError):
                backup.unlink()
            raise _refused(backup, "cannot-backup", why=why)
        return backup
    raise _refused(path, "too-many-backups")


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _host_key() -> str:
    """Eight hex digits naming this machine: a pid means something only on its own host."""
    import hashlib  # on first use, as tempfile: most commands write no file

    return hashlib.sha256(_host_name().encode("utf-8", "replace")).hexdigest()[:8]


def _host_name() -> str:
    """This machine's name: ``os.uname`` where there is one (what ``socket.gethostname``
    returns there, without importing ``socket`` and ``selectors`` into every writing command)."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    import socket

    return socket.gethostname()


def _debris_prefix(path: Path) -> str:
    """``.NAME.`` of the temporary files beside ``path`` (the name shortened to stay within a
    folder entry's 255 bytes)."""
    name = path.name
    while len(os.fsencode(name)) > _TEMP_NAME_BYTES:
        name = name[:-1]
    return f".{name}."


_TEMP_NAME_BYTES = 200  # + ".PID-HOSTKEY.RANDOM.tmp" stays under 255 bytes
_DEBRIS_TAIL = re.compile(r"([0-9]{1,10})-([0-9a-f]{8})\.[a-z0-9_]+\.tmp", re.ASCII)


def remove_debris(path: Path) -> list[Path]:
    """Remove the temporary files a killed run (SIGKILL, a power cut) left beside ``path``.

    Only ``.NAME.PID-HOST.*.tmp`` written on this host by a process that is no longer alive,
    and only regular files (never a symlink) owned by this user; anything else is left alone.
    Returns what was removed.
    """
    prefix, host = _debris_prefix(path), _host_key()
    removed: list[Path] = []
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return removed
    for entry in entries:
        name = entry.name
        if not (name.startswith(prefix) and name.endswith(".tmp")):
            continue
        match = _DEBRIS_TAIL.fullmatch(name[len(prefix) :])
        if match is None or match[2] != host or _alive(int(match[1])):
            continue
        with contextlib.suppress(OSError):
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(info.st_mode) and info.st_uid == os.getuid():
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


def _alive(pid: int) -> bool:
    """Whether a process of this id runs (or may: one of another user counts as alive)."""
    if pid <= 0:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # EPERM: it exists, owned by someone else
    return True


@contextlib.contextmanager
def _temporary_beside(path: Path, data: bytes) -> Iterator[str]:
    """A complete, synced temporary file beside ``path`` holding ``data``; removed on exit
    (on any exception, Ctrl-C and SIGTERM included) unless renamed away. Its name carries
    this process's id and host (``.NAME.PID-HOST.RANDOM.tmp``), so that the next run can
    tell the debris of a killed run (:func:`remove_debris`) from a write in progress."""
    import tempfile

    prefix = f"{_debris_prefix(path)}{os.getpid()}-{_host_key()}."
    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, _mode_for(path))  # mkstemp makes 0600; a workbook is shared like any file
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        yield tmp
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _create_atomically(path: Path, data: bytes) -> None:
    """Create ``path`` holding ``data``, all or nothing; FileExistsError if the name is taken
    (by a file, a symlink, anything), so no existing file is ever replaced."""
    with _temporary_beside(path, data) as tmp:
        try:
            os.link(tmp, path)  # atomic, and fails if path exists
            return
        except OSError as exc:
            if exc.errno not in _NO_LINK:
                raise
    # No hard links here (some network or FAT folders): create exclusively and write.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise


def replace_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside ``path``, then rename it over: all or nothing."""
    with _temporary_beside(path, data) as tmp:
        os.replace(tmp, path)


def _mode_for(path: Path) -> int:
    """The existing file's mode, or what a new file gets under the process umask."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False
