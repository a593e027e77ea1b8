"""Every table as a sheet of an .xlsx workbook: same headers and merges, real numbers, live formulas.

Styles come from the template by name (Judul, Kepala, Isi, Angka, Sumber). Formula cells also
carry their computed value, so a viewer that does not calculate still shows numbers; the workbook
asks for a full recalculation on load as well. A hidden sheet "renstra" records which sheet holds
which table and where its body starts, for `renstra import-xlsx`.

Every part of the package is written here, without openpyxl: what comes from the template is read
once (render/xlsx_styles.py), and each sheet goes into the zip as its rows are made
(docs/workbook-writer.md).
"""

from __future__ import annotations

import datetime as dt
import re
from json.encoder import encode_basestring as json_string  # as json.dumps(ensure_ascii=False) writes a str
from pathlib import Path
from typing import Iterator

from renstra_gen.narrative.document import plain_formula
from renstra_gen.grid import START, Cell, Formula, Grid, iter_placements
from renstra_gen.layout import page
from renstra_gen.render import metrics, oxml
from renstra_gen.render.fit import fit, placed
from renstra_gen.render.package import CONTENT_TYPES, zip_parts
from renstra_gen.render.table_cache import sheet_measures_kept
from renstra_gen.render.xlsx_cells import (INDEX_SHEET, LETTERED, LETTERS, cell_ref as _ref, column_letter,
                                           excel_number)
from renstra_gen.render.xlsx_form import SHARED_STRINGS, SML_NS, SST_TYPE, SharedStrings
from renstra_gen.render.xlsx_record import RECORD_SHEET, RecordStream, _dumps, record_cells
from renstra_gen.render.xlsx_styles import NO_STYLE, StyleBook, attr, template_base, text as _xml_text, workbook_rels

FONT_SIZE = 9  # points: the template's cell styles (Kepala, Isi, Angka)
LINE_HEIGHT = FONT_SIZE * 1.2  # points per line: Excel's and LibreOffice's single spacing of Arial, rounded up
ROW_PADDING = 2  # points above and below the lines of a row
DIGIT_PX = 7  # pixels: the width unit of Excel columns, a digit of the workbook's default font (Calibri 11)
COLUMN_PADDING_PX = 5  # pixels Excel adds to every column beyond its digits
CELL_INSET = 3  # points of a column's width that text never uses (the cell's left and right insets)
# Excel shows a column of width w as 7w + 5 pixels; LibreOffice as w digits of Carlito (about 3 %
# wider at these widths): lines are counted for Excel's narrower column, so that neither cuts text
LOCALE = "[$-421]"  # Indonesian: 2.519.295.635 and 15,37
PAPER = {"A4": 9, "F4": 14, "A3": 8}  # 14 = Folio 8.5 x 13 in, the nearest Excel paper to F4


def sheet_name(grid: Grid) -> str:
    return f"{grid.label} {grid.number}"[:31]


