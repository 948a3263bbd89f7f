"""Read a budget spec (YAML), validate it against the JSON schema and build the model.

Every problem is reported as ``path: message`` with the path in the spec
(``projects[2].costs[4].amounts[1]: must be a whole number``).
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import json
import re
import stat
from collections.abc import Iterator, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..errors import BygdevekstError
from ..model import (
    DEFAULT_DEVIATION_KRONER,
    DEFAULT_DEVIATION_PERCENT,
    Budget,
    Category,
    CostLine,
    FunderGrant,
    Payment,
    Pilot,
    Project,
)
from ..schema import spec_schema
from ..texts import RESERVED_SHEETS
from .schema_check import Check, compile_schema, too_long
from .yaml_nodes import YamlProblem, load_yaml

EXAMPLE_NAME = "hjerteregionen.yaml"
MAX_SPEC_BYTES = 10 * 1024 * 1024
EXCEL_RESERVED_SHEETS = ("History",)  # Excel refuses a sheet of this name
MAX_PROBLEMS = 50  # problems listed; the rest are counted
MAX_SCHEMA_ERRORS = 10_000  # schema errors collected at most (then "at least N more")
HUGE_LIST = 1000
"""A list longer than the schema allows and than this is refused by its count alone."""
MAX_SHEET_UNITS = 31  # Excel counts a sheet name's length in UTF-16 code units
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
"""Characters XML 1.0 cannot carry (or that no text needs): a workbook holding them is broken."""
_NOT_IN_A_NAME = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
"""Also line breaks: names and ids are one line."""
_NOT_IN_A_SHEET_NAME = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
"""Also tabs: a sheet name with a tab is not found again by its name."""
_FREE_TEXT = {"reservation", "note", "description"}  # keys whose text may hold line breaks
_CRITERION = re.compile(r"^[=<>]|[*?~]")
"""What SUMIF/COUNTIF read in a criterion as an operator (leading = < >) or a wildcard."""


class SpecError(BygdevekstError, ValueError):
    """A spec that cannot be used; ``problems`` holds one ``path: message`` line each."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__("\n".join(f"{source}: {p}" for p in problems))

    def lines(self) -> list[str]:
        return [f"{self.source}: {problem}" for problem in self.problems]


def example_path() -> Path:
    """The built-in Hjerteregionen spec shipped with the package."""
    return Path(str(resources.files("bygdevekst_xl.examples").joinpath(EXAMPLE_NAME)))


def load_schema() -> dict[str, Any]:
    """The budget spec JSON schema shipped with the package."""
    return spec_schema()


def load_spec(path: Path | str) -> Budget:
    """Read, validate and build the budget from a YAML spec file."""
    path = Path(path)
    source = str(path)
    try:
        mode = path.stat().st_mode
        if stat.S_ISDIR(mode):
            raise SpecError(source, ["is a folder, not a spec file"])
        if not stat.S_ISREG(mode):  # a FIFO, /dev/zero, a terminal: never read
            raise SpecError(source, ["is not a regular file (a pipe or a device?)"])
        size = path.stat().st_size
        if size > MAX_SPEC_BYTES:
            raise SpecError(
                source, [f"file is {size} bytes; a spec may be at most {MAX_SPEC_BYTES}"]
            )
        with path.open("rb") as handle:  # the size may lie (files under /proc): read bounded
            raw = handle.read(MAX_SPEC_BYTES + 1)
        if len(raw) > MAX_SPEC_BYTES:
            raise SpecError(
                source, [f"file holds more bytes than a spec may be at most ({MAX_SPEC_BYTES})"]
            )
    except FileNotFoundError:
        raise SpecError(source, ["file not found"]) from None
    except PermissionError:
        raise SpecError(source, ["permission denied"]) from None
    except OSError as exc:
        raise SpecError(source, [f"cannot read file: {exc.strerror or exc}"]) from None
    return parse_spec(raw, source)


def parse_spec(raw: bytes | str, source: str = "<spec>") -> Budget:
    """Validate and build the budget from YAML text."""
    data = _load_yaml(raw, source)
    return budget_from_dict(data, source)


