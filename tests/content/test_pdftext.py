"""Reading a PDF back (PDFium, under a budget), and the print proof on what the reading gives:
compounds wrapped after their hyphen are found, a lost row still is not."""

from __future__ import annotations

import io
import re
import shutil
import time
import zipfile

import pytest
from click.testing import CliRunner
from lxml import etree

from renstra_gen.content import pdftext
from renstra_gen.proof import prove as proof
from renstra_gen.workflows.build import build
from renstra_gen.cli import main
from renstra_gen.errors import ConversionError
from renstra_gen.content.pdftext import TextPage, Word
from tests.bombs import text_bomb_pdf
from tests.conftest import FIXTURES, W

needs_office = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by "
                                  "tools/install.sh --test")


def _pdf(content: bytes) -> bytes:
    """A one-page PDF drawing `content` with Helvetica as /F1."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
            b"/Contents 5 0 R >>", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content)]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 6\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def _line(*texts: str, top: float, x: float = 100) -> tuple[Word, ...]:
    out = []
    for t in texts:
        out.append(Word(t, x, top, x + 6 * len(t), top + 12))
        x += 6 * len(t) + 4
    return tuple(out)


@pytest.mark.parametrize("first, second, whole", [
    ("P-", "IRT", "P-IRT"),
    ("Makanan-", "Minuman", "Industri Rumah Tangga Makanan-Minuman"),
    ("RKA-", "SKPD", "Perubahan RKA-SKPD dan Laporan"),
])
def test_a_compound_wrapped_after_its_hyphen_is_found(first, second, whole):
    """In a table cell the compound's pieces are the last word of one line and the first of the
    next (PDFium reads a cell's lines one after another); the cell's other words are on the lines."""
    words = whole.split()
    at = next(i for i, w in enumerate(words) if w.startswith(first))
    page = TextPage(1, 595, 842, (_line(*words[:at], first, top=100), _line(second, *words[at + 1:], top=114)))
    pdf = proof._page(page)
    for w in proof.words(whole):
        assert pdf.words[w] > 0 or pdf.joined[w] > 0, w


def test_a_line_end_hyphen_joined_by_pdfium_is_split_back_into_its_pieces(tmp_path):
    """PDFium joins "ke-" with whatever is read next, even the next table cell ("ke\ufffeTahun"):
    the reader gives the pieces back, so that "ke" and "Tahun" are both found."""
    pages = pdftext.read_pages(_pdf(b"BT /F1 10 Tf 100 700 Td (Rasio Capaian pada Tahun ke-) Tj ET "
                                    b"BT /F1 10 Tf 300 686 Td (Tahun) Tj ET"), failed="x")
    texts = [" ".join(w.text for w in line) for line in pages[0].lines]
    assert texts[:2] == ["Rasio Capaian pada Tahun ke-", "Tahun"], texts


def test_the_reader_gives_words_with_boxes_line_by_line():
    pages = pdftext.read_pages(text_bomb_pdf(depth=1, fanout=2), failed="x")
    (page,) = pages
    assert (page.number, page.width, page.height) == (1, 595, 842)
    words = [w for line in page.lines for w in line]
    assert [w.text for w in words] == ["bom", "teks", "bom", "teks"]
    assert all(0 < w.x0 < w.x1 < 100 and 780 < w.top < w.bottom < 842 for w in words)


def test_a_pdf_text_bomb_is_a_finding_within_the_budget():
    started = time.monotonic()
    with pytest.raises(ConversionError) as e:
        pdftext.read_pages(text_bomb_pdf(), failed="lampiran.pdf")
    assert time.monotonic() - started < 30
    assert re.match(r"lampiran\.pdf: teks halaman 1 tidak (dapat dibaca dalam batas \d+ MB memori|selesai dibaca "
                    r"dalam batas waktu)", str(e.value)), str(e.value)


def test_a_page_with_more_text_than_the_cap_is_refused(monkeypatch):
    monkeypatch.setattr(pdftext, "PAGE_CHARS", 50)
    with pytest.raises(ConversionError) as e:
        pdftext.read_pages(text_bomb_pdf(depth=2, fanout=10), failed="x")
    assert re.fullmatch(r"x: halaman 1 memuat \d{3} karakter teks, lebih dari batas 50 per halaman", str(e.value))


def test_a_slow_page_is_stopped_at_the_page_time_limit(monkeypatch):
    monkeypatch.setattr(pdftext, "PAGE_SECONDS", 0.05)
    monkeypatch.setattr(pdftext, "MEMORY_MB", 4000)
    started = time.monotonic()
    with pytest.raises(ConversionError) as e:
        pdftext.read_pages(text_bomb_pdf(depth=6), failed="x")
    assert "x: teks halaman 1 tidak selesai dibaca dalam batas waktu" in str(e.value)
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("data", [b"", b"%PDF-1.4\n", b"bukan pdf" * 100])
def test_a_broken_pdf_is_a_message(data):
    with pytest.raises(ConversionError, match=r"^x: PDF rusak atau bukan PDF"):
        pdftext.read_pages(data, failed="x")


def test_an_attached_text_bomb_is_a_finding_of_the_renja(minimal):
    (minimal / "renja" / "2027" / "bom.pdf").write_bytes(text_bomb_pdf())
    with open(minimal / "renja" / "2027" / "renja.yaml", "a", encoding="utf-8") as f:
        f.write("lampiran:\n  - judul: Berita Acara\n    berkas: renja/2027/bom.pdf\n")
    r = CliRunner().invoke(main, ["renja", "2027", "--content", str(minimal), "--out", str(minimal / "out")])
    assert r.exit_code == 1
    assert re.search(r"renja/2027/renja\.yaml:\d+: galat: berkas 'renja/2027/bom\.pdf' isinya tidak dapat dibaca "
                     r"dengan aman: teks halaman 1 tidak", r.output), r.output


def _without_row(docx: bytes, caption: str, text: str) -> bytes:
    """The .docx with the row of the table under `caption` whose cells read `text` left out."""
    src = zipfile.ZipFile(io.BytesIO(docx))
    root = etree.fromstring(src.read("word/document.xml"))
    body = list(root.find(f"{{{W}}}body"))
    start = next(i for i, el in enumerate(body) if "".join(el.itertext()).startswith(caption))
    table = next(el for el in body[start:] if el.tag == f"{{{W}}}tbl")
    row = next(tr for tr in table.iter(f"{{{W}}}tr")
               if " ".join("".join(tc.itertext()) for tc in tr.iter(f"{{{W}}}tc")) == text)
    row.getparent().remove(row)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info, etree.tostring(root) if info.filename == "word/document.xml" else src.read(info))
    return out.getvalue()


@needs_office
def test_the_proof_still_catches_one_lost_row(tmp_path):
    """LibreOffice prints the table without one row (the .docx given to it lacks it); the proof of
    the whole .docx names that table, though every word of the row is printed in the rows above."""
    from renstra_gen.render.pdf import docx_to_pdf

    docx = build(FIXTURES / "minimal", tmp_path).written[0].read_bytes()
    cut = _without_row(docx, "Tabel 1.1", "  Perempuan 3 60,00")  # PPPK: its words are all in PNS rows too
    pdf, _ = docx_to_pdf(cut)
    assert not proof.prove(cut, pdf, "cut.pdf").findings
    findings = [str(f) for f in proof.prove(docx, pdf, "x.pdf").findings]
    assert findings == ['x.pdf: galat: Tabel 1.1 Jumlah Pegawai berdasarkan Status: 1 baris tidak tercetak di PDF '
                        '(mulai dari "Perempuan")'], findings


@needs_office
@pytest.mark.parametrize("bidang, office", [("1.02", "Dinas Kesehatan"), ("2.16", "Dinas Komunikasi dan Informatika")])
def test_a_fresh_init_starter_passes_its_print_proof(bidang, office, tmp_path):
    """Issue 27: `P-`/`IRT`, `Makanan-`/`Minuman`, `RKA-`/`SKPD` wrapped in Tabel 6.1's cells failed it."""
    runner = CliRunner()
    made = runner.invoke(main, ["init", str(tmp_path / "c"), "--bidang", bidang, "--perangkat-daerah", office,
                                "--daerah", "Kabupaten Contoh", "--periode", "2025-2029"])
    assert made.exit_code == 0, made.output
    r = runner.invoke(main, ["build", "--content", str(tmp_path / "c"), "--out", str(tmp_path / "out"), "--pdf"])
    assert r.exit_code == 0, r.output
    assert "pemeriksaan cetak: semua teks dokumen ada di PDF (" in r.output
