"""The package's own ``dataclass`` behaves as the standard library's for every feature we use,
and commands start without the standard module (and the ``inspect`` it imports)."""

from __future__ import annotations

import copy
import dataclasses
import pickle
import subprocess
import sys
from typing import Any, ClassVar

import pytest

from bygdevekst_xl import dataclass as ours

FLAVOURS = {
    "stdlib": (dataclasses.dataclass, dataclasses.field, dataclasses.replace, dataclasses.asdict),
    "ours": (ours.dataclass, ours.field, ours.replace, ours.asdict),
}


def _classes(flavour: str) -> Any:
    dc, fld, _, _ = FLAVOURS[flavour]

    @dc(frozen=True)
    class Line:
        """A frozen one with a plain default, a factory and a class variable."""

        amount: int
        label: str = "a"
        years: tuple[int, ...] = fld(default_factory=tuple)
        unit: ClassVar[str] = "kr"

    @dc
    class Context:
        """A mutable one: a field set by ``__post_init__``, one left out of equality."""

        x: int
        rows: tuple[int, ...] = ()
        doubled: int = fld(init=False)
        cache: dict[str, int] = fld(default_factory=dict, compare=False)

        def __post_init__(self) -> None:
            self.doubled = self.x * 2

    @dc(frozen=True, slots=True)
    class Posting:
        """A frozen one with slots."""

        account: int
        text: str = "q"

        def __str__(self) -> str:
            return f"{self.account} {self.text}"

    return Line, Context, Posting


def _outcome(call: Any) -> Any:
    try:
        return ("value", call())
    except Exception as exc:  # the kind of refusal, as a caller sees it
        return ("raises", isinstance(exc, AttributeError), isinstance(exc, TypeError))


def _behaviour(flavour: str) -> list[Any]:
    Line, Context, Posting = _classes(flavour)
    _, _, replace, asdict = FLAVOURS[flavour]
    line, context, posting = Line(1), Context(2, (1,)), Posting(5)
    context.cache["seen"] = 1
    calls = [
        lambda: repr(line).replace("_classes.<locals>.", ""),
        lambda: repr(context).replace("_classes.<locals>.", ""),
        lambda: str(posting),
        lambda: (line == Line(1), line == Line(1, "b"), line != Line(2), line == (1, "a", ())),
        lambda: (hash(line) == hash(Line(1)), hash(posting) == hash(Posting(5))),
        lambda: (context == Context(2, (1,)), context.doubled, Line.unit, Line.label),
        lambda: repr(replace(line, label="k")).replace("_classes.<locals>.", ""),
        lambda: (replace(context, x=4).doubled, replace(context, x=4).cache),
        lambda: replace(posting, text="z") == Posting(5, "z"),
        lambda: (asdict(line), asdict(context), asdict(posting)),
        lambda: (Line.__match_args__, Context.__match_args__, Posting.__match_args__),
        lambda: (Posting.__slots__, hasattr(posting, "__dict__")),
        lambda: (copy.deepcopy(posting) == posting, copy.copy(line) == line),
        lambda: pickle.loads(pickle.dumps(_Pickled(3))) == _Pickled(3),
        lambda: setattr(line, "amount", 2),
        lambda: delattr(line, "amount"),
        lambda: setattr(posting, "account", 1),
        lambda: setattr(line, "other", 1),
        lambda: hash(context),
        lambda: replace(context, doubled=3),
        lambda: Line(),  # type: ignore[call-arg]
        lambda: repr(Context(1, (), 2)).replace("_classes.<locals>.", ""),
    ]
    return [_outcome(call) for call in calls]


@ours.dataclass(frozen=True, slots=True)
class _Pickled:
    n: int


def test_our_dataclass_behaves_as_the_standard_librarys():
    """repr, equality, hashing, defaults and factories, __post_init__, replace, asdict,
    __match_args__, slots, copying and pickling, and every refusal (frozen fields, a mutable
    one's hash, replacing an init=False field, missing or surplus arguments) come out the same."""
    assert _behaviour("ours") == _behaviour("stdlib")


def test_a_field_without_default_after_one_with_is_refused_as_the_standard_library_does():
    """A class whose fields could not make an ``__init__`` is refused when it is declared."""
    for flavour in FLAVOURS:
        dc = FLAVOURS[flavour][0]
        with pytest.raises(TypeError, match="non-default argument 'b' follows default"):

            @dc
            class Wrong:
                a: int = 1
                b: int  # type: ignore[misc]


def test_commands_start_without_the_standard_dataclasses_and_inspect():
    """What every check imports leaves out ``dataclasses`` and the ``inspect`` it pulls in
    (about a third of checking the example): a test of what is imported, not of time."""
    probe = (
        "import sys, bygdevekst_xl.cli, bygdevekst_xl.check.workbook, bygdevekst_xl.edited.reading;"
        "print(sorted({'dataclasses', 'inspect'} & set(sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
