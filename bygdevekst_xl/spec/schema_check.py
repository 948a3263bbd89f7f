"""A fast yes/no check of data against the spec's JSON schema, in plain Python.

``jsonschema`` takes about 0.1 s to import and 15 s to validate 100 000 cost lines, because
it resolves every ``$ref`` and builds an error object for every step. Almost every spec is
valid, so the schema is compiled here, once, into nested closures that only say *valid or
not*; ``jsonschema`` is imported only when this says no, to phrase the errors.

The check is never more lenient than ``jsonschema``: where the two could differ (``1.0``
for an integer, uniqueness of unhashable items), this says "not valid" and ``jsonschema``
decides. Only the keywords the spec schema uses are understood; any other keyword is an
error when the schema is compiled, so the schema cannot grow past this check unnoticed.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

Check = Callable[[Any], bool]

_ANNOTATIONS = frozenset({"$schema", "$id", "$defs", "title", "description", "$comment"})
_OBJECT_KEYWORDS = frozenset({"properties", "required", "additionalProperties"})
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_TYPES: dict[str, Check] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "null": lambda v: v is None,
}


class UnknownKeyword(ValueError):
    """The schema uses a keyword this check does not implement."""


def compile_schema(schema: Mapping[str, Any]) -> Check:
    """The schema as a function ``data -> bool`` (True only if ``jsonschema`` would agree)."""
    return _Compiler(schema).compile(schema)


class _Compiler:
    def __init__(self, root: Mapping[str, Any]) -> None:
        self.root = root
        self.refs: dict[str, Check] = {}
        self.pending: set[str] = set()

    def compile(self, schema: Mapping[str, Any]) -> Check:
        unknown = set(schema) - _ANNOTATIONS - _OBJECT_KEYWORDS - set(_KEYWORDS)
        if unknown:
            raise UnknownKeyword(", ".join(sorted(unknown)))
        fused = _fused(self, schema)
        if fused is not None:
            return fused
        checks = [_KEYWORDS[k](self, schema[k]) for k in _KEYWORDS if k in schema]
        if not _OBJECT_KEYWORDS.isdisjoint(schema):
            checks.append(self.object(schema))
        present = [c for c in checks if c is not None]
        if not present:
            return lambda v: True
        if len(present) == 1:
            return present[0]

        def every(v: Any) -> bool:
            for check in present:  # noqa: SIM110 (a loop: all() of a generator is slower here)
                if not check(v):
                    return False
            return True

        return every

    def ref(self, target: str) -> Check:
        """A ``$ref`` to ``#/$defs/...``, compiled once and shared."""
        if target not in self.refs:
            if target in self.pending:
                raise UnknownKeyword(f"$ref {target} (only local, non-recursive)")
            node = self.target(target)
            self.pending.add(target)
            self.refs[target] = self.compile(node)
        return self.refs[target]

    def target(self, target: str) -> Mapping[str, Any]:
        """The schema a local ``$ref`` (``#/$defs/...``) points to."""
        if not target.startswith("#/"):
            raise UnknownKeyword(f"$ref {target} (only local, non-recursive)")
        node: Any = self.root
        for part in target[2:].split("/"):
            node = node[part]
        return node

    def object(self, schema: Mapping[str, Any]) -> Check:
        """properties, required and additionalProperties together: one pass over the keys."""
        properties = {k: self.compile(s) for k, s in schema.get("properties", {}).items()}
        required = frozenset(schema.get("required", ()))
        extra = schema.get("additionalProperties", True)
        extra_check = self.compile(extra) if isinstance(extra, Mapping) else None
        closed = extra is False
        if closed and required == properties.keys():
            return _exact_object(required, properties)

        def check(v: Any) -> bool:
            if not isinstance(v, dict):
                return True  # these keywords apply to objects only
            if not required.issubset(v.keys()):
                return False
            for key, item in v.items():
                test = properties.get(key)
                if test is None:
                    if closed or (extra_check is not None and not extra_check(item)):
                        return False
                elif not test(item):
                    return False
            return True

        return check


