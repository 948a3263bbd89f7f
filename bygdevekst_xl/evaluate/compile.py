"""Compile a formula shape, once per distinct shape, to a Python function of its cell.

A shape is parsed by our own parser (:mod:`.parser`) when it uses only the
fast-path grammar and functions, else by ``formulas`` (:mod:`.fallback`). A tree that
uses only fast-path functions (:mod:`.functions`) becomes the source of a plain Python
function (the fast path); any other shape compiles through ``formulas`` itself.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator

from .fallback import fallback, knows_function, parse_with_formulas
from .functions import (
    AGGREGATES,
    BINARY,
    FAST_NAMES,
    GEOMETRY,
    NAMESPACE,
    REFUSED,
    ROUNDS,
    SCALARS,
    UNARY_FUNCS,
    cell_value,
    xl_sum_range,
)
from .limits import DEFAULT_LIMITS, Limits, check_shape
from .parser import Node
from .parser import parse as parse_formula
from .tokens import TOKEN_RE
from .values import Problem


class NotFast(Exception):
    """The shape needs the formulas fallback."""


def parse_shape(shape: str) -> Node:
    """Parse one shape (called once per distinct shape) into a :mod:`.parser` tree.

    Our own parser takes the fast-path grammar and functions; anything else goes to the
    formulas Parser (imported then), whose tree is converted to the same form.
    """
    tree = parse_own(shape)
    if tree is not None:  # it calls fast-path functions alone: none is refused
        return tree
    for m in TOKEN_RE.finditer(shape):
        if m.lastgroup == "func":
            base = m.group("func").upper().split(".")[-1]
            if base in REFUSED and base not in GEOMETRY:
                raise Problem(REFUSED[base])
    return parse_with_formulas(shape)


def parse_own(shape: str) -> Node | None:
    """The shape's tree from our own parser, or None when it needs formulas."""
    return parse_formula(shape, FAST_NAMES)


