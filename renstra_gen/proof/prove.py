"""The print proof: every table cell, heading and paragraph of a .docx must be found in its PDF's text.

The expected words come from the .docx itself (word/document.xml), not from the plan: the same
code then proves the Renstra, the Renja and `renstra pdf` of a .docx edited by hand, and it checks
exactly what LibreOffice was given. Field results (the Daftar Isi/Tabel/Gambar lists, which
LibreOffice rewrites), equations (drawn as objects) and headers/footers are left out; they may only
add words to the PDF.

The PDF is read back with PDFium (pdftext.py: words with boxes, under a time and memory budget),
page by page. Words are compared
after NFKC normalisation, case folding and dropping everything but letters and digits, so line
breaks, hyphenation and punctuation do not matter; a word broken over two or three lines
(hyphenated, a compound wrapped after its hyphen such as "P-"/"IRT", or a long number broken in a
narrow column) is matched by its pieces joined: PDFium joins a word wrapped after a hyphen itself,
and the proof joins a line's last word with the next line's first (PDFium reads a table cell's
lines one after another) and with the words printed under it.
Paragraphs and table rows are placed on pages first: the longest chain, in document order, of
those whose words are all on one page (or two facing ones) anchors the rest. Then each paragraph
and row takes its words, each printed word once, only from the pages between the anchors around
it, so a word printed elsewhere in the document cannot stand in for a missing one.
"""

from __future__ import annotations

import bisect
import io
import re
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass, field

from renstra_gen.errors import ConversionError, error, Finding, Source
from renstra_gen.content.pdftext import read_pages, TextPage
from renstra_gen.system.pesan import reason

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
CAPTION_STYLES = ("JudulTabel", "JudulLampiran")
HEADING = re.compile(r"^(Heading\d|JudulDepan)$")
_LEADER = re.compile(r"\.{2,}")


@dataclass
class Item:
    """One paragraph or table cell of the document, with the words that must be printed."""

    text: str
    words: list[str]
    where: str  # the table caption, or the heading of the section
    table: int | None = None  # index of the table in the document, None for a paragraph
    row: int = 0
    optional: bool = False  # a field result: its words are taken where printed, never missed


@dataclass
class ProofReport:
    """What was proved: how many paragraphs and table cells were found in the PDF."""

    paragraphs: int = 0
    cells: int = 0
    findings: list[Finding] = field(default_factory=list)


def words(text: str) -> list[str]:
    """Comparable words: NFKC, case-folded, letters and digits only (soft hyphens dropped)."""
    text = unicodedata.normalize("NFKC", text.replace("\u00ad", "")).casefold()
    text = _LEADER.sub(" ", text)  # a dot leader ("Dinas.......3") or an ellipsis separates words
    out = []
    for w in text.split():
        w = "".join(c for c in w if c.isalnum())
        if w:
            out.append(w)
    return out


# -- the document's side

def _paragraph_text(p, depth: list[int] | None = None) -> tuple[str, str]:
    """The visible text of a paragraph and, apart, the text of cached field results in it."""
    parts: tuple[list[str], list[str]] = ([], [])
    _collect(p, parts, depth if depth is not None else [0])
    return " ".join("".join(parts[0]).split()), " ".join("".join(parts[1]).split())


def _collect(el, parts: tuple[list[str], list[str]], depth: list[int]) -> None:
    # depth[0] > 0 while inside the cached result of a complex field (begin..separate..end)
    for child in el:
        tag = child.tag
        if tag in (MC_FALLBACK, f"{W}instrText", f"{W}delText"):
            continue
        if tag == f"{W}fldChar":
            kind = child.get(f"{W}fldCharType")
            if kind == "separate":
                depth[0] += 1
            elif kind == "end" and depth[0] > 0:
                depth[0] -= 1
            continue
        out = parts[1] if depth[0] or tag == f"{W}fldSimple" else parts[0]
        if tag == f"{W}t":
            out.append(child.text or "")
        elif tag in (f"{W}tab", f"{W}br", f"{W}cr"):
            out.append(" ")
        elif tag == f"{W}fldSimple":
            depth[0] += 1
            _collect(child, parts, depth)
            depth[0] -= 1
        else:
            if tag == f"{W}p":  # a paragraph inside a text box
                out.append(" ")
            _collect(child, parts, depth)


def _style(p) -> str:
    el = p.find(f"{W}pPr/{W}pStyle")
    return el.get(f"{W}val") if el is not None else ""


