"""Specs and workbooks for bench/bench.py: the S, M and L budgets, and what a workbook holds.

S is the built-in Hjerteregionen example as is; M and L are synthetic: every project balanced per
year (KDD + Statsforvalteren = cash costs; in-kind hours on both sides), KDD never above the costs
KDD may finance and in total under the built-in cap, so ``check`` with its default rules exits 0.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import yaml

SIZES: dict[str, tuple[int, int] | None] = {"S": None, "M": (25, 50), "L": (50, 100)}
"""(projects, cost lines a project); L is the most the spec schema allows (see bench_limits.py
for the largest spec of every kind, texts included)."""
KDD_SHARE_OF_CAP = 0.9


def base_spec() -> dict[str, Any]:
    """The built-in Hjerteregionen spec as plain data."""
    from bygdevekst_xl.spec import budget_to_dict, example_path, load_spec

    return budget_to_dict(load_spec(example_path()))


def cost_lines(project: int, lines: int, categories: list[str]) -> list[dict[str, Any]]:
    """*lines* cost lines cycling through every category, whole kroner, varied amounts."""
    return [
        {
            "category": categories[j % len(categories)],
            "description": f"Linje {j + 1}",
            "amounts": [
                1000 * (1 + (project * 7 + j * 13) % 50),
                1000 * (1 + (project * 11 + j * 5) % 50),
            ],
        }
        for j in range(lines)
    ]


def financing(costs: list[dict[str, Any]], eligible: set[str], quota: int) -> dict[str, Any]:
    """KDD = the eligible costs up to *quota* a year, Statsforvalteren the rest of the cash."""
    kdd, statsforvalteren = [], []
    for y in range(2):
        cash = sum(c["amounts"][y] for c in costs)
        may = sum(c["amounts"][y] for c in costs if c["category"] in eligible)
        kdd.append(min(may, quota))
        statsforvalteren.append(cash - kdd[-1])
    return {"kdd": kdd, "statsforvalteren": statsforvalteren}


def synthetic_spec(base: dict[str, Any], projects: int, lines: int) -> dict[str, Any]:
    """*projects* balanced projects of *lines* cost lines each, on the base pilot and categories."""
    categories = [c["id"] for c in base["categories"]]
    eligible = {c["id"] for c in base["categories"] if c["kdd_eligible"]}
    quota = int(base["pilot"]["kdd_cap"] * KDD_SHARE_OF_CAP) // (2 * projects)
    items = []
    for i in range(1, projects + 1):
        costs = cost_lines(i, lines, categories)
        items.append(
            {
                "id": f"p{i:03d}",
                "name": f"Prosjekt {i}",
                "sheet": f"{i} Prosjekt {i}",
                "working_group": i % 2 == 0,
                "description": [f"Syntetisk prosjekt {i} for ytelsesmåling."],
                "costs": costs,
                "hours": {m: [10 + i % 7, 12 + i % 5] for m in base["pilot"]["municipalities"]},
                "financing": financing(costs, eligible, quota),
            }
        )
    return {"pilot": base["pilot"], "categories": base["categories"], "projects": items}


class _FlowLine(dict):
    """A cost line, dumped in YAML flow style on one line (keeps the L spec under 10 MB)."""


class _SpecDumper(yaml.SafeDumper):
    """safe_dump, with each cost line written as ``{category: …, description: …, amounts: […]}``."""


_SpecDumper.add_representer(
    _FlowLine,
    lambda dumper, data: dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=True),
)


def spec_text(data: dict[str, Any]) -> str:
    """The spec as YAML, block style except one line per cost line."""
    flowing = {
        **data,
        "projects": [{**p, "costs": [_FlowLine(c) for c in p["costs"]]} for p in data["projects"]],
    }
    return yaml.dump(flowing, Dumper=_SpecDumper, allow_unicode=True, sort_keys=False, width=200)


def write_spec(size: str, folder: Path) -> Path:
    """Write the spec of *size* into *folder*, validated before any timing starts."""
    from bygdevekst_xl.spec import budget_from_dict, example_path

    path = folder / f"spec-{size}.yaml"
    shape = SIZES[size]
    if shape is None:
        shutil.copyfile(example_path(), path)
        return path
    data = synthetic_spec(base_spec(), *shape)
    budget_from_dict(data, str(path))  # raises SpecError naming the path of any problem
    path.write_text(spec_text(data), "utf-8")
    return path


def workbook_shape(path: Path) -> dict[str, int]:
    """Formula cells (``<f>`` elements), sheets and bytes of an .xlsx."""
    cells = sheets = 0
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/sheet") and name.endswith(".xml"):
                sheets += 1
                cells += len(re.findall(rb"<f[ >/]", archive.read(name)))
    return {"formula_cells": cells, "sheets": sheets, "bytes": path.stat().st_size}
