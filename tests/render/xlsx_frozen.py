"""A frozen copy of the workbook writer as main wrote it at 6621dbc (openpyxl frame, openpyxl styles,
whole sheets in memory), kept only to prove that the streamed writer (render/xlsx.py) writes every
part byte for byte as before (tests/render/test_xlsx_parts.py). Do not change it: it is the reference."""

# The original module docstring:
# Every table as a sheet of an .xlsx workbook: same headers and merges, real numbers, live formulas.
#
# Styles come from the template by name (Judul, Kepala, Isi, Angka, Sumber). Formula cells also
# carry their computed value, so a viewer that does not calculate still shows numbers; the workbook
# asks for a full recalculation on load as well. A hidden sheet "renstra" records which sheet holds
# which table and where its body starts, for `renstra import-xlsx`.

from __future__ import annotations

import datetime as dt
import html
import io
import re
import zipfile
from pathlib import Path

import base64
import hashlib
import hmac
import json
import zlib
from decimal import Decimal

from openpyxl.utils import get_column_letter as _gcl
from openpyxl import load_workbook
from openpyxl.cell import Cell as OpenpyxlCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.writer.excel import ExcelWriter

from renstra_gen.narrative.document import plain_formula
from renstra_gen.grid import START, Cell, Formula, Grid
from renstra_gen.layout import page
from renstra_gen.render import metrics, oxml
from renstra_gen.render.fit import fit, placed
from renstra_gen.render.package import CONTENT_TYPES, read_parts, zip_parts
from renstra_gen.render.table_cache import sheet_measures_kept

RECORD_SHEET = "renstra-asal"
CHUNK = 30000
VERSION = 2
INDEX_SHEET = "renstra"


def _excel_number(v: Decimal) -> str:
    """A cell value as written in <v>: an integer, or 16 significant digits as openpyxl writes floats."""
    return str(int(v)) if v == v.to_integral_value() else "%.16g" % float(v)


def _ref(excel_row: int, col: int) -> str:
    """The A1 reference of a 1-based row and a 0-based column."""
    return f"{_gcl(col + 1)}{excel_row}"


cell_ref = _ref
excel_number = _excel_number


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
EMPTY_SHEET_DATA = b"<sheetData></sheetData>"  # a sheet without cells, as openpyxl writes it


def sheet_name(grid: Grid) -> str:
    return f"{grid.label} {grid.number}"[:31]


