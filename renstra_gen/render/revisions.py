"""Word tracked changes: the new document's body with w:ins/w:del where it differs from the old one.

Both documents are rendered by the same code, so their bodies are sequences of the same kinds of
blocks. Blocks are aligned by a signature that ignores what renumbering changes (table and figure
numbers are replaced by their keys, heading numbers are dropped); aligned paragraphs that differ get
a word-level diff, tables are aligned row by row (a row is known by its code, or by its first
cells), blocks found only in the old document come back as deleted ones, blocks found only in the
new one are marked inserted. Section breaks, lists of contents and figures never carry revisions:
they are layout, and the new document's own are kept. Accepting every revision gives the new
document's text exactly.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Callable, Iterable

from lxml import etree

from renstra_gen.render.oxml import W_NS, qn

_BODY_SKIP = {qn("w:sectPr")}
_SIMPLE_RUN = {qn("w:rPr"), qn("w:t"), qn("w:tab"), qn("w:br")}
_WORD = re.compile(r"\S+\s*|\s+")
_NUMBER = re.compile(r"^\d+(\.\d+)*[.,;:)]*$")
_CODE = re.compile(r"^\d+(\.\d+)+\.?$")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
LOOK_AHEAD = 64  # later items a changed block is compared with, so that a rewritten chapter stays linear


@dataclass
class Revisions:
    """Writes revision marks with one author and date and unique ids; counts what it marked."""

    author: str
    date: str  # ISO 8601, e.g. 2024-01-31T00:00:00Z
    next_id: int = 1
    marks: int = 0  # w:ins/w:del elements written (runs, paragraph marks and table rows)

    def mark(self, kind: str) -> etree._Element:
        el = etree.Element(qn(f"w:{kind}"))
        el.set(qn("w:id"), str(self.next_id))
        el.set(qn("w:author"), self.author)
        el.set(qn("w:date"), self.date)
        self.next_id += 1
        self.marks += 1
        return el


Normaliser = Callable[[str], str]  # text -> the form compared (renumbered references made equal)


def track_changes(old_xml: bytes, new_xml: bytes, author: str, date: str, norm_old: Normaliser,
                  norm_new: Normaliser) -> tuple[bytes, Revisions]:
    """The new word/document.xml with the differences from the old one as tracked changes.

    `norm_old`/`norm_new` give each document's text the form in which renumbered references
    compare equal (diff.number_masker)."""
    old_root, new_root = etree.fromstring(old_xml), etree.fromstring(new_xml)
    rev = Revisions(author, date)
    differ = _Differ(rev, norm_old, norm_new)
    old_body, new_body = old_root.find(qn("w:body")), new_root.find(qn("w:body"))
    differ.sequence([el for el in old_body if el.tag not in _BODY_SKIP],
                    [el for el in new_body if el.tag not in _BODY_SKIP], new_body)
    if not rev.marks:  # nothing differs: the new document as it was written, byte for byte
        return new_xml, rev
    xml = etree.tostring(new_root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return xml, rev


# ---------------------------------------------------------------- text of blocks

def _style(p: etree._Element) -> str:
    el = p.find("w:pPr/w:pStyle", {"w": W_NS})
    return el.get(qn("w:val")) if el is not None else ""


def _para_text(p: etree._Element) -> str:
    out = []
    for el in p.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:delText")):
        if el.tag == qn("w:t"):
            out.append(el.text or "")
        elif el.tag == qn("w:tab"):
            out.append("\t")
        elif el.tag == qn("w:br"):
            out.append("\n")
    return "".join(out)


def _block_text(el: etree._Element) -> str:
    if el.tag == qn("w:p"):
        return _para_text(el)
    return "\n".join(_para_text(p) for p in el.iter(qn("w:p")))


def _is_layout(p: etree._Element) -> bool:
    """A paragraph that is layout, never a revision: a section break, an entry of a generated list
    (Daftar Isi/Tabel/Gambar), a field, a picture."""
    if p.tag != qn("w:p"):
        return False
    style = _style(p)
    if style.lower().startswith("toc"):
        return True
    if p.find(".//w:fldChar", {"w": W_NS}) is not None or p.find(".//w:drawing", {"w": W_NS}) is not None:
        return True
    return not _para_text(p).strip()


def _heading_text(p: etree._Element, text: str) -> str:
    """Heading numbers ("2.3 \t", "BAB II \n") are layout: they move when a heading is inserted."""
    style = _style(p)
    if style.startswith("Heading"):
        if style == "Heading1":
            return re.sub(r"^BAB [IVXLC\d]+\s*", "BAB ", text)
        return re.sub(r"^\d+(\.\d+)*\s*", "", text)
    return text


# ---------------------------------------------------------------- alignment

def _align(olds: list, news: list, sig: Callable, similar: Callable) -> Iterable[tuple]:
    """Pairs of (old, new), (old, None) deleted, (None, new) inserted, in the new order.

    Equal signatures align first (SequenceMatcher); inside a differing stretch an old item pairs
    with the first later new item it is similar to."""
    a, b = [sig(x) for x in olds], [sig(x) for x in news]
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            yield from zip(olds[i1:i2], news[j1:j2])
            continue
        j = j1
        for i in range(i1, i2):
            match = next((k for k in range(j, min(j2, j + LOOK_AHEAD)) if similar(olds[i], news[k])), None)
            if match is None:
                yield olds[i], None
                continue
            for k in range(j, match):
                yield None, news[k]
            yield olds[i], news[match]
            j = match + 1
        for k in range(j, j2):
            yield None, news[k]


def _words(s: str) -> list[str]:
    return s.split()


def _similar_text(a: str, b: str, cutoff: float = 0.5) -> bool:
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return False
    m = SequenceMatcher(None, wa, wb, autojunk=False)
    return m.quick_ratio() >= cutoff and m.ratio() >= cutoff


class _Differ:
    def __init__(self, rev: Revisions, norm_old: Normaliser, norm_new: Normaliser):
        self.rev = rev
        self.norm_old, self.norm_new = norm_old, norm_new
        self._captions: dict[int, str] = {}

    # -- signatures
    def _sig(self, el: etree._Element, norm: Normaliser, caption: str) -> str:
        if el.tag == qn("w:tbl"):
            return f"tbl:{caption}"
        if el.tag == qn("w:p"):
            if _is_layout(el):
                return f"layout:{_style(el)}"
            return f"p:{_style(el)}:{norm(_heading_text(el, _para_text(el)))}"
        return f"other:{el.tag}"

    def _sigs(self, blocks: list, norm: Normaliser) -> dict[int, str]:
        out, caption = {}, ""
        for el in blocks:
            out[id(el)] = self._sig(el, norm, caption)
            if el.tag == qn("w:p") and _para_text(el).strip():
                caption = norm(_para_text(el))
        return out

    # -- body level
    def sequence(self, olds: list, news: list, parent: etree._Element) -> None:
        sig_old, sig_new = self._sigs(olds, self.norm_old), self._sigs(news, self.norm_new)
        both = {**{("o", k): v for k, v in sig_old.items()}, **{("n", k): v for k, v in sig_new.items()}}

        def sig(x):
            return both[("o", id(x))] if id(x) in sig_old else both[("n", id(x))]

        def similar(o, n):
            if o.tag != n.tag:
                return False
            if o.tag == qn("w:tbl"):
                return True  # a table whose caption changed: still the same place
            if o.tag != qn("w:p") or _is_layout(o) or _is_layout(n) or _style(o) != _style(n):
                return False
            return _similar_text(self.norm_old(_para_text(o)), self.norm_new(_para_text(n)))

        self._apply(_align(olds, news, sig, similar), parent)

    def _apply(self, pairs: Iterable[tuple], parent: etree._Element) -> None:
        anchor = None  # the last new element passed: deleted old blocks go after it
        for old, new in pairs:
            if new is None:
                if old.tag == qn("w:p") and _is_layout(old):
                    continue
                if old.tag == qn("w:tr") and not _block_text(old).strip():
                    continue
                gone = anchor = self._deleted_after(old, anchor, parent)
                if old.tag == qn("w:tbl"):  # a paragraph between tables, or Word joins them into one
                    after = etree.Element(qn("w:p"))
                    self._mark_paragraph(after, "del")
                    gone.addnext(after)
                    anchor = after
                continue
            if old is None:
                self._mark_inserted(new)
            elif new.tag == qn("w:p"):
                self._paragraph(old, new)
            elif new.tag == qn("w:tbl"):
                self._table(old, new)
            anchor = new

    def _deleted_after(self, old: etree._Element, anchor: etree._Element | None,
                       parent: etree._Element) -> etree._Element:
        """A copy of a removed block, marked deleted, in its old place: after `anchor` (the last
        block passed), or first in `parent`. Returns the copy (the next anchor)."""
        gone = copy.deepcopy(old)
        self._mark_deleted(gone)
        if anchor is None:
            _first_slot(parent, gone)
        else:
            anchor.addnext(gone)
        return gone

    # -- tables
    def _table(self, old: etree._Element, new: etree._Element) -> None:
        rows_old, rows_new = old.findall(qn("w:tr")), new.findall(qn("w:tr"))

        def row_sig(norm):
            def f(tr):
                cells = [norm(_block_text(tc)).strip() for tc in tr.findall(qn("w:tc"))]
                code = next((c for c in cells if _CODE.match(c)), None)
                if code:
                    return f"code:{code}"
                return "|".join([c for c in cells if c][:2])
            return f

        so, sn = row_sig(self.norm_old), row_sig(self.norm_new)
        sig_of = {id(r): so(r) for r in rows_old} | {id(r): sn(r) for r in rows_new}

        def similar(o, n):
            return _similar_text(self.norm_old(_block_text(o)), self.norm_new(_block_text(n)), 0.6)

        anchor = None
        for o, n in _align(rows_old, rows_new, lambda r: sig_of[id(r)], similar):
            if n is None:
                if not _block_text(o).strip():
                    continue
                anchor = self._deleted_after(o, anchor, new)
                continue
            if o is None:
                self._mark_inserted(n)
            else:
                self._row(o, n)
            anchor = n

    def _row(self, old: etree._Element, new: etree._Element) -> None:
        if self.norm_old(_block_text(old)) == self.norm_new(_block_text(new)):
            return  # the same text (most rows of a long table): nothing to mark
        cells_old, cells_new = old.findall(qn("w:tc")), new.findall(qn("w:tc"))
        if len(cells_old) != len(cells_new):  # the row's shape changed: old row out, new row in
            gone = copy.deepcopy(old)
            self._mark_deleted(gone)
            new.addprevious(gone)
            self._mark_inserted(new)
            return
        for co, cn in zip(cells_old, cells_new):
            po, pn = co.findall(qn("w:p")), cn.findall(qn("w:p"))
            if len(po) == len(pn):
                for a, b in zip(po, pn):
                    self._paragraph(a, b, in_cell=True)
            else:
                self._apply(_align(po, pn, lambda p: self.norm_old(_para_text(p)) if p in po
                                   else self.norm_new(_para_text(p)), lambda a, b: True), cn)

    # -- paragraphs
    def _paragraph(self, old: etree._Element, new: etree._Element, in_cell: bool = False) -> None:
        if _is_layout(new) and not in_cell:
            return
        if self.norm_old(_para_text(old)) == self.norm_new(_para_text(new)):
            return  # equal, or renumbered only
        to, tn = _tokens(old), _tokens(new)
        if to is None or tn is None:  # fields, equations: compared as a whole
            if self.norm_old(_para_text(old)) != self.norm_new(_para_text(new)):
                gone = copy.deepcopy(old)
                self._mark_deleted(gone)
                new.addprevious(gone)
                self._mark_inserted(new)
            return
        heading = _style(new).startswith("Heading")
        ko = [self._key(t, self.norm_old, i == 0 and heading) for i, t in enumerate(to)]
        kn = [self._key(t, self.norm_new, i == 0 and heading) for i, t in enumerate(tn)]
        if ko == kn:
            return
        _masked_numbers(to, ko, self.norm_old)
        _masked_numbers(tn, kn, self.norm_new)
        if ko == kn:
            return
        pieces: list[tuple[str, list]] = []  # (status, tokens)
        for tag, i1, i2, j1, j2 in SequenceMatcher(None, ko, kn, autojunk=False).get_opcodes():
            if tag == "equal":
                pieces.append(("", tn[j1:j2]))
                continue
            if i2 > i1:
                pieces.append(("del", to[i1:i2]))
            if j2 > j1:
                pieces.append(("ins", tn[j1:j2]))
        for r in new.findall(qn("w:r")):
            new.remove(r)
        for status, tokens in pieces:
            runs = _runs(tokens, deleted=status == "del")
            if not status:
                for r in runs:
                    new.append(r)
                continue
            wrap = self.rev.mark(status)
            for r in runs:
                wrap.append(r)
            new.append(wrap)

    @staticmethod
    def _key(token: tuple, norm: Normaliser, drop_number: bool) -> str:
        kind, value, _ = token
        if kind != "t":
            return kind
        word = value.strip()
        if drop_number and _NUMBER.match(word):
            return "#"
        return word if word else " "

    # -- whole blocks
    def _mark_inserted(self, el: etree._Element) -> None:
        self._mark_block(el, "ins")

    def _mark_deleted(self, el: etree._Element) -> None:
        for t in el.iter(qn("w:t")):
            t.tag = qn("w:delText")
        for t in el.iter(qn("w:instrText")):
            t.tag = qn("w:delInstrText")
        for bad in list(el.iter(qn("w:drawing"), "{http://schemas.openxmlformats.org/officeDocument/2006/math}oMath")):
            bad.getparent().remove(bad)
        self._mark_block(el, "del")

    def _mark_block(self, el: etree._Element, kind: str) -> None:
        if el.tag == qn("w:p"):
            self._mark_paragraph(el, kind)
            return
        rows = [el] if el.tag == qn("w:tr") else el.findall(qn("w:tr"))
        for tr in rows:
            trpr = tr.find(qn("w:trPr"))
            if trpr is None:
                trpr = etree.Element(qn("w:trPr"))
                tr.insert(0, trpr)
            trpr.append(self.rev.mark(kind))
            for p in tr.iter(qn("w:p")):
                self._mark_paragraph(p, kind, mark_end=False)

    def _mark_paragraph(self, p: etree._Element, kind: str, mark_end: bool = True) -> None:
        runs = [r for r in p if r.tag == qn("w:r")]
        if runs and any(r.find(t) is not None for r in runs for t in (qn("w:t"), qn("w:delText"), qn("w:tab"))):
            wrap = self.rev.mark(kind)
            runs[0].addprevious(wrap)
            for r in runs:
                wrap.append(r)
        if mark_end:
            ppr = p.find(qn("w:pPr"))
            if ppr is None:
                ppr = etree.Element(qn("w:pPr"))
                p.insert(0, ppr)
            rpr = ppr.find(qn("w:rPr"))
            if rpr is None:
                rpr = etree.Element(qn("w:rPr"))
                sect = ppr.find(qn("w:sectPr"))
                if sect is not None:
                    sect.addprevious(rpr)
                else:
                    ppr.append(rpr)
            rpr.insert(0, self.rev.mark(kind))


_CONTENT = {qn("w:p"), qn("w:tbl"), qn("w:tr")}


def _first_slot(parent: etree._Element, el: etree._Element) -> None:
    """Put a deleted block before the parent's first block (after its properties: tcPr, tblPr, tblGrid)."""
    first = next((c for c in parent if c.tag in _CONTENT), None)
    if first is not None:
        first.addprevious(el)
    else:
        parent.append(el)


