"""Everything that needs the ``formulas`` package, imported only when first needed.

``formulas`` (about 0.4 s to import, with numpy) parses the shapes our own parser leaves,
converting its token tree to :mod:`.parser` form, and compiles the shapes the fast
path cannot take; :func:`fallback` calls such a shape with numpy arrays (about 0.5 ms a
cell). Importing this module imports neither ``formulas`` nor numpy.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from .functions import REFUSED
from .keys import gather
from .limits import DEFAULT_LIMITS, MAX_TEXT_BUILT
from .parser import Node
from .values import ERRORS, MAX_TEXT, NUM, VALUE, ErrorValue, Problem, finite


@functools.lru_cache(maxsize=1)
def _tree_parser() -> Any:
    """A formulas Parser whose AST builder returns a plain expression tree."""
    from formulas.errors import FormulaError
    from formulas.parser import Parser
    from formulas.tokens.function import Function
    from formulas.tokens.operator import Operator

    class TreeBuilder:
        def __init__(self, dsp: Any = None, nodes: Any = None, match: Any = None) -> None:
            self.match = match
            self._items: list = []

        def __len__(self) -> int:
            return len(self._items)

        def __getitem__(self, index: int) -> Any:
            return self._items[index]

        def pop(self) -> Any:
            return self._items.pop()

        def append(self, token: Any) -> None:
            if isinstance(token, (Operator, Function)):
                n = token.get_n_args
                if n > len(self._items):
                    raise FormulaError()
                args = self._items[len(self._items) - n :] if n else []
                del self._items[len(self._items) - n :]
                kind = "op" if isinstance(token, Operator) else "fn"
                self._items.append((kind, token, args))
            else:
                self._items.append(("leaf", token, None))

        def finish(self) -> None:
            pass

    class TreeParser(Parser):
        ast_builder = TreeBuilder

    return TreeParser()


def parse_with_formulas(shape: str) -> Node:
    """Parse one shape with the formulas Parser; convert its token tree to ours."""
    return _from_formulas_tree(_tree_parser().ast(shape)[1][0])


def _from_formulas_tree(root: Any) -> Node:
    """A formulas token tree as a :mod:`.parser` tree (iterative: trees can be deep).

    Besides that module's nodes it may hold ``("lambda", NAME, args)`` and leaves the code
    generator refuses when it reaches them: ``("problem", reason)`` (the cell is
    unsupported) and ``("notfast", reason)`` (the shape goes to the formulas fallback).
    """
    from formulas.tokens.function import Lambda
    from formulas.tokens.operand import Empty, Error, Number, Range, String

    def leaf(token: Any) -> Node:
        if isinstance(token, Range):
            m = re.fullmatch(r"_([CR])(\d+)", token.name.upper())
            if m:
                return ("ref", m.group(1), m.group(2))
            if token.attr.get("indirect"):
                return ("problem", REFUSED["INDIRECT"])
            return ("problem", f"unrecognised reference {token.name!r}")
        if isinstance(token, Empty):
            return ("lit", 0)
        if isinstance(token, Error):
            return ("err", str(token.compile()))
        if isinstance(token, (Number, String)):
            try:
                return ("lit", token.compile())
            except SyntaxError:  # a number like 007
                return ("notfast", f"bad number {token.name!r}")
        return ("problem", f"unsupported operand {token.name!r}")

    def node(token: Any, kind: str, args: list) -> Node:
        if kind == "fn":
            return ("lambda" if isinstance(token, Lambda) else "fn", token.name.upper(), args)
        name = token.name
        if name == "u+" and token.attr.get("sum_minus", "").count("-"):
            name = "u--"  # formulas folds "--x" into "+x"; Excel makes x a number
        return ("op", name, args)

    done: list[Node] = []
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        item, expanded = stack.pop()
        kind, token, args = item
        if kind == "leaf":
            done.append(leaf(token))
        elif expanded:
            n = len(args)
            children = done[len(done) - n :] if n else []
            del done[len(done) - n :]
            done.append(node(token, kind, children))
        else:
            stack.append((item, True))
            stack.extend((a, False) for a in reversed(args))
    return done[0]


def compile_with_formulas(shape: str) -> Any:
    """Compile one shape with formulas itself (fallback; once per distinct shape)."""
    from formulas.parser import Parser

    _bound_text_functions()
    return Parser().ast(shape)[1].compile()


@functools.lru_cache(maxsize=1)
def _bound_text_functions() -> None:
    """Bound the text formulas' functions build, as Excel bounds it (a text of more than
    32 767 characters is #VALUE!), and before it is built where it could grow past memory:
    ``REPT("x",10^9)``, ``SUBSTITUTE`` of a long text by a long text (their product),
    ``CONCAT``/``TEXTJOIN`` of a huge range, ``DEC2BIN(1,10^9)`` (Excel allows 10 places).
    Every function and operator also refuses an array past ``max_area`` cells or a call that
    could build more than ``MAX_TEXT_BUILT`` characters, and turns any longer text it
    returns into #VALUE!."""
    from formulas.functions import get_functions, not_implemented, text
    from formulas.functions.operators import OPERATORS

    value_error = text.Error.errors["#VALUE!"]

    def bounded_rept(value: Any, times: Any) -> Any:
        try:
            n = int(float(text.replace_empty(times)))
        except (TypeError, ValueError, OverflowError):
            return value_error
        if n < 0 or len(text._str(value)) * n > MAX_TEXT:
            return value_error
        return text._str(value) * n

    def bounded_substitute(value: Any, old: Any, new: Any, instance: Any = None) -> Any:
        shown, old_s, new_s = (text._str(v) for v in (value, old, new))
        grows = len(new_s) - len(old_s)
        if instance is None and old_s and grows > 0:
            longest = len(shown) + shown.count(old_s) * grows
        else:
            longest = len(shown) + max(grows, 0)
        if longest > MAX_TEXT:
            return value_error
        return text.xsubstitute(value, old, new, instance)

    functions = get_functions()
    replaced = {
        **_excel_numbers(text.wrap_ufunc, text.Error.errors),
        "REPT": text.wrap_ufunc(bounded_rept, **text._kw0),
        "SUBSTITUTE": text.wrap_ufunc(
            bounded_substitute,
            input_parser=lambda *a: a,
            args_parser=lambda *a: (text.replace_empty(v, "") for v in a),
        ),
    }
    for name, func in list(functions.items()):
        base = replaced.get(name, func)
        if callable(base) and base is not not_implemented:  # knows_function tells them apart
            joins = name.removeprefix("_XLFN.") in _JOINS
            places = name.removeprefix("_XLFN.") in _PLACES
            functions[name] = _bounded(base, joins=joins, places=places)
    text.FUNCTIONS.update({k: functions[k] for k in replaced})
    _compare_at_15_digits(OPERATORS)
    for name, func in list(OPERATORS.items()):
        if name not in _REFERENCE_OPERATORS:
            OPERATORS[name] = _bounded(func)