class _Codegen:
    """Turn an expression tree (see :mod:`.parser`) into a Python function body."""

    def __init__(self) -> None:
        self.temps = 0
        self.scope: dict[str, tuple[str, str]] = {}  # LET names -> (python name, kind)

    def temp(self) -> str:
        """A fresh name for a walrus temporary."""
        self.temps += 1
        return f"_t{self.temps}"

    def gen(self, node: Node) -> tuple[str, str]:
        """(python code, kind); kind is cell, range, lit or val."""
        kind = node[0]
        if kind == "ref":
            return (f"g(a{node[2]})", "cell") if node[1] == "C" else (f"a{node[2]}", "range")
        if kind == "lit":
            return repr(node[1]), "lit"
        if kind == "err":
            return f"_ERR[{node[1]!r}]", "lit"
        if kind == "op":
            return self.operator(node[1], node[2])
        if kind == "fn":
            return self.function(node[1], node[2])
        if kind == "name":  # a LET name; any other name is unknown to Excel too
            return self.scope.get(node[1], ("_ERR['#NAME?']", "lit"))
        if kind == "notfast":
            raise NotFast(node[1])
        if kind == "lambda":
            raise Problem("LAMBDA is not supported")
        raise Problem(node[1])  # "problem"

    def scalar(self, node: Node) -> str:
        """Code for a single value; a range here needs formulas."""
        code, kind = self.gen(node)
        if kind == "range":
            raise NotFast("range used as a single value")
        return code

    def operator(self, op: str, args: list) -> tuple[str, str]:
        """Code for an operator node."""
        if op in (":", " ", ",", "@"):
            raise Problem(f"reference operator {op!r} is not supported")
        if op in BINARY:
            return f"{BINARY[op]}({self.scalar(args[0])}, {self.scalar(args[1])})", "val"
        x = self.scalar(args[0])
        if op == "u-":
            return f"_NEG({x})", "val"
        if op == "u+":
            return f"_POS({x})", "val"
        if op == "u--":  # --x (any prefix with an even number of minus signs)
            return f"_NUMV({x})", "val"
        if op == "%":
            return f"_PCT({x})", "val"
        raise NotFast(op)

    def parts(self, args: list) -> str:
        """Aggregate arguments as ``(refs), (scalars)`` code."""
        refs, scalars = [], []
        for a in args:
            code, kind = self.gen(a)
            if kind == "range":
                refs.append(f"_G(g, {code})")
            elif kind == "cell":
                refs.append(f"({code},)")
            else:
                scalars.append(code)
        return f"({''.join(r + ', ' for r in refs)}), ({''.join(s + ', ' for s in scalars)})"

    def desc(self, node: Node) -> str:
        """A range argument as a descriptor (a single cell becomes a 1x1 range)."""
        code, kind = self.gen(node)
        if kind == "range":
            return code
        if kind == "cell":
            return f"_CD({code[2:-1]})"
        raise NotFast("criteria range is not a reference")

    def function(self, name: str, args: list) -> tuple[str, str]:
        """Code for a fast-path function call; raise NotFast for any other."""
        n = len(args)
        if name == "SUM" and n == 1 and args[0][:2] == ("ref", "R"):
            return f"_SUMR(g, h, a{args[0][2]})", "val"  # the commonest formula: one range
        if name in AGGREGATES and n:
            return f"{AGGREGATES[name]}({self.parts(args)})", "val"
        if name == "IF" and n in (2, 3):
            t = self.temp()
            c = self.scalar(args[0])
            yes = self.branch(args[1])
            no = self.branch(args[2]) if n == 3 else "False"
            return f"({t} if type({t} := _COND({c})) is _EV else ({yes} if {t} else {no}))", "val"
        if name == "IFERROR" and n == 2:
            t = self.temp()
            v, alt = self.branch(args[0]), self.branch(args[1])
            return f"({alt} if type({t} := {v}) is _EV else {t})", "val"
        if name in UNARY_FUNCS and n == 1:
            return f"{UNARY_FUNCS[name]}({self.scalar(args[0])})", "val"
        if name in ROUNDS and n == 2:
            return f"{ROUNDS[name]}({self.scalar(args[0])}, {self.scalar(args[1])})", "val"
        if name == "SUMIF" and n in (2, 3):
            extra = f", {self.desc(args[2])}" if n == 3 else ""
            return f"_SUMIF(g, {self.desc(args[0])}, {self.scalar(args[1])}{extra})", "val"
        if name == "COUNTIF" and n == 2:
            return f"_COUNTIF(g, {self.desc(args[0])}, {self.scalar(args[1])})", "val"
        if name in ("SUMIFS", "COUNTIFS") and n >= 2 and (n - (name == "SUMIFS")) % 2 == 0:
            first = 1 if name == "SUMIFS" else 0
            pairs = "".join(
                f"({self.desc(args[i])}, {self.scalar(args[i + 1])}), " for i in range(first, n, 2)
            )
            total = self.desc(args[0]) if first else "None"
            return f"_SUMIFS(g, {total}, ({pairs}))", "val"
        if name in SCALARS and SCALARS[name][1] <= n <= SCALARS[name][2]:
            scalars = ", ".join(self.scalar(a) for a in args)
            return f"_F_{name.replace('.', '_')}({scalars})", "val"
        if name == "AVERAGEIF" and n in (2, 3):
            extra = f", {self.desc(args[2])}" if n == 3 else ""
            return f"_AVERAGEIF(g, {self.desc(args[0])}, {self.scalar(args[1])}{extra})", "val"
        if name == "AVERAGEIFS" and n >= 3 and n % 2 == 1:
            pairs = "".join(
                f"({self.desc(args[i])}, {self.scalar(args[i + 1])}), " for i in range(1, n, 2)
            )
            return f"_AVERAGEIFS(g, {self.desc(args[0])}, ({pairs}))", "val"
        if name == "SUBTOTAL" and n >= 2:
            descs = "".join(f"{self.desc(a)}, " for a in args[1:])
            return f"_SUBTOTAL(g, {self.scalar(args[0])}, ({descs}))", "val"
        if name == "XLOOKUP" and 3 <= n <= 6:
            rest = "".join(f", {self.branch(a)}" for a in args[3:])
            wanted, look, ret = self.scalar(args[0]), self.desc(args[1]), self.desc(args[2])
            return f"_XLOOKUP(g, {wanted}, {look}, {ret}{rest})", "val"
        if name == "IFS" and n >= 2 and n % 2 == 0:
            return self.ifs(args), "val"
        if name == "SWITCH" and n >= 3:
            return self.switch(args), "val"
        if name == "LET" and n >= 3 and n % 2 == 1:
            return self.let(args)
        if name in ("ROW", "COLUMN", "ROWS", "COLUMNS") and n <= 1:
            return self.geometry(name, args), "val"
        if name in ("ISBLANK", "ISNUMBER", "ISTEXT", "ISLOGICAL", "ISERROR") and n == 1:
            code, kind = self.gen(args[0])
            if kind == "range":
                raise NotFast("IS function of a range")
            test = {
                "ISBLANK": "{} is None",
                "ISNUMBER": "_ISNUMBER({})",
                "ISTEXT": "type({}) is str",
                "ISLOGICAL": "type({}) is bool",
                "ISERROR": "type({}) is _EV",
            }[name]
            return f"({test.format(code)})", "val"
        raise NotFast(name)

    def ifs(self, args: list) -> str:
        """IFS: the value of the first true condition; #N/A when none is."""
        code = "_NA"
        for i in range(len(args) - 2, -1, -2):
            t = self.temp()
            c, v = self.scalar(args[i]), self.branch(args[i + 1])
            code = f"({t} if type({t} := _COND({c})) is _EV else ({v} if {t} else {code}))"
        return code

    def switch(self, args: list) -> str:
        """SWITCH: the result of the first case equal to the value, else the default or
        #N/A."""
        t = self.temp()
        value = self.scalar(args[0])
        cases = args[1:]
        code = self.branch(cases[-1]) if len(cases) % 2 else "_NA"
        for i in range(len(cases) - 2 - len(cases) % 2, -1, -2):
            m = self.temp()
            case, result = self.scalar(cases[i]), self.branch(cases[i + 1])
            code = (
                f"({m} if type({m} := _SWM({t}, {case})) is _EV else ({result} if {m} else {code}))"
            )
        return f"({t} if type({t} := {value}) is _EV else {code})"

    def let(self, args: list) -> tuple[str, str]:
        """LET(name1, value1, ..., calculation): each name bound in turn, then the
        calculation (a name is seen only after its own value)."""
        outer = dict(self.scope)
        steps = []
        try:
            for i in range(0, len(args) - 1, 2):
                if args[i][0] != "name":
                    raise Problem("LET needs a name before each value")
                code, kind = self.gen(args[i + 1])
                var = self.temp()
                steps.append(f"({var} := {code})")
                self.scope[args[i][1]] = (var, "range" if kind == "range" else "val")
            body, kind = self.gen(args[-1])
        finally:
            self.scope = outer
        return f"({', '.join(steps)}, {body})[-1]", kind

    def branch(self, node: Node) -> str:
        """Code for a value IF or IFERROR returns (a blank cell gives 0)."""
        code, kind = self.gen(node)
        if kind == "range":
            raise NotFast("range returned by IF")
        return f"_Z({code})" if kind == "cell" else code

    def geometry(self, name: str, args: list) -> str:
        """Code for ROW, COLUMN, ROWS or COLUMNS."""
        if not args:
            if name in ("ROWS", "COLUMNS"):
                raise NotFast(name)
            return "_ROWK(h)" if name == "ROW" else "_COLK(h)"
        code, kind = self.gen(args[0])
        if kind == "cell":
            key = code[2:-1]
            return {"ROW": f"_ROWK({key})", "COLUMN": f"_COLK({key})"}.get(name, "1")
        if kind == "range":
            return {
                "ROW": f"_ROWK(_K0({code}))",
                "COLUMN": f"_COLK(_K0({code}))",
                "ROWS": f"{code}[1]",
                "COLUMNS": f"{code}[2]",
            }[name]
        raise Problem(REFUSED[name])


