"""grid.continued: a merged body cell that runs over a page break is repeated at the break."""

from __future__ import annotations

from renstra_gen.grid import CONTINUED, BELOW, START, Cell, Grid, continued, placements


def _grid() -> Grid:
    # Tujuan over 5 rows; Sasaran A over rows 0-2, Sasaran B over rows 3-4; then a code column
    body = [
        [Cell("Meningkatnya kesejahteraan", rowspan=5), Cell("Sasaran A satu", rowspan=3), Cell("1.01")],
        [Cell("1.02")],
        [Cell("1.03")],
        [Cell("Sasaran B dua", rowspan=2), Cell("1.04")],
        [Cell("1.05")],
    ]
    return Grid("t", "T", [1, 1, 1], [[Cell("Tujuan"), Cell("Sasaran"), Cell("Kode")]], body)


def _labels(grid: Grid, row: int) -> list[tuple[int, str, str]]:
    slots = placements(grid.header + grid.body, len(grid.columns))[len(grid.header) + row]
    return [(col, cell.text, kind) for col, cell, kind in slots]


def test_labels_are_repeated_on_the_row_that_starts_a_page():
    grid, used = continued(_grid(), [2])
    assert used == [2]
    assert _labels(grid, 2) == [(0, "Meningkatnya kesejahteraan" + CONTINUED, START),
                                (1, "Sasaran A satu" + CONTINUED, START), (2, "1.03", START)]
    # the first pieces end before the break; the new ones cover the rest of their groups
    assert [c.rowspan for c in grid.body[0][:2]] == [2, 2]
    assert [c.rowspan for c in grid.body[2][:2]] == [3, 1]
    assert _labels(grid, 3)[0] == (0, "Meningkatnya kesejahteraan" + CONTINUED, BELOW)
    assert _labels(grid, 3)[1] == (1, "Sasaran B dua", START)


def test_a_break_between_groups_repeats_only_what_continues():
    grid, used = continued(_grid(), [3])
    assert used == [3]
    assert [t for _, t, k in _labels(grid, 3) if k == START] == [
        "Meningkatnya kesejahteraan" + CONTINUED, "Sasaran B dua", "1.04"]


def test_several_breaks_in_one_group_and_no_break_inside_any():
    grid, used = continued(_grid(), [1, 4, 9, 0])
    assert used == [1, 4]
    assert [c.rowspan for c in grid.body[1][:2]] == [3, 2]  # Tujuan rows 1-3, Sasaran A rows 1-2
    assert grid.body[4][0].rowspan == 1 and grid.body[4][1].text == "Sasaran B dua" + CONTINUED
    same, none = continued(_grid(), [0, 5])
    assert none == [] and same.body == _grid().body


def test_a_one_word_label_is_repeated_as_it_is():
    grid = Grid("t", "T", [1, 1], [[Cell("No"), Cell("Kode")]],
                [[Cell("1.", rowspan=2), Cell("a")], [Cell("b")]])
    out, used = continued(grid, [1])
    assert used == [1] and out.body[1][0].text == "1."


def test_a_cell_has_no_dict_of_its_own():
    """A province-size build holds over a million cells: slots, not a dict per cell."""
    assert not hasattr(Cell("x"), "__dict__")
