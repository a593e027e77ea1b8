"""A Grid as a Word table: fixed column widths, merges, repeated header rows, rows that do not split."""

from __future__ import annotations

from math import ceil
from typing import Callable

from renstra_gen.grid import BELOW, RIGHT, START, Cell, Grid, placements
from renstra_gen.render import metrics, oxml
from renstra_gen.render.fit import INDENT_STEP, fit

HEADER_FILL = "D9D9D9"
BORDER = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'


def table_xml(grid: Grid, width: int, math: Callable[[str, float], str]) -> str:
    """WordprocessingML for one table, `width` twips wide, its column widths and font size fitted
    to its content (render/fit.py). `math(latex, size)` renders a formula to OMML."""
    ncols = len(grid.columns)
    rows = grid.header + grid.body
    slots_by_row = placements(rows, ncols)
    fitted = fit(grid, width, slots_by_row=slots_by_row)
    cols, size, margin = fitted.cols, fitted.size, fitted.margin
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
    nhead = len(grid.header)
    heights = header_heights(slots_by_row[:nhead], cols, margin, size)
    for r, slots in enumerate(slots_by_row):
        header = r < nhead
        height = f'<w:trHeight w:val="{heights[r]}" w:hRule="atLeast"/>' if header and heights[r] else ""
        repeat = "<w:tblHeader/>" if header else ""
        out.append(f"<w:tr><w:trPr><w:cantSplit/>{height}{repeat}</w:trPr>")
        for col, cell, kind in slots:
            if kind == RIGHT:
                continue
            w = sum(cols[col:col + cell.colspan])
            span = f'<w:gridSpan w:val="{cell.colspan}"/>' if cell.colspan > 1 else ""
            shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{HEADER_FILL}"/>' if header else ""
            valign = '<w:vAlign w:val="center"/>' if header else ""
            if kind == BELOW:
                out.append(f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/>{span}<w:vMerge/>{shade}</w:tcPr><w:p/></w:tc>')
                continue
            merge = '<w:vMerge w:val="restart"/>' if cell.rowspan > 1 else ""
            out.append(f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/>{span}{merge}{shade}{valign}</w:tcPr>'
                       f"{cell_paragraphs(cell, size, math)}</w:tc>")
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


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


def cell_paragraphs(cell: Cell, size: float, math: Callable[[str], str]) -> str:
    left = cell.indent * INDENT_STEP if cell.indent else None
    if cell.math:
        return oxml.para(math(cell.math, size), style="IsiTabel", align="center")
    if cell.markdown:
        out = []
        for line in cell.text.splitlines() or [""]:
            stripped = line.strip()
            if stripped.startswith(("- ", "* ")):
                out.append(oxml.para(oxml.run("\u2022\t" + stripped[2:], size=size), style="IsiTabel",
                                     left=227, hanging=227))
            elif stripped:
                out.append(oxml.para(oxml.run(stripped, size=size), style="IsiTabel"))
        return "".join(out) or oxml.para("", style="IsiTabel")
    lines = cell.text.split("\n")
    return "".join(
        oxml.para(oxml.run(line, bold=cell.bold, italic=cell.italic, size=size) if line else "",
                  style="IsiTabel", align=cell.align, left=left)
        for line in lines
    )
