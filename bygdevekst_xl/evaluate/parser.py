"""A small parser for the formula shapes that :mod:`bygdevekst_xl.evaluate` compiles itself.

Importing ``formulas`` costs about 0.4 s (numpy, schedula, regex), more than checking a
small workbook takes. This parser covers the grammar of the evaluator's fast path, so a
workbook that only uses fast functions never imports ``formulas``:

* numbers (``1``, ``0.25``, ``.5``, ``1E+20``, ``1.5e-3``; ``1E20`` too, which formulas
  rejects), strings with ``""`` escapes, TRUE/FALSE, error literals (``#REF!`` ...);
* reference placeholders ``_C0`` (a cell) and ``_R1`` (a range), as the evaluator's
  tokenizer leaves them;
* prefix ``+``/``-``, postfix ``%``, and the binary operators ``^``, ``* /``, ``+ -``,
  ``&``, ``= <> < <= > >=``, left-associative, with Excel's precedence (tightest first:
  prefix sign, ``%``, ``^``, ``* /``, ``+ -``, ``&``, comparisons; so ``-2^2`` is 4);
* parentheses and function calls, with empty arguments (``IF(A1,,1)``).

It builds the same tree as the ``formulas`` Parser (whose tree the evaluator converts to
this form), including its quirks: a run of signs is one operator (``1--1`` is ``1+1``; a
prefix run with an even number of minus signs, ``--x``, is the node ``u--``), an empty
argument is the number 0. Anything else (whitespace, reference operators ``:`` and space,
array constants, leading zeros like ``007``, functions not in the caller's list) gives
None, and the caller hands the formula to ``formulas``.

A tree is made of tuples:

* ``("ref", "C" | "R", digits)``: placeholder ``_C<digits>`` / ``_R<digits>``;
* ``("lit", value)``: an int, float, bool or str constant;
* ``("err", code)``: an error constant such as ``"#DIV/0!"``;
* ``("op", name, [operands])``: ``+ - * / ^ & = <> < <= > >=``, prefix ``u-``, ``u+``,
  ``u--`` and postfix ``%``;
* ``("fn", NAME, [arguments])``: a function call, the name upper-cased, without Excel's
  ``_xlfn.`` prefix;
* ``("name", NAME)``: a name a formula's LET binds (the tokenizer leaves only those).
"""

from __future__ import annotations

import re
from collections.abc import Container

__all__ = ["Node", "parse"]

Node = tuple

_LEX = re.compile(
    r"""
      (?P<str>"(?:[^"]|"")*")
    | (?P<err>\#(?i:NULL!|DIV/0!|VALUE!|REF!|NAME\?|N/A|NUM!|GETTING_DATA))
    | (?P<num>(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)
    | (?P<call>[A-Za-z_][A-Za-z0-9_.]*)\(
    | (?P<word>[A-Za-z_][A-Za-z0-9_.]*)
    | (?P<sign>[+-]+)
    | (?P<op>[*/^&=<>]+)
    | (?P<pct>%+)
    | (?P<open>\()
    | (?P<close>\))
    | (?P<sep>,)
    """,
    re.VERBOSE,
)
_PLACEHOLDER = re.compile(r"_([CR])([0-9]+)")
_PRECEDENCE = {
    "^": 5,
    "*": 4,
    "/": 4,
    "+": 3,
    "-": 3,
    "&": 2,
    "=": 1,
    "<>": 1,
    "<": 1,
    "<=": 1,
    ">": 1,
    ">=": 1,
}
_END = ("end", "")


class _Reject(Exception):
    """The formula is outside this parser's grammar."""


def parse(formula: str, functions: Container[str]) -> Node | None:
    """The tree of ``formula`` (``"=..."``), or None if it is outside this grammar or calls
    a function whose upper-cased name is not in ``functions``."""
    if not formula.startswith("=") or "\n" in formula:  # formulas drops newlines, even in text
        return None
    try:
        return _Parser(_tokens(formula[1:]), functions).formula()
    except (_Reject, RecursionError):
        return None


def _tokens(text: str) -> list[tuple[str, str]]:
    """(kind, text) tokens; raise _Reject on anything the grammar does not know."""
    out: list[tuple[str, str]] = []
    pos, end, match = 0, len(text), _LEX.match
    while pos < end:
        m = match(text, pos)
        if m is None:
            raise _Reject
        kind = str(m.lastgroup)  # every alternative is a named group
        token = m.group(kind)
        if (kind == "op" and token not in _PRECEDENCE) or (kind == "pct" and token != "%"):
            raise _Reject  # "=<", "**", "%%": formulas rejects them too
        out.append((kind, token))
        pos = m.end()
    out.append(_END)
    return out