def _excel_numbers(wrap_ufunc: Callable, errors: dict) -> dict[str, Any]:
    """The fast path's rounding functions and VALUE (Excel's 15 significant digits, text as
    en-US Excel reads it) in place of formulas' own, so a shape the fallback computes
    (``=ROUND(SUMPRODUCT(...),0)``) rounds as Excel does too."""
    from .functions import SCALARS
    from .numbers import xl_round, xl_rounddown, xl_roundup

    def excel(func: Callable) -> Callable:
        def call(*args: Any) -> Any:
            result = func(*args)
            return (
                errors.get(result.code, errors["#VALUE!"]) if type(result) is ErrorValue else result
            )

        return call

    def text_or_number(*args: Any) -> Any:
        return tuple(None if _is_empty(a) else a for a in args)

    out: dict[str, Any] = {
        "ROUND": wrap_ufunc(excel(xl_round)),
        "ROUNDUP": wrap_ufunc(excel(xl_roundup)),
        "ROUNDDOWN": wrap_ufunc(excel(xl_rounddown)),
        "VALUE": wrap_ufunc(excel(SCALARS["VALUE"][0]), input_parser=text_or_number),
    }
    for name in ("TRUNC", "INT", "MROUND", "CEILING", "FLOOR", "QUOTIENT", "ISO.CEILING"):
        out[name] = wrap_ufunc(excel(SCALARS[name][0]))
    for name in ("CEILING.MATH", "FLOOR.MATH", "CEILING.PRECISE", "FLOOR.PRECISE"):
        out[name] = out["_XLFN." + name] = wrap_ufunc(excel(SCALARS[name][0]))
    return out


