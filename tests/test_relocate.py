"""The map found again: row maps from names and labels, formulas re-pointed through them."""

from __future__ import annotations

from bygdevekst_xl.layout import build_layout
from bygdevekst_xl.layout.relocate import (
    ColMap,
    RowMap,
    align,
    columns_by_header,
    relocate,
    repoint,
)

P2 = "2 Boligbygging"


def column_a(sheet, inserted: dict[int, str]):
    """Column A of a generated sheet with rows inserted before the given (0-based) rows."""
    out, shift = [], 0
    for (row, col), cell in sorted(sheet.cells.items()):
        if col != 0:
            continue
        while shift < len(inserted) and sorted(inserted)[shift] <= row:
            out.append((sorted(inserted)[shift] + shift, inserted[sorted(inserted)[shift]]))
            shift += 1
        out.append((row + shift, cell.value if cell.kind != "input" else None))
    return out


def test_a_row_map_keeps_the_distance_to_the_anchor_above():
    """Rows between anchors keep their distance to the anchor above them."""
    m = RowMap(((0, 0), (5, 6), (20, 23)))
    assert [m(r) for r in (0, 4, 5, 10, 19, 20, 30)] == [0, 4, 6, 11, 20, 23, 33]
    assert RowMap(((0, 0), (4, 4))).identity and not m.identity


def test_labels_find_rows_inserted_above_and_between_blocks(example_budget):
    """A note above the cost table and one between two blocks move exactly the rows below."""
    sheet = build_layout(example_budget).sheet(P2)
    m = align(sheet, column_a(sheet, {4: "Merk", 17: "Notat"}), {})
    assert [m(r) for r in (0, 3, 4, 6, 14, 16, 17, 30)] == [0, 3, 5, 7, 15, 17, 19, 32]


def test_a_pinned_row_bounds_the_label_search(example_budget):
    """A label typed over is not looked for past the next row a defined name pins."""
    sheet = build_layout(example_budget).sheet(P2)
    values = [
        (row, "x" if value == "Sum kostnader" else value) for row, value in column_a(sheet, {})
    ]
    m = align(sheet, values, {27: 27})
    assert m.identity


def test_repoint_moves_references_and_renames_sheets():
    """References move with their sheet's row map; a renamed sheet's prefix follows; strings
    and function names are left alone."""
    moved = {"A": RowMap(((0, 0), (10, 12))), "B": RowMap(((0, 1),))}
    formula = "=SUM(C5:C11)+'B'!$D$3+\"C11\"+LOG10(C11)+Parametre!B5"
    out = repoint(formula, "A", {"Parametre": "Regler"}, moved)
    assert out == "=SUM(C5:C13)+'B'!$D$4+\"C11\"+LOG10(C13)+Regler!B5"


def test_relocate_moves_cells_names_and_validations(example_budget):
    """The whole layout of a sheet moves: its cells, its defined names, its validations."""
    layout = build_layout(example_budget)
    moved = relocate(layout, {}, {P2: RowMap(((4, 5),))})
    before, after = layout.sheet(P2), moved.sheet(P2)
    assert after.cells[(15, 0)].value == before.cells[(14, 0)].value == "Sum kostnader"
    assert after.cells[(15, 2)].formula == "=SUM(C8:C15)"
    assert moved.names["Kostnader_boligbygging"] == "'2 Boligbygging'!$A$8:$E$15"
    assert [v.first_row for v in after.validations][:1] == [7]
    assert relocate(layout, {}, {}) is layout


def test_a_column_map_finds_columns_inserted_before_the_first_header():
    """Headers found one column right (a column inserted at A): column A is inserted, every
    layout column moves one right, and a column left of the first header is found too."""
    c = columns_by_header({1: "Nr", 2: "Id", 3: "Navn"}, [(0, "Nr"), (1, "Id"), (2, "Navn")])
    assert [c(col) for col in range(4)] == [1, 2, 3, 4]
    assert [c.inverse(col) for col in range(5)] == [None, 0, 1, 2, 3]
    assert c.inserted == (0,) and c.deleted == ()
    later = columns_by_header({2: "Id", 3: "Navn"}, [(1, "Id"), (2, "Navn")])
    assert later(0) == 1 and later.inverse(1) == 0 and later.inverse(0) is None


def test_a_column_map_without_headers_moves_nothing():
    """No header found: every column is where the layout puts it, none inserted."""
    c = ColMap(((0, None), (1, None)))
    assert c(2) == 2 and c.inverse(2) == 2 and c.inserted == () and c.deleted == (0, 1)


def test_a_header_typed_over_is_its_column_still_and_a_deleted_one_is_not():
    """Typing over (or clearing) a header leaves the headers right of it where they were: the
    column is still there. Deleting a column moves every header right of it one to the left:
    that column is gone. The last header has no neighbour to the right: its cell, or the one
    below it, holding something tells typed over or cleared from deleted."""
    expected = [(0, "Kategori"), (1, "Beskrivelse"), (2, "2024"), (3, "2025"), (4, "Sum")]
    row = {0: "Kategori", 1: "Beskrivelse", 2: 2024.0, 3: 2025.0, 4: "Sum"}
    for col, typed in ((0, 1e308), (2, "tall"), (3, None), (4, "Totalt")):
        over = {k: v for k, v in {**row, col: typed}.items() if v is not None}
        c = columns_by_header(over, expected)
        assert c.identity and c.deleted == (), (col, typed, c.found)
    without_last = {k: v for k, v in row.items() if k != 4}
    assert columns_by_header(without_last, expected, filled_below={0, 2, 3, 4}).identity
    assert columns_by_header(without_last, expected, filled_below={0, 2, 3}).deleted == (4,)
    first_deleted = columns_by_header({0: "Beskrivelse", 1: 2024.0, 2: 2025.0, 3: "Sum"}, expected)
    assert first_deleted.deleted == (0,) and first_deleted(1) == 0
    year_deleted = columns_by_header(
        {0: "Kategori", 1: "Beskrivelse", 2: 2025.0, 3: "Sum"}, expected
    )
    assert year_deleted.deleted == (2,) and year_deleted(3) == 2 and year_deleted(4) == 3
    inserted_and_typed = columns_by_header(
        {1: "x", 2: "Beskrivelse", 3: 2024.0, 4: 2025.0, 5: "Sum"}, expected
    )
    assert inserted_and_typed.deleted == () and inserted_and_typed(0) == 1
