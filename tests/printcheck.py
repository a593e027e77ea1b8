"""Reads a printed PDF back with word positions and finds what a reader would reject: a word or
number of the .docx broken across two lines of one cell, and pages left (nearly) empty.

`pdftotext -bbox-layout` gives every word with its line and text block (a table cell is a block
of its own), so a break inside a cell shows as two lines of one block whose last and first words
join into a word of the document. Used by tests/render/test_print_layout.py.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

W_T = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"
W_P = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"
NUMBER = re.compile(r"^[\d.,%]+$")
PAGE_NUMBER = re.compile(r"^(?:\d+|[ivxlcdm]+)$")


def docx_words(docx: Path) -> set[str]:
    """Every whitespace-separated word of every paragraph of the document (table cells included)."""
    with zipfile.ZipFile(docx) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    words: set[str] = set()
    for p in root.iter(W_P):
        words.update("".join(t.text or "" for t in p.iter(W_T)).replace("\u2011", "-").replace("\u200b", "").split())
    return words


@dataclass
class Page:
    number: int
    blocks: list[list[list[str]]]  # blocks -> lines -> words

    def lines(self) -> list[str]:
        return [" ".join(line) for block in self.blocks for line in block if line]


def read_pages(pdf: Path) -> list[Page]:
    html = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    root = etree.fromstring(re.sub(r'xmlns="[^"]+"', "", html, count=1).encode("utf-8"),
                            etree.XMLParser(recover=True))
    pages = []
    for n, page in enumerate(root.iter("page"), 1):
        blocks = [[[w.text or "" for w in line.iter("word")] for line in block.iter("line")]
                  for block in page.iter("block")]
        pages.append(Page(n, blocks))
    return pages


@dataclass
class Report:
    words: list[str] = field(default_factory=list)  # "p12: Capaia|n"
    numbers: list[str] = field(default_factory=list)
    near_empty: list[int] = field(default_factory=list)  # page numbers (1-based, in the PDF)


def inspect(docx: Path, pdf: Path) -> Report:
    tokens = docx_words(docx)
    report = Report()
    for page in read_pages(pdf):
        for block in page.blocks:
            for first, second in zip(block, block[1:]):
                if not first or not second:
                    continue
                a, b = first[-1], second[0]
                # a line may end at a word, after "/" or "-" (allowed breaks); else a+b is one word cut
                if a in tokens or a.endswith(("-", "/")) or (a + b) not in tokens:
                    continue
                (report.numbers if NUMBER.match(a + b) else report.words).append(f"p{page.number}: {a}|{b}")
        text = [line for line in page.lines() if not PAGE_NUMBER.match(line.strip())]
        if len(text) <= 1:
            report.near_empty.append(page.number)
    return report


def tree_names(grid) -> dict[str, set[str]]:
    """A tree table's (Grid.levels) program and kegiatan names by code (a code's final "." dropped),
    without spaces (a printed line may end after "/", which splits a word)."""
    from renstra_gen.grid import START, placements

    nhead = len(grid.header)
    slots = placements(grid.header + grid.body, len(grid.columns))[nhead:]
    code_col, name_col = grid.tree_columns
    out: dict[str, set[str]] = {}
    for row, level in zip(slots, grid.levels):
        if level in (0, 1):
            cells = {col: cell.text for col, cell, kind in row if kind == START}
            out.setdefault(cells[code_col].rstrip("."), set()).add(cells[name_col].replace(" ", ""))
    return out


def page_tree_rows(page, code: re.Pattern) -> list[tuple[str, list]]:
    """The body rows of a program table on a PDF page (renstra_gen.content.pdftext's TextPage: PDFium's
    word boxes, as the proof reads them), below its column-number row: (code, the words printed right
    of the code from its top to the next code's, line by line, left to right); a code's final "." dropped."""
    words = [w for line in page.lines for w in line]
    numbers = [w for w in words if w.text == "(2)"]
    if not numbers:
        return []
    below = numbers[0].bottom
    codes = sorted((w for w in words if code.match(w.text) and w.top > below), key=lambda w: w.top)
    ends = [c.top for c in codes[1:]] + [page.height]
    jumlah = [w.top for w in words if w.text == "JUMLAH" and w.top > below]
    out = []
    for c, end in zip(codes, ends):
        end = min([end] + [t for t in jumlah if t > c.top + 1])
        band = sorted((w for w in words if c.top - 1 <= w.top < end - 1 and w is not c and w.x0 > c.x0),
                      key=lambda w: (round(w.top), w.x0))
        out.append((c.text.rstrip("."), band))
    return out


def _repeated(band: list) -> list[str] | None:
    """The words of a row repeated "(lanjutan)" at the top of `band` (its lines down to the one that
    ends with "(lanjutan)"), or None when the band does not start with one."""
    marks = [w for w in band if w.text == "(lanjutan)"]
    if not marks:
        return None
    lines = [w for w in band if w.top < marks[0].top + 1]
    return [w.text for w in lines] if lines[-1] is marks[0] else None


def repeated_parents(pdf: bytes, code: re.Pattern, names: dict[str, set[str]], header_word: str) -> list[int]:
    """Checks every page of a tree table (pages holding `header_word`) that continues it: where it
    starts inside a program, the program is repeated "(lanjutan)" (grid.paged) with its code and its
    name alone (no figure on its lines), then its kegiatan the same way when the page starts inside
    one. Returns the pages that start with repeated rows."""
    from renstra_gen.content.pdftext import read_pages

    out = []
    seen = False
    for page in read_pages(pdf, failed="x"):
        rows = page_tree_rows(page, code)
        if not rows or header_word not in {w.text for line in page.lines for w in line}:
            continue
        first, band = rows[0]
        words = _repeated(band)
        if seen and words is None:
            assert first.count(".") == 2, (page.number, first)  # a page starts on a program row, never under one
        if words is not None:
            out.append(page.number)
            assert first.count(".") == 2 and "".join(words[:-1]) in names[first], (page.number, first, words)
            second, below = rows[1]
            # the kegiatan the page starts on or repeated (the default content numbers one like its program)
            assert second.startswith(first), (page.number, second)
            more = _repeated(below)
            if more is not None:  # inside a kegiatan: the kegiatan too
                assert "".join(more[:-1]) in names[second], (page.number, second, more)
                words = words + more
            assert not any(re.search(r"\d", w) for w in words), (page.number, words)  # no figure
        seen = True
    return out


def word_boxes(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """Every page's words with their boxes (x0, y0, x1, y1 in points, y growing downwards)."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    root = etree.fromstring(re.sub(r'xmlns="[^"]+"', "", html, count=1).encode("utf-8"),
                            etree.XMLParser(recover=True))
    return [[(float(w.get("xMin")), float(w.get("yMin")), float(w.get("xMax")), float(w.get("yMax")), w.text or "")
             for w in page.iter("word")] for page in root.iter("page")]