def _masked_numbers(tokens: list, keys: list[str], norm: Normaliser) -> None:
    """Renumbered references ('Tabel 2.2' -> 'Tabel 2.3' for the same table) compare equal:
    a number token after 'Tabel'/'Gambar' takes the key its normaliser gives the pair."""
    for i in range(1, len(tokens)):
        if tokens[i][0] == "t" and tokens[i - 1][0] == "t":
            prev, word = tokens[i - 1][1].strip(), tokens[i][1].strip()
            if prev in ("Tabel", "Gambar", "Lampiran") and _NUMBER.match(word):
                bare = word.rstrip(".,;:)")
                keys[i] = norm(f"{prev} {bare}") + word[len(bare):]


def _tokens(p: etree._Element) -> list[tuple[str, str, bytes]] | None:
    """A paragraph's content as word tokens (kind, text, run properties); None if it holds more than
    plain runs (fields, equations, pictures), which are compared whole."""
    out: list[tuple[str, str, bytes]] = []
    for child in p:
        if child.tag == qn("w:pPr"):
            continue
        if child.tag != qn("w:r"):
            return None
        rpr = child.find(qn("w:rPr"))
        props = etree.tostring(rpr) if rpr is not None else b""
        for el in child:
            if el.tag not in _SIMPLE_RUN:
                return None
            if el.tag == qn("w:t"):
                out += [("t", w, props) for w in _WORD.findall(el.text or "")]
            elif el.tag == qn("w:tab"):
                out.append(("tab", "\t", props))
            elif el.tag == qn("w:br"):
                out.append(("br", "\n", props))
    return out


def _runs(tokens: list[tuple[str, str, bytes]], deleted: bool) -> list[etree._Element]:
    """Tokens back to runs, one run per stretch of equal run properties."""
    runs: list[etree._Element] = []
    props_of_last = None
    text_tag = qn("w:delText") if deleted else qn("w:t")
    for kind, value, props in tokens:
        if not runs or props != props_of_last:
            r = etree.Element(qn("w:r"))
            if props:
                r.append(etree.fromstring(props))
            runs.append(r)
            props_of_last = props
        r = runs[-1]
        if kind == "t":
            last = r[-1] if len(r) else None
            if last is not None and last.tag == text_tag:
                last.text += value
            else:
                t = etree.SubElement(r, text_tag)
                t.text = value
                t.set(_XML_SPACE, "preserve")
        else:
            etree.SubElement(r, qn(f"w:{kind}"))
    return runs
