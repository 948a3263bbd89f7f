"""The xlsxwriter floor of ``generate``: the same xlsxwriter calls, nothing else.

:func:`record` generates a spec's workbook once in this process with every call our writer makes
on xlsxwriter's objects (workbook, worksheets, formats, charts) logged; :func:`replay` makes
those calls again, in a process that imports xlsxwriter alone, and returns the bytes. The
replay is the floor that ``generate`` (read and validate the spec, lay it out, render it) is
compared with: ``generate ÷ floor`` is what our own work adds on top of xlsxwriter's.

The replay's worksheet skips xlsxwriter's future-function regexes exactly as the writer's
``_Worksheet`` does (the same rule, copied here so that the replay imports nothing of ours).
"""

from __future__ import annotations

import io
import pickle
import re
from pathlib import Path
from typing import Any

_HANDLE = "__bench_handle__"
_BUFFER = "__bench_buffer__"
_WORKSHEET_CLASS = "__bench_worksheet_class__"


class _Recorder:
    """Stands for one xlsxwriter object: logs each method call, makes it, wraps what it
    returns when that is another xlsxwriter object."""

    def __init__(self, real: Any, handle: int, log: list[Any], handles: dict[int, Any]) -> None:
        self._real, self._handle, self._log, self._handles = real, handle, log, handles

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._real, name)
        if not callable(value):
            return value

        def call(*args: Any, **kwargs: Any) -> Any:
            entry = (self._handle, name, _logged(args), _logged(kwargs))
            result = value(*_real(args), **_real(kwargs))
            wrapped = self._wrap(result)
            self._log.append((*entry, wrapped._handle if wrapped is not result else None))
            return wrapped

        return call

    def _wrap(self, result: Any) -> Any:
        if any(k.__module__.startswith("xlsxwriter.") for k in type(result).__mro__):
            handle = len(self._handles) + 1
            self._handles[handle] = result
            return _Recorder(result, handle, self._log, self._handles)
        return result


def _logged(value: Any) -> Any:
    """``value`` with recorders, the output buffer and the worksheet class as markers."""
    if isinstance(value, _Recorder):
        return (_HANDLE, value._handle)
    if isinstance(value, io.BytesIO):
        return (_BUFFER,)
    if isinstance(value, type):
        return (_WORKSHEET_CLASS,)
    if isinstance(value, dict):
        return {k: _logged(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_logged(v) for v in value)
    return value


def _real(value: Any) -> Any:
    """``value`` with recorders replaced by the objects they stand for."""
    if isinstance(value, _Recorder):
        return value._real
    if isinstance(value, dict):
        return {k: _real(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_real(v) for v in value)
    return value


def record(spec: Path, out: Path) -> bytes:
    """Generate ``spec``'s workbook with every xlsxwriter call logged into ``out`` (pickle);
    the workbook's bytes."""
    from bygdevekst_xl import writer
    from bygdevekst_xl.generate import workbook_bytes
    from bygdevekst_xl.spec import load_spec

    log: list[Any] = []
    handles: dict[int, Any] = {}
    real_workbook = writer.xlsxwriter.Workbook

    def workbook(*args: Any, **kwargs: Any) -> _Recorder:
        log.append((0, "Workbook", _logged(args), _logged(kwargs), 1))
        handles[1] = real_workbook(*args, **kwargs)
        return _Recorder(handles[1], 1, log, handles)

    writer.xlsxwriter.Workbook = workbook  # type: ignore[misc]
    try:
        data = workbook_bytes(load_spec(spec))
    finally:
        writer.xlsxwriter.Workbook = real_workbook  # type: ignore[misc]
    out.write_bytes(pickle.dumps(log, protocol=pickle.HIGHEST_PROTOCOL))
    return data


def replay(calls: Path) -> bytes:
    """Make the logged calls with xlsxwriter alone; the workbook's bytes."""
    import xlsxwriter
    from xlsxwriter.worksheet import Worksheet

    class PlainWorksheet(Worksheet):  # the writer's _Worksheet rule, see the module docstring
        PLAIN_FUNCTIONS = frozenset(
            {"SUM", "SUMIF", "COUNTIF", "IF", "AND", "OR", "MIN", "MAX", "ROUND", "ABS"}
        )
        _CALLS = re.compile(r"([A-Za-z_][A-Za-z0-9_.]*)\(")

        def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
            names = set(self._CALLS.findall(formula))
            if self.use_future_functions or not names <= self.PLAIN_FUNCTIONS or formula[:1] == "{":
                return super()._prepare_formula(formula, expand_future_functions)
            return formula.removeprefix("=")

    buffer = io.BytesIO()
    objects: dict[int, Any] = {}

    def real(value: Any) -> Any:
        if isinstance(value, tuple) and value and value[0] == _HANDLE:
            return objects[value[1]]
        if value == (_BUFFER,):
            return buffer
        if value == (_WORKSHEET_CLASS,):
            return PlainWorksheet
        if isinstance(value, dict):
            return {k: real(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return type(value)(real(v) for v in value)
        return value

    for target, name, args, kwargs, handle in pickle.loads(calls.read_bytes()):
        method = xlsxwriter.Workbook if name == "Workbook" else getattr(objects[target], name)
        result = method(*real(args), **real(kwargs))
        if handle is not None:
            objects[handle] = result
    return buffer.getvalue()