def column_lines(words, header: list[str]) -> dict[str, list[list[str]]]:
    """The lines of text (words of one baseline, left to right) under each header word of a table whose
    header cells hold these one-word titles, centred in their columns: the columns' edges are solved from
    the table's left edge and the titles' centres (a centred title sits halfway between its edges)."""
    heads = []
    for title in header:
        x0, y0, x1, y1, _ = next(w for w in words if w[4] == title)
        heads.append(((x0 + x1) / 2, y0))
    top = max(y for _, y in heads)
    body = [w for w in words if w[1] > top + 4]  # line boxes overlap: the next line starts ~10 pt lower
    bottom = max(w[1] for w in body)
    body = [w for w in body if not (w[1] == bottom and PAGE_NUMBER.match(w[4]))]  # the page number
    edge = min(w[0] for w in body) - 2.0  # the first column's text starts at its left edge (plus padding)
    edges = []
    for centre, _ in heads:
        edges.append(edge)
        edge = 2 * centre - edge
    edges.append(float("inf"))
    out: dict[str, list[list[str]]] = {}
    for i, title in enumerate(header):
        mine = sorted((w for w in body if edges[i] <= (w[0] + w[2]) / 2 < edges[i + 1]), key=lambda w: (w[1], w[0]))
        lines: list[list[str]] = []
        last_y = None
        for w in mine:
            if last_y is None or abs(w[1] - last_y) > 2.0:
                lines.append([])
                last_y = w[1]
            lines[-1].append(w[4])
        out[title] = lines
    return out


def longest_one_word_run(lines: list[list[str]]) -> int:
    """The most consecutive lines holding one word each (a column too narrow for its text)."""
    run = best = 0
    for line in lines:
        run = run + 1 if len(line) == 1 and line[0] not in {"-", "•"} else 0
        best = max(best, run)
    return best
