"""Regenerate templates/renstra.docx: the styles, cover, Kata Pengantar and front-matter lists.

The template is a Word file an office may restyle by hand afterwards (fonts, spacing, cover
layout). This script is how the project's default was made:

    python tools/make_template.py templates/renstra.docx
    python tools/make_template.py templates/renja.docx     # the Renja variant

Placeholders: Jinja tags ({{ ... }}) rendered by docxtpl from renstra.yaml, and marker paragraphs
[[KATA_PENGANTAR]], [[HALAMAN_VERIFIKASI]], [[HALAMAN_DAFTAR_ISI]], [[HALAMAN_DAFTAR_TABEL]],
[[HALAMAN_DAFTAR_GAMBAR]], [[HALAMAN_DAFTAR_LAMPIRAN]], [[ISI]] that the renderer replaces with
generated content (a HALAMAN_ marker is a whole page with its heading, left out when the document
has nothing for it; an older template's [[DAFTAR_ISI]] etc. under a heading of its own still work).
Styles the renderer uses are listed in STYLES.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor, Twips

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from renstra_gen.render.package import normalise_zip  # noqa: E402

STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"

FONT = "Arial"
TEXT_WIDTH = 11906 - 2268 - 1701  # twips: A4 width less the left and right margins (renstra_gen/render/oxml.py)


def _plain_font(style, size: float, bold: bool = False, italic: bool = False) -> None:
    style.font.name = FONT
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = italic
    style.font.color.rgb = RGBColor(0, 0, 0)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _paragraph_style(doc, name: str, base: str = "Normal"):
    styles = doc.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[base]
    style.quick_style = True
    return style


def _spacing(style, before: float = 0, after: float = 6, line: float | None = None) -> None:
    pf = style.paragraph_format
    pf.space_before = Pt(before)
    pf.space_after = Pt(after)
    if line is not None:
        pf.line_spacing = line


def _outline(style, level: int | None) -> None:
    ppr = style.element.get_or_add_pPr()
    old = ppr.find(qn("w:outlineLvl"))
    if old is not None:
        ppr.remove(old)
    if level is not None:
        el = OxmlElement("w:outlineLvl")
        el.set(qn("w:val"), str(level))
        ppr.append(el)


def build_styles(doc) -> None:
    normal = doc.styles["Normal"]
    _plain_font(normal, 11)
    _spacing(normal, 0, 6, 1.5)
    rpr = normal.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "id-ID")
    rpr.append(lang)

    h1 = doc.styles["Heading 1"]
    _plain_font(h1, 14, bold=True)
    _spacing(h1, 0, 18, 1.15)
    h1.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    h1.paragraph_format.page_break_before = True
    h1.paragraph_format.keep_with_next = True
    for name, size in (("Heading 2", 12), ("Heading 3", 11)):
        st = doc.styles[name]
        _plain_font(st, size, bold=True)
        _spacing(st, 12, 6, 1.15)
        st.paragraph_format.keep_with_next = True
        st.paragraph_format.left_indent = Cm(0)
        st.paragraph_format.first_line_indent = Cm(0)

    body = _paragraph_style(doc, "Paragraf")
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    body.paragraph_format.first_line_indent = Cm(1.25)
    daftar = _paragraph_style(doc, "Daftar")
    daftar.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _spacing(daftar, 0, 3, 1.5)
    runin = _paragraph_style(doc, "Subjudul")
    _plain_font(runin, 11, bold=True)
    runin.paragraph_format.keep_with_next = True

    front = _paragraph_style(doc, "Judul Depan")
    _plain_font(front, 14, bold=True)
    front.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # a new page through the title itself, not a page-break paragraph before it: a list that
    # fills its page exactly would push such a paragraph onto a page of its own (an empty page)
    front.paragraph_format.page_break_before = True
    front.paragraph_format.keep_with_next = True
    _spacing(front, 0, 18, 1.15)
    _outline(front, 0)
    cover = _paragraph_style(doc, "Sampul")
    _plain_font(cover, 16, bold=True)
    cover.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _spacing(cover, 0, 12, 1.15)

    for name in ("Judul Tabel", "Judul Gambar", "Judul Lampiran"):
        st = _paragraph_style(doc, name)
        _plain_font(st, 11, bold=True)
        st.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        st.paragraph_format.keep_with_next = name != "Judul Gambar"
        _spacing(st, 6, 6, 1.0)
    source = _paragraph_style(doc, "Sumber")
    _plain_font(source, 9, italic=True)
    _spacing(source, 3, 12, 1.0)
    cell = _paragraph_style(doc, "Isi Tabel")
    _plain_font(cell, 10)
    _spacing(cell, 0, 0, 1.0)
    figure = _paragraph_style(doc, "Gambar")
    figure.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    figure.paragraph_format.keep_with_next = True
    _spacing(figure, 6, 0, 1.0)
    sign = _paragraph_style(doc, "Tanda Tangan")
    sign.paragraph_format.left_indent = Cm(8)
    sign.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sign.paragraph_format.keep_with_next = True
    _spacing(sign, 0, 0, 1.15)

    # list entries: the dot leader and page number at the right margin of the A4 text block
    # (14 cm between margins of 4 and 3 cm); a long entry wraps 1 cm before it (right indent),
    # so the number never lands on a line of its own or right behind the text without a leader
    for level in (1, 2, 3):
        st = _paragraph_style(doc, f"toc {level}")
        _spacing(st, 0, 3, 1.15)
        st.paragraph_format.left_indent = Cm(0.75 * (level - 1))
        st.paragraph_format.right_indent = Cm(1)
        st.paragraph_format.tab_stops.add_tab_stop(Twips(TEXT_WIDTH), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)


def _page_field(paragraph) -> None:
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        r = OxmlElement("w:r")
        if kind:
            fc = OxmlElement("w:fldChar")
            fc.set(qn("w:fldCharType"), kind)
            r.append(fc)
        elif text == " PAGE ":
            it = OxmlElement("w:instrText")
            it.set(qn("xml:space"), "preserve")
            it.text = text
            r.append(it)
        else:
            t = OxmlElement("w:t")
            t.text = text
            r.append(t)
        paragraph._p.append(r)


def build(path: Path, kind: str = "renstra") -> None:
    """kind "renstra": the five-year plan; "renja": the yearly work plan (cover says TAHUN {{ tahun }})."""
    doc = docx.Document()
    build_styles(doc)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.different_first_page_header_footer = True
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_field(footer)

    def p(text: str = "", style: str = "Normal", bold: bool = False, size: float | None = None,
          underline: bool = False):
        para = doc.add_paragraph(style=style)
        if text:
            r = para.add_run(text)
            r.bold = bold or None
            r.underline = underline or None
            if size:
                r.font.size = Pt(size)
        return para

    # Cover
    p("", "Sampul")
    p("{{ judul }}", "Sampul", size=20)
    p("{{ perangkat_daerah.nama | upper }}", "Sampul")
    if kind == "renja":
        p("TAHUN {{ tahun }}", "Sampul")
    else:
        p("TAHUN {{ periode.awal }} \u2013 {{ periode.akhir }}", "Sampul")
    for _ in range(10):
        p("", "Sampul")
    p("{{ perangkat_daerah.nama | upper }}", "Sampul", size=14)
    p("{{ perangkat_daerah.alamat or '' }}", "Sampul", size=11)
    # the Renja's cover carries its own year N (it is drawn up in N-1, but it is the plan of year N)
    p("{{ tahun }}" if kind == "renja" else "{{ penetapan.tanggal.year }}", "Sampul", size=14)

    # Kata Pengantar with its signature block
    p("KATA PENGANTAR", "Judul Depan")
    p("[[KATA_PENGANTAR]]")
    p("", "Tanda Tangan")
    p("{{ penetapan.tempat }}, {{ tanggal_penetapan }}", "Tanda Tangan")
    p("{{ kepala.jabatan }}", "Tanda Tangan", bold=True)
    for _ in range(4):
        p("", "Tanda Tangan")
    p("{{ kepala.nama }}", "Tanda Tangan", bold=True, underline=True)
    p("{{ kepala.pangkat or '' }}", "Tanda Tangan")
    p("NIP. {{ kepala.nip or '' }}", "Tanda Tangan").paragraph_format.keep_with_next = False  # the block's end

    # each front page (heading and list) is generated, and left out when the document has nothing for it
    for marker in ("VERIFIKASI", "DAFTAR_ISI", "DAFTAR_TABEL", "DAFTAR_GAMBAR", "DAFTAR_LAMPIRAN"):
        p(f"[[HALAMAN_{marker}]]")
    p("[[ISI]]")

    doc.core_properties.author = ""
    doc.core_properties.title = ""
    schema_clean(doc)
    path.parent.mkdir(parents=True, exist_ok=True)
    out = io.BytesIO()
    doc.save(out)
    path.write_bytes(normalise_zip(out.getvalue()))  # fixed entry times: regenerating gives equal bytes


def schema_clean(doc) -> None:
    """Put right what python-docx's default template gets wrong for Word (issue 18).

    - stylesWithEffects.xml is a Word 2010 copy of styles.xml; ours no longer matches it once the
      styles above are made, and Word may report the mismatch as unreadable content. Word 2013 and
      later write no such part, so the template carries none.
    - <w:zoom w:val="bestFit"/> lacks the attribute w:percent, required by CT_Zoom."""
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype == STYLES_WITH_EFFECTS:
            doc.part.drop_rel(rid)
    zoom = doc.settings.element.find(qn("w:zoom"))
    if zoom is not None and zoom.get(qn("w:percent")) is None:
        zoom.set(qn("w:percent"), "100")


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "templates/renstra.docx")
    build(target, "renja" if "renja" in target.name else "renstra")