def document_items(docx: bytes) -> list[Item]:
    """Every paragraph and table cell of the document body, in order, with a readable place name.

    Text of field results (the lists LibreOffice fills) comes as optional items: it takes its
    words from the PDF where printed, so that a heading is not matched against its own entry in
    the Daftar Isi, but its absence is no finding."""
    from lxml import etree

    try:
        with zipfile.ZipFile(io.BytesIO(docx)) as z:
            root = etree.fromstring(z.read("word/document.xml"), etree.XMLParser(huge_tree=True))
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as e:
        raise ConversionError(f"dokumen .docx tidak dapat dibaca untuk pemeriksaan cetak ({reason(e)})") from e
    items: list[Item] = []
    heading, caption = "awal dokumen", ""
    field_depth = [0]  # a field (the Daftar Isi) may run over many paragraphs
    tables = 0

    def add(text: str, generated: str, where: str, table: int | None = None, row: int = 0) -> None:
        if words(generated):
            items.append(Item(generated, words(generated), where, table, row, optional=True))
        if words(text):
            items.append(Item(text, words(text), where, table, row))

    for el in _blocks(root.find(f"{W}body")):
        if el.tag == f"{W}p":
            text, generated = _paragraph_text(el, field_depth)
            style = _style(el)
            if HEADING.match(style) and text:
                heading = text
            caption = text if style in CAPTION_STYLES else ""
            add(text, generated, heading)
        else:
            where = caption or f"tabel di bagian {heading}"
            for r, tr in enumerate(el.iter(f"{W}tr")):
                for tc in tr.iter(f"{W}tc"):
                    texts = [_paragraph_text(p) for p in tc.iter(f"{W}p")]
                    add(" ".join(t for t, _ in texts), " ".join(g for _, g in texts), where, tables, r)
            tables += 1
            caption = ""
    return items


def _blocks(parent):
    """Body-level paragraphs and tables, looking into content controls (a Word TOC is one)."""
    for el in parent:
        if el.tag == f"{W}sdt":
            content = el.find(f"{W}sdtContent")
            if content is not None:
                yield from _blocks(content)
        elif el.tag in (f"{W}p", f"{W}tbl"):
            yield el


# -- the PDF's side

@dataclass
class _Page:
    words: Counter
    joined: Counter  # a word broken at the end of a line, joined with the start of the next line(s)


FAILED = "PDF tidak dapat dibaca untuk pemeriksaan cetak (atau lewati pemeriksaan dengan --no-proof)"


@dataclass
class Reading:
    """A PDF read once: its pages as read (the signature fields are placed from them) and, built
    while the next pages were being read, their words for one proof (which uses them up)."""

    text: list[TextPage]
    pages: list[_Page]
    # (the .docx, its report): the proof already made of this PDF against that .docx (object identity),
    # which `prove` gives again instead of comparing anew (an incremental conversion's: workflows/pdf.py)
    proved: tuple[bytes, ProofReport] | None = None

    def copy(self) -> Reading:
        """The same reading with words of its own (a proof uses up the words it takes)."""
        return Reading(self.text, [_Page(Counter(p.words), Counter(p.joined)) for p in self.pages], self.proved)


def read(pdf: bytes, failed: str = FAILED, reader=None) -> Reading:
    """Read the PDF (pdftext.read_pages, under its budget), its pages' words made as they arrive.
    `reader`: a reading process started ahead (pdftext.start_reader)."""
    pages: list[_Page] = []
    text = read_pages(pdf, failed=failed, each=lambda page: pages.append(_page(page)), reader=reader)
    return Reading(text, pages)


def pdf_pages(pdf: bytes, text: list[TextPage] | None = None) -> list[_Page]:
    """The words of every page of the PDF (or of its reading `text`, already made)."""
    if text is None:
        return read(pdf).pages
    return [_page(page) for page in text]


