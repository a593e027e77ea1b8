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
