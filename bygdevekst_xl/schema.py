"""The spec's JSON schema (``schemas/budget-spec.schema.json``, shipped as the package data
``bygdevekst_xl.schemas``) and the limits of a budget written in it.

The schema is the one place where the limits of a budget are written down (how many
municipalities, categories, projects and cost lines; the largest amount and hour count): the
model, the spec loader and the workbook reader all read them from it through :func:`spec_limits`.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

SPEC_SCHEMA = "budget-spec.schema.json"


def spec_schema() -> dict[str, Any]:
    """The budget spec JSON schema (a fresh copy)."""
    return schema_named(SPEC_SCHEMA)


def schema_named(name: str) -> dict[str, Any]:
    """A JSON schema shipped in ``schemas/`` (a fresh copy): the spec's, the accounts map's,
    the accounts report's."""
    here = Path(__file__).resolve().parent
    for folder in (here / "schemas", here.parent / "schemas"):  # installed; a source checkout
        if (folder / name).is_file():
            return json.loads((folder / name).read_text("utf-8"))
    from importlib import resources  # anything else (a zip): ~4 ms to import, so last

    text = resources.files("bygdevekst_xl.schemas").joinpath(name).read_text("utf-8")
    return json.loads(text)


@functools.lru_cache(maxsize=1)
def spec_limits() -> dict[str, int]:
    """The spec schema's maxima: ``municipalities``, ``categories``, ``projects``,
    ``cost_lines`` (a project), ``kroner`` (an amount) and ``hours`` (a municipality's in a year)."""
    schema = spec_schema()
    properties, defs = schema["properties"], schema["$defs"]
    project = properties["projects"]["items"]["properties"]
    return {
        "municipalities": properties["pilot"]["properties"]["municipalities"]["maxItems"],
        "categories": properties["categories"]["maxItems"],
        "projects": properties["projects"]["maxItems"],
        "cost_lines": project["costs"]["maxItems"],
        "kroner": defs["kroner"]["maximum"],
        "hours": defs["hours"]["maximum"],
    }
