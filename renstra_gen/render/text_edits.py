"""What turns one .docx into the next when only run texts changed: the edits an incremental conversion
applies to the document the warm office still holds (office.py, uno_client.apply_edits).

    edits = text_edits(old_docx, new_docx)   # None: not a text-only change, convert in full

Two documents qualify when every part but word/document.xml is byte-identical and word/document.xml
is the same once the texts of its w:t elements are set aside (same paragraphs, runs, tables, rows,
cells, properties). Each changed paragraph gives one edit: its whole old text as LibreOffice reads
it, which occurrence of that text in document order it is (counted as LibreOffice's search counts:
non-overlapping, within paragraphs), and the changed middle of its one changed run (the common
prefix and suffix of the run's old and new texts stay; an insertion takes a character of the run
along, so that the office sets the new text inside the run and the run's formatting is kept).
Anything this cannot be sure of (a changed paragraph holding a tab, a field, an equation, a break,
a drawing; two changed runs in one paragraph; an empty run; text outside the BMP) gives None.
The print proof of the result is the final word (workflows/pdf.py), and a failure there falls back
to a full conversion.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import unescape

DOCUMENT = "word/document.xml"
_TEXT = re.compile(rb"(<w:t(?: [^>]*)?>)([^<]*)(</w:t>)")
# a paragraph's start and end, and what makes its text differ from its runs' w:t (LibreOffice reads
# a tab, a break, a field, an equation or an object into the paragraph's string)
_PARA = re.compile(rb"<w:p[ >]|</w:p>|<w:p/>")
_SPECIAL = re.compile(rb"<w:(?:tab|br|cr|fldChar|instrText|fldSimple|sym|noBreakHyphen|softHyphen|drawing|pict|object"
                      rb"|footnoteReference|endnoteReference|commentReference|ptab|txbxContent)[ />]"
                      rb"|<m:|<mc:|<w:sdt[ >]")
_ENTITIES = {"&quot;": '"', "&apos;": "'"}


@dataclass(frozen=True)
class Edit:
    """Replace, in the `occurrence`-th (0-based) match of `text` in document order, the `old`
    characters at `start` by `new`; `count`: how many times `text` occurs in the old document (the
    office's search must find as many)."""

    text: str
    occurrence: int
    start: int
    old: str
    new: str
    count: int = 0

    def as_list(self) -> list:
        return [self.text, self.occurrence, self.start, self.old, self.new]


@dataclass
class _Paragraph:
    texts: list[int]  # indexes of its w:t among the document's
    plain: bool  # nothing but runs of w:t text (see _SPECIAL)


def text_edits(old: bytes, new: bytes) -> list[Edit] | None:
    """The edits that make `old`'s text `new`'s (empty when equal), or None when the change is not
    text-only or not certain (see the module's docstring)."""
    try:
        with zipfile.ZipFile(io.BytesIO(old)) as a, zipfile.ZipFile(io.BytesIO(new)) as b:
            names = a.namelist()
            if names != b.namelist() or DOCUMENT not in names:
                return None
            for name in names:
                if name != DOCUMENT and a.read(name) != b.read(name):
                    return None
            doc_a, doc_b = a.read(DOCUMENT), b.read(DOCUMENT)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return None
    if doc_a == doc_b:
        return []
    pieces_a, pieces_b = _TEXT.split(doc_a), _TEXT.split(doc_b)
    if len(pieces_a) != len(pieces_b):
        return None
    # split() gives [between, open tag, text, close tag, between, ...]: all but the texts must match
    for i, (x, y) in enumerate(zip(pieces_a, pieces_b)):
        if i % 4 != 2 and x != y:
            return None
    try:
        texts_a = [_text(pieces_a[i]) for i in range(2, len(pieces_a), 4)]
        texts_b = [_text(pieces_b[i]) for i in range(2, len(pieces_b), 4)]
    except (UnicodeDecodeError, ValueError):
        return None
    paragraphs = _paragraphs(pieces_a)
    if paragraphs is None:
        return None
    changed = {i for i, (x, y) in enumerate(zip(texts_a, texts_b)) if x != y}
    owner = {t: n for n, p in enumerate(paragraphs) for t in p.texts}
    if any(t not in owner for t in changed):
        return None  # a w:t outside any paragraph
    full = ["".join(texts_a[t] for t in p.texts) for p in paragraphs]
    edits = []
    for n in sorted({owner[t] for t in changed}):
        p = paragraphs[n]
        mine = [t for t in p.texts if t in changed]
        if not p.plain or len(mine) != 1:
            return None  # one changed run per paragraph: its formatting is the one kept
        t = mine[0]
        old_run, new_run = texts_a[t], texts_b[t]
        before = full[n]
        if not old_run or any(ord(c) > 0xFFFF for c in before + new_run):
            return None  # an empty run has no formatting to keep; LibreOffice counts UTF-16 units
        start = _common_prefix(old_run, new_run)
        tail = _common_prefix(old_run[start:][::-1], new_run[start:][::-1])
        old_mid, new_mid = old_run[start:len(old_run) - tail], new_run[start:len(new_run) - tail]
        if not old_mid:  # an insertion takes one character of its run along: it is then set inside the run
            if start:
                start -= 1
                old_mid, new_mid = old_run[start], old_run[start] + new_mid
            else:
                old_mid, new_mid = old_run[start], new_mid + old_run[start]
        offset = sum(len(texts_a[u]) for u in p.texts[:p.texts.index(t)])
        occurrence = sum(_count(text, before) for text in full[:n])
        count = occurrence + sum(_count(text, before) for text in full[n:])
        edits.append(Edit(before, occurrence, offset + start, old_mid, new_mid, count))
    return edits


def counts(edits: list[Edit]) -> dict[str, int]:
    """For each edit's paragraph text, its occurrences in the old document."""
    return {e.text: e.count for e in edits}


def _text(raw: bytes) -> str:
    if b"&#" in raw:
        raise ValueError("a character reference")  # not written by render/docx; not worth reading
    return unescape(raw.decode("utf-8"), _ENTITIES)


def _paragraphs(pieces: list[bytes]) -> list[_Paragraph] | None:
    """The document's paragraphs in order (a paragraph inside another, as in a text box, makes it None)."""
    out: list[_Paragraph] = []
    current: _Paragraph | None = None
    for i in range(0, len(pieces), 4):
        between = pieces[i]
        pos = 0
        for m in _PARA.finditer(between):
            if current is not None and _SPECIAL.search(between, pos, m.start()):
                current.plain = False
            tag = m.group()
            if tag == b"</w:p>":
                if current is None:
                    return None
                out.append(current)
                current = None
            elif tag == b"<w:p/>":
                if current is not None:
                    return None
                out.append(_Paragraph([], True))
            else:
                if current is not None:
                    return None
                current = _Paragraph([], True)
            pos = m.end()
        if current is not None and _SPECIAL.search(between, pos):
            current.plain = False
        if i + 2 < len(pieces):
            if current is None:
                return None
            current.texts.append(i // 4)
    return out if current is None else None


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _count(haystack: str, needle: str) -> int:
    """Non-overlapping occurrences, left to right (as LibreOffice's find-all)."""
    return haystack.count(needle) if needle else 0