def _page(page: TextPage) -> _Page:
    """A page's words, and the candidates for words broken over two or three lines.

    A piece continues on the next line PDFium reads (a paragraph's line ends with "pemba-", the
    next starts with "ngunan"; a table cell's lines follow each other), or on the next text line
    under it or at the cell's left edge (see `under`)."""
    boxes = []
    lines: list[list[str]] = []
    for line in page.lines:
        here = []
        for el in line:
            for w in words(el.text):
                here.append(w)
                boxes.append((el.top, el.bottom, el.x0, el.x1, w))
        if here:
            lines.append(here)
    # a line's last word with the next line's first; through a line of one word, with the one after
    ends = [a[-1] + b[0] for a, b in zip(lines, lines[1:])]
    ends += [a[-1] + b[0] + c[0] for a, b, c in zip(lines, lines[1:], lines[2:]) if len(b) == 1]
    found = Counter(b[4] for b in boxes)
    joined: Counter = Counter(ends)
    # the page's text lines (words whose tops are within 1 pt), each sorted by x, and where a run
    # of words starts on its text line (a gap wider than a space before it)
    rows: list[list[tuple]] = []
    for box in sorted(boxes):
        if rows and abs(box[0] - rows[-1][0][0]) < 1:
            rows[-1].append(box)
        else:
            rows.append([box])
    row_tops = [row[0][0] for row in rows]
    row_xs, row_starts = [], []
    for row in rows:
        row.sort(key=lambda b: b[2])
        row_xs.append([b[2] for b in row])
        starts = [b for i, b in enumerate(row) if i == 0 or b[2] - row[i - 1][3] > 0.6 * (b[1] - b[0])]
        row_starts.append((starts, [b[2] for b in starts]))

    def under(b) -> list[tuple]:
        """Words on the next text line that may continue `b`: starting under it (a centred cell,
        or a dense table whose cells run together), or starting a run of words to its left (the
        cell's left edge; a dense table's cells run together, so where `b`'s run stops is unknown)."""
        y0, y1, x0, x1, _ = b
        height = y1 - y0
        out = []
        for r in range(bisect.bisect_left(row_tops, y1 - 0.5 * height),
                       bisect.bisect_right(row_tops, y1 + 0.8 * height)):
            xs = row_xs[r]
            out += [c for c in rows[r][bisect.bisect_right(xs, x0 - 60):bisect.bisect_left(xs, x1 + 2)] if c is not b]
            starts, sx = row_starts[r]
            out += starts[bisect.bisect_right(sx, x0 - 250):bisect.bisect_right(sx, x0 - 60)]
        return out

    following = {id(b): under(b) for b in boxes}  # each box's continuations, found once
    for b in boxes:
        for c in following[id(b)]:
            joined[b[4] + c[4]] += 1
            for d in following[id(c)]:
                joined[b[4] + c[4] + d[4]] += 1
    return _Page(found, joined)


# -- the comparison

def prove(docx: bytes, pdf: bytes, pdf_name: str, reading: Reading | None = None,
          items: list[Item] | None = None) -> ProofReport:
    """Compare the document's words with the PDF's; findings name what is missing, per table or section.

    `reading`: the PDF's reading if already made (`read`, used up here), else the PDF is read here;
    `items`: document_items(docx) if already made (while LibreOffice converted)."""
    if reading is not None and reading.proved is not None and reading.proved[0] is docx:
        return reading.proved[1]
    items = document_items(docx) if items is None else items
    pages = reading.pages if reading is not None else read(pdf).pages
    missing = _missing(items, pages)
    report = ProofReport(paragraphs=sum(1 for it in items if it.table is None and not it.optional),
                         cells=sum(1 for it in items if it.table is not None and not it.optional))
    report.findings = _findings(missing, Source(pdf_name))
    return report


def _units(items: list[Item]) -> list[list[Item]]:
    """Paragraphs one by one, table cells grouped by row: a row is printed whole or not at all."""
    units: list[list[Item]] = []
    for item in items:
        if item.table is not None and units and (units[-1][0].table, units[-1][0].row) == (item.table, item.row):
            units[-1].append(item)
        else:
            units.append([item])
    return units


def _missing(items: list[Item], pages: list[_Page]) -> list[Item]:
    """The items whose words are not all printed between the pages of the items around them."""
    units = _units(items)
    anchors = _anchors(units, pages)
    last = len(pages) - 1
    # every unit is looked for from the page of the anchor before it to the page after the next anchor
    after: list[int] = [last + 1] * len(units)
    nxt = last
    for i in range(len(units) - 1, -1, -1):
        nxt = anchors.get(i, nxt)
        after[i] = nxt + 1
    out = []
    before = 0
    for i, unit in enumerate(units):
        before = anchors.get(i, before)
        span = range(max(before - 1, 0), min(after[i], last) + 1)
        taken: list[tuple[Counter, str]] = []
        lost = []
        for item in unit:
            mine: list[tuple[Counter, str]] = []
            if all([_take(w, span, pages, mine) for w in item.words]):
                taken += mine
            else:
                _give_back(mine)  # a field result not printed in full (a list LibreOffice left out)
                if not item.optional:
                    lost.append(item)
        if lost:
            _give_back(taken)  # the words of a row not printed whole belong to what comes next
            out += lost
    return out


def _page_sets(pages: list[_Page]) -> dict[str, set[int]]:
    index: dict[str, set[int]] = {}
    for p, page in enumerate(pages):
        for w in page.words:
            index.setdefault(w, set()).add(p)
        for w in page.joined:
            index.setdefault(w, set()).add(p)
    return index


