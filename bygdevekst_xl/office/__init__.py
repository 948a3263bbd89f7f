"""Drive real spreadsheet clients (LibreOffice, Gnumeric) headlessly, forced to recalculate.

The tests use LibreOffice as a real-client oracle: it must *recalculate* a generated .xlsx so its
values can be compared with the cached values the generator wrote. LibreOffice by default keeps
the cached values of an .xlsx on load (``OOXMLRecalcMode`` = 1, "never recalculate", and it
ignores ``fullCalcOnLoad``), so a plain ``soffice --convert-to xlsx`` only copies our cached
values and can never disagree with them. Every LibreOffice call here therefore runs with a fresh,
private user profile whose ``registrymodifications.xcu`` sets ``OOXMLRecalcMode`` and
``ODFRecalcMode`` to 0 ("always recalculate"). The user's own ``~/.config/libreoffice`` profile
is never read or written.

Each call gets its own temporary directory (profile, copies of the inputs, raw outputs), removed
afterwards, so concurrent calls from threads or from several pytest processes cannot collide on a
profile. Processes run in their own session; on a timeout the whole process group (the soffice
wrapper, oosplash and soffice.bin) is killed and :class:`OfficeError` is raised.
"""

from __future__ import annotations

import functools
import json
import numbers
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import uuid
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

import openpyxl
from openpyxl.utils.cell import coordinate_from_string
from openpyxl.utils.exceptions import CellCoordinatesException

__all__ = [
    "OfficeError",
    "convert_libreoffice",
    "edit_many_with_libreoffice",
    "edit_with_libreoffice",
    "gnumeric_path",
    "read_formulas",
    "read_values",
    "recalculate_gnumeric",
    "recalculate_libreoffice",
    "soffice_path",
    "uno_python",
]

#: LibreOffice's export filter for .xlsx (what ``--convert-to xlsx`` picks by default).
XLSX_FILTER = "Calc MS Excel 2007 XML"
#: Suffix of files written by :func:`recalculate_libreoffice`: ``budget.xlsx`` ->
#: ``budget.libreoffice.xlsx``, so an output never overwrites its input in the same folder.
LIBREOFFICE_SUFFIX = ".libreoffice"

_SOFFICE_FLAGS = (
    "--headless",
    "--invisible",
    "--nologo",
    "--nodefault",
    "--norestore",
    "--nolockcheck",
)

_REGISTRY_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<oor:items xmlns:oor="http://openoffice.org/2001/registry"'
    ' xmlns:xs="http://www.w3.org/2001/XMLSchema"'
    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
)
# 0 = always recalculate, 1 = never (LibreOffice's default), 2 = ask (headless: never).
_RECALC_ITEMS = "".join(
    '<item oor:path="/org.openoffice.Office.Calc/Formula/Load">'
    f'<prop oor:name="{name}" oor:op="fuse"><value>0</value></prop></item>\n'
    for name in ("OOXMLRecalcMode", "ODFRecalcMode")
)


class OfficeError(RuntimeError):
    """A spreadsheet client failed, timed out or wrote no output; the message names the file."""


def soffice_path() -> str | None:
    """Return the LibreOffice executable (``soffice`` or ``libreoffice``) on PATH, else None."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return None


def gnumeric_path() -> str | None:
    """Return Gnumeric's ``ssconvert`` on PATH, else None."""
    return shutil.which("ssconvert")


# --------------------------------------------------------------------------- process plumbing