def _compare_at_15_digits(operators: dict) -> None:
    """formulas' comparison operators compare numbers at Excel's 15 significant digits, as
    the fast path does (``SUMPRODUCT(...)=0.3`` of 0.30000000000000004 is TRUE)."""
    from formulas.functions import wrap_ufunc
    from formulas.functions.operators import LOGIC_OPERATORS, logic_input_parser

    from .values import near, round15

    def parse(x: Any, y: Any) -> Any:
        (xt, xv), (yt, yv) = logic_input_parser(x, y)
        if xt == yt == 0 and xv != yv and near(float(xv), float(yv)):
            xv, yv = round15(float(xv)), round15(float(yv))
        return (xt, xv), (yt, yv)

    for name, compare in LOGIC_OPERATORS.items():
        operators[name] = wrap_ufunc(compare, input_parser=parse, args_parser=lambda *a: a)


_JOINS = {"CONCAT", "CONCATENATE", "TEXTJOIN"}
"""Functions whose text is the sum of their arguments' texts."""
_PLACES = {f"{a}2{b}" for a in ("DEC", "BIN", "OCT", "HEX") for b in ("BIN", "OCT", "HEX")}
"""Functions with a ``places`` argument (Excel: at most 10)."""
_REFERENCE_OPERATORS = {",", " ", ":", "@"}


class TextBudget(Exception):
    """A formulas call that would build more than the checker allows."""


def _cells(value: Any) -> Any:
    """The elements of an argument (an array's cells, or the value itself)."""
    import numpy as np

    return value.ravel() if isinstance(value, np.ndarray) else (value,)


def _text_length(value: Any) -> int:
    """The characters of a text value; 0 for anything else (schedula's EMPTY is a str too)."""
    return len(value) if isinstance(value, str) and not _is_empty(value) else 0


def _shown_length(value: Any) -> int:
    """About the characters a value shows when joined: numbers too, blanks none."""
    if isinstance(value, str):
        return 0 if _is_empty(value) else len(value)
    return len(str(value)) if isinstance(value, int | float) else 0


@functools.lru_cache(maxsize=1)
def _empty_token() -> Any:
    import schedula as sh

    return sh.EMPTY


def _is_empty(value: Any) -> bool:
    return value is _empty_token()


def _bounded(func: Callable, *, joins: bool = False, places: bool = False) -> Callable:
    """*func* with the bounds of :func:`_bound_text_functions`."""
    import numpy as np
    from formulas.functions import text

    errors = text.Error.errors
    long_text = np.frompyfunc(
        lambda v: errors["#VALUE!"] if _text_length(v) > MAX_TEXT else v, 1, 1
    )

    @functools.wraps(func)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        arrays = [a for a in args if isinstance(a, np.ndarray)]
        if arrays:
            size = 1
            for axis in range(max(a.ndim for a in arrays)):
                size *= max(a.shape[axis] if axis < a.ndim else 1 for a in arrays)
            if size > DEFAULT_LIMITS.max_area:
                raise TextBudget(f"an array of {size} cells (at most {DEFAULT_LIMITS.max_area})")
            # an element-wise result repeats each argument's text size / its cells times
            built = sum(
                sum(map(_text_length, cells)) * size // max(len(cells), 1)
                for cells in map(_cells, args)
            )
            if built > MAX_TEXT_BUILT:
                raise TextBudget(f"could build {built} characters of text")
        if joins:
            parts = [v for a in args for v in _cells(a)]
            total = sum(map(_shown_length, parts))
            if total > MAX_TEXT:
                return errors["#VALUE!"]
        if places and len(args) > 1 and any(_too_many_places(v) for v in _cells(args[1])):
            return errors["#NUM!"]
        result = func(*args, **kwargs)
        if isinstance(result, str):
            return errors["#VALUE!"] if len(result) > MAX_TEXT else result
        if isinstance(result, np.ndarray) and result.dtype == object and result.size:
            return long_text(result).astype(object).view(type(result))
        return result

    return bounded


