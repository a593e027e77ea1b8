"""What a workbook takes from its template (tabel.xlsx), and its cell styles, without openpyxl at build time.

The workbook writer (render/xlsx.py) writes every part itself. What comes from the template — its
named styles (Judul, Kepala, Isi, Angka, Sumber), fonts, fills, borders, theme, workbook settings —
is read once by openpyxl, which then writes a small probe workbook (the template's sheets removed,
one empty sheet): the parts as openpyxl writes them, split where our sheets go. That "base" is kept
in the user's cache (system/cache.py, kind "xlsx-base"), keyed by the template's bytes, and in this
process: openpyxl is imported only on a cache miss.

Cell styles are then made as openpyxl made them on a scratch cell: a named style, maybe a number
format, a bold copy of its font, an alignment. `StyleBook` repeats openpyxl's bookkeeping (its
indexed lists of fonts, alignments, number formats and cell formats, each entry's id the index of
its first occurrence) so that ids and xl/styles.xml come out byte for byte as openpyxl wrote them
(tests/render/test_xlsx_parts.py compares them with a frozen copy of the openpyxl writer).
"""

from __future__ import annotations

import functools
import hashlib
import json
import re

SML_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
BASE_VERSION = b"xlsx-base-2"
# stand-ins written into the probe workbook, replaced by each workbook's own values
TITLE, CREATOR, MODIFIER = "@@renstra-judul@@", "@@renstra-pembuat@@", "@@renstra-pengubah@@"
STAMP = "1901-02-03T04:05:06Z"
PROBE_SHEET = "@@renstra-lembar@@"
#: Parts a template may bring that do not depend on the workbook's sheets (LibreOffice saves a custom
#: properties part): written as openpyxl wrote them for the probe.
STATIC_PARTS = ("docProps/custom.xml",)
PROBE_PARTS = {"[Content_Types].xml", "_rels/.rels", "docProps/app.xml", "docProps/core.xml", "xl/workbook.xml",
               "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/theme/theme1.xml", "xl/worksheets/sheet1.xml"}
# the fields of a cell format as openpyxl's StyleArray holds them
FONT, FILL, BORDER, NUMFMT, PROTECTION, ALIGNMENT, PIVOT, QUOTE, XF = range(9)
CUSTOM_FORMATS = 164  # the first id of a format that is not built in
NO_STYLE = (0,) * 9  # the cell format of no style (openpyxl's empty StyleArray)


_UNSUPPORTED = " berbentuk yang tidak didukung penyusun buku kerja"


class TemplateError(ValueError):
    """The template holds something the workbook writer does not reproduce (the message says what)."""


def attr(value: str) -> str:
    """An attribute value as lxml escapes it."""
    return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
            .replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;"))