@contextmanager
def _workspace() -> Iterator[Path]:
    """A private temporary directory, removed on exit (also after errors and timeouts)."""
    path = Path(tempfile.mkdtemp(prefix="bygdevekst-office-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _locale_item(locale: str | None) -> str:
    """The profile setting that makes LibreOffice format numbers for ``locale`` (``nb-NO``)."""
    if not locale:
        return ""
    return (
        '<item oor:path="/org.openoffice.Setup/L10N">'
        f'<prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>{locale}</value></prop>'
        "</item>\n"
    )


def _write_profile(work: Path, *, recalc: bool = True, locale: str | None = None) -> str:
    """Create a fresh LibreOffice user profile under *work*; return its ``file://`` URL.

    With ``recalc=False`` the profile has LibreOffice's defaults (keep cached values); that is
    only useful to demonstrate why the recalculating profile matters.
    """
    user = work / "profile" / "user"
    user.mkdir(parents=True)
    items = (_RECALC_ITEMS if recalc else "") + _locale_item(locale)
    (user / "registrymodifications.xcu").write_text(
        _REGISTRY_HEAD + items + "</oor:items>\n", encoding="utf-8"
    )
    return (work / "profile").as_uri()


def _home_is_usable(home: str | None) -> bool:
    if not home:
        return False
    return os.path.isdir(home) and os.access(home, os.W_OK | os.X_OK)


def _subprocess_env(work: Path) -> dict[str, str]:
    """The environment for a client: ours, with a writable HOME (a temp dir if need be).

    TMPDIR points into *work*, so whatever the client leaves there (e.g. after being killed on a
    timeout) is removed with the workspace.
    """
    env = dict(os.environ)
    tmp = work / "tmp"
    tmp.mkdir(exist_ok=True)
    env["TMPDIR"] = str(tmp)
    if not _home_is_usable(env.get("HOME")):
        home = work / "home"
        home.mkdir(exist_ok=True)
        env["HOME"] = str(home)
    return env


def _kill_group(proc: subprocess.Popen) -> None:
    """Kill *proc*'s whole process group (it was started in a session of its own)."""
    if hasattr(os, "killpg"):
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
    else:  # pragma: no cover - not POSIX
        proc.kill()


def _reap(proc: subprocess.Popen) -> None:
    """Collect a killed process without hanging on pipes a stray descendant may still hold."""
    try:
        proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        for pipe in (proc.stdout, proc.stderr):
            if pipe is not None:
                pipe.close()
        proc.wait()


def _run(
    cmd: Sequence[str], *, env: Mapping[str, str], cwd: Path, timeout: float, what: str
) -> subprocess.CompletedProcess[str]:
    """Run *cmd* in a new session; on timeout kill its process group and raise OfficeError.

    The group is killed after a normal exit too, so no stray soffice.bin survives its wrapper.
    """
    proc = subprocess.Popen(
        list(cmd),
        cwd=cwd,
        env=dict(env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        _reap(proc)
        raise OfficeError(f"{what}: timed out after {timeout:g} s; process group killed") from None
    except BaseException:
        _kill_group(proc)
        _reap(proc)
        raise
    _kill_group(proc)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def _tail(text: str, limit: int = 800) -> str:
    text = text.strip()
    return text if len(text) <= limit else "…" + text[-limit:]


def _diagnostics(result: subprocess.CompletedProcess[str]) -> str:
    return f"exit code {result.returncode}; stderr: {_tail(result.stderr)!r}"


def _require_soffice() -> str:
    soffice = soffice_path()
    if soffice is None:
        raise OfficeError("LibreOffice (soffice) not found on PATH")
    return soffice


def _require_files(sources: Sequence[Path]) -> None:
    for source in sources:
        if not source.is_file():
            raise OfficeError(f"{source}: no such file")


# --------------------------------------------------------------------------- LibreOffice


def _soffice_convert(
    sources: Sequence[Path],
    targets: Sequence[Path],
    convert_to: str,
    *,
    timeout: float,
    recalc: bool = True,
    locale: str | None = None,
) -> list[Path]:
    """Convert ``sources[i]`` to ``targets[i]`` with ONE soffice start (numbers formatted for
    ``locale``, such as ``nb-NO``, when given).

    Inputs are copied under neutral names (``in/doc000.xlsx``...), so that equal stems from
    different folders, odd characters in names and ``out_dir == source dir`` are all harmless.
    """
    soffice = _require_soffice()
    _require_files(sources)
    if not sources:
        return []
    ext = convert_to.split(":", 1)[0]
    with _workspace() as work:
        profile = _write_profile(work, recalc=recalc, locale=locale)
        in_dir, raw_dir = work / "in", work / "out"
        in_dir.mkdir()
        raw_dir.mkdir()
        inputs = []
        for i, source in enumerate(sources):
            copy = in_dir / f"doc{i:03d}{source.suffix.lower() or '.xlsx'}"
            shutil.copyfile(source, copy)
            inputs.append(copy)
        cmd = [
            soffice,
            f"-env:UserInstallation={profile}",
            *_SOFFICE_FLAGS,
            "--convert-to",
            convert_to,
            "--outdir",
            str(raw_dir),
            *map(str, inputs),
        ]
        names = ", ".join(str(s) for s in sources)
        result = _run(
            cmd,
            env=_subprocess_env(work),
            cwd=work,
            timeout=timeout,
            what=f"LibreOffice converting {names}",
        )
        for i, (source, target) in enumerate(zip(sources, targets, strict=True)):
            produced = raw_dir / f"doc{i:03d}.{ext}"
            if not produced.is_file() or produced.stat().st_size == 0:
                raise OfficeError(
                    f"LibreOffice wrote no {ext} output for {source} ({_diagnostics(result)})"
                )
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(produced), str(target))
    return list(targets)


def recalculate_libreoffice(
    sources: Sequence[Path], out_dir: Path, *, timeout: float = 180
) -> list[Path]:
    """Open each source in LibreOffice, force a full recalculation and save it as .xlsx.

    All sources go through ONE soffice start (start-up is the slow part). Outputs are
    ``out_dir/<stem>.libreoffice.xlsx``, returned in the order of *sources*; an existing file of
    that name is replaced. Raises OfficeError naming the file if an output is missing, and
    ValueError if two sources would map to the same output.
    """
    sources = [Path(s) for s in sources]
    out_dir = Path(out_dir)
    targets = [out_dir / f"{s.stem}{LIBREOFFICE_SUFFIX}.xlsx" for s in sources]
    _reject_duplicates(sources, targets)
    return _soffice_convert(sources, targets, f"xlsx:{XLSX_FILTER}", timeout=timeout)


def _reject_duplicates(sources: Sequence[Path], targets: Sequence[Path]) -> None:
    seen: dict[Path, Path] = {}
    for source, target in zip(sources, targets, strict=True):
        key = target.resolve()
        if key in seen:
            raise ValueError(f"{seen[key]} and {source} would both be written to {target}")
        seen[key] = source


def convert_libreoffice(
    source: Path, out_dir: Path, fmt: str, *, timeout: float = 180, locale: str | None = None
) -> Path:
    """Convert *source* with LibreOffice (recalculating profile) to *fmt*; return the output path.

    *fmt* is what ``--convert-to`` takes: ``"pdf"``, ``"png"`` (first page of the active sheet;
    needs the Debian package libreoffice-draw-nogui for the graphic filters), ``"ods"``, or
    ``"ext:Filter Name"``. The output is ``out_dir/<stem>.<ext>``, or
    ``out_dir/<stem>.libreoffice.<ext>`` when that would be the source itself.
    """
    source = Path(source)
    ext = fmt.split(":", 1)[0]
    if not ext:
        raise ValueError(f"no output extension in format {fmt!r}")
    target = Path(out_dir) / f"{source.stem}.{ext}"
    if target.resolve() == source.resolve():
        target = target.with_name(f"{source.stem}{LIBREOFFICE_SUFFIX}.{ext}")
    return _soffice_convert([source], [target], fmt, timeout=timeout, locale=locale)[0]


# --------------------------------------------------------------------------- Gnumeric


def recalculate_gnumeric(source: Path, target: Path, *, timeout: float = 120) -> Path:
    """Recalculate *source* with Gnumeric (``ssconvert --recalc``) and save .xlsx as *target*."""
    source, target = Path(source), Path(target)
    ssconvert = gnumeric_path()
    if ssconvert is None:
        raise OfficeError("Gnumeric (ssconvert) not found on PATH")
    _require_files([source])
    with _workspace() as work:
        # A neutral copy: ssconvert would read "a:b.xlsx" as a URI with the scheme "a".
        copy, raw = work / f"in{source.suffix.lower() or '.xlsx'}", work / "out.xlsx"
        shutil.copyfile(source, copy)
        cmd = [
            ssconvert,
            "--recalc",
            "--export-type=Gnumeric_Excel:xlsx2",
            str(copy),
            str(raw),
        ]
        result = _run(
            cmd,
            env=_subprocess_env(work),
            cwd=work,
            timeout=timeout,
            what=f"Gnumeric converting {source}",
        )
        if result.returncode != 0 or not raw.is_file() or raw.stat().st_size == 0:
            raise OfficeError(
                f"Gnumeric wrote no xlsx output for {source} ({_diagnostics(result)})"
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(raw), str(target))
    return target


# --------------------------------------------------------------------------- reading results


def _load(path: Path, *, data_only: bool) -> openpyxl.Workbook:
    with warnings.catch_warnings():
        # Gnumeric's files have no default cell style; openpyxl warns and applies its own.
        warnings.filterwarnings("ignore", message="Workbook contains no default style")
        return openpyxl.load_workbook(path, data_only=data_only)


def read_values(path: Path) -> dict[tuple[str, str], object]:
    """Every non-empty cell's value as openpyxl ``data_only=True`` reads it (cached results).

    Keys are ``(sheet title, "C8")``; formula cells give their cached value, not the formula.
    """
    wb = _load(path, data_only=True)
    try:
        return {
            (ws.title, cell.coordinate): cell.value
            for ws in wb.worksheets
            for row in ws.iter_rows()
            for cell in row
            if cell.value is not None
        }
    finally:
        wb.close()


def read_formulas(path: Path) -> dict[tuple[str, str], str]:
    """Every formula cell's formula, e.g. ``{("Budsjett", "C8"): "=SUM(C5:C7)"}``.

    Array formulas give their formula text (``ArrayFormula.text``).
    """
    wb = _load(path, data_only=False)
    try:
        found: dict[tuple[str, str], str] = {}
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if cell.data_type == "f":
                        value = cell.value
                        text = value if isinstance(value, str) else getattr(value, "text", None)
                        found[(ws.title, cell.coordinate)] = str(text if text else value)
        return found
    finally:
        wb.close()


# --------------------------------------------------------------------------- editing via UNO

# The UNO script: run by a Python that can ``import uno``, never imported here.
_UNO_EDIT_SCRIPT = Path(__file__).with_name("uno_edit.py")


# A real Python-UNO bridge, not merely some directory named "uno" on sys.path.
_UNO_PROBE = "import uno; from com.sun.star.beans import PropertyValue; uno.getComponentContext()"


@functools.lru_cache(maxsize=1)
def uno_python() -> str | None:
    """A Python interpreter that can ``import uno`` (Python-UNO bridge to LibreOffice), or None.

    Tries this interpreter, Debian's ``/usr/bin/python3`` (package python3-uno) and the Python
    bundled next to soffice (LibreOffice's own builds). The result is cached per process.
    """
    candidates = [sys.executable, "/usr/bin/python3", shutil.which("python3")]
    soffice = soffice_path()
    if soffice:
        program = Path(os.path.realpath(soffice)).parent
        candidates += [str(program / "python"), str(program / "python.bin")]
    seen: set[str] = set()
    with _workspace() as work:  # an empty cwd, so nothing there can pass for the module
        for candidate in candidates:
            if not candidate or candidate in seen or not os.access(candidate, os.X_OK):
                continue
            seen.add(candidate)
            try:
                probe = subprocess.run(
                    [candidate, "-c", _UNO_PROBE],
                    cwd=work,
                    capture_output=True,
                    timeout=60,
                    stdin=subprocess.DEVNULL,
                )
            except (OSError, subprocess.SubprocessError):
                continue
            if probe.returncode == 0:
                return candidate
    return None


def _edit_value(value: object) -> object:
    """Check one edit value and make it JSON-able: None, bool -> 1/0, number, or string."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    raise TypeError(f"cannot type {value!r} ({type(value).__name__}) into a cell")


def _check_ref(ref: str) -> str:
    try:
        coordinate_from_string(ref)
    except (CellCoordinatesException, ValueError) as exc:
        raise ValueError(f"not a single-cell reference: {ref!r}") from exc
    return ref.upper()


def edit_with_libreoffice(
    source: Path,
    target: Path,
    edits: Mapping[tuple[str, str], object],
    *,
    method: str = "auto",
    timeout: float = 180,
    insert_rows: Sequence[tuple[str, int]] = (),
    operations: Sequence[tuple[object, ...] | Mapping[str, object]] = (),
) -> Path:
    """Set cell values in LibreOffice itself, recalculate and save the workbook as .xlsx *target*.

    *insert_rows* lists ``(sheet, row)``: insert one whole row before 1-based *row*, as a person
    does with "Insert rows above" (UNO only), before the edits are applied.

    *operations* (UNO only) run after the inserted rows and before the edits, each as a person
    does it (a protected sheet is unprotected, changed and protected again):
    ``("sort", sheet, "A7:D9", column_in_range, descending)``,
    ``("move_range", sheet, "A7:D7", "A12")`` (cut and paste), ``("width", sheet, column,
    width_in_hundredths_of_mm)``, ``("style", sheet, "A7:E9", "CellBackColor", 0xFFCC00)``,
    ``("rename", sheet, new_name)`` and ``("move_sheet", sheet, index)`` (0-based column and
    index). An operation may also be a dict of ``uno_edit.py``'s vocabulary (what a person does
    in Calc: insert/delete rows, sort, cut or copy and paste, paste values, copy/move/rename/
    delete a sheet, hide a row or column, comment, width, AutoFilter, protect/unprotect, a
    number format, a round trip through .ods, and ``expect`` checks that read a cell back).

    *edits* maps ``(sheet, "C8")`` to a number, a bool, a string, None (clear the cell) or a
    formula string starting with ``=`` in Excel syntax (``=SUM(A1,B2)``). This simulates a
    person typing into the workbook; *target* may be *source* (edit in place).

    ``method="uno"`` drives LibreOffice through Python-UNO (needs :func:`uno_python`);
    ``method="openpyxl"`` is the fallback: apply the edits with openpyxl to a copy, then let
    LibreOffice recalculate and save it (openpyxl drops what it does not model, e.g. images and
    charts, before LibreOffice sees the file). ``"auto"`` picks UNO when available.
    """
    source, target = Path(source), Path(target)
    if method not in ("auto", "uno", "openpyxl"):
        raise ValueError(f"unknown method {method!r}")
    cleaned = [(sheet, _check_ref(ref), _edit_value(v)) for (sheet, ref), v in edits.items()]
    soffice = _require_soffice()
    _require_files([source])
    python = uno_python() if method in ("auto", "uno") else None
    if method == "uno" and python is None:
        raise OfficeError(
            "no Python with the 'uno' module found (Debian: apt-get install python3-uno)"
        )
    if python is None:
        if insert_rows or operations:
            raise OfficeError(
                "inserting rows and other operations need Python-UNO "
                "(Debian: apt-get install python3-uno)"
            )
        return _edit_with_openpyxl(source, target, cleaned, timeout=timeout)

    ops = [
        *({"op": "insert_rows", "sheet": s, "row": int(r)} for s, r in insert_rows),
        *(_as_person_does(operation) for operation in operations),
        *({"op": "set", "sheet": s, "cell": ref, "value": v} for s, ref, v in cleaned),
    ]
    return _run_uno(python, soffice, [(source, target, ops)], timeout=timeout)[0]


def _as_person_does(operation: tuple[object, ...] | Mapping[str, object]) -> dict[str, object]:
    """An ``edit_with_libreoffice`` operation in the UNO script's vocabulary; a tuple's edit on
    a protected sheet unprotects it and protects it again (``"unprotecting"``)."""
    if isinstance(operation, Mapping):
        return dict(operation)
    kind, sheet, *args = operation
    op: dict[str, object]
    if kind == "rename":
        return {"op": "rename_sheet", "sheet": sheet, "name": args[0]}
    if kind == "move_sheet":
        return {"op": "move_sheet", "sheet": sheet, "position": _index(args[0]) + 1}
    if kind == "sort":
        op = {"op": "sort", "range": args[0], "column": _index(args[1]) + 1}
        op["ascending"] = not args[2]
    elif kind == "move_range":
        op = {"op": "move_range", "range": args[0], "to": args[1]}
    elif kind == "width":
        op = {"op": "width", "column": _index(args[0]) + 1, "width_mm100": args[1]}
    elif kind == "style":
        op = {"op": "style", "range": args[0], "property": args[1], "value": args[2]}
    else:
        raise ValueError(f"unknown operation {operation!r}")
    return {**op, "sheet": sheet, "unprotecting": True}


def _index(value: object) -> int:
    if not isinstance(value, int):
        raise TypeError(f"not a 0-based index: {value!r}")
    return value


def edit_many_with_libreoffice(
    jobs: Sequence[tuple[Path, Path, Sequence[Mapping[str, object]]]], *, timeout: float = 600
) -> list[Path]:
    """Apply ``(source, target, operations)`` jobs with ONE LibreOffice start (UNO only).

    Each source is opened, edited with its *operations* (see :func:`edit_with_libreoffice`),
    recalculated and saved as .xlsx *target*; start-up is the slow part, so a test corpus of
    many edited workbooks is built in one run. Returns the targets in order.
    """
    soffice = _require_soffice()
    python = uno_python()
    if python is None:
        raise OfficeError(
            "no Python with the 'uno' module found (Debian: apt-get install python3-uno)"
        )
    return _run_uno(python, soffice, jobs, timeout=timeout)


def _run_uno(
    python: str,
    soffice: str,
    jobs: Sequence[tuple[Path, Path, Sequence[Mapping[str, object]]]],
    *,
    timeout: float,
) -> list[Path]:
    """Run the UNO script once over all *jobs*; move each output to its target."""
    jobs = [(Path(source), Path(target), ops) for source, target, ops in jobs]
    _require_files([source for source, _, _ in jobs])
    names = ", ".join(str(source) for source, _, _ in jobs)
    with _workspace() as work:
        documents = []
        for i, (source, _, ops) in enumerate(jobs):
            copy = work / f"in{i:03d}{source.suffix.lower() or '.xlsx'}"
            shutil.copyfile(source, copy)
            documents.append(
                {
                    "source": str(copy),
                    "target": str(work / f"out{i:03d}.xlsx"),
                    "ops": [_work_paths(dict(op), work, i) for op in ops],
                }
            )
        job = {
            "soffice": soffice,
            "profile": _write_profile(work),
            "flags": list(_SOFFICE_FLAGS),
            "pipe": f"bygdevekst_{os.getpid()}_{uuid.uuid4().hex}",
            "filter": XLSX_FILTER,
            "documents": documents,
        }
        job_file = work / "job.json"
        job_file.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
        result = _run(
            [python, str(_UNO_EDIT_SCRIPT), str(job_file)],
            env=_subprocess_env(work),
            cwd=work,
            timeout=timeout,
            what=f"LibreOffice (UNO) editing {names}",
        )
        for (source, target, _), document in zip(jobs, documents, strict=True):
            raw = Path(str(document["target"]))
            if result.returncode != 0 or not raw.is_file() or raw.stat().st_size == 0:
                raise OfficeError(
                    f"LibreOffice (UNO) could not edit {source} ({_diagnostics(result)})"
                )
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(raw), str(target))
    return [target for _, target, _ in jobs]


def _work_paths(op: dict[str, object], work: Path, index: int) -> dict[str, object]:
    """An operation with the files it writes on the way (an .ods round trip) inside *work*."""
    if op.get("op") == "ods_round_trip":
        op["path"] = str(work / f"round{index:03d}.ods")
    return op


def _edit_with_openpyxl(
    source: Path, target: Path, edits: Sequence[tuple[str, str, object]], *, timeout: float
) -> Path:
    with _workspace() as work:
        staged = work / "edited.xlsx"
        wb = openpyxl.load_workbook(source)
        try:
            for sheet, ref, value in edits:
                if sheet not in wb.sheetnames:
                    raise OfficeError(f"{source}: no sheet named {sheet!r}")
                wb[sheet][ref].value = value
            wb.save(staged)
        finally:
            wb.close()
        try:
            out = _soffice_convert(
                [staged], [work / "final.xlsx"], f"xlsx:{XLSX_FILTER}", timeout=timeout
            )[0]
        except OfficeError as exc:
            raise OfficeError(f"LibreOffice could not save the edited {source}: {exc}") from exc
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(out), str(target))
    return target
