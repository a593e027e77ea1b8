"""Documents attached to a Renja's Lampiran: cover pages, the Daftar Lampiran, checked files, and the
documents' own pages after their covers in the PDF."""

from __future__ import annotations

import subprocess

import pytest

from renstra_gen.content.attachments import place_after_covers
from renstra_gen.workflows.build import DEFAULT_TEMPLATES, build_renja
from renstra_gen.errors import ContentError, OutputError
from renstra_gen.content.load import load_content
from renstra_gen.compose.renja import compose_renja
from tests.conftest import FIXTURES, W, document_xml, texts

DP3A = FIXTURES / "dp3a"
ATTACHED = DP3A / "renja" / "2026" / "lampiran" / "berita-acara-forum-pd.pdf"


def _pdf_text(pdf, page=None) -> str:
    args = ["pdftotext"] + (["-f", str(page), "-l", str(page)] if page else []) + [str(pdf), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def _replace_in_renja(content, old: str, new: str) -> None:
    path = content / "renja" / "2026" / "renja.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_attachments_are_numbered_and_their_files_checked():
    plan = compose_renja(load_content(DP3A), 2026, DEFAULT_TEMPLATES).plan
    sk, ba = plan.attachments
    assert (sk.number, sk.caption) == (1, "Lampiran 1: Keputusan Kepala Dinas tentang Tim Penyusun Rencana Kerja Tahun 2026")
    assert sk.file is None and sk.pages == 0 and sk.nomor == "800/112/DP3A/I/2025"
    assert ba.number == 2 and ba.file == ATTACHED.resolve() and ba.pages == 1


def test_cover_pages_and_the_daftar_lampiran_in_the_docx(tmp_path):
    docx = build_renja(DP3A, tmp_path, 2026).written[0]
    root = document_xml(docx)
    lines = texts(root)
    assert "Nomor: 800/112/DP3A/I/2025" in lines and "Tanggal: 20 Maret 2025" in lines  # a w:tab between
    assert "(dokumen asli disisipkan setelah halaman ini)" in lines
    assert "(dokumen terlampir pada halaman berikut)" in lines
    captions = [p for p in root.iter(f"{{{W}}}p")
                if p.find(f"{{{W}}}pPr/{{{W}}}pStyle[@{{{W}}}val='JudulLampiran']") is not None]
    assert ["".join(t.text for t in p.iter(f"{{{W}}}t")) for p in captions] == [
        "Lampiran 1: Keputusan Kepala Dinas tentang Tim Penyusun Rencana Kerja Tahun 2026",
        "Lampiran 2: Berita Acara Forum Perangkat Daerah Tahun 2026"]
    # the second cover starts its own page; the first shares the page of the LAMPIRAN heading
    breaks = [p.find(f"{{{W}}}pPr/{{{W}}}pageBreakBefore") is not None for p in captions]
    assert breaks == [False, True]
    assert "DAFTAR LAMPIRAN" in lines and "LAMPIRAN" in lines


def test_without_attachments_the_renja_has_no_daftar_lampiran(dp3a, tmp_path):
    content = dp3a
    path = content / "renja" / "2026" / "renja.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[:text.index("# documents attached")], encoding="utf-8")
    lines = texts(document_xml(build_renja(content, tmp_path / "out", 2026).written[0]))
    assert "DAFTAR LAMPIRAN" not in lines and "LAMPIRAN" not in lines


@pytest.mark.parametrize("berkas, message", [
    ("renja/2026/lampiran/tidak-ada.pdf", "berkas 'renja/2026/lampiran/tidak-ada.pdf' tidak ditemukan"),
    ("renstra.yaml", "berkas 'renstra.yaml' bukan berkas PDF"),
    ("../luar.pdf", "jalur '../luar.pdf' menunjuk ke luar folder konten (ditolak)"),
    ("renja/2026/lampiran/rusak.pdf", "berkas 'renja/2026/lampiran/rusak.pdf' tidak dapat dibaca sebagai PDF"),
    ("renja/2026/lampiran/terkunci.pdf", "berkas 'renja/2026/lampiran/terkunci.pdf' terkunci dengan kata sandi"),
])
def test_a_bad_attachment_file_is_an_error_at_its_line(dp3a, tmp_path, berkas, message):
    from pypdf import PdfReader, PdfWriter

    content = dp3a
    folder = content / "renja" / "2026" / "lampiran"
    (folder / "rusak.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")
    locked = PdfWriter(clone_from=PdfReader(ATTACHED))
    locked.encrypt("rahasia")
    with open(folder / "terkunci.pdf", "wb") as f:
        locked.write(f)
    _replace_in_renja(content, "berkas: renja/2026/lampiran/berita-acara-forum-pd.pdf", f"berkas: {berkas}")
    line = next(n for n, text in enumerate((content / "renja/2026/renja.yaml").read_text().splitlines(), 1)
                if text.strip().startswith("berkas:"))
    with pytest.raises(ContentError) as e:
        build_renja(content, tmp_path / "out", 2026)
    found = [str(f) for f in e.value.findings]
    assert any(f.startswith(f"renja/2026/renja.yaml:{line}: galat: {message}") for f in found), found


def test_the_pdf_carries_each_attached_document_after_its_cover(tmp_path):
    result = build_renja(DP3A, tmp_path, 2026, pdf=True)
    pdf = next(p for p in result.written if p.suffix == ".pdf")
    from pypdf import PdfReader

    pages = len(PdfReader(pdf).pages)
    assert "Lampiran 1: Keputusan Kepala Dinas" in " ".join(_pdf_text(pdf, pages - 2).split())
    assert "Lampiran 2: Berita Acara Forum" in " ".join(_pdf_text(pdf, pages - 1).split())
    assert _pdf_text(pdf, pages).startswith("BERITA ACARA\nFORUM PERANGKAT DAERAH")
    assert result.proof is not None and not result.proof.findings


def test_attached_pages_are_placed_only_after_covers_that_are_found():
    plan = compose_renja(load_content(DP3A), 2026, DEFAULT_TEMPLATES).plan
    not_the_renja = ATTACHED.read_bytes()  # its last pages are no covers
    with pytest.raises(OutputError, match="halaman sampul Lampiran 1 tidak ditemukan"):
        place_after_covers(not_the_renja, plan.attachments)
    assert place_after_covers(not_the_renja, plan.attachments[:1]) == not_the_renja  # no file: nothing to place