def _anchors(units: list[list[Item]], pages: list[_Page], most: int = 12) -> dict[int, int]:
    """Where the document's units are printed: the longest chain, in document order and on
    non-decreasing pages, of units whose words are all on one page (or it and the next).

    A unit found on more than `most` pages says nothing about where it is and is left out."""
    index = _page_sets(pages)
    n = len(pages)
    tree = [(0, -1)] * (n + 1)  # Fenwick tree of (chain length, node) maxima over pages

    def best_upto(p: int) -> tuple[int, int]:
        out, i = (0, -1), p + 1
        while i > 0:
            out = max(out, tree[i])
            i -= i & -i
        return out

    def offer(p: int, value: tuple[int, int]) -> None:
        i = p + 1
        while i <= n:
            tree[i] = max(tree[i], value)
            i += i & -i

    nodes: list[tuple[int, int, int]] = []  # (unit, page, previous node)
    for u, unit in enumerate(units):
        need = [w for item in unit if not item.optional for w in item.words]
        if not need:
            continue
        candidates: set[int] | None = None
        for w in sorted(set(need), key=lambda w: len(index.get(w, ()))):
            here = index.get(w, set())
            spread = here | {p - 1 for p in here if p > 0}  # on this page or the next
            candidates = spread if candidates is None else candidates & spread
            if not candidates:
                break
        if not candidates or len(candidates) > most:
            continue
        offers = []
        for p in sorted(candidates):
            length, node = best_upto(p)
            nodes.append((u, p, node))
            offers.append((p, (length + 1, len(nodes) - 1)))
        for p, value in offers:  # after all queries: a unit does not chain onto itself
            offer(p, value)
    anchors: dict[int, int] = {}
    node = best_upto(n - 1)[1] if n else -1
    while node >= 0:
        u, p, node = nodes[node]
        anchors[u] = p
    return anchors


def _give_back(taken: list[tuple[Counter, str]]) -> None:
    for counter, w in taken:
        counter[w] += 1


def _take(word: str, span: range, pages: list[_Page], taken: list) -> bool:
    for i in span:
        for counter in (pages[i].words, pages[i].joined):
            if counter[word] > 0:
                counter[word] -= 1
                taken.append((counter, word))
                return True
    return False


def _quote(text: str, limit: int = 40) -> str:
    return f'"{text if len(text) <= limit else text[:limit - 1].rstrip() + "…"}"'


def _findings(missing: list[Item], source: Source) -> list[Finding]:
    """One finding per table (rows not printed) and per section (paragraphs not printed)."""
    groups: dict[tuple, list[Item]] = {}
    for item in missing:
        key = ("tabel", item.table) if item.table is not None else ("paragraf", item.where)
        groups.setdefault(key, []).append(item)
    out = []
    for (kind, _), group in groups.items():
        first = group[0]
        if kind == "tabel":
            rows = len({it.row for it in group})
            out.append(error(source, f"{first.where}: {rows} baris tidak tercetak di PDF (mulai dari {_quote(first.text)})"))
        else:
            out.append(error(source, f"{first.where}: {len(group)} paragraf tidak tercetak di PDF "
                                     f"(mulai dari {_quote(first.text)})"))
    return out


# -- where a table's pages break

def table_breaks(items: list[Item], pages: list[_Page], heads: dict[int, int]) -> dict[int, list[int]]:
    """Per table (its index in the document) the body rows that start a page of the PDF.

    `heads`: the tables to measure, each with its number of header rows. A row is on the first
    page, not before the previous row's, that holds every one of its words; a row whose words are
    found nowhere (lost, or wordless) stays with the row before it. Reads `pages` before a proof
    uses them up."""
    index = _page_sets(pages)
    rows: dict[tuple[int, int], list[str]] = {}
    for item in items:
        if item.table in heads and not item.optional and item.row >= heads[item.table]:
            rows.setdefault((item.table, item.row), []).extend(item.words)
    out: dict[int, list[int]] = {}
    for table, nhead in heads.items():
        numbers = sorted(r for t, r in rows if t == table)
        prev: int | None = None
        found = []
        for r in numbers:
            here: set[int] | None = None
            for w in set(rows[(table, r)]):
                pages_of = index.get(w, set())
                here = pages_of if here is None else here & pages_of
                if not here:
                    break
            later = sorted(p for p in (here or ()) if prev is None or p >= prev)
            if not later:
                continue
            if prev is not None and later[0] > prev:
                found.append(r - nhead)
            prev = later[0]
        out[table] = found
    return out
