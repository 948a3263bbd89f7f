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
from pathlib import Path
from typing import Any, NamedTuple

from ..errors import BygdevekstError
from ..messages import CATALOG, Count, Message, localize
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

EXAMPLE_NAME = "hjerteregionen.yaml"
MAX_SPEC_BYTES = 10 * 1024 * 1024
EXCEL_RESERVED_SHEETS = ("History",)  # Excel refuses a sheet of this name
MAX_PROBLEMS = 50  # problems listed; the rest are counted
MAX_SCHEMA_ERRORS = 10_000  # schema errors collected at most (then "at least N more")
HUGE_LIST = 1000
"""A list longer than the schema allows and than this is refused by its count alone."""
MAX_SHEET_UNITS = 31  # Excel counts a sheet name's length in UTF-16 code units
_INVISIBLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\U000e0000-\U000e0fff"
)
"""Characters that show as nothing (soft hyphen, zero-width space and joiners, bidi marks,
variation selectors, the byte order mark ...): a name holding one looks like another name."""


class _NotInText(NamedTuple):
    """The characters each kind of text may not hold, and the invisible ones among them."""

    free: re.Pattern[str]
    """Characters XML 1.0 cannot carry (or that no text needs): a workbook holding them is
    broken."""
    name: re.Pattern[str]
    """Also line breaks and invisible characters: names and ids are one line, read as shown."""
    sheet: re.Pattern[str]
    """Also tabs: a sheet name with a tab is not found again by its name."""
    invisible: re.Pattern[str]


@functools.cache
def _not_in_text() -> _NotInText:
    """The patterns of :class:`_NotInText`, compiled on first use (~2 ms): only a spec whose
    text the quick scan (:func:`_maybe_bad_text`) flags needs them."""
    return _NotInText(
        free=re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]"),
        name=re.compile(
            f"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff{_INVISIBLE}]"
        ),
        sheet=re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff{_INVISIBLE}]"),
        invisible=re.compile(f"[{_INVISIBLE}]"),
    )


_FREE_TEXT = {"reservation", "note", "description"}  # keys whose text may hold line breaks
_CRITERION = re.compile(r"^[=<>]|[*?~]")
"""What SUMIF/COUNTIF read in a criterion as an operator (leading = < >) or a wildcard."""