def text(value: str) -> str:
    """Element text as lxml and openpyxl escape it (characters XML cannot hold dropped, where lxml refused them)."""
    from renstra_gen.render.oxml import _ILLEGAL

    return _ILLEGAL.sub("", value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


@functools.lru_cache(maxsize=8)
def _base_of(data: bytes) -> dict:
    from renstra_gen.system.cache import read_signed, write_signed

    name = hashlib.sha256(BASE_VERSION + b"\0" + data).hexdigest() + ".json"
    cached = read_signed("xlsx-base", name)
    if cached is not None:
        try:
            return json.loads(bytes(cached))
        except ValueError:
            pass
    base = extract(data)
    write_signed("xlsx-base", name, json.dumps(base, ensure_ascii=False, sort_keys=True).encode("utf-8"))
    return base


NAMED_STYLES = ("Judul", "Kepala", "Isi", "Angka", "Sumber")  # what the writer asks of a template


def template_base(template) -> dict:
    """The base of a template (a path): from this process's memory, the user's cache, or openpyxl.

    OutputError, in a sentence, when the template cannot be read or lacks what the writer needs."""
    from renstra_gen.errors import OutputError

    try:
        with open(template, "rb") as f:
            return _base_of(f.read())
    except ImportError:  # openpyxl missing: the installation's fault, not the template's
        raise
    except TemplateError as e:
        raise OutputError(f"templat buku kerja {template} tidak dapat dipakai: {e}") from None
    except Exception as e:  # noqa: BLE001 - whatever openpyxl raises on a file that is not a workbook
        raise OutputError(f"templat buku kerja {template} tidak dapat dibaca sebagai .xlsx "
                          f"({type(e).__name__}: {e})") from None


def _split(pattern: str, xml: str) -> list[str]:
    return re.findall(pattern, xml, flags=re.S)


def extract(data: bytes) -> dict:
    """The template's base, by openpyxl (see the module's docstring)."""
    import datetime as dt
    import io
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.cell import Cell
    from openpyxl.styles import Alignment, Font
    from openpyxl.styles.numbers import BUILTIN_FORMATS_REVERSE
    from openpyxl.writer.excel import ExcelWriter

    from renstra_gen.render.package import read_parts
    from renstra_gen.render.xlsx_form import font_order

    wb = load_workbook(io.BytesIO(data))
    for sheet in list(wb.sheetnames):
        wb.remove(wb[sheet])
    stamp = dt.datetime.strptime(STAMP, "%Y-%m-%dT%H:%M:%SZ")
    wb.properties.created = wb.properties.modified = stamp
    wb.properties.title, wb.properties.creator, wb.properties.lastModifiedBy = TITLE, CREATOR, MODIFIER
    ws = wb.create_sheet(PROBE_SHEET)
    ws.print_title_rows = "3:4"
    wb.calculation.fullCalcOnLoad = True

    missing = [name for name in NAMED_STYLES if name not in wb.named_styles]
    if missing:
        raise TemplateError(f"gaya sel bernama {', '.join(missing)} tidak ada di dalamnya")
    named = {}
    for style in wb.named_styles:
        cell = Cell(ws)
        cell.style = style
        f, a = cell.font, cell.alignment
        bold = Font(name=f.name, size=f.size, bold=True, italic=f.italic, color=f.color)
        probe = f'<styleSheet xmlns="{SML_NS}"><fonts>'.encode() + _tostring(bold) + b"</fonts></styleSheet>"
        bold_xml = _split(r"<font>.*?</font>|<font/>", font_order(probe).decode("utf-8"))[0]
        named[style] = {"array": list(cell._style), "align": [a.horizontal, a.vertical, a.wrap_text],
                        "bold_font": wb._fonts.index(bold) if bold in wb._fonts else None, "bold_xml": bold_xml}
    if any(v["array"][PROTECTION] for v in named.values()):
        raise TemplateError("proteksi sel" + _UNSUPPORTED)
    fields = list(Alignment.__attrs__)
    default = Alignment()

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        ExcelWriter(wb, archive).save()
    parts = {n: b.decode("utf-8") for n, b in read_parts(out.getvalue()).items()}
    unknown = (set(parts) ^ PROBE_PARTS) - set(STATIC_PARTS)
    if unknown:
        raise TemplateError(f"bagian {', '.join(sorted(unknown))} tidak didukung penyusun buku kerja")
    styles = font_order(parts["xl/styles.xml"].encode("utf-8")).decode("utf-8")
    m = re.fullmatch(r"(.*?)<numFmts[^>]*?(?:/>|>.*?</numFmts>)<fonts[^>]*>(.*?)</fonts>(.*?)<cellXfs[^>]*>(.*?)"
                     r"</cellXfs>(.*)", styles, flags=re.S)
    if m is None:
        raise TemplateError("styles.xml" + _UNSUPPORTED)
    if "<protection" in m[4]:
        raise TemplateError("proteksi sel" + _UNSUPPORTED)
    wbxml = parts["xl/workbook.xml"]
    w = re.fullmatch(r"(.*?)<sheets>.*?</sheets><definedNames>(.*?)<definedName name=\"_xlnm.Print_Titles\" "
                     r"localSheetId=\"0\">[^<]*</definedName></definedNames>(.*)", wbxml, flags=re.S)
    if w is None:
        raise TemplateError("workbook.xml" + _UNSUPPORTED)
    ct = parts["[Content_Types].xml"]
    sheet_override = re.search(r'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="[^"]*"/>', ct)
    if sheet_override is None or not ct.endswith("</Types>"):
        raise TemplateError("[Content_Types].xml" + _UNSUPPORTED)
    base = {
        "content_types": [ct[:sheet_override.start()], sheet_override[0], ct[sheet_override.end():-len("</Types>")]],
        "root_rels": parts["_rels/.rels"],
        "app": parts["docProps/app.xml"],
        "static": {name: parts[name] for name in STATIC_PARTS if name in parts},
        "core": parts["docProps/core.xml"],
        "theme": parts["xl/theme/theme1.xml"],
        "workbook": [w[1], w[2], w[3]],
        "styles": {"head": m[1], "fonts": _split(r"<font>.*?</font>|<font/>", m[2]), "middle": m[3],
                   "xfs": _split(r"<xf [^>]*/>|<xf [^>]*[^/]>.*?</xf>", m[4]), "tail": m[5]},
        "number_formats": list(wb._number_formats),
        "builtin_formats": dict(BUILTIN_FORMATS_REVERSE),
        "cell_styles": [list(s) for s in wb._cell_styles],
        "alignments": [[getattr(al, k) for k in fields] for al in wb._alignments],
        "alignment_fields": fields,
        "alignment_default": [getattr(default, k) for k in fields],
        "named": named,
    }
    if workbook_rels(1) != parts["xl/_rels/workbook.xml.rels"]:
        raise TemplateError("relasi buku kerja" + _UNSUPPORTED)
    if len(base["styles"]["xfs"]) != len(base["cell_styles"]):
        raise TemplateError("cellXfs" + _UNSUPPORTED)
    return base


def _tostring(obj) -> bytes:
    from openpyxl.xml.functions import tostring

    return tostring(obj.to_tree())


_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def workbook_rels(sheets: int, shared_strings: bool = False) -> str:
    """xl/_rels/workbook.xml.rels of a workbook of `sheets` sheets, as openpyxl (and excel_form) write it."""
    rels = [f'<Relationship Type="{_REL}/worksheet" Target="/xl/worksheets/sheet{i}.xml" Id="rId{i}"/>'
            for i in range(1, sheets + 1)]
    rels.append(f'<Relationship Type="{_REL}/styles" Target="styles.xml" Id="rId{sheets + 1}"/>')
    rels.append(f'<Relationship Type="{_REL}/theme" Target="theme/theme1.xml" Id="rId{sheets + 2}"/>')
    if shared_strings:
        rels.append(f'<Relationship Type="{_REL}/sharedStrings" Target="sharedStrings.xml" Id="rId{sheets + 3}"/>')
    return ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(rels) + "</Relationships>")


