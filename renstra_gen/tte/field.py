"""Empty, visible signature fields placed over the signature blocks of the final PDF.

The blocks are found by reading the PDF back (pdftext.py, or the print proof's reading), so the field
sits where LibreOffice really printed the lines, whatever template or paper size an office uses.
Each field also carries the signatory's details (name, position, rank, NIP) in a private
dictionary, which `renstra tandatangan` shows in the signed appearance.
"""

from __future__ import annotations

import dataclasses
import io
import re
from dataclasses import dataclass

from renstra_gen.errors import SignatureError
from renstra_gen.content.pdftext import read_pages, TextPage
from renstra_gen.content.model import Identity
from renstra_gen.system.pesan import reason

XHTML = "{http://www.w3.org/1999/xhtml}"
CHUNK = 6  # pages read at a time when looking for a block
PAD = 4.0  # points of margin around the printed lines of a block
DETAILS = "/RenstraTTE"  # the field's private dictionary of signatory details
DETAIL_KEYS = ("Nama", "Jabatan", "Pangkat", "NIP", "Bagian", "Pembuka")


@dataclass(frozen=True)
class Line:
    text: str
    x1: float
    top: float
    x2: float
    bottom: float


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    lines: list[Line]


@dataclass(frozen=True)
class Block:
    """A signature block found in the PDF: 0-based page and rectangle in PDF points (lower-left origin)."""

    part: str  # "Penutup" or "Kata Pengantar"
    page: int
    rect: tuple[float, float, float, float]
    opening: tuple[str, ...] = ()  # the block's first lines as printed ("Ditetapkan di ...", "Pada tanggal ...")


def _norm(text: str) -> str:
    return " ".join(text.split())


def read_lines(pdf: bytes, first: int | None = None, last: int | None = None,
               text: list[TextPage] | None = None) -> list[Page]:
    """The text lines with their boxes (points, top-left origin) of pages `first`..`last` (1-based; default all),
    from the PDF or from its reading `text` (all pages) when already made."""
    pages = []
    if text is None:
        text = read_pages(pdf, first, last, failed="PDF tidak dapat dibaca untuk memasang bidang tanda tangan")
    for page in text:
        lines = [Line(_norm(" ".join(w.text for w in line)), min(w.x0 for w in line), min(w.top for w in line),
                      max(w.x1 for w in line), max(w.bottom for w in line)) for line in page.lines]
        pages.append(Page(page.width, page.height, lines))
    return pages


def find_block(pages: list[Page], part: str, first: list[str], last: str, from_end: bool) -> Block | None:
    """The block whose lines start with `first` (consecutive lines) and end at the line `last`, on one page.

    A line of the block may wrap in the narrow signature column (a long place name, "[PANDUAN: ...]"
    text of a new content set): lines are compared as joined text, not one by one.
    `from_end`: take the last page that has it (the Penutup), else the first (the Kata Pengantar)."""
    order = range(len(pages) - 1, -1, -1) if from_end else range(len(pages))
    opening = _norm(" ".join(first))
    last = _norm(last)
    for index in order:
        lines = pages[index].lines
        for i in range(len(lines)):
            after = _joined(lines, i, opening)
            if after is None:
                continue
            end = next((e for j in range(after, len(lines)) if (e := _joined(lines, j, last)) is not None), None)
            if end is None:
                continue
            block = lines[i:end]
            page = pages[index]
            x1, x2 = min(b.x1 for b in block) - PAD, max(b.x2 for b in block) + PAD
            top, bottom = min(b.top for b in block) - PAD, max(b.bottom for b in block) + PAD
            return Block(part, index, (round(x1, 2), round(page.height - bottom, 2),
                                       round(x2, 2), round(page.height - top, 2)), tuple(_norm(t) for t in first))
    return None


def _joined(lines: list[Line], start: int, text: str) -> int | None:
    """The index after the lines from `start` whose joined text is `text`, or None."""
    joined = ""
    for j in range(start, len(lines)):
        joined = f"{joined} {lines[j].text}".strip()
        if joined == text:
            return j + 1
        if len(joined) >= len(text) or not text.startswith(joined):
            return None
    return None


def page_count(pdf: bytes) -> int:
    from pyhanko.pdf_utils import misc
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        return int(PdfFileReader(io.BytesIO(pdf), strict=False).root["/Pages"]["/Count"])
    except (misc.PdfError, ValueError, KeyError, TypeError) as e:
        raise SignatureError(f"PDF tidak dapat dibaca ({reason(e)})") from e