def _function_names(tree: Node) -> Iterator[str]:
    """The names of the functions a tree calls."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if node[0] in ("op", "fn", "lambda"):
            if node[0] != "op":
                yield node[1]
            stack.extend(node[2])


def shape_source(tree: Node, n_refs: int) -> str:
    """The Python source of ``_shape(g, h, a0, a1, ...)``; raise NotFast if not fast."""
    body, kind = _Codegen().gen(tree)
    if kind == "range":
        raise NotFast("formula returns a range")
    if kind == "cell":
        body = f"_Z({body})"
    params = "".join(f", a{i}" for i in range(n_refs))
    return f"def _shape(g, h{params}):\n    return {body}\n"


def compile_shape(
    shape: str, n_refs: int, limits: Limits = DEFAULT_LIMITS, slow_allowed: bool = True
) -> Callable:
    """Compile a shape to ``fn(g, host_key, *refs)``; raise Problem if unsupported, past
    Excel's limits or ``limits``, or needing the formulas package when ``slow_allowed`` is
    False (``limits.max_fallback_shapes`` such shapes were compiled already)."""
    if not shape.startswith("="):
        raise Problem("not a formula" if not shape.startswith("{") else "array formula")
    check_shape(shape, limits.max_operators)
    try:
        tree = parse_shape(shape)
    except Problem:
        raise
    except Exception as exc:  # formulas raises FormulaError, ParenthesesError, TokenError...
        raise Problem(f"cannot parse formula ({type(exc).__name__})") from None
    names = set(_function_names(tree))
    for name in names - FAST_NAMES:
        base = name.split(".")[-1]
        if base in REFUSED and base not in GEOMETRY:
            raise Problem(REFUSED[base])
        if name not in ("ARRAY", "ARRAYROW") and not knows_function(name):
            raise Problem(f"unknown function {name}")
    try:
        src = shape_source(tree, n_refs)
        if tree == ("ref", "C", "0"):  # =A1 and =SUM(A1:B1), the commonest formulas, need no
            return cell_value  # function of their own
        if tree == ("fn", "SUM", [("ref", "R", "0")]):
            return xl_sum_range
        namespace = dict(NAMESPACE)
        with warnings.catch_warnings():  # ISBLANK("x") compiles to '"x" is None'
            warnings.simplefilter("ignore", SyntaxWarning)
            code = compile(src, f"<shape {shape[:60]}>", "exec")
        exec(code, namespace)
        return namespace["_shape"]
    except (NotFast, RecursionError, SyntaxError, MemoryError):
        pass  # not a fast shape, or nested too deeply for Python: let formulas do it
    for name in names & GEOMETRY:
        raise Problem(f"{name} needs cell geometry, which the formulas fallback lacks")
    if not slow_allowed:
        raise Problem(
            f"more than {limits.max_fallback_shapes} distinct formulas that need the slow "
            "evaluator; not evaluated"
        )
    return fallback(shape)