def _too_many_places(value: Any) -> bool:
    try:
        return float(value) > 10
    except (TypeError, ValueError, OverflowError):
        return False


@functools.lru_cache(maxsize=1)
def _implemented() -> Callable[[str], bool]:
    from formulas.functions import get_functions, not_implemented

    functions = get_functions()
    return lambda name: functions.get(name, not_implemented) is not not_implemented


def knows_function(name: str) -> bool:
    """Whether formulas implements the function ``name`` (imports formulas)."""
    return _implemented()(name)


def fallback(shape: str) -> Callable:
    """Compile a shape through formulas; call it with numpy arrays."""
    try:
        func = compile_with_formulas(shape)
    except Exception as exc:
        raise Problem(f"formulas cannot compile the formula ({type(exc).__name__})") from None
    order = []
    for name in func.inputs:
        m = re.fullmatch(r"_([CR])(\d+)", str(name))
        if m is None:
            raise Problem(f"unrecognised input {name!r}")
        order.append((int(m.group(2)), m.group(1) == "R"))
    import numpy as np
    import schedula as sh
    from formulas.tokens.operand import Error, XlError

    xl_errors = Error.errors
    empty = sh.EMPTY

    def to_xl(v: Any) -> Any:
        if v is None:
            return empty
        if type(v) is ErrorValue:
            return xl_errors.get(v.code, xl_errors["#VALUE!"])
        return v

    def run(g: Callable, h: int, *refs: Any) -> Any:
        inputs = []
        for i, is_range in order:
            if is_range:
                d = refs[i]
                arr = np.empty(d[1] * d[2], dtype=object)
                arr[:] = [to_xl(v) for v in gather(g, d)]
                inputs.append(arr.reshape(d[1], d[2]))
            else:
                arr = np.empty((1, 1), dtype=object)
                arr[0, 0] = to_xl(g(refs[i]))
                inputs.append(arr)
        try:
            result = func(*inputs)
        except TextBudget as exc:
            raise Problem(f"not evaluated: {exc}", VALUE) from None
        except Exception as exc:
            raise Problem(f"formulas failed: {type(exc).__name__}", VALUE) from None
        return _from_formulas(result, np, empty, XlError)

    run.uses_formulas = True  # type: ignore[attr-defined]
    return run


def _from_formulas(v: Any, np: Any, empty: Any, xl_error: type) -> Any:
    """A formulas result as a plain Python value."""
    if isinstance(v, np.ndarray):  # as ExcelModel stores an array in one cell
        from formulas.ranges import _reshape_array_as_excel

        v = _reshape_array_as_excel(v if v.ndim == 2 else v.reshape(1, -1), (1, 1))[0, 0]
    if v is empty:
        return 0
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, float, np.integer, np.floating)):
        return finite(float(v))
    if isinstance(v, xl_error):
        return ERRORS.get(str(v), ErrorValue(str(v)))
    if isinstance(v, str):
        return str(v)
    if isinstance(v, complex):
        return NUM
    return VALUE


@contextmanager
def quiet_schedula() -> Iterator[None]:
    """formulas (via schedula) logs every failed call; keep the fallback quiet."""
    import logging  # with formulas: only the fallback logs

    logger = logging.getLogger("schedula")
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        logger.setLevel(level)
