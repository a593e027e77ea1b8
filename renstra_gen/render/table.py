"""A Grid as a Word table: fixed column widths, merges, repeated header rows, rows that do not split."""

from __future__ import annotations

from math import ceil
from typing import Callable

from renstra_gen.grid import BELOW, RIGHT, START, Cell, Grid, placements
from renstra_gen.render import oxml

HEADER_FILL = "D9D9D9"
INDENT_STEP = 113  # twips per tree level (0.2 cm)
BORDER = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'


def table_xml(grid: Grid, width: int, math: Callable[[str], str]) -> str:
    """WordprocessingML for one table, `width` twips wide. `math` renders a formula to OMML."""
    ncols = len(grid.columns)
    total = sum(grid.columns)
    cols = [int(width * w / total) for w in grid.columns]
    cols[-1] += width - sum(cols)
    borders = "".join(BORDER.format(b) for b in ("top", "left", "bottom", "right", "insideH", "insideV"))
    margin = 57 if grid.font_size >= 8 else 28  # 1 mm, or 0.5 mm in the dense matrices
    out = [
        f'<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="{width}" w:type="dxa"/>'
        f'<w:jc w:val="center"/><w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar><w:left w:w="{margin}" w:type="dxa"/><w:right w:w="{margin}" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'
        "</w:tblPr><w:tblGrid>",
        "".join(f'<w:gridCol w:w="{c}"/>' for c in cols),
        "</w:tblGrid>",
    ]
    rows = grid.header + grid.body
    nhead = len(grid.header)
    slots_by_row = placements(rows, ncols)
    heights = header_heights(slots_by_row[:nhead], cols, margin, grid.font_size)
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
                       f"{cell_paragraphs(cell, grid.font_size, math)}</w:tc>")
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
            room = (sum(cols[col:col + cell.colspan]) - 2 * margin) / (size * 20)  # in ems
            share = _lines(cell.text, room) * line / span
            for i in range(r, r + span):
                need[i] = max(need[i], share)
    return [ceil(h) if h > line + 1 else 0 for h in need]


# approximate advance widths of bold Arial, in ems (a little generous, so that text never clips)
_NARROW, _SEMI, _WIDE = set("ijlI.,:;!|'` "), set("ftr()[]-/"), set("mwMW")


def _em(text: str) -> float:
    return sum(0.3 if c in _NARROW else 0.37 if c in _SEMI else 0.92 if c in _WIDE
               else 0.74 if c.isupper() else 0.6 for c in text)


def _lines(text: str, room: float) -> int:
    """Lines a text wraps to in a cell `room` ems wide (a word wider than a line is broken)."""
    total = 0
    space = _em(" ")
    for part in text.split("\n"):
        lines, used = 1, 0.0
        for word in part.split():
            width = _em(word)
            if used and used + space + width > room:
                lines, used = lines + 1, 0.0
            elif used:
                used += space
            while width > room:  # only at the start of a line: a word wider than a line is broken
                lines, width = lines + 1, width - room
            used += width
        total += lines
    return total


def cell_paragraphs(cell: Cell, size: float, math: Callable[[str], str]) -> str:
    left = cell.indent * INDENT_STEP if cell.indent else None
    if cell.math:
        return oxml.para(math(cell.math), style="IsiTabel", align="center")
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