def budget_from_dict(data: Any, source: str = "<spec>") -> Budget:
    """Validate a spec already read into Python data and build the budget."""
    problems = _first_problems(validate(data))
    if problems:
        raise SpecError(source, problems)
    return _build(data)


def _first_problems(problems: Iterator[str]) -> list[str]:
    """The first :data:`MAX_PROBLEMS` problems, and a line counting the rest."""
    shown = list(itertools.islice(problems, MAX_PROBLEMS))
    rest = sum(1 for _ in problems)
    if rest:
        more = f"at least {rest}" if rest >= MAX_SCHEMA_ERRORS - MAX_PROBLEMS else str(rest)
        shown.append(f"(top): {more} more problems (only the first {MAX_PROBLEMS} are shown)")
    return shown


def validate(data: Any) -> Iterator[str]:
    """Yield ``path: message`` for every problem: the schema first, then the cross-checks.

    A quick compiled check (:mod:`.schema_check`) passes valid data; ``jsonschema`` is
    imported and run only when it says no, to find and phrase every error.
    """
    if not isinstance(data, Mapping):
        yield f"(top): must be a mapping of pilot, categories and projects, not {_kind(data)}"
        return
    if not _quick_schema_check()(data):
        schema = load_schema()
        lists = list(itertools.islice(too_long(schema, data), MAX_SCHEMA_ERRORS))
        if any(length > HUGE_LIST for _where, length, _limit in lists):
            # refused by count: jsonschema would visit every item of a huge list (seconds)
            for path, length, limit in lists:
                yield f"{_path(path)}: must have at most {limit} entries, not {length}"
            return
        from jsonschema import Draft202012Validator

        validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
        errors = sorted(  # bounded: a list of a million wrong items gives a million errors
            itertools.islice(validator.iter_errors(data), MAX_SCHEMA_ERRORS),
            key=lambda e: [str(p) for p in e.absolute_path],
        )
        if errors:
            for error in errors:
                yield f"{_path(error.absolute_path)}: {_message(error)}"
            return
    yield from _cross_checks(data)


@functools.lru_cache(maxsize=1)
def _quick_schema_check() -> Check:
    return compile_schema(load_schema())


def budget_to_dict(budget: Budget) -> dict[str, Any]:
    """The spec of a budget as plain data (the inverse of ``budget_from_dict``)."""
    pilot = budget.pilot
    pilot_dict: dict[str, Any] = {
        "name": pilot.name,
        "municipalities": list(pilot.municipalities),
        "years": list(pilot.years),
        "kdd_cap": pilot.kdd_cap,
        "hourly_rate": pilot.hourly_rate,
        "application_deadline": pilot.application_deadline,
        "council_meeting": pilot.council_meeting,
        "project_leader": pilot.project_leader,
    }
    for key in ("reservation", "lead_municipality", "organisation_number", "contact_person"):
        if getattr(pilot, key):
            pilot_dict[key] = getattr(pilot, key)
    if pilot.spec_date:
        pilot_dict["spec_date"] = pilot.spec_date
    categories = []
    for c in budget.categories:
        entry: dict[str, Any] = {"id": c.id, "name": c.name, "kdd_eligible": c.kdd_eligible}
        if c.note:
            entry["note"] = c.note
        categories.append(entry)
    projects = []
    for p in budget.projects:
        projects.append(
            {
                "id": p.id,
                "name": p.name,
                "sheet": p.sheet,
                "working_group": p.working_group,
                "description": list(p.description),
                "costs": [
                    {
                        "category": c.category,
                        "description": c.description,
                        "amounts": list(c.amounts),
                    }
                    for c in p.costs
                ],
                "hours": {m: list(h) for m, h in p.hours},
                "financing": {"kdd": list(p.kdd), "statsforvalteren": list(p.statsforvalteren)},
            }
        )
    data: dict[str, Any] = {"pilot": pilot_dict, "categories": categories, "projects": projects}
    if budget.grant:  # only when given: a spec without it keeps its canonical bytes
        data["grant"] = {g.funder: _grant_dict(g) for g in budget.grant}
    return data


