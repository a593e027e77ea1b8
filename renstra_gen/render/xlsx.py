"""Every table as a sheet of an .xlsx workbook: same headers and merges, real numbers, live formulas.

Styles come from the template by name (Judul, Kepala, Isi, Angka, Sumber). Formula cells also
carry their computed value, so a viewer that does not calculate still shows numbers; the workbook
asks for a full recalculation on load as well. A hidden sheet "renstra" records which sheet holds
which table and where its body starts, for `renstra import-xlsx`.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from copy import copy
from decimal import Decimal
from pathlib import Path

from lxml import etree
from openpyxl import load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.merge import MergedCellRange

from renstra_gen.grid import START, Cell, Formula, Grid, placements

INDEX_SHEET = "renstra"
CHARS_PER_UNIT = 1.1  # characters of 9 pt Arial per Excel width unit (a little under, so text fits)
LINE_HEIGHT = 11.5  # points per wrapped line at 9 pt
LOCALE = "[$-421]"  # Indonesian: 2.519.295.635 and 15,37
PAPER = {"A4": 9, "F4": 14}  # 14 = Folio 8.5 x 13 in, the nearest Excel paper to F4
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def sheet_name(grid: Grid) -> str:
    return f"{grid.label} {grid.number}"[:31]


def number_format(cell: Cell) -> str:
    base = "#,##0" + ("." + "0" * cell.decimals if cell.decimals else "")
    if cell.formula is not None:
        return f'{LOCALE}{base};-{base};"-"'
    return f"{LOCALE}{base}"


def _excel_number(v: Decimal) -> int | float:
    return int(v) if v == v.to_integral_value() else float(v)


class _Sheet:
    def __init__(self, ws, grid: Grid, paper: str):
        self.ws = ws
        self.grid = grid
        self.paper = paper
        self.cached: dict[str, object] = {}
        self.first_body_row = 0

    def fill(self) -> None:
        ws, g = self.ws, self.grid
        ncols = len(g.columns)
        ws.cell(row=1, column=1, value=g.title).style = "Judul"
        if ncols > 1:
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
        row = 3
        for line in g.preamble:
            ws.cell(row=row, column=1, value=line)
            row += 1
        if g.preamble:
            row += 1
        header_start = row
        rows = g.header + g.body
        self.first_body_row = header_start + len(g.header)
        styles: dict[tuple, object] = {}  # finished cell styles, reused: named-style lookup per cell is slow
        widths = self.widths()
        for r, slots in enumerate(placements(rows, ncols)):
            header = r < len(g.header)
            excel_row = header_start + r
            self._row_height(excel_row, slots, widths)
            for col, cell, kind in slots:
                target = ws.cell(row=excel_row, column=col + 1)
                if kind == START:
                    self._write(target, cell, header)
                    if cell.colspan > 1 or cell.rowspan > 1:
                        # recorded directly: openpyxl's merge_cells re-borders every covered cell
                        ws.merged_cells.add(MergedCellRange(ws, CellRange(
                            min_col=col + 1, min_row=excel_row,
                            max_col=col + cell.colspan, max_row=excel_row + cell.rowspan - 1).coord))
                self._style(target, cell, header, kind == START, styles)
        last = header_start + len(rows) - 1
        if g.source:
            ws.cell(row=last + 2, column=1, value=f"Sumber: {g.source}").style = "Sumber"
        self._layout(header_start, self.first_body_row - 1)

    def _write(self, target, cell: Cell, header: bool) -> None:
        if cell.formula is not None:
            target.value = "=" + self._formula(cell.formula)
            self.cached[target.coordinate] = cell.value
        elif cell.value is not None and not header:
            target.value = _excel_number(cell.value)
        elif cell.math:
            from renstra_gen.render.math import plain
            target.value = plain(cell.math)
        else:
            # an empty number ("-" in the document) stays an empty cell, ready to be typed into
            target.value = cell.text if header or cell.text not in ("", "-") else None

    @staticmethod
    def _style(target, cell: Cell, header: bool, start: bool, cache: dict) -> None:
        numeric = not header and (cell.value is not None or cell.formula is not None)
        fmt = number_format(cell) if numeric and start else None
        key = (header, numeric, fmt, start and not header and cell.bold, cell.align if start and not header else "",
               cell.indent if start else 0)
        if key in cache:
            target._style = copy(cache[key])
            return
        target.style = "Kepala" if header else ("Angka" if numeric else "Isi")
        if fmt:
            target.number_format = fmt
        if start and not header:
            if cell.bold:
                f = target.font
                target.font = Font(name=f.name, size=f.size, bold=True, italic=f.italic, color=f.color)
            if cell.align in ("center", "right") or cell.indent:
                a = target.alignment
                target.alignment = Alignment(horizontal=cell.align if cell.align != "left" else a.horizontal,
                                             vertical=a.vertical, wrap_text=a.wrap_text, indent=cell.indent)
        cache[key] = copy(target._style)

    def _ref(self, body_row: int, col: int) -> str:
        return f"{get_column_letter(col + 1)}{self.first_body_row + body_row}"

    def _formula(self, f: Formula) -> str:
        refs = [self._ref(r, c) for r, c in f.refs]
        if f.kind == "sum":
            return f"SUM({','.join(_ranges(refs))})" if refs else "0"
        if f.kind == "ratio":
            num, den = refs
            return f'IF(N({den})=0,"",N({num})/{den}*100)'
        raise ValueError(f.kind)

    def widths(self) -> list[float]:
        """Column widths in Excel units, proportional to the grid's."""
        total = sum(self.grid.columns)
        chars = 200 if self.grid.landscape else 110
        return [max(6.0, round(chars * w / total, 1)) for w in self.grid.columns]  # 6: room for "1.266"

    def _row_height(self, excel_row: int, slots, widths: list[float]) -> None:
        """A row tall enough for its wrapped text: spreadsheet viewers do not grow imported rows."""
        lines = 1
        for col, cell, kind in slots:
            if kind != START or cell.rowspan > 1 or not cell.text:
                continue
            room = sum(widths[col:col + cell.colspan]) * CHARS_PER_UNIT
            lines = max(lines, sum(max(1, math.ceil(len(part) / room)) for part in cell.text.split("\n")))
        if lines > 1:
            self.ws.row_dimensions[excel_row].height = LINE_HEIGHT * lines + 2

    def _layout(self, header_start: int, header_end: int) -> None:
        ws, g = self.ws, self.grid
        for i, w in enumerate(self.widths(), 1):
            ws.column_dimensions[get_column_letter(i)].width = w
        ps = ws.page_setup
        ps.orientation = "landscape" if g.landscape else "portrait"
        ps.paperSize = PAPER[self.paper]
        ps.fitToWidth = 1
        ps.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = f"{header_start}:{header_end}"
        ws.oddFooter.center.text = "Halaman &P dari &N"
        ws.freeze_panes = ws.cell(row=header_end + 1, column=1).coordinate