def _number(text: str) -> int | float:
    """A number token's value as formulas computes it (Python's literal rules)."""
    if "." in text or "e" in text or "E" in text:
        return float(text)
    if text[0] == "0" and text.strip("0"):
        raise _Reject  # "007" is no Python literal; formulas fails on it later
    try:
        return int(text)
    except ValueError:  # more than sys.get_int_max_str_digits() digits
        raise _Reject from None


_NEWER = frozenset(
    [
        "XLOOKUP",
        "IFS",
        "SWITCH",
        "LET",
        "CEILING.MATH",
        "FLOOR.MATH",
        "CEILING.PRECISE",
        "FLOOR.PRECISE",
        "ISO.CEILING",
    ]
)
"""Functions Excel writes with the ``_xlfn.`` prefix that the fast path knows."""


def _function_name(text: str) -> str:
    """A function's name upper-cased, without the ``_xlfn.`` prefix Excel writes before the
    newer functions of :data:`_NEWER` (``_xlfn.XLOOKUP``); another prefixed name keeps it."""
    name = text.upper()
    return name[6:] if name.startswith("_XLFN.") and name[6:] in _NEWER else name


class _Parser:
    """Precedence climbing over the token list."""

    def __init__(self, tokens: list[tuple[str, str]], functions: Container[str]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.functions = functions
        self.lets = 0  # LET calls being parsed: only inside one is a bare name read

    def next(self) -> tuple[str, str]:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def formula(self) -> Node:
        node = self.expression(1)
        if self.tokens[self.pos] is not _END:
            raise _Reject
        return node

    def expression(self, min_precedence: int) -> Node:
        node = self.operand()
        while True:
            kind, text = self.tokens[self.pos]
            if kind == "sign":
                op = "-" if text.count("-") % 2 else "+"
            elif kind == "op":
                op = text
            else:
                return node
            precedence = _PRECEDENCE[op]
            if precedence < min_precedence:
                return node
            self.pos += 1
            node = ("op", op, [node, self.expression(precedence + 1)])

    def operand(self) -> Node:
        """A primary with an optional sign run before it and any ``%`` after it."""
        kind, text = self.tokens[self.pos]
        if kind == "sign":
            self.pos += 1
            minus = text.count("-")
            op = "u-" if minus % 2 else "u--" if minus else "u+"
            node: Node = ("op", op, [self.primary()])
        else:
            node = self.primary()
        while self.tokens[self.pos][0] == "pct":
            self.pos += 1
            node = ("op", "%", [node])
        return node

    def primary(self) -> Node:
        kind, text = self.next()
        if kind == "num":
            return ("lit", _number(text))
        if kind == "str":
            return ("lit", text[1:-1].replace('""', '"'))
        if kind == "err":
            return ("err", text.upper())
        if kind == "word":
            upper = text.upper()
            if upper in ("TRUE", "FALSE"):
                return ("lit", upper == "TRUE")
            m = _PLACEHOLDER.fullmatch(text)
            if m is None:  # a name the tokenizer left: LET's (Excel writes _xlpm.x)
                if not self.lets:
                    raise _Reject
                return ("name", upper.removeprefix("_XLPM."))
            return ("ref", m.group(1), m.group(2))
        if kind == "call":
            return self.call(_function_name(text))
        if kind == "open":
            node = self.expression(1)
            if self.next()[0] != "close":
                raise _Reject
            return node
        raise _Reject

    def call(self, name: str) -> Node:
        if name not in self.functions:
            raise _Reject
        if name == "LET":
            self.lets += 1
            try:
                return self.arguments(name)
            finally:
                self.lets -= 1
        return self.arguments(name)

    def arguments(self, name: str) -> Node:
        args: list[Node] = []
        if self.tokens[self.pos][0] == "close":
            self.pos += 1
            return ("fn", name, args)
        while True:
            if self.tokens[self.pos][0] in ("sep", "close"):
                args.append(("lit", 0))  # an empty argument, as formulas reads it
            else:
                args.append(self.expression(1))
            kind = self.next()[0]
            if kind == "close":
                return ("fn", name, args)
            if kind != "sep":
                raise _Reject