def _grant_dict(grant: FunderGrant) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "tilsagn": grant.tilsagn,
        "tilsagn_date": grant.tilsagn_date,
        "period": {"start": grant.period_start, "end": grant.period_end},
    }
    if grant.payments:
        entry["payments"] = [{"date": p.date, "amount": p.amount} for p in grant.payments]
    if grant.hold_back_percent:
        entry["hold_back_percent"] = grant.hold_back_percent
    if grant.share_percent is not None:
        entry["share_percent"] = grant.share_percent
    deviation = {}
    if grant.deviation_percent != DEFAULT_DEVIATION_PERCENT:
        deviation["percent"] = grant.deviation_percent
    if grant.deviation_kroner != DEFAULT_DEVIATION_KRONER:
        deviation["kroner"] = grant.deviation_kroner
    if deviation:
        entry["deviation"] = deviation
    if grant.report_due:
        entry["report_due"] = grant.report_due
    return entry


def _grant(data: Mapping[str, Any]) -> tuple[FunderGrant, ...]:
    """The spec's optional grant block as the model's funders, in a fixed order."""
    grants = []
    for funder in ("kdd", "statsforvalteren"):
        g = data.get("grant", {}).get(funder)
        if g is None:
            continue
        deviation = g.get("deviation", {})
        grants.append(
            FunderGrant(
                funder=funder,
                tilsagn=g["tilsagn"],
                tilsagn_date=g["tilsagn_date"],
                period_start=g["period"]["start"],
                period_end=g["period"]["end"],
                payments=tuple(Payment(p["date"], p["amount"]) for p in g.get("payments", ())),
                hold_back_percent=g.get("hold_back_percent", 0.0),
                share_percent=g.get("share_percent"),
                deviation_percent=deviation.get("percent", DEFAULT_DEVIATION_PERCENT),
                deviation_kroner=deviation.get("kroner", DEFAULT_DEVIATION_KRONER),
                report_due=g.get("report_due", ""),
            )
        )
    return tuple(grants)


def dump_spec(budget: Budget) -> str:
    """The budget as YAML spec text."""
    data = budget_to_dict(budget)
    with contextlib.suppress(AttributeError, UnicodeEncodeError):  # libyaml: same text, 4x faster
        return yaml.dump(
            data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=100
        )
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)  # escapes all


def _load_yaml(raw: bytes | str, source: str) -> Any:
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise SpecError(source, [f"byte {exc.start}: the file is not UTF-8 text"]) from None
    try:
        return load_yaml(raw)
    except YamlProblem as exc:
        raise SpecError(source, [str(exc)]) from None


def _text_problems(value: Any, path: str, key: str = "") -> Iterator[str]:
    """``path: message`` for text a workbook cannot hold, anywhere in the spec."""
    if isinstance(value, str):
        pattern = _NOT_IN_A_SHEET_NAME if key == "sheet" else _NOT_IN_A_NAME
        bad = (_NOT_XML if key in _FREE_TEXT else pattern).search(value)
        if bad:
            where = "a line break or tab" if bad[0] in "\t\n\r\u2028\u2029" else "a control"
            yield f"{path}: holds {where} character (U+{ord(bad[0]):04X}); remove it"
    elif isinstance(value, dict):
        for name, item in value.items():
            inner = f"{path}.{name}" if path else str(name)
            if isinstance(name, str):
                yield from _text_problems(name, inner, "name")
            yield from _text_problems(item, inner, key if key == "description" else str(name))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _text_problems(item, f"{path}[{i}]", key)


_MAYBE_NOT_IN_A_SHEET_NAME = re.compile(
    r"\\(?:[bfnrt]|u00[01]|u007[fF]|u00[89]|u202[89]|u[dD][89a-fA-F]|u[fF]{3}[eEfF])"
)
"""How ASCII JSON writes each character of :data:`_NOT_IN_A_SHEET_NAME` (an escaped backslash
before such letters matches too, which only costs the slow path)."""


