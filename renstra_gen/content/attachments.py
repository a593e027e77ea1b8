"""Documents attached to a Renja's Lampiran (SK Tim Penyusun, Berita Acara Forum Perangkat Daerah):
their checked PDF files, and their pages placed after their cover pages in the printed PDF.

The .docx prints one cover page per document at the end of the Lampiran (render/docx.py); the PDF
made from it gets each document's own pages right after its cover. A document without a file keeps
its cover page only (the signed paper is filed with the original)."""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from renstra_gen.content import limits, model as m
from renstra_gen.errors import ContentError, error, Finding, OutputError, warning
from renstra_gen.content.paths import inside
from renstra_gen.system.quiet import pypdf_quiet


# pypdf reports a damaged file's repairs ("EOF marker not found") on the logging system, which
# prints them without our file name; a file it cannot read is our finding instead.
logging.getLogger("pypdf").setLevel(logging.ERROR)


@dataclass
class Attachment:
    number: int
    title: str
    nomor: str | None
    tanggal: dt.date | None
    tentang: str | None
    file: Path | None  # the document's PDF, checked; None: a cover page only
    pages: int  # pages of the file

    @property
    def caption(self) -> str:
        return f"Lampiran {self.number}: {self.title}"


def attachments(items: list[m.DokumenLampiran], root: Path, first: int = 1) -> tuple[list[Attachment], list[Finding]]:
    """The documents numbered from `first` (after the Lampiran tables), and the findings on their files."""
    out: list[Attachment] = []
    findings: list[Finding] = []
    for n, d in enumerate(items, first):
        file, pages = None, 0
        if d.berkas:
            where = d.source_of("berkas")
            try:
                file = inside(root, d.berkas, where)
                pages = pdf_pages(file)
                dropped = active_content(file)
                if dropped:
                    findings.append(warning(where, f"berkas '{d.berkas}' memuat {', '.join(dropped)}; semuanya "
                                                   f"dibuang dari PDF Renja (hanya isi halamannya yang disisipkan)"))
            except ContentError as e:
                findings += e.findings
                file = None
            except ValueError as e:
                findings.append(error(where, f"berkas '{d.berkas}' {e}"))
                file = None
        out.append(Attachment(n, d.judul, d.nomor, d.tanggal, d.tentang, file, pages))
    return out, findings


@pypdf_quiet()
def pdf_pages(path: Path) -> int:
    """The pages of a PDF the tool can place; ValueError saying what is wrong with it, in Indonesian."""
    if not path.is_file():
        raise ValueError("tidak ditemukan")
    if path.stat().st_size > limits.ATTACHMENT_BYTES:
        raise ValueError(f"lebih besar dari {limits.size(limits.ATTACHMENT_BYTES)}")
    data = path.read_bytes()
    if not data.lstrip()[:5] == b"%PDF-":
        raise ValueError("bukan berkas PDF")
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ValueError("terkunci dengan kata sandi; lampirkan PDF tanpa kata sandi")
        pages = len(reader.pages)
    except (PyPdfError, OSError, KeyError, TypeError, AttributeError) as e:
        raise ValueError(f"tidak dapat dibaca sebagai PDF ({type(e).__name__})") from None
    if pages == 0:
        raise ValueError("tidak memuat halaman")
    if pages > limits.ATTACHMENT_PAGES:
        raise ValueError(f"memuat {pages} halaman, lebih dari {limits.count(limits.ATTACHMENT_PAGES)}")
    from renstra_gen.errors import ConversionError
    from renstra_gen.content.pdftext import probe

    try:  # its text within the reading budget (a text bomb would hang whoever reads the signed Renja)
        probe(data)
    except ConversionError as e:
        raise ValueError(str(e)) from None
    return pages


@pypdf_quiet()
def place_after_covers(pdf: bytes, items: list[Attachment]) -> bytes:
    """The PDF with each document's pages right after its cover page.

    The covers are the document's last pages, one each, in order; each is recognised by its
    "Lampiran N" before anything is placed (OutputError otherwise, nothing half-made). The
    document's outline, links and file identifier are kept (the PDF is cloned, pages inserted)."""
    if not any(a.file for a in items):
        return pdf
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    first = len(writer.pages) - len(items)
    for i, a in enumerate(items):
        text = _squash(writer.pages[first + i].extract_text()) if first + i >= 0 else ""
        if _squash(f"Lampiran {a.number}") not in text:
            raise OutputError(f"halaman sampul Lampiran {a.number} tidak ditemukan di PDF; berkas lampiran "
                              f"tidak dapat disisipkan")
    for i in reversed(range(len(items))):  # from the back: the covers before keep their places
        a = items[i]
        if a.file is None:
            continue
        at = first + i + 1
        for page in reversed(sanitized_pages(a.file)):
            writer.insert_page(page, at)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


#: What an attached page may not bring into the signed Renja: actions run on opening or closing it
#: (/AA: JavaScript, Launch), and every annotation (links that launch programs or run JavaScript,
#: form widgets, embedded files). The attachment's own catalog (/OpenAction, /Names/JavaScript,
#: /EmbeddedFiles, /AcroForm) is never copied: only its pages are.
_PAGE_KEYS_DROPPED = ("/AA", "/Annots")


def sanitized_pages(path: Path) -> list:
    """The pages of an attached PDF without actions, annotations or form fields (pypdf page objects)."""
    from pypdf import PdfReader
    from pypdf.generic import NameObject

    pages = list(PdfReader(path).pages)
    for page in pages:
        for key in _PAGE_KEYS_DROPPED:
            if NameObject(key) in page:
                del page[NameObject(key)]
    return pages


def active_content(path: Path) -> list[str]:
    """What in an attached PDF would act when opened (named in Indonesian), dropped by `sanitized_pages`.

    A plain link or an opening view (a destination) is not named: it is dropped without a word."""
    from pypdf import PdfReader

    found: list[str] = []

    def note(what: str) -> None:
        if what not in found:
            found.append(what)

    def action(a) -> None:
        a = a.get_object() if a is not None else None
        if not hasattr(a, "get"):
            return  # a destination array: only a view
        kind = str(a.get("/S", ""))
        if kind == "/JavaScript":
            note("JavaScript")
        elif kind == "/Launch":
            note("aksi Launch (menjalankan program)")
        elif kind not in ("", "/GoTo", "/URI"):
            note(f"aksi {kind[1:]}")

    try:
        reader = PdfReader(path)
        root = reader.trailer["/Root"]
        names = root.get("/Names")
        names = names.get_object() if names is not None else {}
        action(root.get("/OpenAction"))
        for a in (root.get("/AA") or {}).values() if hasattr(root.get("/AA"), "values") else []:
            action(a)
        if "/JavaScript" in names:
            note("JavaScript")
        if "/EmbeddedFiles" in names:
            note("berkas tersemat")
        form = root.get("/AcroForm")
        if form is not None and form.get_object().get("/Fields"):
            note("formulir")
        for page in reader.pages:
            aa = page.get("/AA")
            if aa is not None:
                for a in aa.get_object().values():
                    action(a)
            for annot in page.get("/Annots") or []:
                annot = annot.get_object()
                subtype = str(annot.get("/Subtype", ""))
                if subtype == "/FileAttachment":
                    note("berkas tersemat")
                elif subtype == "/Widget":
                    note("formulir")
                action(annot.get("/A"))
                for a in (annot.get("/AA") or {}).values() if hasattr(annot.get("/AA"), "values") else []:
                    action(a)
    except Exception:  # noqa: BLE001 - pdf_pages has already read this file; this is only a report
        pass
    return found


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text or "").casefold()
