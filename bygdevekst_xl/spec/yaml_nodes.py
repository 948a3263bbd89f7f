"""Safe YAML text to plain Python data (dicts, lists, text, numbers, true/false, empty).

libyaml parses and composes the node graph; this module turns the nodes into data itself,
which is about twice as fast as PyYAML's constructor for a large spec, and refuses on the
way what a spec never needs and what attacks use: aliases (``*name``, the alias bomb),
merge keys, nesting deeper than :data:`MAX_DEPTH`, and keys given twice (where YAML would
silently keep only the last value a person typed). Dates become ISO text.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml

MAX_DEPTH = 20  # a spec nests 5 deep; anything far deeper is junk
MAX_NODES = 300_000
"""Values a spec may hold, bounded before parsing (the largest spec the schema allows holds
about 90 000, texts aside; libyaml composes about 100 000 a second here): each value after the
first is introduced by one of ``,`` ``-`` ``:`` ``[`` ``{`` ``?`` or a line break, so their
count bounds the work of parsing."""
MAX_NUMBER_CHARS = 40  # a whole number of more digits is no amount, year or hour count
_MARKS = (",", "\n", ":", "-", "[", "{", "?")

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present
_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"


class YamlProblem(ValueError):
    """Text that is not a usable spec document; the message names the line and column."""


def load_yaml(text: str) -> Any:
    """The one YAML document in *text* as plain data; raise :class:`YamlProblem`."""
    marks = sum(text.count(mark) for mark in _MARKS)
    if marks > MAX_NODES:
        raise YamlProblem(
            f"may hold up to {marks} values; a spec may hold at most {MAX_NODES} (refusing)"
        )
    try:
        loader = _LOADER(text)
        try:
            node = loader.get_single_node()
            return None if node is None else _Builder(loader).data(node, 0)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        problem = f"{_where(exc.problem_mark)}: not valid YAML: {exc.problem or exc}"
        raise YamlProblem(problem) from None
    except RecursionError:
        raise YamlProblem("not valid YAML: nested too deeply") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(f"not valid YAML: {exc}") from None


class _Builder:
    """Node → data, with every collection node visited once (a second visit is an alias)."""

    def __init__(self, loader: Any) -> None:
        self.loader = loader
        self.seen: set[int] = set()

    def data(self, node: yaml.Node, depth: int) -> Any:
        tag = node.tag
        if tag == _STR and isinstance(node, yaml.ScalarNode):
            return node.value
        if id(node) in self.seen:
            raise YamlProblem(
                f"{_where(node.start_mark)}: this value is used again through an alias; "
                "aliases (*name) are not allowed"
            )
        self.seen.add(id(node))
        if tag == _MAP and isinstance(node, yaml.MappingNode):
            return self.mapping(node, depth + 1)
        if tag == _SEQ and isinstance(node, yaml.SequenceNode):
            self.deep(node, depth + 1)
            return [self.data(item, depth + 1) for item in node.value]
        if tag == _MERGE:
            raise YamlProblem(f"{_where(node.start_mark)}: merge keys (<<) are not allowed")
        try:
            if tag == _INT and isinstance(node, yaml.ScalarNode):
                if len(node.value) > MAX_NUMBER_CHARS:  # 0x…, 0b…, 1:59:59… of any length
                    raise YamlProblem(
                        f"{_where(node.start_mark)}: a number of {len(node.value)} characters "
                        f"(at most {MAX_NUMBER_CHARS}) is too large"
                    )
                text = node.value
                digits = text[1:] if text[:1] == "-" else text
                if digits.isascii() and digits.isdigit() and (digits[0] != "0" or digits == "0"):
                    return int(text)  # the usual amount, without the constructor (017 is octal)
                return self.loader.construct_yaml_int(node)
            value = self.loader.construct_object(node, deep=True)  # floats, bools, null, dates
            if isinstance(value, float) and value != value:
                raise YamlProblem(f"{_where(node.start_mark)}: .nan is not a number")
        except YamlProblem:
            raise
        except (ValueError, IndexError, AttributeError, TypeError, OverflowError):
            # PyYAML's constructors fail this way on explicit tags with odd values (!!int "")
            value = node.value if isinstance(node.value, str) else "…"
            raise YamlProblem(
                f"{_where(node.start_mark)}: {value[:40]!r} is not a valid {tag.split(':')[-1]}"
            ) from None
        return value.isoformat() if isinstance(value, dt.date) else value

    def mapping(self, node: yaml.MappingNode, depth: int) -> dict[Any, Any]:
        self.deep(node, depth)
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self.data(key_node, depth)
            if isinstance(key, list | dict):
                raise YamlProblem(f"{_where(key_node.start_mark)}: a key must be text or a number")
            if key in out:
                raise YamlProblem(f"{_where(key_node.start_mark)}: {key!r} is given twice")
            out[key] = self.data(value_node, depth)
        return out

    @staticmethod
    def deep(node: yaml.Node, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise YamlProblem(f"{_where(node.start_mark)}: nested more than {MAX_DEPTH} deep")


def _where(mark: Any) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark else "YAML"