def _ranges(refs: list[str]) -> list[str]:
    """Collapse consecutive cells of one column (G5, G6, G7) into ranges (G5:G7)."""
    out, run = [], []

    def split(ref):
        col = ref.rstrip("0123456789")
        return col, int(ref[len(col):])

    for ref in refs:
        if run and split(ref)[0] == split(run[-1])[0] and split(ref)[1] == split(run[-1])[1] + 1:
            run.append(ref)
            continue
        if run:
            out.append(run[0] if len(run) == 1 else f"{run[0]}:{run[-1]}")
        run = [ref]
    if run:
        out.append(run[0] if len(run) == 1 else f"{run[0]}:{run[-1]}")
    return out


def render_xlsx(grids: list[tuple[str, Grid]], paper: str, template: Path, title: str = "",
                author: str = "", stamp: dt.datetime | None = None) -> bytes:
    """grids: (table key, grid) in document order. Returns the workbook bytes (not zip-normalised).

    `stamp` is the document date written as created/modified (so two builds are identical)."""
    wb = load_workbook(template)
    stamp = stamp or dt.datetime(2000, 1, 1)
    wb.properties.created = wb.properties.modified = stamp
    wb.properties.title, wb.properties.creator, wb.properties.lastModifiedBy = title, author, author
    for name in list(wb.sheetnames):
        wb.remove(wb[name])
    sheets = []
    for key, grid in grids:
        ws = wb.create_sheet(sheet_name(grid))
        sheet = _Sheet(ws, grid, paper)
        sheet.fill()
        sheets.append((key, sheet))
    index = wb.create_sheet(INDEX_SHEET)
    index.append(["sheet", "tabel", "baris_isi_pertama", "jumlah_baris_isi"])
    for key, sheet in sheets:
        index.append([sheet.ws.title, key, sheet.first_body_row, len(sheet.grid.body)])
    index.sheet_state = "hidden"
    wb.calculation.fullCalcOnLoad = True
    out = io.BytesIO()
    wb.save(out)
    return _with_cached_values(out.getvalue(), [s.cached for _, s in sheets], stamp)


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _with_cached_values(data: bytes, cached: list[dict[str, object]], stamp: dt.datetime) -> bytes:
    """openpyxl writes formulas without results; add each formula cell's computed value.

    It also stamps `modified` with the time of saving; put the document's date back."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                blob = _MODIFIED.sub(rb"\g<1>" + stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + rb"\g<2>", blob)
            if info.filename.startswith("xl/worksheets/sheet") and info.filename.endswith(".xml"):
                n = int(info.filename[len("xl/worksheets/sheet"):-4]) - 1
                if n < len(cached) and cached[n]:
                    blob = _patch_sheet(blob, cached[n])
            dst.writestr(info, blob)
    return out.getvalue()


def _patch_sheet(blob: bytes, values: dict[str, object]) -> bytes:
    root = etree.fromstring(blob)
    for c in root.iter(f"{{{MAIN_NS}}}c"):
        ref = c.get("r")
        if ref not in values or c.find(f"{{{MAIN_NS}}}f") is None:
            continue
        v = c.find(f"{{{MAIN_NS}}}v")
        if v is None:
            v = etree.SubElement(c, f"{{{MAIN_NS}}}v")
        value = values[ref]
        if value is None:
            c.set("t", "str")
            v.text = ""
        else:
            c.attrib.pop("t", None)
            v.text = str(_excel_number(value) if isinstance(value, Decimal) else value)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
