"""The Berita Acara Verifikasi (issue 31): a document of its own from a review record, printed after the
Renstra's Halaman Verifikasi and in the Renja's Lampiran."""

from __future__ import annotations

import datetime as dt
import subprocess

from renstra_gen.content import model as m
from renstra_gen.layout.berita_acara import Putaran, Rekaman
from renstra_gen.workflows.berita_acara import build_berita_acara
from renstra_gen.workflows.build import build, build_renja
from tests.conftest import document_xml, texts

HOSTILE = 'Dr. Ana <w:p>"&amp;]]></w:t> Tse, S.E., M.Si'


def _record(nama="Vera Verifikator, S.E., M.Si") -> Rekaman:
    people = [m.Verifikator(nama=nama, nip="19900101 201501 2 001", jabatan="Perencana Ahli Muda",
                            unit="Bidang Perencanaan Bappeda"),
              m.Verifikator(nama="Yoseph Bria", nip="19850505 201001 1 003", jabatan="Analis", unit="Bappeda")]
    rounds = [Putaran(1, dt.date(2026, 11, 2), dt.date(2026, 11, 5), "dikembalikan", 3, 0, 0),
              Putaran(2, dt.date(2026, 11, 9), dt.date(2026, 11, 12), "dikembalikan", 1, 3, 2),
              Putaran(3, dt.date(2026, 11, 16), dt.date(2026, 11, 17), "diverifikasi", 0, 1, 2)]
    return Rekaman("0007/BAV/DEMO/RENJA-2026/2026", dt.date(2026, 11, 17), "Atambua", "0123456789abcdef" * 2,
                   people, rounds)


def _joined(docx) -> str:
    return "\n".join(texts(document_xml(docx)))


def test_the_document_of_its_own_carries_the_record(minimal, tmp_path):
    r = build_berita_acara(minimal, tmp_path / "out", _record(), 2026)
    assert [p.name for p in r.written] == ["berita-acara-verifikasi-renja-2026.docx"]
    text = _joined(r.written[0])
    assert text.startswith("BERITA ACARA VERIFIKASI\nNomor: 0007/BAV/DEMO/RENJA-2026/2026\n")
    assert "Pada hari ini Selasa, tanggal 17 November 2026, bertempat di Atambua" in text
    assert "Rencana Kerja (Renja)" in text and "Tahun 2026 (versi konten 0123456789ab)" in text
    assert "Vera Verifikator, S.E., M.Si" in text and "NIP. 19900101 201501 2 001" in text
    assert "Perencana Ahli Muda" in text and "Bidang Perencanaan Bappeda" in text and "NIP. 19850505 201001 1 003" in text
    assert "dalam 3 putaran" in text
    rows = [line for line in texts(document_xml(r.written[0]))]
    # the rounds: number, submitted, outcome, ended, notes raised / answered / closed; then the totals
    at = rows.index("Catatan ditutup")
    assert rows[at + 1:at + 8] == ["1", "2 November 2026", "Dikembalikan dengan catatan", "5 November 2026", "3", "0", "0"]
    assert rows[at + 8:at + 15] == ["2", "9 November 2026", "Dikembalikan dengan catatan", "12 November 2026", "1", "3", "2"]
    assert rows[at + 15:at + 22] == ["3", "16 November 2026", "Diverifikasi", "17 November 2026", "0", "1", "2"]
    assert rows[at + 22:at + 29] == ["Jumlah", "", "", "", "4", "4", "4"]
    assert "dinyatakan TELAH DIVERIFIKASI pada tanggal 17 November 2026" in text
    assert "Atambua, 17 November 2026" in text and "Mengetahui," in text
    assert text.count("1. ....................") == 1 and text.count("2. ....................") == 1  # to sign


def test_a_hostile_name_is_printed_as_text(minimal, tmp_path):
    r = build_berita_acara(minimal, tmp_path / "out", _record(HOSTILE), None)
    assert r.written[0].name == "berita-acara-verifikasi-renstra.docx"
    text = _joined(r.written[0])  # the XML parses: the name was escaped
    assert text.count('Dr. Ana <w:p>"&amp;]]></w:t> Tse, S.E., M.Si') == 2  # the verifiers' list and signatures
    assert 'Ana <w:p>"&amp;]]></w:t>' in text and "Rencana Strategis" in text.title()


def test_the_renstra_prints_it_after_the_halaman_verifikasi(minimal, tmp_path):
    v = m.Verifikasi(tempat="Atambua", tanggal=dt.date(2026, 11, 17),
                     verifikator=[m.Verifikator(nama="Vera Verifikator, S.E., M.Si", nip="19900101 201501 2 001")])
    r = build(minimal, tmp_path / "out", verifikasi=v, rekaman=_record())
    docx = next(p for p in r.written if p.suffix == ".docx")
    lines = texts(document_xml(docx))
    page, ba = lines.index("HALAMAN VERIFIKASI"), lines.index("BERITA ACARA VERIFIKASI")
    first_chapter = next(i for i, t in enumerate(lines) if t.startswith("BAB I") or t == "PENDAHULUAN")
    assert page < ba < first_chapter
    assert lines[ba + 1] == "Nomor: 0007/BAV/DEMO/RENJA-2026/2026"
    # without a record nothing of it is printed
    r = build(minimal, tmp_path / "out2", verifikasi=v)
    assert "BERITA ACARA VERIFIKASI" not in texts(document_xml(next(p for p in r.written if p.suffix == ".docx")))


def test_the_renja_pdf_carries_it_in_the_lampiran(minimal, tmp_path):
    """Through LibreOffice once: the Daftar Lampiran names it and its page prints the record."""
    r = build_renja(minimal, tmp_path / "out", 2026, pdf=True, rekaman=_record())
    pdf = next(p for p in r.written if p.suffix == ".pdf")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout.replace("\u00a0", " ")
    pages = text.split("\f")
    lampiran = [i for i, p in enumerate(pages) if "Nomor: 0007/BAV/DEMO/RENJA-2026/2026" in p]
    assert len(lampiran) == 1, "printed once"
    page = pages[lampiran[0]]
    assert "Berita Acara Verifikasi" in page and "Vera Verifikator, S.E., M.Si" in page
    assert "NIP. 19900101 201501 2 001" in page and "17 November 2026" in page
    listed = [i for i, p in enumerate(pages) if "DAFTAR LAMPIRAN" in p and "Berita Acara Verifikasi" in p]
    assert listed and listed[0] < lampiran[0]
    assert any("LAMPIRAN" in p for p in pages[:lampiran[0] + 1])


def test_the_documents_open_clean_in_word(minimal, tmp_path):
    """openxml-audit, as tests/render/test_ooxml_valid.py checks every output: the document of its own
    and a Renja carrying it in the Lampiran."""
    from tests.render.test_ooxml_valid import FORMATS, findings

    alone = build_berita_acara(minimal, tmp_path / "ba", _record(HOSTILE), 2026).written[0]
    renja = next(p for p in build_renja(minimal, tmp_path / "renja", 2026, rekaman=_record()).written
                 if p.suffix == ".docx")
    for path in (alone, renja):
        for fmt in FORMATS:
            assert findings(path, fmt) == [], (path.name, fmt)
