"""The quick schema check never passes what jsonschema refuses, and passes valid specs."""

from __future__ import annotations

import copy
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from bygdevekst_xl.spec import load_schema
from bygdevekst_xl.spec.schema_check import UnknownKeyword, compile_schema
from tests.strategies import specs

SCHEMA = load_schema()
QUICK = compile_schema(SCHEMA)
FULL = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)


def near_misses(value: Any) -> list[Any]:
    """Values that look like *value* but may break one schema keyword each."""
    common: list[Any] = [None, [], {}, "x", 7, 2.5, True, float("nan")]
    if isinstance(value, bool):
        return [*common, 0, 1, "true", "ja"]
    if isinstance(value, int):
        return [*common, float(value), value + 0.5, -1, -value - 1, 10**13, str(value), False]
    if isinstance(value, float):
        return [*common, -value - 1, float("inf"), 2e6, str(value), round(value)]
    if isinstance(value, str):
        return [
            *common,
            "",
            " ",
            value + "\n",
            value * 300,
            value.upper(),
            "2023-02-30",
            "2023-11-01",
            "２０２３-11-01",
            "'" + value,
            value + "/x",
            "1" + value,
        ]
    if isinstance(value, list):
        more = [*value, value[-1]] if value else [1]
        common.append([value[0]] * len(value) if len(value) > 1 else [1, 1])
        return [
            *common,
            value[:-1],
            more,
            [*value, *value],
            [value],
            [{"a": 1}, {"a": 1}],
            [1, True],
            ["a", "a"],
        ]
    return common


def _at(data: Any, path: tuple) -> Any:
    for part in path:
        data = data[part]
    return data


def paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path to a value inside nested dicts and lists."""
    out = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            out += paths(value, (*prefix, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out += paths(value, (*prefix, i))
    return out


@st.composite
def mutated_specs(draw: st.DrawFn) -> dict[str, Any]:
    """A valid spec with one value replaced by a near miss, or one key added or removed."""
    data = copy.deepcopy(draw(specs()))
    where = draw(st.sampled_from(paths(data)[1:]))
    parent = _at(data, where[:-1])
    action = draw(st.sampled_from(["replace", "replace", "replace", "delete", "add"]))
    if action == "delete" and isinstance(parent, dict):
        del parent[where[-1]]
    elif action == "add" and isinstance(parent, dict):
        key = draw(st.sampled_from(["extra", "id", "note", "Hasvik", 7]))
        parent[key] = copy.deepcopy(draw(st.sampled_from(near_misses(parent[where[-1]]))))
    else:
        parent[where[-1]] = copy.deepcopy(draw(st.sampled_from(near_misses(parent[where[-1]]))))
    return data


def all_near_misses(data: dict[str, Any]) -> list[dict[str, Any]]:
    """*data* with each value in turn replaced by each of its near misses, or removed."""
    out = []
    for where in paths(data)[1:]:
        value = _at(data, where)
        for miss in [_DELETE, _EXTRA, *near_misses(value)]:
            changed = copy.deepcopy(data)
            parent = _at(changed, where[:-1])
            if miss is _DELETE and isinstance(parent, dict):
                del parent[where[-1]]
            elif miss is _EXTRA and isinstance(value, dict):
                parent[where[-1]]["extra"] = 1
            elif miss not in (_DELETE, _EXTRA):
                parent[where[-1]] = copy.deepcopy(miss)
            else:
                continue
            out.append(changed)
    return out


_DELETE, _EXTRA = object(), object()


def test_quick_check_never_passes_a_near_miss_of_the_example(example_dict) -> None:
    """Every value of the example in turn replaced by near misses (1.0 for an integer, NaN,
    true for a number, duplicated list items, one item too many or few, text too long, a
    trailing newline, an impossible date, a wrong type) or removed: the quick check says
    valid only where jsonschema finds nothing, and it refuses the rest."""
    one_project = {**example_dict, "projects": example_dict["projects"][:1]}
    passed = refused = 0
    for data in all_near_misses(one_project):
        if QUICK(data):
            assert list(FULL.iter_errors(data)) == [], data
            passed += 1
        else:
            refused += 1
    assert refused > 1000 and passed > 100  # both outcomes were exercised


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_specs())
def test_quick_check_never_passes_what_jsonschema_refuses(data: dict[str, Any]) -> None:
    """For random damage (wrong types, NaN, 1.0 for an integer, duplicates, unknown keys,
    bad dates, missing fields) the quick check says valid only if jsonschema finds nothing."""
    if QUICK(data):
        assert list(FULL.iter_errors(data)) == []


@pytest.mark.slow
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs())
def test_quick_check_passes_every_valid_spec(data: dict[str, Any]) -> None:
    """Valid specs take the quick path, so jsonschema is not needed for them."""
    assert list(FULL.iter_errors(data)) == []
    assert QUICK(data)


def test_quick_check_passes_the_example(example_dict: dict[str, Any]) -> None:
    assert QUICK(example_dict)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("pilot", "years"), [2024, 2024]),
        (("pilot", "kdd_cap"), 1.5),
        (("pilot", "application_deadline"), "2023-02-30"),
        (("projects", 0, "hours", "Hasvik"), [1, -1]),
        (("projects", 0, "costs", 0, "amounts"), [1, 2, 3]),
        (("projects", 0, "sheet"), "a/b"),
        (("categories", 0, "id"), "Bad id"),
    ],
)
def test_quick_check_refuses_known_damage(example_dict, path, value) -> None:
    """Each of these is refused by both checks; the spec loader then reports jsonschema's path."""
    data = copy.deepcopy(example_dict)
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = value
    assert not QUICK(data)
    assert list(FULL.iter_errors(data))


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "object", "patternProperties": {"^x": {}}},
        {"type": "string", "format": "email"},
        {"$ref": "https://example.org/other.json"},
        {"$defs": {"a": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"},
    ],
)
def test_schema_beyond_the_quick_check_is_refused_when_compiled(schema) -> None:
    """A schema keyword the quick check does not implement fails loudly, never silently."""
    with pytest.raises(UnknownKeyword):
        compile_schema(schema)


def test_loading_a_valid_spec_does_not_import_jsonschema() -> None:
    """``generate`` on a valid spec never pays for importing jsonschema."""
    code = (
        "import sys\n"
        "from bygdevekst_xl.spec import example_path, load_spec\n"
        "load_spec(example_path())\n"
        "print('jsonschema' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