def number_format(cell: Cell) -> str:
    base = "#,##0" + ("." + "0" * cell.decimals if cell.decimals > 0 else "," * (-cell.decimals // 3))
    if cell.formula is not None:
        return f'{LOCALE}{base};-{base};"-"'
    return f"{LOCALE}{base}"


class _Sheet:
    """One table as one worksheet.

    openpyxl writes the sheet's frame (column widths, merges, page setup, print titles, panes) and
    the styles; the cells themselves are written here as <sheetData> XML, each formula with its
    computed value. An openpyxl cell object per cell cost seconds at province scale."""

    def __init__(self, ws, grid: Grid, paper: str, styles: dict[tuple, int], strings: SharedStrings,
                 scope: str = ""):
        self.scope = scope  # names the workbook, for the measures kept between builds (table_cache)
        self.ws = ws
        self.grid = grid
        self.paper = grid.paper or paper  # a table's own paper (its `kertas`), else the document's
        self.first_body_row = 0
        self.rows: list[str] = []  # <row> elements, in order
        self.last_row = 1
        self._styles = styles  # the workbook's cell style ids, by what decides them (shared by its sheets)
        self._text_cell = strings.cell  # the workbook's shared strings table (one for all its sheets)
        self._points: list[float] | None = None  # column widths, measured once

    def fill(self) -> None:
        g = self.grid
        ncols = len(g.columns)
        self._row(1, [self._text_cell(_ref(1, 0), g.title, self._named("Judul"))])
        if ncols > 1:
            self._merge(1, 0, 1, ncols)
        row = 3
        for line in g.preamble:
            self._row(row, [self._text_cell(_ref(row, 0), line, 0)])
            row += 1
        if g.preamble:
            row += 1
        header_start = row
        rows = g.header + g.body
        self.first_body_row = header_start + len(g.header)
        all_slots = placed(g)  # as the legibility check and the document placed them

        def measure():
            points = self.column_points(all_slots)
            return points, _row_heights(all_slots, points, len(g.header))
        # unchanged cells are not measured again (a third of a large workbook's time)
        self._points, heights = sheet_measures_kept(g, page.text_width(self.paper, g.landscape), FONT_SIZE,
                                                    self.scope, measure)
        for r, slots in enumerate(all_slots):
            header = r < len(g.header)
            excel_row = header_start + r
            cells = []
            for col, cell, kind in slots:
                style = self._style(cell, header, kind == START)
                if kind != START:
                    cells.append(f'<c r="{_ref(excel_row, col)}" s="{style}"/>')
                    continue
                cells.append(self._cell(excel_row, col, cell, header, style))
                if cell.colspan > 1 or cell.rowspan > 1:
                    self._merge(excel_row, col, cell.rowspan, cell.colspan)
            self._row(excel_row, cells, heights[r])
        last = header_start + len(rows) - 1
        if g.source:
            self._row(last + 2, [self._text_cell(_ref(last + 2, 0), f"Sumber: {g.source}", self._named("Sumber"))])
        self._layout(header_start, self.first_body_row - 1)

    def sheet_data(self) -> bytes:
        return ("<sheetData>" + "".join(self.rows) + "</sheetData>").encode("utf-8")

    def dimension(self) -> str:
        return f"A1:{get_column_letter(len(self.grid.columns))}{self.last_row}"

    def _row(self, excel_row: int, cells: list[str], height: float | None = None) -> None:
        attrs = f' ht="{height:g}" customHeight="1"' if height else ""
        self.rows.append(f'<row r="{excel_row}"{attrs}>{"".join(cells)}</row>')
        self.last_row = excel_row

    def _merge(self, row: int, col: int, rowspan: int, colspan: int) -> None:
        # a plain range: openpyxl's merge_cells (and MergedCellRange) create cell objects
        self.ws.merged_cells.add(CellRange(min_col=col + 1, min_row=row, max_col=col + colspan,
                                           max_row=row + rowspan - 1))

    def _cell(self, excel_row: int, col: int, cell: Cell, header: bool, style: int) -> str:
        ref = _ref(excel_row, col)
        if cell.formula is not None:
            formula = oxml.text(self._formula(cell.formula))
            if cell.value is None:
                return f'<c r="{ref}" s="{style}" t="str"><f>{formula}</f><v></v></c>'
            return f'<c r="{ref}" s="{style}"><f>{formula}</f><v>{_excel_number(cell.value)}</v></c>'
        if cell.value is not None and not header:
            return f'<c r="{ref}" s="{style}"><v>{_excel_number(cell.value)}</v></c>'
        if cell.math:
            return self._text_cell(ref, plain_formula(cell.math), style)
        # "-" as the document prints it (import-xlsx reads it back as empty)
        if header or cell.text:
            return self._text_cell(ref, cell.text, style)
        return f'<c r="{ref}" s="{style}"/>'

    def _named(self, name: str) -> int:
        return self._style_of((name,), lambda c: setattr(c, "style", name))

    def _style(self, cell: Cell, header: bool, start: bool) -> int:
        numeric = not header and (cell.value is not None or cell.formula is not None)
        fmt = number_format(cell) if numeric and start else None
        bold = start and not header and cell.bold
        align = cell.align if start and not header else ""
        indent = cell.indent if start else 0
        key = (header, numeric, fmt, bold, align, indent)
        if key in self._styles:  # nearly every cell: no function made for it
            return self._styles[key]

        def make(target) -> None:
            target.style = "Kepala" if header else ("Angka" if numeric else "Isi")
            if fmt:
                target.number_format = fmt
            if bold:
                f = target.font
                target.font = Font(name=f.name, size=f.size, bold=True, italic=f.italic, color=f.color)
            if align in ("center", "right") or indent:
                a = target.alignment
                target.alignment = Alignment(horizontal=align if align != "left" else a.horizontal,
                                             vertical=a.vertical, wrap_text=a.wrap_text, indent=indent)

        return self._style_of(key, make)

    def _style_of(self, key: tuple, make) -> int:
        """The workbook's style id for a style made on a scratch cell, once per distinct key."""
        if key not in self._styles:
            scratch = OpenpyxlCell(self.ws)  # not part of the sheet
            make(scratch)
            self._styles[key] = scratch.style_id
        return self._styles[key]

    def _formula(self, f: Formula) -> str:
        refs = [_ref(self.first_body_row + r, c) for r, c in f.refs]
        if f.kind == "sum":
            return f"SUM({','.join(_ranges(refs))})" if refs else "0"
        if f.kind == "ratio":
            num, den = refs
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
        ws.freeze_panes = _ref(header_end + 1, 0)


class SharedStrings:
    """The workbook's shared strings table (xl/sharedStrings.xml): each distinct text once, cells
    refer to it by index (<c t="s"><v>3</v></c>).

    Inline strings (<c t="inlineStr">, all openpyxl writes) are valid, but Excel moves every one of
    them into this table on the next save, rewriting the file; shared strings are Excel's own form."""

    def __init__(self):
        self.index: dict[str, int] = {}
        self.refs = 0  # cells referring to the table

    def cell(self, ref: str, text: str, style: int) -> str:
        style_attr = f' s="{style}"' if style else ""
        return f'<c r="{ref}"{style_attr} t="s"><v>{self._id(text)}</v></c>'

    def _id(self, text: str) -> int:
        self.refs += 1
        n = self.index.get(text)
        if n is None:
            n = self.index[text] = len(self.index)
        return n

    def share_inline(self, sheet_xml: bytes) -> bytes:
        """A worksheet as openpyxl wrote it, its inline strings moved into this table."""
        if b'"inlineStr"' not in sheet_xml:
            return sheet_xml
        shared = _INLINE.sub(lambda m: m[1] + b' t="s"' + m[2] + b"><v>%d</v></c>" % self._id(_unescape(m[3])),
                             sheet_xml)
        if b'"inlineStr"' in shared:
            raise RuntimeError("openpyxl wrote an inline string of a form not known here; it would stay inline")
        return shared

    def xml(self) -> bytes:
        items = "".join(f'<si><t{_SPACE if t != t.strip() else ""}>{oxml.text(t)}</t></si>' for t in self.index)
        return (f'<sst xmlns="{SML_NS}" count="{self.refs}" uniqueCount="{len(self.index)}">{items}</sst>'
                .encode("utf-8"))


SML_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_SPACE = ' xml:space="preserve"'
# an inline-string cell as openpyxl writes it: attributes around t="inlineStr", one plain <t>
_INLINE = re.compile(rb'(<c\b[^>]*?) t="inlineStr"([^>]*)><is><t(?: xml:space="preserve")?>([^<]*)</t></is></c>')


def _unescape(b: bytes) -> str:
    return html.unescape(b.decode("utf-8"))


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
                author: str = "", stamp: dt.datetime | None = None, record: dict | None = None) -> bytes:
    """grids: (table key, grid) in document order. Returns the workbook bytes (zip-normalised).

    `stamp` is the document date written as created/modified (so two builds are identical).
    `record`: the header of the hidden record for import-xlsx (render/xlsx_record.py), if wanted."""
    wb = load_workbook(template)
    stamp = stamp or dt.datetime(2000, 1, 1)
    wb.properties.created = wb.properties.modified = stamp
    wb.properties.title, wb.properties.creator, wb.properties.lastModifiedBy = title, author, author
    for name in list(wb.sheetnames):
        wb.remove(wb[name])
    sheets = []
    styles: dict[tuple, int] = {}
    strings = SharedStrings()
    writer = _Sheet
    if record is not None:
        stream = RecordStream()
        writer = recording(_Sheet, stream)
    for key, grid in grids:
        ws = wb.create_sheet(sheet_name(grid))
        sheet = writer(ws, grid, paper, styles, strings, scope=f"{title}\0{author}")
        sheet.fill()
        sheets.append((key, sheet))
    index = wb.create_sheet(INDEX_SHEET)
    index.append(["sheet", "tabel", "baris_isi_pertama", "jumlah_baris_isi"])
    for key, sheet in sheets:
        index.append([sheet.ws.title, key, sheet.first_body_row, len(sheet.grid.body)])
    index.sheet_state = "hidden"
    if record is not None:
        add_record(wb, stream, record)
    wb.calculation.fullCalcOnLoad = True
    return zip_parts(excel_form(_with_cells(_workbook_parts(wb), [s for _, s in sheets], stamp), strings).items())


def _workbook_parts(wb) -> dict[str, bytes]:
    """What `Workbook.save` writes, uncompressed (the package is compressed once, by zip_parts)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        ExcelWriter(wb, archive).save()
    return read_parts(out.getvalue())


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def _is_worksheet(name: str) -> bool:
    return name.startswith("xl/worksheets/sheet") and name.endswith(".xml")


# the order of a font's children in Excel's files and in the Open XML SDK's schema (ECMA-376's
# CT_Font is a choice in any order; Excel writes, and the SDK's validator expects, this sequence)
FONT_ORDER = ("b", "i", "strike", "condense", "extend", "outline", "shadow", "u", "vertAlign", "sz", "color",
              "name", "family", "charset", "scheme")


def _font_order(styles_xml: bytes) -> bytes:
    from lxml import etree

    root = etree.fromstring(styles_xml)
    rank = {f"{{{SML_NS}}}{tag}": i for i, tag in enumerate(FONT_ORDER)}
    for font in root.iter(f"{{{SML_NS}}}font"):
        children = list(font)
        ordered = sorted(children, key=lambda el: rank.get(el.tag, len(rank)))
        if ordered != children:
            font[:] = ordered
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def excel_form(parts: dict[str, bytes], strings: SharedStrings | None = None) -> dict[str, bytes]:
    """A package openpyxl wrote, in the form Excel itself writes (it opens without repair or rewrite):
    every worksheet's inline strings in the shared strings table (after those already in `strings`),
    font children in Excel's order."""
    strings = strings or SharedStrings()
    if SHARED_STRINGS in parts:
        raise RuntimeError("openpyxl wrote a shared strings table; the cells referring to it would be wrong")
    out = {}
    for name, blob in parts.items():
        if _is_worksheet(name):
            blob = strings.share_inline(blob)
        elif name == "xl/styles.xml":
            blob = _font_order(blob)
        out[name] = blob
    if strings.index:
        out[SHARED_STRINGS] = strings.xml()
        out[CONTENT_TYPES] = out[CONTENT_TYPES].replace(
            b"</Types>", b'<Override PartName="/%s" ContentType="%s"/></Types>' % (SHARED_STRINGS.encode(), _SST_TYPE))
        rels = out[WORKBOOK_RELS]
        rid = 1 + max((int(n) for n in re.findall(rb'Id="rId(\d+)"', rels)), default=0)
        out[WORKBOOK_RELS] = rels.replace(
            b"</Relationships>",
            b'<Relationship Type="%s" Target="sharedStrings.xml" Id="rId%d"/></Relationships>' % (_SST_REL, rid))
    return out


SHARED_STRINGS = "xl/sharedStrings.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
_SST_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_SST_REL = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def _with_cells(parts: dict[str, bytes], sheets: list[_Sheet], stamp: dt.datetime) -> dict[str, bytes]:
    """Each table's cells into its (empty) sheet as openpyxl wrote it.

    openpyxl also stamps `modified` with the time of saving; put the document's date back."""
    out = {}
    for name, blob in parts.items():
        if name == "docProps/core.xml":
            blob = _MODIFIED.sub(rb"\g<1>" + stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + rb"\g<2>", blob)
        if _is_worksheet(name):
            n = int(name[len("xl/worksheets/sheet"):-4]) - 1
            if n < len(sheets):
                blob = _insert_cells(blob, sheets[n])
        out[name] = blob
    return out


def _insert_cells(blob: bytes, sheet: _Sheet) -> bytes:
    if EMPTY_SHEET_DATA not in blob:
        raise RuntimeError("openpyxl wrote cells into a table sheet; they would be lost")
    blob = blob.replace(EMPTY_SHEET_DATA, sheet.sheet_data(), 1)
    return re.sub(rb'<dimension ref="[^"]*"/>', f'<dimension ref="{sheet.dimension()}"/>'.encode(), blob, count=1)


def key_id(key: bytes) -> str:
    """A public name of the key (who holds which content set), not the key."""
    return hashlib.sha256(b"renstra-kunci-id\0" + key).hexdigest()[:16]


def _mac(key: bytes, header: dict) -> str:
    """The header's HMAC; the header holds the SHA-256 of the compressed payload ("isi"), so it covers both."""
    head = json.dumps({k: v for k, v in header.items() if k != "mac"}, sort_keys=True, ensure_ascii=False,
                      separators=(",", ":"))
    return hmac.new(key, b"renstra-asal\0" + head.encode("utf-8"), hashlib.sha256).hexdigest()


def written(cell: Cell, header: bool, formula: str | None = None) -> tuple[str, object]:
    """(kind, value) of a cell as `render.xlsx` writes it and openpyxl reads it back.

    kind: "f" formula (value "=..."), "n" number (value as written), "t" text, "e" empty."""
    if cell.formula is not None:
        return "f", f"={formula}"
    if cell.value is not None and not header:
        return "n", excel_number(cell.value)
    if cell.math:
        return "t", plain_formula(cell.math)
    if cell.text:  # "-" too: the document's empty number, written as the document prints it
        return "t", cell.text
    return "e", None


_FORMULA = re.compile(r"<f(?: [^>]*)?>(.*?)</f>")


class RecordStream:
    """The record's JSON payload, compressed and hashed while the sheets are written.

    The payload is {"lembar": {sheet: {"sel": [[ref, kind, value, origin]...], "baris": [...]}},
    "indeks": [[ref, value]...]}. Cells go in as they are written, in batches, so that the list of a
    province-size workbook (hundreds of thousands of cells) never stands in memory whole."""

    BATCH = 4096  # cells per json.dumps call: its per-call cost stays small, its text too

    def __init__(self):
        self._zip = zlib.compressobj(1)
        self._sha = hashlib.sha256()
        self._parts: list[bytes] = []
        self._pending: list = []
        self._sheets = 0
        self._cells = 0  # cells of the open sheet already written

    def _write(self, text: str) -> None:
        data = text.encode("utf-8")
        self._sha.update(data)
        self._parts.append(self._zip.compress(data))

    def begin_sheet(self, title: str, cells: list) -> None:
        self._write(('{"lembar":{' if not self._sheets else ",") + _dumps(title) + ':{"sel":[')
        self._sheets += 1
        self._cells = 0
        self._pending = list(cells)

    def cell(self, entry) -> None:
        self._pending.append(entry)
        if len(self._pending) >= self.BATCH:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            self._write(("," if self._cells else "") + _dumps(self._pending)[1:-1])
            self._cells += len(self._pending)
            self._pending = []

    def end_sheet(self, cells: list, rows: list) -> None:
        self._pending += cells
        self._flush()
        self._write('],"baris":' + _dumps(rows) + "}")

    def finish(self, index: list) -> tuple[str, str]:
        """(base64 of the compressed payload, sha256 of the payload) once the index is added."""
        self._write(('{"lembar":{' if not self._sheets else "") + '},"indeks":' + _dumps(index) + "}")
        self._parts.append(self._zip.flush())
        return base64.b64encode(b"".join(self._parts)).decode("ascii"), self._sha.hexdigest()


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_json)


