"""``dataclasses`` for this package, without what the standard module costs at start-up.

``@dataclass`` (``frozen``, ``slots``), :func:`field` (``default``, ``default_factory``,
``init``, ``compare``), :func:`replace` and :func:`asdict` behave as their ``dataclasses``
namesakes for the classes of this package: the same ``__init__`` (``__post_init__`` included), equality,
hashing, ``repr``, ``__match_args__`` and frozenness (:class:`FrozenInstanceError`).

Why not ``dataclasses`` itself: it imports ``inspect`` (about 8 ms) and compiles six methods for
each frozen class (about 0.7 ms a class); the 40 classes a ``check`` needs cost about a third of
a check of the example, every run. Here only ``__init__`` is compiled (it must be fast: a large
workbook makes tens of thousands of cells); equality, hashing, ``repr`` and frozenness are
shared functions over each class's field names. For type checkers this module *is*
``dataclasses`` (the ``TYPE_CHECKING`` branch), so mypy checks each class as a dataclass.
"""

from __future__ import annotations

import sys
from operator import attrgetter
from typing import TYPE_CHECKING, ClassVar

__all__ = ["FrozenInstanceError", "asdict", "dataclass", "field", "replace"]

if TYPE_CHECKING:
    from dataclasses import FrozenInstanceError as FrozenInstanceError
    from dataclasses import asdict as asdict
    from dataclasses import dataclass as dataclass
    from dataclasses import field as field
    from dataclasses import replace as replace
