"""Reading a PDF back: its words with their boxes, line by line, through PDFium (pypdfium2).

Every PDF is read in a child process (pdftext_worker.py) under a budget, whoever made it (our own
LibreOffice output, or a document attached to a Renja): an address-space cap, a CPU-time cap, a
wall-clock limit for the whole reading and for each page, and a cap on the characters of one page.
A PDF that needs more (a page whose form XObjects draw text within text, nested) gives a
ConversionError naming the page, never a hang. PDFium reads the text of a 75-page Renstra in
about 0.3 s (Poppler's `pdftotext -bbox-layout`, used before, took 2.6 s).
"""

from __future__ import annotations

import json
import os
import resource
import selectors
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, NamedTuple

from renstra_gen.errors import ConversionError
from renstra_gen.content.limits import count

WORKER = Path(__file__).with_name("pdftext_worker.py")

#: The reading budget. A Renstra of 80 pages is read in 0.3 s and 60 MB; its densest page holds
#: about 6,000 characters.
MEMORY_MB = 320  # address space of the reading process
SECONDS = 60.0  # the whole reading
PAGE_SECONDS = 10.0  # one page
PAGE_CHARS = 100_000  # characters of one page's text


class Word(NamedTuple):
    """A printed word and its box, in points from the page's top-left corner (a tuple: a page
    holds thousands, made as fast as the worker sends them)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass(frozen=True)
class TextPage:
    """A page: its number (1-based), size in points, and its lines of words in reading order."""

    number: int
    width: float
    height: float
    lines: tuple[tuple[Word, ...], ...]


def read_pages(pdf: bytes, first: int | None = None, last: int | None = None, *, failed: str,
               seconds: float = SECONDS, each: Callable[[TextPage], None] | None = None,
               reader: subprocess.Popen | None = None) -> list[TextPage]:
    """The pages `first`..`last` (1-based; default all) of the PDF, read under the budget.

    `failed` opens the message of the ConversionError raised when the PDF cannot be read; `each`
    is called with every page as it arrives (its work overlaps the reading of the next pages);
    `reader`: a reading process started ahead for the same pages and budget (start_reader)."""
    try:
        import pypdfium2  # noqa: F401  (the worker imports it; say what is missing here)
    except ImportError as e:
        if reader is not None:
            discard(reader)
        raise ConversionError(f"{failed}: modul pypdfium2 tidak terpasang; pasang ulang dengan: "
                              "bash tools/install.sh") from e
    if reader is not None and getattr(reader, "renstra_reads", None) != (first, last, seconds):
        discard(reader)  # started for other pages or another budget
        reader = None
    proc = reader if reader is not None else start_reader(first, last, seconds)
    lines: list[dict] = []
    try:
        _feed(proc, pdf)
        stuck = _collect(proc, lines, seconds, each)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        proc.stdout.close()
    head = lines[0] if lines else {}
    if "error" in head:
        if head.get("password"):
            raise ConversionError(f"{failed}: PDF terkunci dengan kata sandi")
        raise ConversionError(f"{failed}: PDF rusak atau bukan PDF (PDFium: kode {head['error']})")
    total = head.get("count", 0)
    pages = []
    for line in lines[1:]:
        if "chars" in line:
            raise ConversionError(f"{failed}: halaman {line['n']} memuat {count(line['chars'])} karakter teks, lebih "
                                  f"dari batas {count(PAGE_CHARS)} per halaman")
        pages.append(line["page"])
    end = total if not last else min(last, total)
    want = max(end - (first or 1) + 1, 0)
    if not lines or len(pages) < want:
        page = (first or 1) + len(pages)
        where = f"teks halaman {page}" if lines else "PDF"
        if not stuck and proc.returncode == -signal.SIGXCPU:
            stuck = f"{seconds:g} detik waktu prosesor"
        if stuck:
            raise ConversionError(f"{failed}: {where} tidak selesai dibaca dalam batas waktu ({stuck}); "
                                  "PDF ini terlalu berat atau sengaja dibuat untuk menghabiskan sumber daya")
        raise ConversionError(f"{failed}: {where} tidak dapat dibaca dalam batas {MEMORY_MB} MB memori; "
                              "PDF ini terlalu berat atau rusak")
    return pages


def start_reader(first: int | None = None, last: int | None = None,
                 seconds: float = SECONDS) -> subprocess.Popen:
    """A reading process (pdftext_worker.py under the budget), started before its PDF exists: it
    loads Python and PDFium while LibreOffice converts, and waits for the PDF on its input. Hand it
    to read_pages (which ends it in every case) or end it with .kill()."""

    def limit() -> None:
        cap = MEMORY_MB * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        cpu = int(seconds) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))  # CPU only: waiting costs none

    args = [sys.executable, "-I", str(WORKER), str(first or 1), str(last or 0), str(PAGE_CHARS)]
    proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            preexec_fn=limit)
    proc.renstra_reads = (first, last, seconds)
    return proc


def discard(reader: subprocess.Popen) -> None:
    """End a reading process that will not be used (start_reader)."""
    if reader.poll() is None:
        reader.kill()
    reader.wait()
    for pipe in (reader.stdin, reader.stdout):
        try:
            pipe.close()
        except OSError:
            pass


def _feed(proc: subprocess.Popen, pdf: bytes) -> None:
    try:
        proc.stdin.write(pdf)
    except BrokenPipeError:
        pass  # the reader died (its budget); said below
    finally:
        try:
            proc.stdin.close()
        except BrokenPipeError:
            pass


def _text_page(line: dict) -> TextPage:
    return TextPage(int(line["n"]), float(line["w"]), float(line["h"]), tuple(
        tuple(Word(str(t), float(a), float(b), float(c), float(d)) for t, a, b, c, d in ln) for ln in line["lines"]))


def _collect(proc: subprocess.Popen, lines: list[dict], seconds: float,
             each: Callable[[TextPage], None] | None) -> str:
    """Read the worker's JSON lines into `lines` (a page's as "page": TextPage); the limit that
    ended it early ("" if none)."""
    start = time.monotonic()
    page_start = None  # the page limit runs once the document is open (its first line)
    buf = b""
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        while True:
            now = time.monotonic()
            left = min(start + seconds, (page_start or start + seconds) + PAGE_SECONDS) - now
            if left <= 0:
                whole = now - start >= seconds
                return f"{seconds:g} detik seluruhnya" if whole else f"{PAGE_SECONDS:g} detik per halaman"
            if not sel.select(left):
                continue
            chunk = os.read(proc.stdout.fileno(), 1 << 20)
            if not chunk:
                break
            buf += chunk
            *done, buf = buf.split(b"\n")
            for raw in done:
                try:
                    line = json.loads(raw)
                    if "lines" in line:
                        line = {"page": _text_page(line)}
                except (ValueError, TypeError, KeyError):
                    return ""
                lines.append(line)
                if each is not None and "page" in line:
                    each(line["page"])
                page_start = time.monotonic()
    return ""


def probe(pdf: bytes) -> None:
    """Read the whole PDF's text under the budget, or a ConversionError saying why it cannot be.

    A document attached to a Renja is read so before it joins the signed PDF: a PDF whose text
    cannot be read within the budget would hang whoever reads the final document."""
    read_pages(pdf, failed="isinya tidak dapat dibaca dengan aman")
