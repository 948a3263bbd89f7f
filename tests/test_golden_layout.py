"""The layout of the built-in example is pinned next to LAYOUT_VERSION.

``check`` tells a workbook made by an older layout (``other-layout``) from one a person
edited by LAYOUT_VERSION, so the version must be raised whenever a generated address,
formula, label, defined name, validation or format changes. This test holds a digest of every
sheet of the built-in example's layout; changing the layout without raising the version fails
and names the sheets that changed. After raising the version, run this file with
``BYGDEVEKST_UPDATE_GOLDEN=1`` to record the new digests.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from bygdevekst_xl.layout import LAYOUT_VERSION, build_layout
from bygdevekst_xl.layout.cells import SheetLayout

GOLDEN = Path(__file__).with_name("golden_layout.json")


def sheet_digest(sheet: SheetLayout) -> str:
    """A digest of everything the writer renders of one sheet."""
    parts = [
        sheet.name,
        sorted(
            (c.row, c.col, c.kind, c.style, repr(c.value), c.formula, c.input_type)
            for c in sheet.cells.values()
        ),
        sorted(sheet.widths.items()),
        sorted(sheet.heights.items()),
        sorted(sheet.merges),
        [
            (v.first_row, v.first_col, v.last_row, v.last_col, sorted(v.options.items()))
            for v in sheet.validations
        ],
        [
            (c.first_row, c.first_col, c.last_row, c.last_col, sorted(c.options.items()), c.style)
            for c in sheet.conditional
        ],
        [(k.row, k.col, k.target, k.text) for k in sheet.links],
        [(c.kind, c.title, c.series, c.row, c.col, c.stacked) for c in sheet.charts],
        sheet.freeze,
        sheet.repeat_rows,
        sheet.tab_color,
    ]
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:16]


def layout_digests(budget) -> dict[str, str]:
    layout = build_layout(budget)
    digests = {sheet.name: sheet_digest(sheet) for sheet in layout.sheets}
    digests["(defined names)"] = hashlib.sha256(repr(layout.names).encode()).hexdigest()[:16]
    return digests


def test_the_layout_changes_only_with_its_version(example_budget):
    """The example's layout equals the recorded one, or LAYOUT_VERSION was raised."""
    digests = layout_digests(example_budget)
    recorded = json.loads(GOLDEN.read_text("utf-8"))
    if os.environ.get("BYGDEVEKST_UPDATE_GOLDEN") == "1" and (
        recorded["layout_version"] != LAYOUT_VERSION
    ):
        record = {"layout_version": LAYOUT_VERSION, "sheets": digests}
        GOLDEN.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", "utf-8")
    golden = json.loads(GOLDEN.read_text("utf-8"))
    changed = sorted(
        name
        for name in {*digests, *golden["sheets"]}
        if digests.get(name) != golden["sheets"].get(name)
    )
    if golden["layout_version"] == LAYOUT_VERSION:
        assert changed == [], (
            f"the layout changed ({', '.join(changed)}) but LAYOUT_VERSION is still "
            f"{LAYOUT_VERSION}: raise it in bygdevekst_xl/layout/__init__.py, then record the "
            "layout with BYGDEVEKST_UPDATE_GOLDEN=1"
        )
    else:
        assert changed, "LAYOUT_VERSION was raised but the layout is the same"
        raise AssertionError(
            f"LAYOUT_VERSION is {LAYOUT_VERSION}, the recorded layout is version "
            f"{golden['layout_version']}: record it with BYGDEVEKST_UPDATE_GOLDEN=1"
        )


def test_the_digest_sees_a_changed_formula(example_budget):
    """The digest has teeth: one formula changed changes its sheet's digest."""
    layout = build_layout(example_budget)
    sheet = layout.sheets[2]
    before = sheet_digest(sheet)
    key = next(k for k, c in sheet.cells.items() if c.kind == "formula")
    from bygdevekst_xl.dataclass import replace

    sheet.cells[key] = replace(sheet.cells[key], formula="=1")
    assert sheet_digest(sheet) != before