def number_format(cell: Cell) -> str:
    base = "#,##0" + ("." + "0" * cell.decimals if cell.decimals > 0 else "," * (-cell.decimals // 3))
    if cell.formula is not None:
        return f'{LOCALE}{base};-{base};"-"'
    return f"{LOCALE}{base}"


class _Sheet:
    """One table as one worksheet, written as XML chunks as its rows are made (`chunks`): the frame
    (column widths, pane, merges, page setup) and the cells, each formula with its computed value.

    Nothing holds all rows of a sheet: rows go to the package's compressor in batches. With a record
    (render/xlsx_record.py), each cell written is recorded as it is made."""

    BATCH = 512  # rows per chunk

    def __init__(self, title: str, grid: Grid, paper: str, styles: _Styles, strings: SharedStrings,
                 scope: str = "", record: RecordStream | None = None):
        self.scope = scope  # names the workbook, for the measures kept between builds (table_cache)
        self.title = title
        self.grid = grid
        self.paper = grid.paper or paper  # a table's own paper (its `kertas`), else the document's
        self._styles = styles  # the workbook's cell styles (shared by its sheets)
        self._text_cell = strings.cell  # the workbook's shared strings table (one for all its sheets)
        self._record = record
        self._points: list[float] | None = None  # column widths, measured once
        g = grid
        self.header_start = 3 + len(g.preamble) + (1 if g.preamble else 0)
        self.first_body_row = self.header_start + len(g.header)
        last = self.header_start + len(g.header) + len(g.body) - 1  # the last table row
        if g.source:
            self.last_row = last + 2
        elif g.header or g.body:
            self.last_row = last
        else:
            self.last_row = 2 + len(g.preamble) if g.preamble else 1
        self.rows_of: dict[tuple, int] = {}  # (file, row path, row) -> index in self.origins (the record)
        self.origins: list[tuple] = []
        self._last_origin: tuple | None = None
        self.col_style = 0  # the style id openpyxl wrote on every column: that of no style (render_xlsx)

    def print_titles(self) -> str:
        return f"{self.header_start}:{self.first_body_row - 1}"

    def dimension(self) -> str:
        return f"A1:{column_letter(len(self.grid.columns))}{self.last_row}"

    def chunks(self) -> Iterator[bytes]:
        g = self.grid
        ncols = len(g.columns)
        record = self._record
        measured = []

        def measure():
            all_slots = placed(g)  # as the legibility check and the document placed them
            measured.append(all_slots)
            points = self.column_points(all_slots)
            return points, _row_heights(all_slots, points, len(g.header))
        # unchanged cells are not measured again (a third of a large workbook's time)
        self._points, heights = sheet_measures_kept(g, page.text_width(self.paper, g.landscape), FONT_SIZE,
                                                    self.scope, measure)
        # the same slots, row by row when they were not needed whole (N = 20,000: 31 MB less in the child)
        all_slots = measured[0] if measured else _slots(g)
        header_end = self.first_body_row - 1
        col_style = f' style="{self.col_style}"' if self.col_style else ""
        cols = "".join(f'<col width="{w:.16g}" customWidth="1"{col_style} min="{i}" max="{i}"/>'
                       for i, w in enumerate(self.widths(), 1))
        yield (f'<worksheet xmlns="{SML_NS}"><sheetPr><outlinePr summaryBelow="1" summaryRight="1"/>'
               f'<pageSetUpPr fitToPage="1"/></sheetPr><dimension ref="{self.dimension()}"/><sheetViews>'
               f'<sheetView workbookViewId="0"><pane ySplit="{header_end}" topLeftCell="A{header_end + 1}" '
               f'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A1" sqref="A1"/>'
               f'</sheetView></sheetViews><sheetFormatPr baseColWidth="8" defaultRowHeight="15"/>'
               + (f"<cols>{cols}</cols>" if cols else "") + "<sheetData>").encode("utf-8")
        merges: set[tuple[int, int, int, int]] = set()  # iterated as openpyxl's set of CellRange (same hashes)
        rows = [self._row(1, [self._text_cell("A1", g.title, self._styles.named("Judul"))])]
        if ncols > 1:
            merges.add((1, 1, 1, ncols))
        if record is not None:
            record.begin_sheet(self.title, [("A1", "t", g.title, None)]
                               + [(_ref(3 + i, 0), "t", line, None) for i, line in enumerate(g.preamble)])
        for i, line in enumerate(g.preamble):
            rows.append(self._row(3 + i, [self._text_cell(_ref(3 + i, 0), line, 0)]))
        nhead = len(g.header)
        ids = self._styles.ids  # the fast path of the style lookup: nearly every cell's look is known
        make_style = self._styles.make
        text_cell = self._text_cell
        origin_of = self._origin
        recorded = None  # the row's cells for the record
        for r, slots in enumerate(all_slots):
            header = r < nhead
            excel_row = self.header_start + r
            row = str(excel_row)
            cells = []
            if record is not None:
                recorded = []
            for col, cell, kind in slots:
                ref = (LETTERS[col] if col < LETTERED else column_letter(col + 1)) + row
                value = cell.value
                formula = cell.formula
                numeric = not header and (value is not None or formula is not None)
                if kind != START:
                    key = (0, header, numeric)
                    style = ids.get(key)
                    if style is None:
                        style = make_style(key, cell, header, False)
                    cells.append(f'<c r="{ref}" s="{style}"/>')
                    continue
                key = (1, cell.indent) if header else \
                    (2, numeric, cell.decimals if numeric else None, formula is not None, cell.bold, cell.align,
                     cell.indent)
                style = ids.get(key)
                if style is None:
                    style = make_style(key, cell, header, True)
                if formula is not None:
                    f = self._formula(formula)
                    xml_f = f if formula.kind == "sum" else oxml.text(f)  # a sum holds only references
                    if value is None:
                        cells.append(f'<c r="{ref}" s="{style}" t="str"><f>{xml_f}</f><v></v></c>')
                    else:
                        cells.append(f'<c r="{ref}" s="{style}"><f>{xml_f}</f><v>{excel_number(value)}</v></c>')
                    written, shown = "f", "=" + f
                elif numeric:
                    shown = excel_number(value)
                    cells.append(f'<c r="{ref}" s="{style}"><v>{shown}</v></c>')
                    written = "n"
                elif cell.math:
                    shown = plain_formula(cell.math)
                    cells.append(text_cell(ref, shown, style))
                    written = "t"
                elif header or cell.text:  # "-" as the document prints it (import-xlsx reads it back as empty)
                    shown = cell.text
                    cells.append(text_cell(ref, shown, style))
                    written, shown = ("t", shown) if shown else ("e", None)
                else:
                    cells.append(f'<c r="{ref}" s="{style}"/>')
                    written, shown = "e", None
                if recorded is not None:  # [ref, kind, value, origin] as json.dumps writes it (tested)
                    origin = cell.origin
                    if origin is not None or written != "e":
                        if written == "n":
                            value_json = f'"{shown}"'  # digits, sign, point, exponent: nothing to escape
                        elif shown is None:
                            value_json = "null"
                        else:
                            value_json = json_string(shown)
                        recorded.append(f'["{ref}","{written}",{value_json},'
                                        f'{"null" if origin is None else origin_of(origin)}]')
                if cell.colspan > 1 or cell.rowspan > 1:
                    merges.add((excel_row, col + 1, excel_row + cell.rowspan - 1, col + cell.colspan))
            rows.append(self._row(excel_row, cells, heights[r]))
            if recorded:
                record.cells_json(recorded)
            if len(rows) >= self.BATCH:
                yield "".join(rows).encode("utf-8")
                rows = []
        if g.source:
            rows.append(self._row(self.last_row, [self._text_cell(_ref(self.last_row, 0), f"Sumber: {g.source}",
                                                                  self._styles.named("Sumber"))]))
        if record is not None:
            source = [(_ref(self.last_row, 0), "t", f"Sumber: {g.source}", None)] if g.source else []
            record.end_sheet(source, self.origins)
        merged = "".join(f'<mergeCell ref="{column_letter(c1)}{r1}:{column_letter(c2)}{r2}"/>'
                         for r1, c1, r2, c2 in merges)
        yield ("".join(rows) + "</sheetData>"
               + (f'<mergeCells count="{len(merges)}">{merged}</mergeCells>' if merges else "")
               + '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'
               + f'<pageSetup orientation="{"landscape" if g.landscape else "portrait"}" '
               f'paperSize="{PAPER[self.paper]}" fitToHeight="0" fitToWidth="1"/>' + _HEADER_FOOTER
               + "</worksheet>").encode("utf-8")

    def register_styles(self) -> None:
        """Ask for every style of the sheet, in the order `chunks` does (with the same keys), writing nothing."""
        g = self.grid
        self._styles.named("Judul")
        of = self._styles.of
        for r, slots in enumerate(_slots(g)):
            for _, cell, kind in slots:
                of(cell, r < len(g.header), kind == START)
        if g.source:
            self._styles.named("Sumber")

    @staticmethod
    def _row(excel_row: int, cells: list[str], height: float | None = None) -> str:
        attrs = f' ht="{height:g}" customHeight="1"' if height else ""
        return f'<row r="{excel_row}"{attrs}>{"".join(cells)}</row>'

    def _origin(self, o) -> str:
        """[row index, field path, kind] as JSON: the row's file and path are stored once per row (the record)."""
        path = o.path
        split = len(path) - (2 if isinstance(path[-1], int) else 1)
        prefix = path[:split]
        last = self._last_origin  # the cells of one content row come one after another
        if last is not None and last[1] == prefix and last[0] == o.file and last[2] == o.row:
            n = last[3]
        else:
            key = (o.file, prefix, o.row)
            n = self.rows_of.get(key)
            if n is None:
                n = self.rows_of[key] = len(self.origins)
                self.origins.append(key)
            self._last_origin = key + (n,)
        tail = (path[split:], o.kind)
        tail_json = _TAILS.get(tail)
        if tail_json is None:
            tail_json = _TAILS[tail] = "," + _dumps(tail)[1:]  # ',[field path],"kind"]'
        return f"[{n}{tail_json}"

    def _formula(self, f: Formula) -> str:
        base = self.first_body_row
        if f.kind == "sum":
            return f"SUM({','.join(_ranges(f.refs, base))})" if f.refs else "0"
        if f.kind == "ratio":
            (nr, nc), (dr, dc) = f.refs
            num, den = _ref(base + nr, nc), _ref(base + dr, dc)
            return f'IF(N({den})=0,"",N({num})/{den}*100)'
        raise ValueError(f.kind)

    def column_points(self, slots_by_row=None) -> list[float]:
        """Column widths in points: the table fitted (render/fit.py) at the workbook's font size to
        the page's text width, or wider where its longest numbers and words need it (the sheet
        prints fitted to the page width)."""
        if self._points is None:
            width = page.text_width(self.paper, self.grid.landscape)
            fitted = fit(self.grid, width, size=FONT_SIZE, fixed_size=True, slots_by_row=slots_by_row)
            self._points = [c / 20 for c in fitted.cols]
        return self._points

    def widths(self) -> list[float]:
        """Column widths in Excel units (digits of the default font, as Excel counts them)."""
        return [round(max(1.0, (w * 96 / 72 - COLUMN_PADDING_PX) / DIGIT_PX), 2) for w in self.column_points()]


_TAILS: dict[tuple, str] = {}  # the JSON of an origin's field path and kind, which few cells do not share

_HEADER_FOOTER = ("<headerFooter><oddHeader></oddHeader><oddFooter>&amp;CHalaman &amp;P dari &amp;N</oddFooter>"
                  "<evenHeader></evenHeader><evenFooter></evenFooter><firstHeader></firstHeader><firstFooter>"
                  "</firstFooter></headerFooter>")


class _Styles:
    """The workbook's cell style ids (StyleBook), by what decides a cell's look (`ids`, looked up by
    the sheets directly: a few distinct looks for hundreds of thousands of cells)."""

    def __init__(self, book: StyleBook):
        self.book = book
        self.ids: dict[tuple, int] = {}
        self._named: dict[str, int] = {}

    def named(self, name: str) -> int:
        n = self._named.get(name)
        if n is None:
            n = self._named[name] = self.book.named(name)
        return n

    def of(self, cell: Cell, header: bool, start: bool) -> int:
        """The id of a cell's look: what `_Sheet.chunks` does inline."""
        value, formula = cell.value, cell.formula
        numeric = not header and (value is not None or formula is not None)
        if not start:
            key = (0, header, numeric)
        elif header:
            key = (1, cell.indent)
        else:
            key = (2, numeric, cell.decimals if numeric else None, formula is not None, cell.bold, cell.align,
                   cell.indent)
        n = self.ids.get(key)
        return self.make(key, cell, header, start) if n is None else n

    def make(self, key: tuple, cell: Cell, header: bool, start: bool) -> int:
        """The id of a look not seen yet in this workbook, kept under `key`."""
        numeric = not header and (cell.value is not None or cell.formula is not None)
        fmt = number_format(cell) if numeric and start else None
        bold = bool(start and not header and cell.bold)
        align = cell.align if start and not header else ""
        indent = cell.indent if start else 0
        name = "Kepala" if header else ("Angka" if numeric else "Isi")
        n = self.ids[key] = self.book.cell(name, fmt, bold, align, indent)
        return n


def _slots(grid: Grid) -> Iterator[list[tuple[int, Cell, str]]]:
    """grid.placements of the header and body rows (the same slots), made one row at a time: none kept."""
    return iter_placements(grid.header + grid.body, len(grid.columns))


def _ranges(refs: list[tuple[int, int]], base: int) -> list[str]:
    """The cells of (row, column) `refs`, body rows counted from Excel row `base`, as references, with
    consecutive cells of one column (G5, G6, G7) collapsed into ranges (G5:G7)."""
    out = []
    start = prev = None
    for r, c in refs:
        if prev is not None and c == prev[1] and r == prev[0] + 1:
            prev = (r, c)
            continue
        if start is not None:
            out.append(_ref(base + start[0], start[1]) if start == prev
                       else f"{_ref(base + start[0], start[1])}:{_ref(base + prev[0], prev[1])}")
        start = prev = (r, c)
    if start is not None:
        out.append(_ref(base + start[0], start[1]) if start == prev
                   else f"{_ref(base + start[0], start[1])}:{_ref(base + prev[0], prev[1])}")
    return out


def _row_heights(rows: list[list[tuple[int, Cell, str]]], points: list[float], nhead: int) -> list[float | None]:
    """Each row tall enough for its wrapped text (spreadsheet viewers do not grow imported rows),
    measured in the printed font; None where one line is enough. A cell merged over several rows
    shares its lines among them. Header cells are bold (the Kepala style)."""

    need = [1.0] * len(rows)
    counted: dict[tuple[str, bool, int, int], int] = {}  # the same text in the same column: counted once
    for r, slots in enumerate(rows):
        for col, cell, kind in slots:
            if kind != START:
                continue
            text = cell.text.rstrip()  # a trailing line break shows no line
            if cell.math:
                text = plain_formula(cell.math)
            if not text:
                continue
            bold = cell.bold or r < nhead
            key = (text, bold, col, cell.colspan)
            lines = counted.get(key)
            if lines is None:
                room = (sum(points[col:col + cell.colspan]) - CELL_INSET) / FONT_SIZE
                lines = counted[key] = metrics.line_count(text, room, bold)
            lines /= cell.rowspan
            for i in range(r, min(r + cell.rowspan, len(rows))):
                need[i] = max(need[i], lines)
    return [min(MAX_ROW_HEIGHT, round(LINE_HEIGHT * n + ROW_PADDING, 1)) if n > 1 else None for n in need]


#: Excel's tallest row, in points (a taller ht makes Excel repair the file).
MAX_ROW_HEIGHT = 409


def render_xlsx(grids: list[tuple[str, Grid]], paper: str, template: Path, title: str = "",
                author: str = "", stamp: dt.datetime | None = None, record: dict | None = None) -> bytes:
    """grids: (table key, grid) in document order. Returns the workbook bytes (zip-normalised).

    `stamp` is the document date written as created/modified (so two builds are identical).
    `record`: the header of the hidden record for import-xlsx (render/xlsx_record.py), if wanted.

    Every part is written here (the template's styles, theme and settings come from its base,
    render/xlsx_styles.py); each sheet is compressed as its rows are made."""
    base = template_base(template)
    stamp = stamp or dt.datetime(2000, 1, 1)
    styles = _Styles(StyleBook(base))
    strings = SharedStrings()
    stream = RecordStream() if record is not None else None
    names: list[str] = []
    sheets = []
    for key, grid in grids:
        name = _sheet_title(names, sheet_name(grid))
        names.append(name)
        sheets.append((key, _Sheet(name, grid, paper, styles, strings, scope=f"{title}\0{author}", record=stream)))
    # openpyxl gave every column the style of no style, after every cell's: id 0 in our template (its
    # first cell format is that), a new last one in a template saved by LibreOffice
    col_style = styles.book.cells.ids.get(NO_STYLE)
    if col_style is None:
        for _, sheet in sheets:
            sheet.register_styles()
        col_style = styles.book.cells.add(NO_STYLE)
    for _, sheet in sheets:
        sheet.col_style = col_style
    hidden = [INDEX_SHEET] + ([RECORD_SHEET] if record is not None else [])
    for name in hidden:
        names.append(_sheet_title(names, name))
    index = [["sheet", "tabel", "baris_isi_pertama", "jumlah_baris_isi"]]
    index += [[sheet.title, key, sheet.first_body_row, len(sheet.grid.body)] for key, sheet in sheets]
    n = len(names)

    def record_sheet() -> bytes:
        refs = [[_ref(r, c), v] for r, row in enumerate(index, 1) for c, v in enumerate(row)]
        return _plain_sheet([[v] for v in record_cells(stream, refs, record)], strings)

    parts: list[tuple[str, object]] = [
        (CONTENT_TYPES, _content_types(base, n).encode("utf-8")),
        ("_rels/.rels", base["root_rels"].encode("utf-8")),
        ("docProps/app.xml", base["app"].encode("utf-8")),
        ("docProps/core.xml", _core(base, title, author, stamp).encode("utf-8")),
        *((name, text.encode("utf-8")) for name, text in base["static"].items()),
        ("xl/_rels/workbook.xml.rels", workbook_rels(n, shared_strings=True).encode("utf-8")),
        ("xl/workbook.xml", _workbook(base, names, [s.print_titles() for _, s in sheets], len(hidden)).encode("utf-8")),
        ("xl/theme/theme1.xml", base["theme"].encode("utf-8")),
    ]
    for i, (_, sheet) in enumerate(sheets, 1):
        parts.append((f"xl/worksheets/sheet{i}.xml", sheet.chunks()))
    # the hidden sheets after the tables: their strings come last in the shared strings, as before
    parts.append((f"xl/worksheets/sheet{len(sheets) + 1}.xml", _later(lambda: _plain_sheet(index, strings))))
    if stream is not None:
        parts.append((f"xl/worksheets/sheet{len(sheets) + 2}.xml", _later(record_sheet)))
    parts.append((SHARED_STRINGS, _later_chunks(strings.chunks)))
    parts.append(("xl/styles.xml", _later(styles.book.xml)))
    return zip_parts(parts, in_order=True, level=DEFLATE_LEVEL)



def _later(make):
    """A part made only when the package reaches it (after the sheets it depends on)."""
    yield make()


def _later_chunks(make):
    yield from make()


#: zlib's level for the workbook: 1 compresses a province's workbook in less than half the time of the
#: default 6, for about an eighth more bytes (N = 5,000: 0.14 -> 0.06 s, 1.63 -> 1.85 MB).
DEFLATE_LEVEL = 1

_INVALID_TITLE = re.compile(r"[\\*?:/\[\]]")


def _sheet_title(names: list[str], value: str) -> str:
    """A sheet's title as openpyxl gave it: refused with a forbidden character, a number appended
    when another sheet has it already (case-insensitive)."""
    if not value:
        raise ValueError("Title must have at least one character")
    m = _INVALID_TITLE.search(value)
    if m:
        raise ValueError(f"Invalid character {m.group(0)} found in sheet title")
    if any(n.lower() == value.lower() for n in names):
        counts = [int(idx) for _, idx in re.findall(f"(?P<title>{re.escape(value)})(?P<count>\\d*),?", ",".join(names),
                                                    flags=re.I) if idx.isdigit()]
        value = f"{value}{max(counts) + 1 if counts else 1}"
    return value


def _plain_sheet(rows: list[list], strings: SharedStrings) -> bytes:
    """A hidden sheet of plain values (the index, the record) as openpyxl wrote it, strings shared."""
    width = max((len(r) for r in rows), default=0)
    out = []
    for r, row in enumerate(rows, 1):
        cells = []
        for c, v in enumerate(row):
            if v is None:
                continue
            ref = _ref(r, c)
            if isinstance(v, str):
                cells.append(strings.cell(ref, v, 0))
            else:
                cells.append(f'<c r="{ref}" t="n"><v>{v}</v></c>')
        out.append(f'<row r="{r}">{"".join(cells)}</row>')
    dimension = f"A1:{column_letter(width)}{len(rows)}" if rows else "A1:A1"
    return (f'<worksheet xmlns="{SML_NS}"><sheetPr><outlinePr summaryBelow="1" summaryRight="1"/><pageSetUpPr/>'
            f'</sheetPr><dimension ref="{dimension}"/><sheetViews><sheetView workbookViewId="0"><selection '
            f'activeCell="A1" sqref="A1"/></sheetView></sheetViews><sheetFormatPr baseColWidth="8" defaultRowHeight="15"/>'
            f'<sheetData>{"".join(out)}</sheetData><pageMargins left="0.75" right="0.75" top="1" bottom="1" '
            f'header="0.5" footer="0.5"/></worksheet>').encode("utf-8")


def _content_types(base: dict, sheets: int) -> str:
    head, override, tail = base["content_types"]
    return (head + "".join(override.replace("sheet1.xml", f"sheet{i}.xml") for i in range(1, sheets + 1)) + tail
            + f'<Override PartName="/{SHARED_STRINGS}" ContentType="{SST_TYPE.decode()}"/></Types>')


def _core(base: dict, title: str, author: str, stamp: dt.datetime) -> str:
    from renstra_gen.render.xlsx_styles import CREATOR, MODIFIER, STAMP, TITLE

    when = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    core = _MODIFIED.sub(r"\g<1>" + when + r"\g<2>", base["core"])
    return (core.replace(STAMP, when).replace(f">{TITLE}<", f">{_xml_text(title)}<")
            .replace(f">{CREATOR}<", f">{_xml_text(author)}<").replace(f">{MODIFIER}<", f">{_xml_text(author)}<"))


_MODIFIED = re.compile(r"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _workbook(base: dict, names: list[str], titles: list[str], hidden: int) -> str:
    head, global_names, tail = base["workbook"]
    visible = max(len(names) - hidden, 1)  # without a table, the index shows (a workbook shows a sheet)
    sheets = "".join(f'<sheet xmlns:r="{_REL}" name="{attr(name)}" sheetId="{i}" '
                     f'state="{"visible" if i <= visible else "hidden"}" r:id="rId{i}"/>'
                     for i, name in enumerate(names, 1))
    defined = "".join(
        f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">'
        f"{_xml_text(_quoted(names[i]))}!${rows.split(':')[0]}:${rows.split(':')[1]}</definedName>"
        for i, rows in enumerate(titles))
    names_xml = f"<definedNames>{global_names}{defined}</definedNames>" if global_names or defined else ""
    return f"{head}<sheets>{sheets}</sheets>{names_xml}{tail}"


def _quoted(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"