else:

    class FrozenInstanceError(AttributeError):
        """An assignment to (or deletion of) a field of a frozen data class."""

    class _Missing:
        __slots__ = ()

        def __repr__(self) -> str:
            return "MISSING"

    MISSING = _Missing()
    _INIT_FALSE_REPLACED = TypeError if sys.version_info >= (3, 13) else ValueError
    """What replacing an ``init=False`` field raises: ValueError before Python 3.13."""

    class Field:
        """One field of a data class: its name, default or default factory, and whether it is an
        ``__init__`` parameter and part of equality."""

        __slots__ = ("compare", "default", "default_factory", "init", "name")

        def __init__(self, default, default_factory, init, compare):
            if default is not MISSING and default_factory is not MISSING:
                raise ValueError("cannot specify both default and default_factory")
            self.name = ""
            self.default = default
            self.default_factory = default_factory
            self.init = init
            self.compare = compare

    def field(*, default=MISSING, default_factory=MISSING, init=True, compare=True):
        """A field with a default, a default factory, left out of ``__init__`` or of equality."""
        return Field(default, default_factory, init, compare)

    def dataclass(cls=None, /, *, frozen=False, slots=False):
        """Make ``cls`` a data class of the fields its annotations name."""

        def wrap(c):
            return _make(c, frozen, slots)

        return wrap if cls is None else wrap(cls)

    def replace(obj, /, **changes):
        """A copy of the data class instance ``obj`` with ``changes``."""
        for f in obj.__data_fields__:
            if not f.init:
                if f.name in changes:
                    raise _INIT_FALSE_REPLACED(
                        f"field {f.name} is declared with init=False, it cannot be specified "
                        "with replace()"
                    )
            elif f.name not in changes:
                changes[f.name] = getattr(obj, f.name)
        return obj.__class__(**changes)

    def asdict(obj):
        """The data class instance ``obj`` as plain data, recursively."""
        return _plain(obj)

    def _plain(value):
        fields = getattr(type(value), "__data_fields__", None)
        if fields is not None:
            return {f.name: _plain(getattr(value, f.name)) for f in fields}
        if isinstance(value, tuple) and hasattr(value, "_fields"):  # a named tuple
            return type(value)(*[_plain(v) for v in value])
        if isinstance(value, (list, tuple)):
            return type(value)(_plain(v) for v in value)
        if isinstance(value, dict):
            return type(value)((_plain(k), _plain(v)) for k, v in value.items())
        return value

    def _is_class_var(annotation):
        if isinstance(annotation, str):
            return annotation.startswith(("ClassVar", "typing.ClassVar"))
        return annotation is ClassVar or getattr(annotation, "__origin__", None) is ClassVar

    def _fields(cls):
        fields = []
        own = cls.__dict__.get("__annotations__", {})  # noqa: RUF063 (inspect is what we avoid)
        for name, annotation in own.items():
            if _is_class_var(annotation):
                continue
            declared = cls.__dict__.get(name, MISSING)
            f = declared if isinstance(declared, Field) else Field(declared, MISSING, True, True)
            f.name = name
            fields.append(f)
            if isinstance(declared, Field):  # the class keeps the default, as dataclasses do
                if f.default is MISSING:
                    delattr(cls, name)
                else:
                    setattr(cls, name, f.default)
        return tuple(fields)

    def _init_source(cls, fields, frozen):
        """``__init__``'s source and the names it refers to."""
        names = {"MISSING": MISSING, "set_": object.__setattr__}
        params, body, seen_default = [], [], False
        for f in fields:
            value = f.name
            if f.default_factory is not MISSING:
                names[f"factory_{f.name}"] = f.default_factory
                if f.init:
                    params.append(f"{f.name}=MISSING")
                    value = f"factory_{f.name}() if {f.name} is MISSING else {f.name}"
                    seen_default = True
                else:
                    value = f"factory_{f.name}()"
            elif f.default is not MISSING:
                names[f"default_{f.name}"] = f.default
                if f.init:
                    params.append(f"{f.name}=default_{f.name}")
                    seen_default = True
                else:
                    value = f"default_{f.name}"
            elif f.init:
                if seen_default:
                    raise TypeError(f"non-default argument {f.name!r} follows default argument")
                params.append(f.name)
            else:
                continue  # init=False without a default: set by __post_init__
            body.append(
                f"  set_(self, {f.name!r}, {value})" if frozen else f"  self.{f.name} = {value}"
            )
        if hasattr(cls, "__post_init__"):
            body.append("  self.__post_init__()")
        source = f"def __init__(self, {', '.join(params)}):\n" + ("\n".join(body) or "  pass")
        return source.replace("(self, )", "(self)"), names

    def _make(cls, frozen, slots):
        own_hash = cls.__dict__.get("__hash__", MISSING)
        hash_of_its_own = not (
            own_hash is MISSING or (own_hash is None and "__eq__" in cls.__dict__)
        )
        fields = _fields(cls)
        if slots:
            cls = _with_slots(cls, fields)
        source, names = _init_source(cls, fields, frozen)
        names["__name__"] = cls.__module__
        exec(compile(source, f"<dataclass {cls.__qualname__}>", "exec"), names)
        init = names["__init__"]
        init.__qualname__ = f"{cls.__qualname__}.__init__"
        init.__module__ = cls.__module__
        cls.__init__ = init
        cls.__data_fields__ = fields
        cls.__match_args__ = tuple(f.name for f in fields if f.init)
        shown = tuple(f.name for f in fields)
        compared = tuple(f.name for f in fields if f.compare)
        key = attrgetter(*compared) if compared else (lambda obj: ())
        if "__repr__" not in cls.__dict__:
            cls.__repr__ = _repr(shown)
        if "__eq__" not in cls.__dict__:
            cls.__eq__ = _eq(key)
        if not hash_of_its_own:  # frozen ones hash by value, mutable ones are unhashable
            cls.__hash__ = _hash(key) if frozen else None
        if frozen:
            cls.__setattr__ = _refuse_set(cls, shown)
            cls.__delattr__ = _refuse_delete(cls, shown)
            if slots:  # copy and pickle set slots with setattr, which a frozen one refuses
                cls.__getstate__, cls.__setstate__ = _state(shown)
        return cls

    def _with_slots(cls, fields):
        """``cls`` made again with ``__slots__`` for its fields (a class's slots are fixed when
        it is made)."""
        names = tuple(f.name for f in fields)
        namespace = {k: v for k, v in cls.__dict__.items() if k not in names}
        namespace.pop("__dict__", None)
        namespace.pop("__weakref__", None)
        namespace["__slots__"] = names
        namespace["__qualname__"] = cls.__qualname__
        return type(cls)(cls.__name__, cls.__bases__, namespace)

    def _repr(names):
        def __repr__(self):
            shown = ", ".join(f"{n}={getattr(self, n)!r}" for n in names)
            return f"{self.__class__.__qualname__}({shown})"

        return __repr__

    def _eq(key):
        def __eq__(self, other):
            if other.__class__ is self.__class__:
                return key(self) == key(other)
            return NotImplemented

        return __eq__

    def _hash(key):
        def __hash__(self):
            return hash(key(self))

        return __hash__

    def _state(names):
        def __getstate__(self):
            return [getattr(self, n) for n in names]

        def __setstate__(self, state):
            for name, value in zip(names, state, strict=True):
                object.__setattr__(self, name, value)

        return __getstate__, __setstate__

    def _refuse_set(cls, names):
        def __setattr__(self, name, value):
            if type(self) is cls or name in names:
                raise FrozenInstanceError(f"cannot assign to field {name!r}")
            super(cls, self).__setattr__(name, value)

        return __setattr__

    def _refuse_delete(cls, names):
        def __delattr__(self, name):
            if type(self) is cls or name in names:
                raise FrozenInstanceError(f"cannot delete field {name!r}")
            super(cls, self).__delattr__(name)

        return __delattr__
