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

from ..messages import Message

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
    """Text that is not a usable spec document; its :attr:`message` names the line and column."""

    def __init__(self, message: Message) -> None:
        super().__init__(message)
        self.message = message


def _at(mark: Any, key: str, /, **params: Any) -> YamlProblem:
    """The problem ``key`` at a place in the text (``line 2, column 1: …``)."""
    return YamlProblem(Message("at", place=_where(mark), text=Message(key, **params)))


class _Loader(_LOADER):  # type: ignore[misc,valid-type]
    """The safe loader, resolving each distinct scalar's tag once: PyYAML tries its regexes
    on every scalar, and an amount or a key recurs thousands of times in a large spec."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.tags: dict[tuple[str, Any], str] = {}

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is not yaml.ScalarNode or self.yaml_path_resolvers:
            return super().resolve(kind, value, implicit)
        key = (value, implicit)
        tag = self.tags.get(key)
        if tag is None:
            tag = self.tags[key] = super().resolve(kind, value, implicit)
        return tag


def load_yaml(text: str) -> Any:
    """The one YAML document in *text* as plain data; raise :class:`YamlProblem`."""
    marks = sum(text.count(mark) for mark in _MARKS)
    if marks > MAX_NODES:
        raise YamlProblem(Message("yaml-too-many-values", count=marks, most=MAX_NODES))
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            return None if node is None else _Builder(loader).data(node, 0)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        found = text[mark.index : mark.index + 1] if mark else ""
        problem = _problem(str(exc.problem or exc), str(exc.context or ""), found)
        raise _at(exc.problem_mark, "yaml-invalid", problem=problem) from None
    except RecursionError:
        raise YamlProblem(Message("yaml-too-deep")) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(
            Message("yaml-invalid", problem=Message("yaml-other", problem=str(exc)))
        ) from None


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
            raise _at(node.start_mark, "yaml-alias")
        self.seen.add(id(node))
        if tag == _MAP and isinstance(node, yaml.MappingNode):
            return self.mapping(node, depth + 1)
        if tag == _SEQ and isinstance(node, yaml.SequenceNode):
            self.deep(node, depth + 1)
            return [self.data(item, depth + 1) for item in node.value]
        if tag == _MERGE:
            raise _at(node.start_mark, "yaml-merge")
        try:
            if tag == _INT and isinstance(node, yaml.ScalarNode):
                if len(node.value) > MAX_NUMBER_CHARS:  # 0x…, 0b…, 1:59:59… of any length
                    raise _at(
                        node.start_mark,
                        "yaml-long-number",
                        length=len(node.value),
                        most=MAX_NUMBER_CHARS,
                    )
                text = node.value
                digits = text[1:] if text[:1] == "-" else text
                if digits.isascii() and digits.isdigit() and (digits[0] != "0" or digits == "0"):
                    return int(text)  # the usual amount, without the constructor (017 is octal)
                return self.loader.construct_yaml_int(node)
            value = self.loader.construct_object(node, deep=True)  # floats, bools, null, dates
            if isinstance(value, float) and value != value:
                raise _at(node.start_mark, "yaml-nan")
        except YamlProblem:
            raise
        except (ValueError, IndexError, AttributeError, TypeError, OverflowError):
            # PyYAML's constructors fail this way on explicit tags with odd values (!!int "")
            value = node.value if isinstance(node.value, str) else "…"
            raise _at(
                node.start_mark, "yaml-bad-scalar", value=repr(value[:40]), kind=_kind(tag)
            ) from None
        return value.isoformat() if isinstance(value, dt.date) else value

    def mapping(self, node: yaml.MappingNode, depth: int) -> dict[Any, Any]:
        self.deep(node, depth)
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _STR and isinstance(key_node, yaml.ScalarNode):
                key = key_node.value  # the usual key, and below the usual text: no call
            else:
                key = self.data(key_node, depth)
                if isinstance(key, list | dict):
                    raise _at(key_node.start_mark, "yaml-key-kind")
            if key in out:
                raise _at(key_node.start_mark, "yaml-key-twice", key=repr(key))
            if value_node.tag == _STR and isinstance(value_node, yaml.ScalarNode):
                out[key] = value_node.value
            else:
                out[key] = self.data(value_node, depth)
        return out

    @staticmethod
    def deep(node: yaml.Node, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise _at(node.start_mark, "yaml-nested", most=MAX_DEPTH)


def _where(mark: Any) -> Message:
    if not mark:
        return Message("yaml-anywhere")
    return Message("at-line", line=mark.line + 1, column=mark.column + 1)


_KNOWN_KINDS = frozenset({"int", "float", "bool", "timestamp", "null"})


def _kind(tag: str) -> Message:
    """What a value of a YAML tag must be: ``a valid whole number`` for ``!!int``."""
    name = tag.split(":")[-1]
    return Message(f"kind-{name}") if name in _KNOWN_KINDS else Message("kind-other", name=name)


_PROBLEMS = (  # PyYAML's words for the mistakes people make, and ours
    ("found a tab character", "yaml-tab"),
    ("did not find expected key", "yaml-indent"),
    ("mapping values are not allowed", "yaml-colon"),
    ("expected <block end>", "yaml-indent"),
    ("could not find expected ':'", "yaml-no-colon"),
    ("found unexpected end of stream", "yaml-end"),
    ("did not find expected ',' or", "yaml-bracket"),
    ("found undefined alias", "yaml-undefined-alias"),
)


def _problem(problem: str, context: str, found: str) -> Message:
    """PyYAML's problem in our words where we know it (its English otherwise, in English);
    ``found`` is the character where it stopped."""
    if "quoted scalar" in context and "end of stream" in problem:
        return Message("yaml-quote")
    if found == "\t":
        return Message("yaml-tab")
    for start, key in _PROBLEMS:
        if problem.startswith(start):
            return Message(key)
    return Message("yaml-other", problem=problem)
