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