class SpecError(BygdevekstError, ValueError):
    """A spec that cannot be used; ``problems`` holds one ``path: message`` line each (a
    :class:`~bygdevekst_xl.messages.Message`, English as text, said in any language)."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__("\n".join(f"{source}: {p}" for p in problems))

    def lines(self) -> list[str]:
        return [f"{self.source}: {problem}" for problem in self.problems]

    def lines_in(self, lang: str) -> list[str]:
        return [f"{self.source}: {localize(problem, lang)}" for problem in self.problems]


def _at(place: str | Message, key: str, /, **params: Any) -> Message:
    """``place: problem``, the problem ``key`` of the catalogue."""
    return Message("at", place=place, text=Message(key, **params))


def example_path() -> Path:
    """The built-in Hjerteregionen spec shipped with the package."""
    from importlib import resources  # on first use: ~4 ms to import

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
            raise SpecError(source, [Message("spec-folder")])
        if not stat.S_ISREG(mode):  # a FIFO, /dev/zero, a terminal: never read
            raise SpecError(source, [Message("spec-not-regular")])
        size = path.stat().st_size
        if size > MAX_SPEC_BYTES:
            raise SpecError(source, [Message("spec-too-large", size=size, most=MAX_SPEC_BYTES)])
        with path.open("rb") as handle:  # the size may lie (files under /proc): read bounded
            raw = handle.read(MAX_SPEC_BYTES + 1)
        if len(raw) > MAX_SPEC_BYTES:
            raise SpecError(source, [Message("spec-grows", most=MAX_SPEC_BYTES)])
    except FileNotFoundError:
        raise SpecError(source, [Message("spec-not-found")]) from None
    except PermissionError:
        raise SpecError(source, [Message("spec-no-permission")]) from None
    except OSError as exc:
        why = exc.strerror or str(exc)
        raise SpecError(source, [Message("spec-cannot-read", why=why)]) from None
    return parse_spec(raw, source)


def parse_spec(raw: bytes | str, source: str = "<spec>") -> Budget:
    """Validate and build the budget from YAML text."""
    data = _load_yaml(raw, source)
    return budget_from_dict(data, source)


def budget_from_dict(data: Any, source: str = "<spec>", json_text: str | None = None) -> Budget:
    """Validate a spec already read into Python data and build the budget (``json_text``: the
    JSON the data was read from, if it was; see :func:`validate`)."""
    check_spec(data, source, json_text)
    return _build(data)


def check_spec(data: Any, source: str = "<spec>", json_text: str | None = None) -> None:
    """Raise ``SpecError`` for data ``budget_from_dict`` refuses, without building the budget
    (for a check that data reads back).

    Data read from a JSON text this process found valid before is valid again without a
    second look (``regenerate`` meets its record three times: read, written, read back)."""
    if json_text is not None and json_text in _VALID_JSON:
        return
    problems = _first_problems(validate(data, json_text))
    if problems:
        raise SpecError(source, problems)
    if json_text is not None:
        if len(_VALID_JSON) >= VALID_JSON_KEPT:
            _VALID_JSON.clear()  # one step, safe between the server's threads
        _VALID_JSON[json_text] = None


VALID_JSON_KEPT = 4
"""JSON texts (of records) remembered as valid: a command meets one or two."""
_VALID_JSON: dict[str, None] = {}


def _first_problems(problems: Iterator[str]) -> list[str]:
    """The first :data:`MAX_PROBLEMS` problems, and a line counting the rest."""
    shown = list(itertools.islice(problems, MAX_PROBLEMS))
    rest = sum(1 for _ in problems)
    if rest:
        at_least = rest >= MAX_SCHEMA_ERRORS - MAX_PROBLEMS
        key = "spec-at-least-more-problems" if at_least else "spec-more-problems"
        count = Count(rest, "n-more-problems")
        shown.append(_at(_TOP, key, count=count, shown=MAX_PROBLEMS))
    return shown


def validate(data: Any, json_text: str | None = None) -> Iterator[str]:
    """Yield ``path: message`` for every problem: the schema first, then the cross-checks.

    A quick compiled check (:mod:`.schema_check`) passes valid data; ``jsonschema`` is
    imported and run only when it says no, to find and phrase every error. ``json_text`` is
    the JSON the data was read from (``json.loads``), when it was: its texts are looked
    through there, not written out again.
    """
    if not isinstance(data, Mapping):
        yield _at(_TOP, "spec-not-mapping", kind=_kind(data))
        return
    if not _quick_schema_check()(data):
        schema = load_schema()
        lists = list(itertools.islice(too_long(schema, data), MAX_SCHEMA_ERRORS))
        if any(length > HUGE_LIST for _where, length, _limit in lists):
            # refused by count: jsonschema would visit every item of a huge list (seconds)
            for path, length, limit in lists:
                yield _at(_path(path), "spec-max-entries", v=limit, n=length)
            return
        from jsonschema import Draft202012Validator

        validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
        errors = sorted(  # bounded: a list of a million wrong items gives a million errors
            itertools.islice(validator.iter_errors(data), MAX_SCHEMA_ERRORS),
            key=lambda e: [str(p) for p in e.absolute_path],
        )
        if errors:
            for error in errors:
                yield Message("at", place=_path(error.absolute_path), text=_message(error))
            return
    yield from _cross_checks(data, json_text)


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
    import yaml  # on first use: only writing a spec needs PyYAML's dumper

    data = budget_to_dict(budget)
    with contextlib.suppress(AttributeError, UnicodeEncodeError):  # libyaml: same text, 4x faster
        return yaml.dump(
            data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=100
        )
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)  # escapes all


def _load_yaml(raw: bytes | str, source: str) -> Any:
    from .yaml_nodes import YamlProblem, load_yaml  # on first use: imports yaml (~10 ms)

    text = raw
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            if raw.startswith(b"PK\x03\x04") and b"xl/workbook.xml" in raw:
                raise SpecError(source, [Message("spec-is-workbook")]) from None
            raise SpecError(source, [Message("spec-not-utf8", start=exc.start)]) from None
    try:
        return load_yaml(str(text))
    except YamlProblem as exc:
        raise SpecError(source, [exc.message]) from None


def _text_problems(value: Any, path: str, key: str = "") -> Iterator[str]:
    """``path: message`` for text a workbook cannot hold, anywhere in the spec."""
    if isinstance(value, str):
        patterns = _not_in_text()
        pattern = patterns.sheet if key == "sheet" else patterns.name
        bad = (patterns.free if key in _FREE_TEXT else pattern).search(value)
        if bad:
            if bad[0] in "\t\n\r\u2028\u2029":
                key = "spec-line-break"
            elif patterns.invisible.match(bad[0]):
                key = "spec-invisible"
            else:
                key = "spec-control"
            yield _at(path, key, code=f"{ord(bad[0]):04X}")
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
    r"\\(?:[bfnrt]|u00[01]|u007[fF]|u00[89]|u202[89]|u[dD][89a-fA-F]|u[fF]{3}[eEfF]"
    r"|u00[aA][dD]|u034[fF]|u061[cC]|u11[56]|u17[bB][45]|u180[b-fB-F]|u200[b-fB-F]"
    r"|u202[a-eA-E]|u206|u3164|u[fF][eE]0|u[fF][eE][fF][fF]|u[fF][fF][aA]0)"
)
"""How ASCII JSON writes each character a sheet name may not hold (an escaped backslash
before such letters matches too, which only costs the slow path)."""


def _maybe_bad_text(data: Any, json_text: str | None = None) -> bool:
    """False only when no text anywhere in the data (keys included) holds a character that a
    name, sheet name or free text could not hold: one pass in C over the data as JSON.

    ``json_text``, the JSON the data was read from, holds each of its texts, each character
    written as itself or escaped: written as ASCII JSON in turn, the first kind is escaped
    and the second still shows its escape (behind an escaped backslash, which matches too).
    """
    try:
        text = json.dumps(data if json_text is None else json_text)
    except (TypeError, ValueError):
        return True
    return _MAYBE_NOT_IN_A_SHEET_NAME.search(text) is not None


def _cross_checks(data: Mapping[str, Any], json_text: str | None = None) -> Iterator[str]:
    yield from _grant_checks(data)
    if _maybe_bad_text(data, json_text):  # rarely: then find each one, with its path
        yield from _text_problems(data, "")
    for i, category in enumerate(data["categories"]):
        if _CRITERION.search(category["name"]):
            yield _at(f"categories[{i}].name", "spec-criterion", name=repr(category["name"]))
    for i, project in enumerate(data["projects"]):
        units = len(project["sheet"].encode("utf-16-le")) // 2
        if units > MAX_SHEET_UNITS:
            yield _at(
                f"projects[{i}].sheet", "spec-sheet-length", units=units, most=MAX_SHEET_UNITS
            )
    pilot = data["pilot"]
    municipalities = pilot["municipalities"]
    lead = pilot.get("lead_municipality")
    if lead is not None and lead not in municipalities:
        yield _at("pilot.lead_municipality", "spec-not-a-municipality", name=repr(lead))
    category_ids = set()
    names = set()
    for i, category in enumerate(data["categories"]):
        if category["id"] in category_ids:
            yield _at(f"categories[{i}].id", "spec-duplicate-category-id", id=repr(category["id"]))
        if category["name"].casefold() in names:
            name = repr(category["name"])
            yield _at(f"categories[{i}].name", "spec-duplicate-category-name", name=name)
        category_ids.add(category["id"])
        names.add(category["name"].casefold())
    project_ids: set[str] = set()
    sheets = {s.casefold() for s in (*RESERVED_SHEETS, *EXCEL_RESERVED_SHEETS)}
    for i, project in enumerate(data["projects"]):
        where = f"projects[{i}]"
        if project["id"] in project_ids:
            yield _at(f"{where}.id", "spec-duplicate-project-id", id=repr(project["id"]))
        project_ids.add(project["id"])
        sheet = project["sheet"]
        if sheet.casefold() in sheets:
            yield _at(f"{where}.sheet", "spec-sheet-used", name=repr(sheet))
        sheets.add(sheet.casefold())
        for j, cost in enumerate(project["costs"]):
            if cost["category"] not in category_ids:
                category = repr(cost["category"])
                yield _at(f"{where}.costs[{j}].category", "spec-no-category", id=category)
        for municipality in project.get("hours", {}):
            if municipality not in municipalities:
                place = f"{where}.hours.{municipality}"
                yield _at(place, "spec-not-a-municipality", name=repr(municipality))


def _grant_checks(data: Mapping[str, Any]) -> Iterator[str]:
    for funder, grant in data.get("grant", {}).items():
        period = grant["period"]
        if period["start"] > period["end"]:
            yield _at(
                f"grant.{funder}.period",
                "spec-period-reversed",
                start=period["start"],
                end=period["end"],
            )


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


_TOP = Message("spec-top")


def _path(parts: Any) -> str | Message:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or _TOP


def _kind(value: Any) -> Message:
    names = {
        dict: "kind-object",
        list: "kind-array",
        str: "kind-string",
        bool: "kind-boolean",
        type(None): "kind-null",
    }
    for t, name in names.items():
        if isinstance(value, t):
            return Message(name)
    if isinstance(value, int | float):
        return Message("kind-number")
    return Message("kind-other", name=type(value).__name__)


def _shown(value: Any) -> str | Message:
    """The kind of a wrong value, with the value itself when it is short: ``text '4 000 000'``."""
    if isinstance(value, bool) or value is None or isinstance(value, dict | list):
        return _kind(value)
    if isinstance(value, float):
        return repr(value)
    text = repr(value)
    if len(text) > 40:
        return _kind(value)
    return Message("shown-text" if isinstance(value, str) else "shown-number", value=text)


_GROUPED_DIGITS = re.compile(r"[+-]?\d{1,3}(?:[ \u00a0\u202f.]\d{3})+")
"""A whole number written with spaces (or points) between the thousands: ``90 000``."""


def _wrong_kind(wanted: list[str], value: Any) -> Message:
    """``must be a whole number, not text '90 000'``, with a hint when the text is a number
    written the way a Norwegian writes it."""
    kinds = [Message(f"kind-{k}") if f"kind-{k}" in CATALOG else k for k in wanted]
    either = kinds[-1]
    for kind in reversed(kinds[:-1]):
        either = Message("either", first=kind, second=either)
    if (
        isinstance(value, str)
        and {"integer", "number"} & set(wanted)
        and _GROUPED_DIGITS.fullmatch(value.strip())
    ):
        digits = re.sub(r"[ \u00a0\u202f.]", "", value.strip())
        return Message("spec-wrong-kind-hint", wanted=either, shown=_shown(value), digits=digits)
    return Message("spec-wrong-kind", wanted=either, shown=_shown(value))


def _message(error: Any) -> Message:
    """A short message for a schema error, in the words a spec author uses."""
    v, kind, value = error.validator_value, error.validator, error.instance
    if kind == "additionalProperties":
        extra = sorted(set(value) - set(error.schema.get("properties", {})), key=str)
        return Message("spec-unknown-key", keys=", ".join(repr(str(k)) for k in extra))
    if kind == "required":
        name = error.message.removesuffix(" is a required property")
        return Message("spec-missing-field", name=name)
    if kind == "type":
        return _wrong_kind([str(k) for k in (v if isinstance(v, list) else [v])], value)
    if kind == "minimum":
        return Message("spec-at-least", v=v)
    if kind == "maximum":
        return Message("spec-at-most", v=v)
    if kind in ("minItems", "maxItems") and v == error.schema.get("maxItems") == error.schema.get(
        "minItems"
    ):
        return Message("spec-exactly-entries", v=v, n=len(value))
    if kind == "minItems":
        return Message("spec-min-entries", v=v)
    if kind == "maxItems":
        return Message("spec-max-entries", v=v, n=len(value))
    if kind == "uniqueItems":
        return Message("spec-unique")
    if kind == "minLength":
        return Message("spec-empty")
    if kind == "maxLength":
        return Message("spec-max-length", v=v)
    if kind == "pattern":
        if "[^\\[" in v:
            return Message("spec-sheet-chars")
        if v.startswith("^[a-z]"):
            return Message("spec-id-chars")
        if v.startswith("^[0-9]{3}"):
            return Message("spec-org-number")
        if v.startswith("^\\d{4}"):
            return Message("spec-date-written")
        return Message("spec-blank")
    if kind == "format" and v == "date":
        return Message("spec-valid-date")
    return Message("spec-schema-other", detail=error.message)
