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