class _Indexed:
    """openpyxl's IndexedList: each distinct value once, its id the index of its first occurrence."""

    def __init__(self, values):
        self.values = list(values)  # as openpyxl read them (never two equal ones)
        self.ids = {}
        for i, v in enumerate(self.values):
            self.ids.setdefault(v, i)

    def add(self, value) -> int:
        n = self.ids.get(value)
        if n is None:
            n = self.ids[value] = len(self.values)
            self.values.append(value)
        return n


class StyleBook:
    """A workbook's cell formats: the template's, then each one a cell needs, as openpyxl makes them."""

    def __init__(self, base: dict):
        self.base = base
        st = base["styles"]
        self.fonts = list(st["fonts"])  # font XML: the template's as openpyxl wrote them, then new ones
        self._new_fonts: dict[str, int] = {}  # a new font is compared with the new ones only (openpyxl
        # compared it with the template's fonts already: "bold_font")
        self.formats = _Indexed(base["number_formats"])
        self.alignments = _Indexed(tuple(a) for a in base["alignments"])
        self.cells = _Indexed(tuple(s) for s in base["cell_styles"])
        self.fields = base["alignment_fields"]
        self._at = {k: i for i, k in enumerate(self.fields)}

    def named(self, name: str) -> int:
        """The id of a named style as it is (Judul, Sumber)."""
        return self.cells.add(tuple(self._named(name)["array"]))

    def _named(self, name: str) -> dict:
        try:
            return self.base["named"][name]
        except KeyError:
            raise KeyError(f"{name!r} is not a known named style") from None

    def cell(self, name: str, fmt: str | None, bold: bool, align: str, indent: int) -> int:
        """The id of named style `name` with a number format, its font made bold, an alignment."""
        style = self._named(name)
        array = list(style["array"])
        if fmt:
            builtin = self.base["builtin_formats"].get(fmt)
            array[NUMFMT] = builtin if builtin is not None else self.formats.add(fmt) + CUSTOM_FORMATS
        if bold:
            font = style["bold_font"]
            if font is None:
                font = self._new_fonts.get(style["bold_xml"])
                if font is None:
                    font = self._new_fonts[style["bold_xml"]] = len(self.fonts)
                    self.fonts.append(style["bold_xml"])
            array[FONT] = font
        if align in ("center", "right") or indent:
            horizontal, vertical, wrap = style["align"]
            new = list(self.base["alignment_default"])
            new[self._at["horizontal"]] = align if align != "left" else horizontal
            new[self._at["vertical"]] = vertical
            new[self._at["wrapText"]] = wrap
            new[self._at["indent"]] = float(indent)
            array[ALIGNMENT] = self.alignments.add(tuple(new))
        return self.cells.add(tuple(array))

    def _alignment_xml(self, values: tuple) -> str:
        attrs = "".join(f' {k}="{_safe(v)}"' for k, v in zip(self.fields, values) if v is not None and v != 0)
        return f"<alignment{attrs}/>"

    def xml(self) -> bytes:
        """xl/styles.xml, as openpyxl wrote it (font children in Excel's order)."""
        st = self.base["styles"]
        formats = "".join(f'<numFmt numFmtId="{CUSTOM_FORMATS + i}" formatCode="{attr(code)}"/>'
                          for i, code in enumerate(self.formats.values))
        numfmts = f'<numFmts count="{len(self.formats.values)}">{formats}</numFmts>' if formats else '<numFmts count="0"/>'
        xfs = list(st["xfs"])
        for array in self.cells.values[len(xfs):]:
            align = array[ALIGNMENT]
            open_ = (f'<xf numFmtId="{array[NUMFMT]}" fontId="{array[FONT]}" fillId="{array[FILL]}" '
                     f'borderId="{array[BORDER]}"' + (' applyAlignment="1"' if align else "")
                     + f' pivotButton="{array[PIVOT]}" quotePrefix="{array[QUOTE]}" xfId="{array[XF]}"')
            if array[PROTECTION]:  # refused when the base was made
                raise RuntimeError("a cell format with protection")
            xfs.append(open_ + (f">{self._alignment_xml(self.alignments.values[align])}</xf>" if align else "/>"))
        return (st["head"] + numfmts + f'<fonts count="{len(self.fonts)}">' + "".join(self.fonts)
                + "</fonts>" + st["middle"] + f'<cellXfs count="{len(xfs)}">' + "".join(xfs) + "</cellXfs>"
                + st["tail"]).encode("utf-8")


def _safe(value) -> str:
    """openpyxl's safe_string of an attribute value."""
    if isinstance(value, (int, float)):
        return "%.16g" % value
    return attr(str(value))