def search(pdf: bytes, count: int, part: str, first: list[str], last: str, from_end: bool,
           text: list[TextPage] | None = None) -> Block | None:
    """`find_block` over a few pages at a time, from the end or from the start.

    Reading a 78-page Renstra's text takes seconds; the Kata Pengantar is within the first pages
    and the Penutup is followed only by the Lampiran, so one or two chunks usually suffice.
    `text`: the reading of the whole PDF when already made (the print proof's), searched at once."""
    if text is not None:
        return find_block(read_lines(pdf, text=text[:count]), part, first, last, from_end)
    starts = range(count, 0, -CHUNK) if from_end else range(1, count + 1, CHUNK)
    for start in starts:
        lo, hi = (max(1, start - CHUNK + 1), start) if from_end else (start, min(count, start + CHUNK - 1))
        block = find_block(read_lines(pdf, lo, hi), part, first, last, from_end)
        if block is not None:
            return dataclasses.replace(block, page=block.page + lo - 1)
    return None


def signature_blocks(pdf: bytes, identity: Identity, kata_pengantar: bool = False,
                     text: list[TextPage] | None = None, own_pages: int | None = None) -> list[Block]:
    """The Penutup's signature block (and the Kata Pengantar's if asked), or a SignatureError naming the missing one.

    `text`: the PDF's pages as already read (the print proof's reading). `own_pages`: only the first
    pages are the document's own (the Renja's attached documents follow them); a block is looked for
    there and never in an attached document, which anyone could have made to carry a copy of the block."""
    from renstra_gen.numbers import tanggal

    k = identity.kepala
    when = tanggal(identity.penetapan.tanggal)
    last = f"NIP. {k.nip}" if k.nip else (k.pangkat or k.nama)
    # the reading has every page of this PDF (pdftext.read_pages): no second parse of the file to count them
    count = len(text) if text is not None else page_count(pdf)
    if own_pages is not None:
        count = min(count, own_pages)
    wanted = []
    if kata_pengantar:
        wanted.append(("Kata Pengantar", [f"{identity.penetapan.tempat}, {when}"], False))
    wanted.append(("Penutup", [f"Ditetapkan di {identity.penetapan.tempat}", f"Pada tanggal {when}"], True))
    blocks = []
    for part, first, from_end in wanted:
        block = search(pdf, count, part, first, last, from_end, text)
        if block is None:
            raise SignatureError(f"blok tanda tangan {part} ({first[0]!r} ... {last!r}) tidak ditemukan di PDF; "
                                 "bidang tanda tangan elektronik tidak dapat dipasang")
        blocks.append(block)
    return blocks


def field_name(part: str, nama: str) -> str:
    """`TTE_Penutup_Budi_Santoso_S_Sos`: a PDF field name (no periods) after the part and the signatory."""
    return "_".join(["TTE", part.replace(" ", ""), re.sub(r"[^0-9A-Za-z]+", "_", nama).strip("_")])


def add_signature_fields(pdf: bytes, identity: Identity, kata_pengantar: bool = False,
                         text: list[TextPage] | None = None, own_pages: int | None = None) -> bytes:
    """The PDF with an empty visible signature field over each signature block (an incremental update).

    `text`, `own_pages`: see `signature_blocks`; without `text` the PDF is read here."""
    from pyhanko.pdf_utils import generic
    from pyhanko.sign.fields import SigFieldSpec, append_signature_field, enumerate_sig_fields

    from renstra_gen.tte.update import open_update, written

    blocks = signature_blocks(pdf, identity, kata_pengantar, text, own_pages)
    k = identity.kepala
    writer = open_update(pdf)
    for block in blocks:
        name = field_name(block.part, k.nama)
        append_signature_field(writer, SigFieldSpec(sig_field_name=name, on_page=block.page, box=block.rect))
        field = next(ref.get_object() for n, _, ref in enumerate_sig_fields(writer) if n == name)
        field["/TU"] = generic.TextStringObject(f"Tanda tangan elektronik {k.nama} ({block.part})")
        field[generic.NameObject(DETAILS)] = generic.DictionaryObject({
            generic.NameObject(f"/{key}"): generic.TextStringObject(value or "")
            for key, value in zip(DETAIL_KEYS, (k.nama, k.jabatan, k.pangkat, k.nip, block.part,
                                                "\n".join(block.opening)))})
    return written(writer)


def field_details(field) -> dict[str, str]:
    """The signatory details stored in a field by `add_signature_fields` ({} for a field made elsewhere)."""
    details = field.get(DETAILS)
    if details is None:
        return {}
    details = details.get_object()
    return {key: str(details.get(f"/{key}", "")) for key in DETAIL_KEYS}
