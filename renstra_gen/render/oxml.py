"""Raw WordprocessingML, kept in one corner: paragraphs, runs, fields, tables, section properties.

Everything here builds XML text with every piece of content escaped; callers parse a whole
fragment at once with `fragment()` (one lxml parse per chapter, not per paragraph).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from xml.parsers import expat

from renstra_gen.layout.page import LANDSCAPE_MARGINS, MARGINS, PAPER
from renstra_gen.render.metrics import keep_together

if TYPE_CHECKING:
    from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"
NSDECL = f'xmlns:w="{W_NS}" xmlns:r="{R_NS}" xmlns:m="{M_NS}"'

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

CM = 567  # twips per centimetre

def qn(tag: str) -> str:
    prefix, local = tag.split(":")
    return "{%s}%s" % ({"w": W_NS, "r": R_NS, "m": M_NS}[prefix], local)


def text(s: str) -> str:
    """Escape text for XML, dropping characters XML cannot hold."""
    # str.replace, not xml.sax.saxutils.escape: that module imports urllib.request (and ssl) at start-up
    return _ILLEGAL.sub("", s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def fragment(xml: str) -> list[etree._Element]:
    """Parse a run of body-level elements written as XML text."""
    from lxml import etree  # not at import: `renstra check` needs only the text helpers

    root = etree.fromstring(f"<w:body {NSDECL}>{xml}</w:body>".encode("utf-8"))
    return list(root)


_P_OPEN = re.compile(r"<w:p[ >]")


def splice_markers(xml: str, replacements: dict[str, str | list[str]]) -> list[str]:
    """Replace each paragraph whose text is a marker ("[[ISI]]") with generated XML, as text: the
    pieces of the document in order, for the caller to encode and join once.

    The markers are found in the (small) template first: working on the serialised document is
    linear; moving large parsed fragments into the document with lxml is not (it re-walks every
    moved node). Pieces, not one string: the body (a list of pieces itself) is joined only as UTF-8
    bytes. One string of the body would take two bytes a character as soon as it held one character
    beyond Latin-1 ("•"); most pieces hold none."""
    spans = []
    for marker, content in replacements.items():
        at = xml.find(f">{marker}<")
        if at < 0:
            continue
        start = max(m.start() for m in _P_OPEN.finditer(xml, 0, at))
        end = xml.index("</w:p>", at) + len("</w:p>")
        spans.append((start, end, content))
    pieces, done = [], 0
    for start, end, content in sorted(spans, key=lambda s: s[0]):
        pieces.append(xml[done:start])
        pieces += [content] if isinstance(content, str) else content
        done = end
    pieces.append(xml[done:])
    return pieces


def utf8(pieces: list, size: int = 1 << 20):
    """The pieces as UTF-8, in slices of `size` characters: encoding a string of characters beyond
    Latin-1 first reserves three bytes per character, 70 MB for a body of 23 million. A piece
    already in UTF-8 (bytes or a view of them: a kept table's, render/table_cache.py) passes as it is."""
    for piece in pieces:
        if not isinstance(piece, str):
            yield piece
            continue
        for i in range(0, len(piece), size):
            yield piece[i:i + size].encode("utf-8")


def check_well_formed(xml: bytes) -> None:
    """Stream the document through expat: a bug that produced broken XML fails here, never in Word."""
    parser = expat.ParserCreate()
    parser.Parse(xml, True)


def run(s: str, bold: bool = False, italic: bool = False, size: float | None = None,
        underline: bool = False) -> str:
    props = ""
    if bold:
        props += "<w:b/><w:bCs/>"
    if italic:
        props += "<w:i/><w:iCs/>"
    if underline:
        props += '<w:u w:val="single"/>'
    if size:
        half = int(round(size * 2))
        props += f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>'
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    parts = keep_together(s).split("\n")  # a short acronym's hyphen never breaks (PUG-PP)
    body = '<w:br/>'.join(_t(p) for p in parts)
    return f"<w:r>{rpr}{body}</w:r>"


def _t(s: str) -> str:
    chunks = s.split("\t")
    return "<w:tab/>".join(f'<w:t xml:space="preserve">{text(c)}</w:t>' for c in chunks)


def para(content: str, style: str | None = None, align: str | None = None, left: int | None = None,
         hanging: int | None = None, first_line: int | None = None, keep_next: bool | None = None,
         page_break_before: bool = False, sect_pr: str = "", spacing_after: int | None = None,
         outline: int | None = None) -> str:
    ppr = ""
    if style:
        ppr += f'<w:pStyle w:val="{style}"/>'
    if keep_next is not None:  # False overrides a style that keeps with the next paragraph
        ppr += "<w:keepNext/>" if keep_next else '<w:keepNext w:val="0"/>'
    if page_break_before:
        ppr += "<w:pageBreakBefore/>"
    if spacing_after is not None:
        ppr += f'<w:spacing w:after="{spacing_after}"/>'
    if left is not None or hanging is not None or first_line is not None:
        attrs = f' w:left="{left or 0}"'
        if hanging:
            attrs += f' w:hanging="{hanging}"'
        elif first_line is not None:
            attrs += f' w:firstLine="{first_line}"'
        ppr += f"<w:ind{attrs}/>"
    if align:
        ppr += f'<w:jc w:val="{ {"left": "left", "center": "center", "right": "right", "both": "both"}[align] }"/>'
    if outline is not None:
        ppr += f'<w:outlineLvl w:val="{outline}"/>'
    ppr += sect_pr
    return f"<w:p><w:pPr>{ppr}</w:pPr>{content}</w:p>"


def field(instr: str, result_runs: str = "", dirty: bool = False) -> str:
    """A complex field: begin, instruction, separate, cached result, end."""
    d = ' w:dirty="true"' if dirty else ""
    return (f'<w:r><w:fldChar w:fldCharType="begin"{d}/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> {text(instr)} </w:instrText></w:r>'
            f'<w:r><w:fldChar w:fldCharType="separate"/></w:r>{result_runs}'
            f'<w:r><w:fldChar w:fldCharType="end"/></w:r>')


def toc_field(instr: str, entries: list[tuple[int, str]], pages: list[str] | None = None,
              filled: bool = False) -> str:
    """A TOC field whose cached result lists the entries.

    Not `filled`: titles only, the field marked dirty (Word fills the page numbers on update).
    `filled`: each title with its page number after a tab (`pages`, one per entry), not dirty."""
    dirty = "" if filled else ' w:dirty="true"'
    begin = (f'<w:r><w:fldChar w:fldCharType="begin"{dirty}/></w:r>'
             f'<w:r><w:instrText xml:space="preserve"> {text(instr)} </w:instrText></w:r>'
             f'<w:r><w:fldChar w:fldCharType="separate"/></w:r>')
    end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    if not entries:
        return para(begin + ("" if filled else run("(daftar diperbarui saat dokumen dibuka)")) + end)
    out = []
    for i, (level, label) in enumerate(entries):
        entry = f"{label}\t{pages[i]}" if filled else label
        content = (begin if i == 0 else "") + run(entry) + (end if i == len(entries) - 1 else "")
        out.append(para(content, style=f"toc{level}"))
    return "".join(out)


def page_break() -> str:
    return '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'


def sect_pr(paper: str, landscape: bool, footer_refs: str, number_format: str = "decimal",
            start: int | None = None, title_page: bool = False) -> str:
    w, h = PAPER[paper]
    margins = LANDSCAPE_MARGINS if landscape else MARGINS
    size = f'<w:pgSz w:w="{h}" w:h="{w}" w:orient="landscape"/>' if landscape else f'<w:pgSz w:w="{w}" w:h="{h}"/>'
    mar = (f'<w:pgMar w:top="{margins["top"]}" w:right="{margins["right"]}" w:bottom="{margins["bottom"]}" '
           f'w:left="{margins["left"]}" w:header="709" w:footer="709" w:gutter="0"/>')
    pg = f'<w:pgNumType w:fmt="{number_format}"' + (f' w:start="{start}"' if start is not None else "") + "/>"
    title = "<w:titlePg/>" if title_page else ""
    return f'<w:sectPr>{footer_refs}<w:type w:val="nextPage"/>{size}{mar}{pg}{title}</w:sectPr>'


V_NS = "urn:schemas-microsoft-com:vml"
O_NS = "urn:schemas-microsoft-com:office:office"

WATERMARK_SHAPETYPE = (
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
    'path="m@7,l@8,m@5,21600l@6,21600e"><v:formulas>'
    + "".join(f'<v:f eqn="{e}"/>' for e in (
        "sum #0 0 10800", "prod #0 2 1", "sum 21600 0 @1", "sum 0 0 @2", "sum 21600 0 @3", "if @0 @3 0",
        "if @0 21600 @1", "if @0 0 @2", "if @0 @4 21600", "mid @5 @6", "mid @8 @5", "mid @7 @8", "mid @6 @7",
        "sum @6 0 @5"))
    + '</v:formulas><v:path textpathok="t" o:connecttype="custom" o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" '
    'o:connectangles="270,180,90,0"/><v:textpath on="t" fitshape="t"/>'
    '<v:handles><v:h position="#0,bottomRight" xrange="6629,14971"/></v:handles>'
    '<o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>'
)


def watermark(label: str) -> str:
    """A paragraph holding a diagonal text watermark (the VML shape Word itself writes)."""
    return (
        f'<w:p xmlns:w="{W_NS}" xmlns:v="{V_NS}" xmlns:o="{O_NS}"><w:pPr><w:pStyle w:val="Header"/></w:pPr>'
        f'<w:r><w:pict>{WATERMARK_SHAPETYPE}'
        '<v:shape id="RenstraDraftWatermark" o:spid="_x0000_s2049" type="#_x0000_t136" '
        'style="position:absolute;margin-left:0;margin-top:0;width:420pt;height:140pt;rotation:315;'
        'z-index:-251654144;mso-position-horizontal:center;mso-position-horizontal-relative:margin;'
        'mso-position-vertical:center;mso-position-vertical-relative:margin" o:allowincell="f" '
        'fillcolor="#c0c0c0" stroked="f"><v:fill opacity=".5"/>'
        f'<v:textpath style="font-family:&quot;Arial&quot;;font-size:1pt" string="{text(label)}"/>'
        "</v:shape></w:pict></w:r></w:p>"
    )