def _exact_object(keys: frozenset[str], properties: dict[str, Check]) -> Check:
    """An object that has every one of its properties and nothing else (a cost line): its keys
    compared as a set, then each value checked, without a lookup per key."""
    tests = tuple(properties.items())

    def check(v: Any) -> bool:
        if not isinstance(v, dict):
            return True  # these keywords apply to objects only
        if v.keys() != keys:
            return False
        for key, test in tests:  # noqa: SIM110 (a loop: all() of a generator is slower here)
            if not test(v[key]):
                return False
        return True

    return check


_NUMBER_KEYWORDS = frozenset({"type", "minimum", "maximum"})
_ARRAY_KEYWORDS = frozenset({"type", "items", "minItems", "maxItems"})
_STRING_KEYWORDS = frozenset({"type", "minLength", "maxLength", "pattern", "format"})
_NUMERIC_TYPES = {"integer": (int,), "number": (int, float)}


def _fused(c: _Compiler, schema: Mapping[str, Any]) -> Check | None:
    """One closure for the shapes a spec repeats 100 000 times (an amount, a list of one amount
    per year, a text, a cost line), or None: the same verdict as the keywords one by one, at a
    fraction of the calls. ``type(v) in types`` is stricter than ``isinstance`` (no bool, no
    subclass): never more lenient, as the module promises."""
    keys = set(schema) - _ANNOTATIONS
    kind = schema.get("type")
    numeric = _numeric(c, schema)
    if numeric is not None:
        types, low, high = numeric
        return lambda v: type(v) in types and low <= v <= high
    if kind == "array" and keys <= _ARRAY_KEYWORDS and "items" in keys:
        return _array(c, schema)
    if kind == "string" and keys <= _STRING_KEYWORDS:
        return _string(schema)
    if kind == "object" and keys <= _OBJECT_KEYWORDS | {"type"}:
        check = c.object(schema)
        return lambda v: type(v) is dict and check(v)
    return None


def _numeric(
    c: _Compiler, schema: Mapping[str, Any]
) -> tuple[tuple[type, ...], float, float] | None:
    """(types, minimum, maximum) of a schema that is a number and its bounds alone (through a
    ``$ref`` too), else None."""
    if set(schema) - _ANNOTATIONS == {"$ref"}:
        schema = c.target(schema["$ref"])
    kind = schema.get("type")
    if kind not in _NUMERIC_TYPES or not set(schema) - _ANNOTATIONS <= _NUMBER_KEYWORDS:
        return None
    return _NUMERIC_TYPES[kind], schema.get("minimum", -math.inf), schema.get("maximum", math.inf)


def _array(c: _Compiler, schema: Mapping[str, Any]) -> Check:
    """A list of a bounded length; numeric items are checked in the loop, without a call each."""
    shortest, longest = schema.get("minItems", 0), schema.get("maxItems", math.inf)
    numeric = _numeric(c, schema["items"])
    if numeric is not None:
        types, low, high = numeric

        def numbers(v: Any) -> bool:
            if type(v) is not list or not shortest <= len(v) <= longest:
                return False
            for x in v:  # noqa: SIM110 (a loop: all() of a generator is slower here)
                if type(x) not in types or not low <= x <= high:
                    return False
            return True

        return numbers
    item = c.compile(schema["items"])

    def array(v: Any) -> bool:
        if type(v) is not list or not shortest <= len(v) <= longest:
            return False
        for x in v:  # noqa: SIM110 (a loop: all() of a generator is slower here)
            if not item(x):
                return False
        return True

    return array


def _string(schema: Mapping[str, Any]) -> Check:
    """A text: its length, pattern and format in one closure."""
    shortest, longest = schema.get("minLength", 0), schema.get("maxLength", math.inf)
    search = re.compile(schema["pattern"]).search if "pattern" in schema else None
    date = _format(None, schema["format"]) if "format" in schema else None

    def string(v: Any) -> bool:
        return (
            type(v) is str
            and shortest <= len(v) <= longest
            and (search is None or search(v) is not None)
            and (date is None or date(v))
        )

    return string


