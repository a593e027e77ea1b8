"""Workbooks in the form Excel itself writes: a shared strings table, font children in Excel's order.

Used by the workbook writer (render/xlsx.py), which writes that form directly, and by `excel_form`
for packages openpyxl wrote (the change list, render/changes.py; tools/make_xlsx_template.py).
"""

from __future__ import annotations

import html
import re

from renstra_gen.render import oxml
from renstra_gen.render.package import CONTENT_TYPES

SML_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHARED_STRINGS = "xl/sharedStrings.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
SST_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_SST_REL = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
_SPACE = ' xml:space="preserve"'
# an inline-string cell as openpyxl writes it: attributes around t="inlineStr", one plain <t>
_INLINE = re.compile(rb'(<c\b[^>]*?) t="inlineStr"([^>]*)><is><t(?: xml:space="preserve")?>([^<]*)</t></is></c>')


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

    def chunks(self, size: int = 1 << 16):
        """xl/sharedStrings.xml in pieces of about `size` characters (a province's table is large)."""
        yield (f'<sst xmlns="{SML_NS}" count="{self.refs}" uniqueCount="{len(self.index)}">').encode("utf-8")
        batch, length = [], 0
        for t in self.index:
            item = f'<si><t{_SPACE if t != t.strip() else ""}>{oxml.text(t)}</t></si>'
            batch.append(item)
            length += len(item)
            if length >= size:
                yield "".join(batch).encode("utf-8")
                batch, length = [], 0
        yield ("".join(batch) + "</sst>").encode("utf-8")

    def xml(self) -> bytes:
        return b"".join(self.chunks())


def _unescape(b: bytes) -> str:
    return html.unescape(b.decode("utf-8"))


# the order of a font's children in Excel's files and in the Open XML SDK's schema (ECMA-376's
# CT_Font is a choice in any order; Excel writes, and the SDK's validator expects, this sequence)
FONT_ORDER = ("b", "i", "strike", "condense", "extend", "outline", "shadow", "u", "vertAlign", "sz", "color",
              "name", "family", "charset", "scheme")


def font_order(styles_xml: bytes) -> bytes:
    from lxml import etree

    root = etree.fromstring(styles_xml)
    rank = {f"{{{SML_NS}}}{tag}": i for i, tag in enumerate(FONT_ORDER)}
    for font in root.iter(f"{{{SML_NS}}}font"):
        children = list(font)
        ordered = sorted(children, key=lambda el: rank.get(el.tag, len(rank)))
        if ordered != children:
            font[:] = ordered
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _is_worksheet(name: str) -> bool:
    return name.startswith("xl/worksheets/sheet") and name.endswith(".xml")


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
            blob = font_order(blob)
        out[name] = blob
    if strings.index:
        out[SHARED_STRINGS] = strings.xml()
        out[CONTENT_TYPES] = out[CONTENT_TYPES].replace(
            b"</Types>", b'<Override PartName="/%s" ContentType="%s"/></Types>' % (SHARED_STRINGS.encode(), SST_TYPE))
        rels = out[WORKBOOK_RELS]
        rid = 1 + max((int(n) for n in re.findall(rb'Id="rId(\d+)"', rels)), default=0)
        out[WORKBOOK_RELS] = rels.replace(
            b"</Relationships>",
            b'<Relationship Type="%s" Target="sharedStrings.xml" Id="rId%d"/></Relationships>' % (_SST_REL, rid))
    return out
