"""render/table.py: merged labels repeated at the page breaks a table is predicted (or measured) to have."""

from __future__ import annotations

from renstra_gen.grid import Cell, Grid, placements
from renstra_gen.render.fit import fit
from renstra_gen.render.table import predicted_breaks, row_heights, table_pieces


def _grid(rows: int = 40) -> Grid:
    body = [[Cell("Meningkatnya pelayanan sosial", rowspan=rows) if r == 0 else None, Cell(f"1.{r:02d}"),
             Cell("Penyediaan layanan")] for r in range(rows)]
    body = [[c for c in row if c is not None] for row in body]
    return Grid("t", "T", [2, 1, 3], [[Cell("Sasaran"), Cell("Kode"), Cell("Uraian")]], body, font_size=10)


def test_breaks_predicted_from_row_heights_and_labels_repeated_there():
    grid = _grid()
    slots = placements(grid.header + grid.body, 3)
    f = fit(grid, 9000, slots_by_row=slots)
    heights = row_heights(slots, f.cols, f.margin, f.size)
    assert len(set(heights[1:])) == 1  # one line each
    page = 4000
    breaks = predicted_breaks(slots, 1, f.cols, f.margin, f.size, page)
    per_page = int((page - heights[0]) // heights[1])
    first = int((page - 700 - heights[0]) // heights[1])  # the caption takes room on the first page
    assert breaks == list(range(first, 40, per_page)) and len(breaks) == 2
    used: list[int] = []
    xml = "".join(table_pieces(grid, 9000, lambda latex, size: "", page_height=page, used=used))
    assert used == breaks
    assert xml.count("Meningkatnya pelayanan sosial (lanjutan)") == len(breaks)
    # measured breaks win over the prediction; the columns stay those of the table without the labels
    used = []
    measured = "".join(table_pieces(grid, 9000, lambda latex, size: "", page_height=page, breaks=[5], used=used))
    assert used == [5] and measured.count("(lanjutan)") == 1
    assert measured.split("</w:tblGrid>")[0] == xml.split("</w:tblGrid>")[0]


def test_parent_rows_repeated_at_predicted_breaks_take_their_room_and_keep_with_the_next_row():
    """A tree of rows (grid.levels): a page that starts inside a kegiatan begins with its program and
    kegiatan rows "(lanjutan)", so the next page holds two sub kegiatan fewer than without them."""
    body = [[Cell("1.01", bold=True), Cell("Program pelayanan", bold=True), Cell("100")],
            [Cell("1.01.2.01", bold=True), Cell("Kegiatan layanan", bold=True), Cell("100")]]
    body += [[Cell(f"1.01.2.01.{r:04d}"), Cell("Sub kegiatan layanan"), Cell("1")] for r in range(60)]
    grid = Grid("t", "T", [1, 3, 1], [[Cell("Kode"), Cell("Uraian"), Cell("Rp")]], body, font_size=10,
                levels=[0, 1] + [2] * 60)
    slots = placements(grid.header + grid.body, 3)
    f = fit(grid, 9000, slots_by_row=slots)
    heights = row_heights(slots, f.cols, f.margin, f.size)
    assert len(set(heights[1:])) == 1
    page = 4000
    plain = predicted_breaks(slots, 1, f.cols, f.margin, f.size, page)
    per_page = int((page - heights[0]) // heights[1])
    assert plain[1] - plain[0] == per_page
    used: list[int] = []
    xml = "".join(table_pieces(grid, 9000, lambda latex, size: "", page_height=page, used=used))
    assert used[0] == plain[0] and all(b - a == per_page - 2 for a, b in zip(used, used[1:]))
    assert xml.count("Program pelayanan (lanjutan)") == xml.count("Kegiatan layanan (lanjutan)") == len(used)
    rows = xml.split("<w:tr>")[1:]
    start = 1 + used[0]  # the header row, then the body rows before the first break
    assert "Program pelayanan (lanjutan)" in rows[start] and "Kegiatan layanan (lanjutan)" in rows[start + 1]
    assert "<w:keepNext/>" in rows[start] and "<w:keepNext/>" in rows[start + 1]  # never alone at a page's foot
    assert ">100<" not in rows[start] + rows[start + 1]  # no figure: never read as a second amount
    assert "1.01.2.01.00" in rows[start + 2]


def _keeps_measuring_every_row(rows, nhead, cols, margin, size):
    """group_keeps as written before issue 29: every row measured, each group's height summed whole."""
    from renstra_gen.grid import START
    from renstra_gen.render import metrics
    from renstra_gen.render.table import KEEP_GROUP_MAX

    line = size * 20 * 1.15
    height = [max([metrics.line_count(c.text, (sum(cols[col:col + c.colspan]) - 2 * margin) / 20 / size, c.bold)
                   for col, c, kind in slots if kind == START and c.rowspan == 1], default=1) * line for slots in rows]
    keeps = [r <= nhead and r + 1 < len(rows) for r in range(len(rows))]
    for r in range(nhead, len(rows)):
        for _, cell, kind in rows[r]:
            end = min(r + cell.rowspan, len(rows))
            if kind == START and cell.rowspan > 1 and sum(height[r:end]) <= KEEP_GROUP_MAX:
                keeps[r:end - 1] = [True] * (end - 1 - r)
    return keeps


def test_a_merge_over_many_rows_is_measured_only_as_far_as_it_could_be_kept(monkeypatch):
    """group_keeps measures a row only when a merged group asks for its height, and stops summing a
    group once it is past KEEP_GROUP_MAX: a Sasaran merged over 2,000 rows measures a few dozen of
    them, not all (Tabel 6.2 of 5,000 sub kegiatan: 0.35 -> 0.1 s); the keeps are those of summing
    every row, short groups (kept) and long ones (not) alike."""
    from renstra_gen.render import metrics
    from renstra_gen.render import table as tablemod

    long = _grid(2000)
    short = [[Cell("Sasaran pendek", rowspan=3)] + [Cell(f"2.{r}"), Cell("Uraian\ndua baris")] if r == 0 else
             [Cell(f"2.{r}"), Cell("Uraian")] for r in range(3)]
    grid = Grid("t", "T", [2, 1, 3], long.header, long.body + short, font_size=10)
    slots = placements(grid.header + grid.body, 3)
    f = fit(grid, 9000, slots_by_row=slots)
    expected = _keeps_measuring_every_row(slots, 1, f.cols, f.margin, f.size)
    counted: list[str] = []
    real = metrics.line_count
    monkeypatch.setattr(metrics, "line_count", lambda text, *a: counted.append(text) or real(text, *a))
    assert tablemod.group_keeps(slots, 1, f.cols, f.margin, f.size) == expected
    assert expected[2:5] == [False] * 3 and expected[-3:] == [True, True, False]  # (the first body row: kept)
    assert len(counted) < 200


def test_cells_that_print_the_same_are_written_once_per_table(monkeypatch):
    """The paragraphs of cells with the same text and looks (a matrix's '-' and repeated targets) are
    written once per table; the table's XML is the same as writing each."""
    from renstra_gen.render import table as tablemod

    body = [[Cell("-", align="center"), Cell("100", align="center", bold=r % 2 == 0), Cell(f"Baris {r}")]
            for r in range(60)]
    grid = Grid("t", "T", [1, 1, 3], [[Cell("A"), Cell("B"), Cell("C")]], body, font_size=10)
    written: list[str] = []
    real = tablemod.cell_paragraphs
    xml = "".join(table_pieces(grid, 9000, lambda latex, size: ""))
    monkeypatch.setattr(tablemod, "cell_paragraphs", lambda cell, *a: written.append(cell.text) or real(cell, *a))
    assert "".join(table_pieces(grid, 9000, lambda latex, size: "")) == xml
    assert written.count("-") <= 2 and written.count("100") <= 4 and written.count("Baris 7") == 1
