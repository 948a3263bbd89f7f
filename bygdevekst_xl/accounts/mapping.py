"""MAP.yaml: how a pilot's ledgers map onto its approved budget. Every error names its path.

Read with the spec's safe YAML loader (no aliases, no duplicate keys, bounded), validated
against ``schemas/accounts-map.schema.json``, then against the approved budget (every project
and category id must be one of its own). Account codes typed as bare numbers (``1170:``) are
read as the text they are. A pattern is exact (``1170``) or a prefix (``11*``); the longest
pattern that matches an account wins, and exact beats prefix.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Literal

from ..dataclass import dataclass, field
from ..errors import BygdevekstError
from ..messages import Message, localize
from ..model import Budget
from ..schema import schema_named
from ..spec import _message, _path
from ..spec.yaml_nodes import YamlProblem, load_yaml

MAP_SCHEMA = "accounts-map.schema.json"
MAX_MAP_BYTES = 2 * 1024 * 1024
MAX_PROBLEMS = 50
VAT_ARTS = ("429", "729")
"""KOSTRA's VAT compensation pair: a cost on 429 is matched by income on 729."""

Place = Literal["cost", "income", "ignore"]


class MapError(BygdevekstError, ValueError):
    """A map that cannot be used; one ``source: path: message`` line per problem."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source, self.problems = source, problems
        super().__init__("\n".join(f"{source}: {p}" for p in problems))

    def lines(self) -> list[str]:
        return [f"{self.source}: {problem}" for problem in self.problems]

    def lines_in(self, lang: str) -> list[str]:
        return [f"{self.source}: {localize(problem, lang)}" for problem in self.problems]


@dataclass(frozen=True)
class Rule:
    """One pattern of the map and where it places an account."""

    pattern: str
    place: Place
    target: str
    """The category id (cost), the funder (income; "" when not said) or ""."""
    where: str
    """The map path that states it: ``categories.11*``."""

    def matches(self, code: str) -> bool:
        if self.pattern.endswith("*"):
            return code.startswith(self.pattern[:-1])
        return code == self.pattern

    @property
    def rank(self) -> tuple[int, int]:
        """Longer first; exact before prefix at the same length."""
        exact = not self.pattern.endswith("*")
        return (len(self.pattern.rstrip("*")), int(exact))


@dataclass(frozen=True)
class AccountsMap:
    """A validated map."""

    columns: dict[str, str]
    projects: dict[str, str]
    rules: tuple[Rule, ...]
    count_vat: bool = False
    project_analysis_type: str = "P"
    explanations: dict[str, str] = field(default_factory=dict)
    source: str = "MAP.yaml"

    cache: dict[tuple[str, str], Rule | None] = field(default_factory=dict, compare=False)

    def place(self, account: str, art: str) -> Rule | None:
        """The rule that places an account (by the account, else by its KOSTRA art), or None."""
        key = (account, art)
        if key not in self.cache:
            self.cache[key] = _place(self.rules, account, art)
        return self.cache[key]


def _place(rules: tuple[Rule, ...], account: str, art: str) -> Rule | None:
    for code in (account, art):
        if not code:
            continue
        found = [rule for rule in rules if rule.matches(code)]
        if found:
            return max(found, key=lambda rule: rule.rank)
    return None


def load_map(path: Path, budget: Budget) -> AccountsMap:
    """Read and validate ``path`` against the schema and the approved ``budget``."""
    source = str(path)
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_MAP_BYTES + 1)
    except FileNotFoundError:
        raise MapError(source, [Message("spec-not-found")]) from None
    except OSError as exc:
        raise MapError(source, [f"cannot read file: {exc.strerror or exc}"]) from None
    if len(raw) > MAX_MAP_BYTES:
        raise MapError(source, [f"a map may be at most {MAX_MAP_BYTES} bytes"])
    try:
        data = load_yaml(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise MapError(source, [f"byte {exc.start}: the file is not UTF-8 text"]) from None
    except YamlProblem as exc:
        raise MapError(source, [str(exc)]) from None
    return map_from_dict(data, budget, source)


def map_from_dict(data: Any, budget: Budget, source: str = "MAP.yaml") -> AccountsMap:
    """Validate map data (as read from YAML) and build the map."""
    data = _texts(data)
    problems = list(itertools.islice(_problems(data, budget), MAX_PROBLEMS))
    if problems:
        raise MapError(source, problems)
    income = data.get("income", [])
    pairs = income.items() if isinstance(income, dict) else ((p, "") for p in income)
    rules = (
        *(Rule(p, "cost", c, f"categories.{p}") for p, c in data["categories"].items()),
        *(Rule(p, "income", f, f"income.{p}") for p, f in pairs),
        *(Rule(p, "ignore", "", f"ignore[{i}]") for i, p in enumerate(data.get("ignore", []))),
    )
    return AccountsMap(
        columns=dict(data.get("columns", {})),
        projects=dict(data["projects"]),
        rules=rules,
        count_vat=bool(data.get("count_vat", False)),
        project_analysis_type=data.get("project_analysis_type", "P"),
        explanations=dict(data.get("explanations", {})),
        source=source,
    )


def _texts(data: Any) -> Any:
    """Bare numbers typed as account codes or project codes become the text they are."""
    if isinstance(data, dict):
        return {_text(k): _texts(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_text(v) if isinstance(v, int) else _texts(v) for v in data]
    return data


def _text(value: Any) -> Any:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


@functools.lru_cache(maxsize=1)
def _validator() -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema_named(MAP_SCHEMA))


def _problems(data: Any, budget: Budget) -> Iterator[str]:
    if not isinstance(data, Mapping):
        yield "(top): must be a mapping of columns, projects, categories, income and ignore"
        return
    errors = sorted(_validator().iter_errors(data), key=lambda e: [str(p) for p in e.path])
    if errors:
        for error in errors:
            yield f"{_path(error.absolute_path)}: {_error(error)}"
        return
    project_ids = {p.id for p in budget.projects}
    category_ids = {c.id for c in budget.categories}
    for code, project in data["projects"].items():
        if project not in project_ids:
            yield f"projects.{code}: {project!r} is not a project of the approved budget"
    for pattern, category in data["categories"].items():
        if category not in category_ids:
            yield f"categories.{pattern}: {category!r} is not a category of the approved budget"
    seen: dict[str, str] = {}
    income = data.get("income", [])
    lists = (
        ("categories", list(data["categories"])),
        ("income", list(income)),
        ("ignore", list(data.get("ignore", []))),
    )
    for where, patterns in lists:
        for pattern in patterns:
            if pattern in seen:
                yield f"{where}.{pattern}: also in {seen[pattern]}; an account lands in one place"
            seen[pattern] = where
    for key in data.get("explanations", {}):
        project, _, category = key.partition(".")
        if project not in project_ids or category not in category_ids:
            yield f"explanations.{key}: must be 'project.category' of the approved budget"


def _error(error: Any) -> str:
    if error.validator == "pattern" and "\\*" in str(error.validator_value):
        return f"{error.instance!r} is not an account pattern (digits or letters, * at the end)"
    if error.validator == "oneOf":
        return "must be a list of account patterns or a mapping of pattern -> funder"
    return _message(error)
