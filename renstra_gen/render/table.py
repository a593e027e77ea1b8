"""A Grid as a Word table: fixed column widths, merges, repeated header rows, rows that do not split."""

from __future__ import annotations

from math import ceil
from typing import Callable

from renstra_gen.grid import BELOW, RIGHT, START, Cell, Grid, paged, parent_cells, parents, placements
from renstra_gen.render import metrics, oxml
from renstra_gen.render.fit import INDENT_STEP, fit, placed

HEADER_FILL = "D9D9D9"
BORDER = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'


def table_xml(grid: Grid, width: int, math: Callable[[str, float], str]) -> str:
    """WordprocessingML for one table, `width` twips wide, its column widths and font size fitted
    to its content (render/fit.py). `math(latex, size)` renders a formula to OMML."""
    return "".join(table_pieces(grid, width, math))


def table_pieces(grid: Grid, width: int, math: Callable[[str, float], str], page_height: int | None = None,
                 breaks: list[int] | None = None, used: list[int] | None = None) -> list[str]:
    """table_xml as pieces, one per row: a province-size table is never one string (a string
    holding one character beyond Latin-1 takes two bytes for every character).

    A merged body cell that runs over a page break is repeated at the break, marked "(lanjutan)"
    (grid.continued): at `breaks` (body rows that start a page, as measured in a PDF), else at the
    breaks predicted for a table that starts at the top of a page `page_height` twips high
    (predicted_breaks). In a tree of rows (grid.levels: Renja T-C.29/T-C.33, Tabel 6.2) a page
    that starts inside a program or kegiatan first repeats its parent rows, marked "(lanjutan)",
    without figures (grid.paged); they are kept with the row they stand above. `used` receives
    the breaks at which anything was repeated. The columns and the font size are those of the
    table without the repeated labels, so that they never move the breaks they were placed at."""
    ncols = len(grid.columns)
    slots_by_row = placed(grid)  # made once per grid in a build (render/fit.py)
    fitted = fit(grid, width, slots_by_row=slots_by_row)
    cols, size, margin = fitted.cols, fitted.size, fitted.margin
    nhead = len(grid.header)
    if breaks is None and page_height and (grid.levels or any(c.rowspan > 1 for row in grid.body for c in row)):
        body_slots = slots_by_row[nhead:]

        def inserted(row: int) -> float:  # the height of the parent rows repeated above body row `row`
            rows = [[(col, cell, START) for col, cell in parent_cells(grid, body_slots, p)] for p in parents(grid, row)]
            # their empty cells hold a paragraph mark of the table style's size: at least one such line
            return sum(max(h, EMPTY_ROW) for h in row_heights(rows, cols, margin, size)) if rows else 0

        breaks = predicted_breaks(slots_by_row, nhead, cols, margin, size, page_height, inserted=inserted)
    held: list[int] = []  # repeated parent rows: kept with the next row
    if breaks:
        grid, repeated, rows = paged(grid, breaks)
        if repeated:
            slots_by_row = placements(grid.header + grid.body, ncols)
            held = [nhead + i for i in range(len(rows) - 1) if rows[i + 1] == rows[i]]
        if used is not None:
            used.extend(repeated)
    borders = "".join(BORDER.format(b) for b in ("top", "left", "bottom", "right", "insideH", "insideV"))
    out = [
        f'<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="{width}" w:type="dxa"/>'
        f'<w:jc w:val="center"/><w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar><w:left w:w="{margin}" w:type="dxa"/><w:right w:w="{margin}" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'
        "</w:tblPr><w:tblGrid>",
        "".join(f'<w:gridCol w:w="{c}"/>' for c in cols),
        "</w:tblGrid>",
    ]
    heights = header_heights(slots_by_row[:nhead], cols, margin, size)
    keeps = group_keeps(slots_by_row, nhead, cols, margin, size)
    # a cell's paragraphs depend on these fields alone (and the table's size): written once per table
    # for the cells that print the same ("-", a target of 100, a unit's name: most of a matrix)
    written: dict[tuple, str] = {}
    for r in held:
        keeps[r] = True
    # LibreOffice (7.4) silently dropped every row after a page break from the PDF, with rows
    # that cannot split (w:cantSplit), when the page had room for the first row alone (the
    # header, repeated or not), and, under a repeated header, for the header and a first body row
    # that was cantSplit or began a vertical merge: Tabel 2.2 of another office printed its header
    # and first row, then its "Sumber:" line; 13 rows gone, no warning. (Found by moving such a
    # table down the page 4 twips at a time and reading each PDF back; without cantSplit those
    # rows printed, but rows with several lines of text then split over two pages.) So a table
    # never breaks there: the header rows and the first body row keep with the next row
    # (keep-with-next on their paragraphs, which Word and LibreOffice read as "keep this row with
    # the next"). The rows a merged cell spans are kept together the same way (up to
    # KEEP_GROUP_MAX), so a merged label is always on the page of its rows; a longer group breaks
    # where the page ends. The print proof (renstra_gen/proof/prove.py) checks every PDF for lost rows.
    for r, slots in enumerate(slots_by_row):
        header = r < nhead
        height = f'<w:trHeight w:val="{heights[r]}" w:hRule="atLeast"/>' if header and heights[r] else ""
        if not header and grid.body_height:
            height = f'<w:trHeight w:val="{grid.body_height}" w:hRule="atLeast"/>'
        repeat = "<w:tblHeader/>" if header else ""
        keep = keeps[r]
        tr = [f"<w:tr><w:trPr><w:cantSplit/>{height}{repeat}</w:trPr>"]
        for col, cell, kind in slots:
            if kind == RIGHT:
                continue
            w = sum(cols[col:col + cell.colspan])
            span = f'<w:gridSpan w:val="{cell.colspan}"/>' if cell.colspan > 1 else ""
            shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{HEADER_FILL}"/>' if header else ""
            valign = '<w:vAlign w:val="center"/>' if header else '<w:vAlign w:val="bottom"/>' if cell.bottom else ""
            if kind == BELOW:
                empty = oxml.para("", keep_next=True) if keep else "<w:p/>"
                tr.append(f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/>{span}<w:vMerge/>{shade}</w:tcPr>{empty}</w:tc>')
                continue
            merge = '<w:vMerge w:val="restart"/>' if cell.rowspan > 1 else ""
            if cell.math or cell.markdown:
                paragraphs = cell_paragraphs(cell, size, math, keep)
            else:
                key = (cell.text, cell.bold, cell.italic, cell.align, cell.indent, keep)
                paragraphs = written.get(key)
                if paragraphs is None:
                    paragraphs = written[key] = cell_paragraphs(cell, size, math, keep)
            tr.append(f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/>{span}{merge}{shade}{valign}</w:tcPr>'
                      f"{paragraphs}</w:tc>")
        tr.append("</w:tr>")
        out.append("".join(tr))
    out.append("</w:tbl>")
    return out


CAPTION_ROOM = 700  # twips: a table's caption (two lines) and the space around it, on the page it starts
ROW_EXTRA = 10  # twips added to a row's estimated height (borders)
EMPTY_ROW = 10 * 20 * 1.15 + ROW_EXTRA  # twips: a row with an empty cell, whose paragraph is IsiTabel's 10 pt


def row_heights(rows: list[list[tuple[int, Cell, str]]], cols: list[int], margin: int, size: float) -> list[float]:
    """Estimated printed height (twips) of each row: its tallest single-row cell, and a merged cell
    taller than the rows it spans adds the rest to its last row (as LibreOffice grows it)."""
    line = size * 20 * 1.15
    height = []
    merged = []
    line_count = metrics.line_count
    for r, slots in enumerate(rows):
        tallest = 1
        for col, cell, kind in slots:
            if kind != START or not cell.text:
                continue
            # a cell of one column (nearly all) takes its column's width as it is: the same number as the sum
            room = (cols[col] if cell.colspan == 1 else sum(cols[col:col + cell.colspan])) - 2 * margin \
                - cell.indent * INDENT_STEP
            n = line_count(cell.text, room / 20 / size, cell.bold)
            if cell.rowspan == 1:
                tallest = max(tallest, n)
            else:
                merged.append((r, min(r + cell.rowspan, len(rows)), n * line))
        height.append(tallest * line + ROW_EXTRA)
    for start, end, need in merged:
        have = sum(height[start:end])
        if need > have:
            height[end - 1] += need - have
    return height


def predicted_breaks(slots_by_row: list[list[tuple[int, Cell, str]]], nhead: int, cols: list[int], margin: int,
                     size: float, page_height: int, inserted: Callable[[int], float] | None = None) -> list[int]:
    """The body rows that will start a new page, for a table that starts at the top of a page
    (after its caption): rows do not split, the header repeats on every page, and rows kept with
    the next (group_keeps) move to the next page together when the whole chain fits there.
    `inserted(row)`: the height of the rows repeated above body row `row` when it starts a page
    (its parent rows, grid.paged), which the page then has less room for. An estimate from the
    measured text (render/metrics.py); the PDF decides (workflows.build)."""
    height = row_heights(slots_by_row, cols, margin, size)
    keeps = group_keeps(slots_by_row, nhead, cols, margin, size)
    head = sum(height[:nhead])
    room = page_height - CAPTION_ROOM - head
    full = page_height - head
    out = []
    r = nhead
    while r < len(height):
        end = r
        while end < len(height) - 1 and keeps[end]:
            end += 1
        chain = sum(height[r:end + 1])
        if chain <= room or (chain > full and height[r] <= room):
            if chain > full:  # longer than a page: LibreOffice breaks inside it, row by row
                end = r
                chain = height[r]
            room -= chain
            r = end + 1
            continue
        out.append(r - nhead)
        room = full - (inserted(r - nhead) if inserted is not None else 0)
        if chain > full:
            room -= height[r]
            r += 1
        else:
            room -= chain
            r = end + 1
    return [b for b in out if b > 0]


KEEP_GROUP_MAX = 4536  # twips (8 cm): merged groups up to this estimated height are kept on one page


def group_keeps(rows: list[list[tuple[int, Cell, str]]], nhead: int, cols: list[int], margin: int,
                size: float) -> list[bool]:
    """Per row, whether it is kept with the next: the header rows and the first body row (see
    table_xml), and the body rows a merged cell spans, but the last, when their estimated height
    is at most KEEP_GROUP_MAX (so the groups inside a merge that runs over pages are still kept)."""
    line = size * 20 * 1.15
    line_count = metrics.line_count
    room = [(c - 2 * margin) / 20 / size for c in cols]  # a cell of one column's room (nearly every cell's)
    height: list[float | None] = [None] * len(rows)  # measured when a merged group asks (most rows are in none)

    def height_of(r: int) -> float:
        got = height[r]
        if got is None:
            lines = [line_count(cell.text, room[col] if cell.colspan == 1 else
                                (sum(cols[col:col + cell.colspan]) - 2 * margin) / 20 / size, cell.bold)
                     for col, cell, kind in rows[r] if kind == START and cell.rowspan == 1]
            got = height[r] = max(lines, default=1) * line
        return got

    keeps = [r <= nhead and r + 1 < len(rows) for r in range(len(rows))]
    for r in range(nhead, len(rows)):
        for _, cell, kind in rows[r]:
            if kind != START or cell.rowspan <= 1:
                continue
            end = min(r + cell.rowspan, len(rows))
            # the group's height summed row by row as sum() adds them; every row is a line or more high,
            # so once past the limit the rest cannot bring it back (a merge over a hundred rows stops early)
            total, kept = 0, True
            for i in range(r, end):
                total += height_of(i)
                if total > KEEP_GROUP_MAX:
                    kept = False
                    break
            if kept:
                keeps[r:end - 1] = [True] * (end - 1 - r)
    return keeps


def header_heights(rows: list[list[tuple[int, Cell, str]]], cols: list[int], margin: int,
                   size: float) -> list[int]:
    """Minimum heights (twips) of the header rows, so that each header cell's text fits the rows it
    spans; 0 where one line is enough.

    LibreOffice sizes a repeated header row (on each page a long table continues to) by that row's
    own content and clips a vertically merged cell that needs more: the long headers of the
    program matrix lost their last lines from the second page on."""
    line = size * 20 * 1.15  # single spacing
    need = [0.0] * len(rows)
    for r, slots in enumerate(rows):
        for col, cell, kind in slots:
            if kind != START:
                continue
            span = min(cell.rowspan, len(rows) - r)
            room = (sum(cols[col:col + cell.colspan]) - 2 * margin) / 20 / size  # points at 1 pt
            share = metrics.line_count(cell.text, room, cell.bold) * line / span
            for i in range(r, r + span):
                need[i] = max(need[i], share)
    return [ceil(h) if h > line + 1 else 0 for h in need]


def cell_paragraphs(cell: Cell, size: float, math: Callable[[str, float], str], keep_next: bool = False) -> str:
    """The cell's paragraphs; all keep with the next row when `keep_next` (see table_xml)."""
    left = cell.indent * INDENT_STEP if cell.indent else None
    keep = {"keep_next": True if keep_next else None}  # else the style's own (IsiTabel: not kept)
    if cell.math:
        return oxml.para(math(cell.math, size), style="IsiTabel", align="center", **keep)
    if cell.markdown:
        out = []
        for line in cell.text.splitlines() or [""]:
            stripped = line.strip()
            if stripped.startswith(("- ", "* ")):
                out.append(oxml.para(oxml.run("\u2022\t" + stripped[2:], size=size), style="IsiTabel",
                                     left=227, hanging=227, **keep))
            elif stripped:
                out.append(oxml.para(oxml.run(stripped, size=size), style="IsiTabel", **keep))
        return "".join(out) or oxml.para("", style="IsiTabel", **keep)
    lines = cell.text.split("\n")
    return "".join(
        oxml.para(oxml.run(line, bold=cell.bold, italic=cell.italic, size=size) if line else "",
                  style="IsiTabel", align=cell.align, left=left, **keep)
        for line in lines
    )