def _maybe_bad_text(data: Any) -> bool:
    """False only when no text anywhere in the data (keys included) holds a character that a
    name, sheet name or free text could not hold: one pass in C over the data as JSON."""
    try:
        text = json.dumps(data)
    except (TypeError, ValueError):
        return True
    return _MAYBE_NOT_IN_A_SHEET_NAME.search(text) is not None


def _cross_checks(data: Mapping[str, Any]) -> Iterator[str]:
    yield from _grant_checks(data)
    if _maybe_bad_text(data):  # rarely: then find each one, with its path
        yield from _text_problems(data, "")
    for i, category in enumerate(data["categories"]):
        if _CRITERION.search(category["name"]):
            yield (
                f"categories[{i}].name: {category['name']!r} would be read by SUMIF as a "
                "comparison or wildcard (= < > at the start, or * ? ~); rename the category"
            )
    for i, project in enumerate(data["projects"]):
        units = len(project["sheet"].encode("utf-16-le")) // 2
        if units > MAX_SHEET_UNITS:
            yield (
                f"projects[{i}].sheet: sheet name is {units} characters as Excel counts them "
                f"(at most {MAX_SHEET_UNITS}; an emoji counts as 2)"
            )
    pilot = data["pilot"]
    municipalities = pilot["municipalities"]
    lead = pilot.get("lead_municipality")
    if lead is not None and lead not in municipalities:
        yield (
            f"pilot.lead_municipality: {lead!r} is not one of the municipalities in "
            "pilot.municipalities"
        )
    category_ids = set()
    names = set()
    for i, category in enumerate(data["categories"]):
        if category["id"] in category_ids:
            yield f"categories[{i}].id: duplicate category id {category['id']!r}"
        if category["name"].casefold() in names:
            yield f"categories[{i}].name: duplicate category name {category['name']!r}"
        category_ids.add(category["id"])
        names.add(category["name"].casefold())
    project_ids: set[str] = set()
    sheets = {s.casefold() for s in (*RESERVED_SHEETS, *EXCEL_RESERVED_SHEETS)}
    for i, project in enumerate(data["projects"]):
        where = f"projects[{i}]"
        if project["id"] in project_ids:
            yield f"{where}.id: duplicate project id {project['id']!r}"
        project_ids.add(project["id"])
        sheet = project["sheet"]
        if sheet.casefold() in sheets:
            yield f"{where}.sheet: sheet name {sheet!r} is already used (case-insensitive)"
        sheets.add(sheet.casefold())
        for j, cost in enumerate(project["costs"]):
            if cost["category"] not in category_ids:
                yield f"{where}.costs[{j}].category: category {cost['category']!r} is not defined"
        for municipality in project.get("hours", {}):
            if municipality not in municipalities:
                yield (
                    f"{where}.hours.{municipality}: {municipality!r} is not one of the "
                    f"municipalities in pilot.municipalities"
                )


def _grant_checks(data: Mapping[str, Any]) -> Iterator[str]:
    for funder, grant in data.get("grant", {}).items():
        period = grant["period"]
        if period["start"] > period["end"]:
            yield f"grant.{funder}.period: starts ({period['start']}) after it ends ({period['end']})"


