"""Measure every command on the largest input the limits allow: the promise is 10 s and 500 MB.

Run from the repository root::

    python bench/bench_limits.py [--workdir DIR] [--cost-lines N] [--projects N]

It writes the *maximal spec*: every list of the schema at its maximum (municipalities,
categories, projects, cost lines a project, description lines), every text at its maximum
length, hours for every municipality in every project; and the *maximal workbook*: the same
budget with as many cost rows a project as a workbook may hold (``inputs.MAX_COST_ROWS``,
written through the library, past the spec's limit). Then it runs, each as a fresh process
under ``/usr/bin/time``, ``generate``, ``check`` (with and without ``--spec``), ``extract``
and ``regenerate`` on them, and prints wall and CPU seconds, peak memory and the exit code.
``--cost-lines`` and ``--projects`` override the schema's counts, to find what fits.
No figure is asserted anywhere.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

GNU_TIME = "/usr/bin/time"
BOUND_SECONDS, BOUND_MB = 10, 500


def _text(stem: str, length: int) -> str:
    """*stem* padded to *length* characters with Norwegian letters (no two texts alike)."""
    return (stem + " " + "æøå bygdevekst " * (length // 16 + 1))[:length]


def maximal_spec(projects: int, lines: int) -> dict[str, Any]:
    """The largest spec the schema allows (with *projects* projects of *lines* cost lines)."""
    from bygdevekst_xl.spec import load_schema

    schema = load_schema()
    props = schema["properties"]
    text_max = schema["$defs"]["text"]["maxLength"]
    project_props = props["projects"]["items"]["properties"]
    municipalities = [
        _text(f"Kommune {i}", text_max)
        for i in range(props["pilot"]["properties"]["municipalities"]["maxItems"])
    ]
    categories = [
        {
            "id": f"k{i:03d}" + "x" * 36,
            "name": _text(f"Kategori {i}", text_max),
            "kdd_eligible": i % 2 == 0,
            "note": _text(
                f"Merknad {i}", props["categories"]["items"]["properties"]["note"]["maxLength"]
            ),
        }
        for i in range(props["categories"]["maxItems"])
    ]
    description_lines = project_props["description"]["maxItems"]
    description_length = project_props["description"]["items"]["maxLength"]
    line_length = project_props["costs"]["items"]["properties"]["description"]["maxLength"]
    items = []
    for p in range(projects):
        costs = [
            {
                "category": categories[j % len(categories)]["id"],
                "description": _text(f"Linje {j + 1}", line_length),
                "amounts": [1000 * (1 + (p * 7 + j * 13) % 50), 1000 * (1 + (p * 11 + j * 5) % 50)],
            }
            for j in range(lines)
        ]
        cash = [sum(c["amounts"][y] for c in costs) for y in range(2)]
        kdd = [1000, 1000]
        items.append(
            {
                "id": f"p{p:03d}" + "x" * 36,
                "name": _text(f"Prosjekt {p}", text_max),
                "sheet": f"{p:03d} " + "Prosjektarket med langt navn"[:27],
                "working_group": True,
                "description": [
                    _text(f"Avsnitt {d}", description_length) for d in range(description_lines)
                ],
                "costs": costs,
                "hours": {m: [100.5, 200.25] for m in municipalities},
                "financing": {"kdd": kdd, "statsforvalteren": [cash[y] - kdd[y] for y in range(2)]},
            }
        )
    pilot = {
        "name": _text("Pilot", text_max),
        "municipalities": municipalities,
        "years": [2025, 2026],
        "kdd_cap": 4_000_000,
        "hourly_rate": 750,
        "application_deadline": "2025-03-01",
        "council_meeting": "2025-02-15",
        "project_leader": _text("Prosjektleder", text_max),
        "lead_municipality": municipalities[0],
        "organisation_number": "974 589 095",
        "contact_person": _text("Kontakt", text_max),
        "reservation": _text("Forbehold", props["pilot"]["properties"]["reservation"]["maxLength"]),
        "spec_date": "2025-01-10",
    }
    return {"pilot": pilot, "categories": categories, "projects": items}


class _Flow(dict):
    """A cost line, dumped on one line."""


class _Dumper(yaml.CSafeDumper):
    """CSafeDumper with cost lines in flow style."""


_Dumper.add_representer(
    _Flow, lambda d, data: d.represent_mapping("tag:yaml.org,2002:map", data, flow_style=True)
)


def write_inputs(folder: Path, projects: int | None, lines: int | None) -> tuple[Path, Path]:
    """The maximal spec (validated) and the maximal workbook, written into *folder*."""
    from bygdevekst_xl.edited.inputs import MAX_COST_ROWS
    from bygdevekst_xl.generate import document_time, generation
    from bygdevekst_xl.layout import build_layout
    from bygdevekst_xl.model import MAX_COST_LINES, MAX_PROJECTS
    from bygdevekst_xl.record import record_properties
    from bygdevekst_xl.spec import _build, budget_from_dict
    from bygdevekst_xl.writer import render

    projects = projects or MAX_PROJECTS
    data = maximal_spec(projects, lines or MAX_COST_LINES)
    spec = folder / "maximal.yaml"
    budget_from_dict(data, str(spec))  # raises naming the path of any problem
    flowing = {
        **data,
        "projects": [{**p, "costs": [_Flow(c) for c in p["costs"]]} for p in data["projects"]],
    }
    spec.write_text(
        yaml.dump(flowing, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=400)
    )
    # the workbook: as many cost rows as the reader takes (blank rows count; 5 are added)
    rows = (2 * lines if lines else MAX_COST_ROWS) - 5
    wide = _build(maximal_spec(projects, rows))  # carrying the maximal spec as its record
    record = _build(data)
    workbook = folder / "maximal.xlsx"
    layout = build_layout(wide, None, generation(record))
    workbook.write_bytes(
        render(layout, created=document_time(wide), title="x", properties=record_properties(record))
    )
    return spec, workbook


def measure(args: list[str], cwd: Path) -> tuple[float, float, float, int, str]:
    """(wall s, CPU s, peak MB, exit code, last output line) of one CLI run."""
    stats = cwd / "stats.txt"
    cmd = [
        GNU_TIME,
        "-f",
        "%e %U %S %M",
        "-o",
        str(stats),
        sys.executable,
        "-m",
        "bygdevekst_xl",
        *args,
    ]
    done = subprocess.run(
        cmd, cwd=cwd, capture_output=True, text=True, errors="replace", check=False
    )
    wall, user, system, kb = stats.read_text().strip().splitlines()[-1].split()
    lines = (done.stdout + done.stderr).strip().splitlines()
    last = (lines or [""])[-1][:100]
    return float(wall), float(user) + float(system), int(kb) / 1024, done.returncode, last


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--projects", type=int)
    parser.add_argument("--cost-lines", type=int)
    args = parser.parse_args()
    folder = args.workdir or Path(tempfile.mkdtemp(prefix="bench-limits-"))
    folder.mkdir(parents=True, exist_ok=True)
    spec, workbook = write_inputs(folder, args.projects, args.cost_lines)
    print(
        f"spec {spec.stat().st_size:,} bytes; workbook {workbook.stat().st_size:,} bytes; in {folder}"
    )
    runs = [
        ("generate spec", ["generate", str(spec), "-o", "out.xlsx", "--force"]),
        ("check out.xlsx", ["check", "out.xlsx"]),
        ("check --spec", ["check", "out.xlsx", "--spec", str(spec)]),
        ("extract out.xlsx", ["extract", "out.xlsx", "-o", "out.yaml", "--force"]),
        (
            "regenerate",
            ["regenerate", "out.xlsx", "--spec", str(spec), "-o", "new.xlsx", "--force"],
        ),
        ("check maximal wb", ["check", str(workbook)]),
        ("extract maximal wb", ["extract", str(workbook), "-o", "wb.yaml", "--force"]),
    ]
    worst = 0.0
    print(f"{'run':20} {'wall s':>7} {'CPU s':>7} {'peak MB':>8} exit  last line")
    for name, cli in runs:
        wall, cpu, mb, code, last = measure(cli, folder)
        worst = max(worst, wall / BOUND_SECONDS, mb / BOUND_MB)
        print(f"{name:20} {wall:7.2f} {cpu:7.2f} {mb:8.0f} {code:4}  {last}")
    print(f"worst share of the bound (10 s, 500 MB): {worst:.0%}; load {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