def _type(c: _Compiler, value: str | list[str]) -> Check:
    tests = [_TYPES[t] for t in ([value] if isinstance(value, str) else value)]
    if len(tests) == 1:
        return tests[0]
    return lambda v: any(t(v) for t in tests)


def _items(c: _Compiler, value: Mapping[str, Any]) -> Check:
    item = c.compile(value)

    def items(v: Any) -> bool:
        if isinstance(v, list):
            for x in v:
                if not item(x):
                    return False
        return True

    return items


def _min_items(c: _Compiler, n: int) -> Check:
    return lambda v: not isinstance(v, list) or len(v) >= n


def _max_items(c: _Compiler, n: int) -> Check:
    return lambda v: not isinstance(v, list) or len(v) <= n


def _unique_items(c: _Compiler, on: bool) -> Check | None:
    def check(v: Any) -> bool:
        if not isinstance(v, list):
            return True
        try:
            return len(set(v)) == len(v)  # 1 == True here: stricter than jsonschema
        except TypeError:
            return False  # unhashable items: let jsonschema judge

    return check if on else None


def _minimum(c: _Compiler, n: float) -> Check:
    return lambda v: not _TYPES["number"](v) or v >= n


def _maximum(c: _Compiler, n: float) -> Check:
    return lambda v: not _TYPES["number"](v) or v <= n


def _min_length(c: _Compiler, n: int) -> Check:
    return lambda v: not isinstance(v, str) or len(v) >= n


def _max_length(c: _Compiler, n: int) -> Check:
    return lambda v: not isinstance(v, str) or len(v) <= n


def _pattern(c: _Compiler, pattern: str) -> Check:
    search = re.compile(pattern).search  # jsonschema uses re.search too
    return lambda v: not isinstance(v, str) or search(v) is not None


def _format(c: _Compiler | None, name: str) -> Check:
    if name != "date":
        raise UnknownKeyword(f"format {name}")

    def check(v: Any) -> bool:
        if not isinstance(v, str):
            return True
        if _DATE.fullmatch(v) is None:
            return False
        try:
            dt.date.fromisoformat(v)
        except ValueError:
            return False
        return True

    return check


def _ref(c: _Compiler, target: str) -> Check:
    return c.ref(target)


_KEYWORDS: dict[str, Callable[[_Compiler, Any], Check | None]] = {
    "type": _type,
    "items": _items,
    "minItems": _min_items,
    "maxItems": _max_items,
    "uniqueItems": _unique_items,
    "minimum": _minimum,
    "maximum": _maximum,
    "minLength": _min_length,
    "maxLength": _max_length,
    "pattern": _pattern,
    "format": _format,
    "$ref": _ref,
}


def too_long(
    schema: Mapping[str, Any], data: Any
) -> Iterator[tuple[tuple[str | int, ...], int, int]]:
    """``(path, length, maxItems)`` of every list in *data* longer than the schema allows.

    Cheap where ``jsonschema`` is not: the items of a list that is too long are not visited,
    so a spec with a million cost lines is refused by its count alone.
    """
    root = schema

    def walk(node: Mapping[str, Any], value: Any, path: tuple[str | int, ...]) -> Iterator[Any]:
        while "$ref" in node:
            target: Any = root
            for part in str(node["$ref"])[2:].split("/"):
                target = target[part]
            node = target
        if isinstance(value, list):
            limit = node.get("maxItems")
            if limit is not None and len(value) > limit:
                yield path, len(value), limit
                return
            items = node.get("items")
            if isinstance(items, Mapping):
                for i, item in enumerate(value):
                    yield from walk(items, item, (*path, i))
        elif isinstance(value, dict):
            properties = node.get("properties", {})
            extra = node.get("additionalProperties")
            for key, item in value.items():
                inner = properties.get(key, extra)
                if isinstance(inner, Mapping):
                    yield from walk(inner, item, (*path, key))

    return walk(schema, data, ())