def _build(data: Mapping[str, Any]) -> Budget:
    p = data["pilot"]
    pilot = Pilot(
        name=p["name"],
        municipalities=tuple(p["municipalities"]),
        years=tuple(p["years"]),
        kdd_cap=p["kdd_cap"],
        hourly_rate=p["hourly_rate"],
        application_deadline=p["application_deadline"],
        council_meeting=p["council_meeting"],
        project_leader=p["project_leader"],
        reservation=p.get("reservation", ""),
        lead_municipality=p.get("lead_municipality", ""),
        organisation_number=p.get("organisation_number", ""),
        contact_person=p.get("contact_person", ""),
        spec_date=p.get("spec_date", ""),
    )
    categories = tuple(
        Category(c["id"], c["name"], c["kdd_eligible"], c.get("note", ""))
        for c in data["categories"]
    )
    projects = []
    for item in data["projects"]:
        hours = item.get("hours", {})
        projects.append(
            Project(
                id=item["id"],
                name=item["name"],
                sheet=item["sheet"],
                description=_paragraphs(item.get("description", ())),
                working_group=item["working_group"],
                costs=tuple(
                    CostLine(c["category"], c["description"], tuple(c["amounts"]))
                    for c in item["costs"]
                ),
                hours=tuple((m, tuple(hours[m])) for m in pilot.municipalities if m in hours),
                kdd=tuple(item["financing"]["kdd"]),
                statsforvalteren=tuple(item["financing"]["statsforvalteren"]),
            )
        )
    return Budget(pilot, categories, tuple(projects), _grant(data))


def _paragraphs(lines: list[str]) -> tuple[str, ...]:
    """A project's description as the workbook gives it back: one paragraph a line, trimmed,
    without blank ones (a line with a trailing space would otherwise read back changed)."""
    return tuple(part.strip() for line in lines for part in line.splitlines() if part.strip())


def _path(parts: Any) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top)"


def _kind(value: Any) -> str:
    names = {
        dict: "a mapping",
        list: "a list",
        str: "text",
        bool: "true/false",
        type(None): "empty",
    }
    for t, name in names.items():
        if isinstance(value, t):
            return name
    return "a number" if isinstance(value, int | float) else type(value).__name__


def _shown(value: Any) -> str:
    """The kind of a wrong value, with the value itself when it is short: ``text '4 000 000'``."""
    if isinstance(value, bool) or value is None or isinstance(value, dict | list):
        return _kind(value)
    if isinstance(value, float):
        return repr(value)
    text = repr(value)
    return f"{_kind(value)} {text}" if len(text) <= 40 else _kind(value)


def _message(error: Any) -> str:
    """A short English message for a schema error, in the words a spec author uses."""
    v, kind, value = error.validator_value, error.validator, error.instance
    if kind == "additionalProperties":
        extra = sorted(set(value) - set(error.schema.get("properties", {})), key=str)
        return "unknown key " + ", ".join(repr(str(k)) for k in extra)
    if kind == "required":
        name = error.message.removesuffix(" is a required property")
        return f"missing required field {name}"
    if kind == "type":
        wanted = {
            "integer": "a whole number",
            "number": "a number",
            "string": "text",
            "array": "a list",
            "object": "a mapping",
            "boolean": "true or false",
        }
        kinds = [str(k) for k in (v if isinstance(v, list) else [v])]
        return "must be " + " or ".join(wanted.get(k, k) for k in kinds) + f", not {_shown(value)}"
    if kind == "minimum":
        return f"must be ≥ {v}"
    if kind == "maximum":
        return f"must be ≤ {v}"
    if kind in ("minItems", "maxItems") and v == error.schema.get("maxItems") == error.schema.get(
        "minItems"
    ):
        return f"must have exactly {v} entries (one per project year), not {len(value)}"
    if kind == "minItems":
        return f"must have at least {v} entries"
    if kind == "maxItems":
        return f"must have at most {v} entries, not {len(value)}"
    if kind == "uniqueItems":
        return "entries must be unique"
    if kind == "minLength":
        return "must not be empty"
    if kind == "maxLength":
        return f"must be at most {v} characters"
    if kind == "pattern":
        if "[^\\[" in v:
            return "sheet name must not contain any of []:*?/\\ or start or end with '"
        if v.startswith("^[a-z]"):
            return "must start with a-z and hold only a-z, 0-9 and _ (at most 40 characters)"
        if v.startswith("^[0-9]{3}"):
            return "must be nine digits, spaces allowed (974 589 095)"
        if v.startswith("^\\d{4}"):
            return "must be a date written YYYY-MM-DD"
        return "must not be blank"
    if kind == "format":
        return f"must be a valid {v} (YYYY-MM-DD)"
    return error.message
