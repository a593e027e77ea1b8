"""grid.continued: a merged body cell that runs over a page break is repeated at the break; grid.paged:
the parent rows of a tree of rows too."""

from __future__ import annotations

from decimal import Decimal

from renstra_gen.grid import CONTINUED, BELOW, START, Cell, Grid, continued, paged, parents, placements


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


def _tree() -> Grid:
    """Tabel 6.2's shape: a merged Sasaran over the program tree, then Kode | Nama | Rp; JUMLAH last."""
    rows = [("1", "Program Satu Kita", 0, "100"), ("1.1", "Kegiatan Satu A", 1, "60"), ("1.1.1", "Sub a", 2, "30"),
            ("1.1.2", "Sub b", 2, "30"), ("1.2", "Kegiatan Satu B", 1, "40"), ("1.2.1", "Sub c", 2, "40"),
            ("2", "Program Dua Kita", 0, "5")]
    body = [([Cell("Sasaran A satu", rowspan=len(rows))] if r == 0 else [])
            + [Cell(k, bold=lv < 2), Cell(n, bold=lv < 2, indent=lv), Cell(rp, align="right", value=Decimal(rp))]
            for r, (k, n, lv, rp) in enumerate(rows)]
    body.append([Cell("JUMLAH", colspan=3), Cell("105", value=Decimal(105))])
    return Grid("t", "T", [1, 1, 2, 1], [[Cell("Sasaran"), Cell("Kode"), Cell("Nama"), Cell("Rp")]], body,
                levels=[lv for _, _, lv, _ in rows] + [None], tree_columns=(1, 2))


def _texts(grid: Grid, row: int) -> list[str]:
    return [cell.text for _, cell, kind in _labels_slots(grid, row) if kind == START]


def _labels_slots(grid: Grid, row: int):
    return placements(grid.header + grid.body, len(grid.columns))[len(grid.header) + row]


def test_a_page_starting_on_a_sub_kegiatan_repeats_its_program_and_kegiatan_without_figures():
    grid, used, rows = paged(_tree(), [3])  # the page starts on "Sub b"
    assert used == [3] and rows == [0, 1, 2, 3, 3, 3, 4, 5, 6, 7]
    assert _texts(grid, 3) == ["Sasaran A satu" + CONTINUED, "1", "Program Satu Kita" + CONTINUED, ""]
    assert _texts(grid, 4) == ["1.1", "Kegiatan Satu A" + CONTINUED, ""]
    assert _texts(grid, 5) == ["1.1.2", "Sub b", "30"]
    repeated = [c for r in (3, 4) for _, c, k in _labels_slots(grid, r) if k == START][1:]
    # the code and the name as printed (bold, indented), nothing for the workbook, no figure
    assert [(c.bold, c.indent) for c in repeated[:2]] == [(True, 0), (True, 0)]
    assert repeated[4].indent == 1 and all(c.value is None and c.formula is None for c in repeated)
    # the merged Sasaran ends before the page and starts again over the repeated rows
    assert grid.body[0][0].rowspan == 3 and grid.body[3][0].rowspan == 6  # 7 rows + 2 repeated
    assert [lv for lv in _tree().levels] == [0, 1, 2, 2, 1, 2, 0, None]


def test_a_page_starting_on_a_kegiatan_repeats_its_program_only():
    grid, used, rows = paged(_tree(), [4])
    assert used == [4] and rows == [0, 1, 2, 3, 4, 4, 5, 6, 7]
    assert _texts(grid, 4) == ["Sasaran A satu" + CONTINUED, "1", "Program Satu Kita" + CONTINUED, ""]
    assert _texts(grid, 5) == ["1.2", "Kegiatan Satu B", "40"]


def test_a_page_starting_on_a_program_or_jumlah_repeats_no_row():
    for b in (6, 7):
        grid, used, rows = paged(_tree(), [b])
        assert rows == list(range(8)) and len(grid.body) == 8
        assert not any(CONTINUED in c.text for row in grid.body[b:] for c in row if c.text != "Sasaran A satu"
                       + CONTINUED)
    assert paged(_tree(), [7])[1] == []  # JUMLAH: below the merged Sasaran, nothing repeated at all
    assert _texts(paged(_tree(), [7])[0], 7) == ["JUMLAH", "105"]


def test_several_pages_each_repeat_their_own_parents():
    grid, used, rows = paged(_tree(), [2, 5, 0, 99])
    assert used == [2, 5] and rows == [0, 1, 2, 2, 2, 3, 4, 5, 5, 5, 6, 7]
    names = [c.text for row in grid.body for c in row if CONTINUED in c.text and "Sasaran" not in c.text]
    assert names == ["Program Satu Kita" + CONTINUED, "Kegiatan Satu A" + CONTINUED,
                     "Program Satu Kita" + CONTINUED, "Kegiatan Satu B" + CONTINUED]
    assert [grid.body[r][0].rowspan for r in (0, 2, 7)] == [2, 5, 4]  # 2 + 5 + 4 = 7 rows + 4 repeated
    assert placements(grid.header + grid.body, 4)  # a whole grid: every row fills its columns
    assert parents(_tree(), 5) == [0, 4] and parents(_tree(), 0) == [] and parents(_tree(), 7) == []


def test_a_cell_has_no_dict_of_its_own():
    """A province-size build holds over a million cells: slots, not a dict per cell."""
    assert not hasattr(Cell("x"), "__dict__")


def test_a_formula_holds_no_dict_of_its_own():
    """Every derived cell of a matrix has a Formula (100,000 in a province's): slots, not a dict each."""
    from renstra_gen.grid import Formula

    f = Formula("sum", ((0, 1), (2, 1)))
    assert not hasattr(f, "__dict__") and f == Formula("sum", ((0, 1), (2, 1))) and hash(f) == hash(Formula("sum", ((0, 1), (2, 1))))