def recording(sheet_class, stream: RecordStream):
    """A sheet writer that also records each cell it writes into `stream`: [ref, kind, value, origin]."""

    class Recording(sheet_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.rows_of: dict[tuple, int] = {}  # (file, row path, row) -> index in self.origins
            self.origins: list[tuple] = []

        def fill(self) -> None:
            g = self.grid
            stream.begin_sheet(self.ws.title, [("A1", "t", g.title, None)]
                               + [(cell_ref(3 + i, 0), "t", line, None) for i, line in enumerate(g.preamble)])
            super().fill()
            source = [(cell_ref(self.last_row, 0), "t", f"Sumber: {g.source}", None)] if g.source else []
            stream.end_sheet(source, self.origins)

        def _cell(self, excel_row: int, col: int, cell: Cell, header: bool, style: int) -> str:
            xml = super()._cell(excel_row, col, cell, header, style)
            formula = None
            if cell.formula is not None:
                formula = _FORMULA.search(xml).group(1)
                if "&" in formula:
                    formula = html.unescape(formula)
            kind, value = written(cell, header, formula)
            if kind != "e" or cell.origin is not None:
                stream.cell((cell_ref(excel_row, col), kind, value, self._origin(cell.origin)))
            return xml

        def _origin(self, o):
            """[row index, field path, kind]: the row's file and path are stored once per row."""
            if o is None:
                return None
            split = len(o.path) - (2 if isinstance(o.path[-1], int) else 1)
            key = (o.file, o.path[:split], o.row)
            if key not in self.rows_of:
                self.rows_of[key] = len(self.origins)
                self.origins.append((o.file, o.path[:split], o.row))
            return (self.rows_of[key], o.path[split:], o.kind)

    return Recording


def add_record(wb, stream: RecordStream, meta: dict) -> None:
    """The hidden record sheet: header JSON in A1, the compressed cell list from A2.

    meta["kunci"]: the content set's key (bytes, not written) that authenticates the record, or None."""
    index = [[c.coordinate, c.value] for row in wb[INDEX_SHEET].iter_rows() for c in row]
    blob, digest = stream.finish(index)
    meta = dict(meta)
    key = meta.pop("kunci", None)
    header = dict(meta, versi=VERSION, sha256=digest)
    if key is not None:
        header["kunci"] = key_id(key)
        header["isi"] = hashlib.sha256(blob.encode("ascii")).hexdigest()
        header["mac"] = _mac(key, header)
    ws = wb.create_sheet(RECORD_SHEET)
    ws["A1"] = json.dumps(header, sort_keys=True)
    for i in range(0, len(blob), CHUNK):
        ws.cell(row=2 + i // CHUNK, column=1, value=blob[i:i + CHUNK])
    ws.sheet_state = "hidden"


def _json(v):
    if isinstance(v, Decimal):
        return str(v)
    raise TypeError(type(v).__name__)


