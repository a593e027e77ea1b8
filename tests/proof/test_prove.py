"""The print proof: every heading, paragraph and table cell of the .docx must be in the PDF's text."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile

import pytest
from click.testing import CliRunner

from renstra_gen.proof import prove as proof
from renstra_gen.workflows.build import build, build_renja
from renstra_gen.cli import main
from tests.conftest import DEFAULT_CONTENT, FIXTURES, document_xml, table_rows
from tests.helpers import folder_state

needs_office = pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                                  reason="LibreOffice and Poppler are installed by tools/install.sh --test")


@pytest.mark.parametrize("text, expected", [
    ("Rp2.519.295.635 dan 15,37 %", ["rp2519295635", "dan", "1537"]),
    ("Kata-kata  (baru)\u00a0", ["katakata", "baru"]),
    ("pemba\u00adngunan", ["pembangunan"]),  # a soft hyphen is not printed
    ("Dinas.......................3", ["dinas", "3"]),  # a dot leader of the Daftar Isi
    ("\ufb01nal BAB I", ["final", "bab", "i"]),  # a ligature as PDF text carries it
    ("\u2022\t- \u2013", []),
])
def test_words_compare_letters_and_digits_only(text, expected):
    assert proof.words(text) == expected


def test_document_items_name_captions_and_headings_and_leave_field_results_optional(tmp_path):
    docx = build(FIXTURES / "minimal", tmp_path).written[0].read_bytes()
    items = proof.document_items(docx)
    toc = [it for it in items if it.optional]
    assert toc and all(it.table is None for it in toc)
    assert any(it.text == "BAB I PENDAHULUAN" for it in toc)  # the Daftar Isi's cached entry
    cells = [it for it in items if it.table is not None and not it.optional]
    assert cells[0].where == "Tabel 1.1 Jumlah Pegawai berdasarkan Status" and cells[0].text == "No"
    rows = table_rows(document_xml(tmp_path / "renstra-arsip-kota-contoh.docx"), "Tabel 1.1")
    assert len({it.row for it in cells if it.table == cells[0].table}) == len(rows)
    para = next(it for it in items if it.text.startswith("Renstra ini disusun oleh"))
    assert para.where == "1.1 Latar Belakang" and para.table is None
    assert para.text == 'Renstra ini disusun oleh Dinas Kearsipan dan Perpustakaan Kota Contoh & mitra <kerja> "terkait".'


def _pages(pdf) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return out.split("\f")[:-1]


def _without_page(pdf, page: int, tmp_path) -> bytes:
    """The PDF with one page (1-based) left out, through Poppler's pdfseparate and pdfunite."""
    parts = tmp_path / "parts"
    parts.mkdir()
    subprocess.run(["pdfseparate", str(pdf), str(parts / "p-%04d.pdf")], check=True)
    kept = [str(p) for p in sorted(parts.glob("p-*.pdf")) if p.name != f"p-{page:04d}.pdf"]
    subprocess.run(["pdfunite", *kept, str(tmp_path / "cut.pdf")], check=True)
    return (tmp_path / "cut.pdf").read_bytes()


@needs_office
def test_a_pdf_missing_a_page_fails_the_build_and_keeps_every_previous_output(tmp_path, monkeypatch):
    out = tmp_path / "build"
    r = CliRunner().invoke(main, ["build", "--content", str(FIXTURES / "minimal"), "--out", str(out), "--pdf"])
    assert r.exit_code == 0, r.output
    assert "pemeriksaan cetak: semua teks dokumen ada di PDF (" in r.output
    pdf = out / "renstra-arsip-kota-contoh.pdf"
    before = folder_state(out)  # the outputs and the build sets behind them (.renstra/)
    page = next(i for i, text in enumerate(_pages(pdf), 1) if "Tabel 1.1 Jumlah Pegawai berdasarkan Status" in text
                and "DAFTAR TABEL" not in text)
    cut = _without_page(pdf, page, tmp_path)
    # LibreOffice dropping a page is simulated; the .docx, the workbook and the proof are real
    from renstra_gen.render import pdf as pdfmod
    monkeypatch.setattr(pdfmod, "docx_to_pdf", lambda docx, **kw: (cut, None))

    r = CliRunner().invoke(main, ["build", "--content", str(FIXTURES / "minimal"), "--out", str(out), "--pdf"])
    assert r.exit_code == 1
    rows = len(table_rows(document_xml(out / "renstra-arsip-kota-contoh.docx"), "Tabel 1.1"))
    assert (f'{pdf}: galat: Tabel 1.1 Jumlah Pegawai berdasarkan Status: {rows} baris tidak tercetak di PDF '
            f'(mulai dari "No")') in r.output.splitlines()
    assert f'{pdf}: galat: 1.1 Latar Belakang: ' in r.output
    assert r.output.splitlines()[-1] == ("Gagal: PDF tidak memuat seluruh isi dokumen; tidak ada berkas yang ditulis "
                                         "(berkas sebelumnya tetap).")
    assert folder_state(out) == before

    r = CliRunner().invoke(main, ["pdf", str(out / "renstra-arsip-kota-contoh.docx")])
    assert r.exit_code == 1 and "Tabel 1.1 Jumlah Pegawai berdasarkan Status" in r.output
    assert folder_state(out) == before

    r = CliRunner().invoke(main, ["build", "--content", str(FIXTURES / "minimal"), "--out", str(out), "--pdf",
                                  "--no-proof"])
    assert r.exit_code == 0, r.output
    assert "pemeriksaan cetak PDF dilewati (--no-proof): isi PDF tidak dibandingkan dengan dokumen." in r.output
    assert pdf.read_bytes().startswith(cut)  # the cut PDF, with the signature field appended, is written


@needs_office
def test_the_renja_pdf_is_proved_too(tmp_path, monkeypatch):
    result = build_renja(DEFAULT_CONTENT, tmp_path, 2024, pdf=True)
    assert result.proof is not None and result.proof.cells > 500 and not result.proof.findings
    pdf = tmp_path / "renja-2024.pdf"
    before = pdf.read_bytes()
    cut = _without_page(pdf, len(_pages(pdf)), tmp_path)  # the last page: the signature
    from renstra_gen.render import pdf as pdfmod
    monkeypatch.setattr(pdfmod, "docx_to_pdf", lambda docx, **kw: (cut, None))
    r = CliRunner().invoke(main, ["renja", "2024", "--content", str(DEFAULT_CONTENT), "--out", str(tmp_path), "--pdf"])
    assert r.exit_code == 1 and "paragraf tidak tercetak di PDF" in r.output
    assert pdf.read_bytes() == before


@needs_office
@pytest.mark.parametrize("content", [DEFAULT_CONTENT, FIXTURES / "minimal"], ids=["default", "minimal"])
def test_the_renstra_passes_its_print_proof(content, tmp_path):
    result = build(content, tmp_path, pdf=True)
    assert result.proof is not None and not result.proof.findings
    assert result.proof.paragraphs > 20 and result.proof.cells > 50
    if content == DEFAULT_CONTENT:  # with Tabel 6.2's program and kegiatan rows repeated "(lanjutan)" (issue 28)
        import re

        from renstra_gen.workflows.build import prepare
        from tests.printcheck import repeated_parents, tree_names

        grid = next(g for g in prepare(content).tables.values() if g.levels)
        pdf = next(x for x in result.written if x.suffix == ".pdf").read_bytes()
        pages = repeated_parents(pdf, re.compile(r"^1\.06\.\d\d(\.2\.\d\d\.?(\.\d{4})?)?$"), tree_names(grid),
                                 "Penanggung")
        assert len(pages) >= 5, pages


def test_a_missing_pdf_reader_says_how_to_install(monkeypatch):
    # the PDF is read with PDFium (pypdfium2) since issue 29; Poppler's pdftotext is no longer used
    monkeypatch.setitem(sys.modules, "pypdfium2", None)
    from renstra_gen.errors import ConversionError
    with pytest.raises(ConversionError) as e:
        proof.pdf_pages(b"%PDF-1.4")
    assert "pypdfium2" in str(e.value) and "tools/install.sh" in str(e.value) and "--no-proof" in str(e.value)


def test_the_docx_is_read_from_its_document_part_only(tmp_path):
    bad = tmp_path / "bad.docx"
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("word/other.xml", "<x/>")
    from renstra_gen.errors import ConversionError
    with pytest.raises(ConversionError):
        proof.document_items(bad.read_bytes())


def test_table_breaks_are_the_rows_that_start_a_page():
    """proof.table_breaks: each body row on the first page (not before the row above's) that holds
    all its words; the header rows, repeated on every page, are not measured."""
    from collections import Counter

    from renstra_gen.proof.prove import Item, _Page, table_breaks, words

    def page(text: str) -> _Page:
        return _Page(Counter(words(text)), Counter())

    rows = ["Kode Program", "1.01 sosial", "1.02 sosial", "1.03 rehabilitasi", "1.04 sosial"]
    items = [Item(t, words(t), "Tabel 6.2", table=0, row=r) for r, t in enumerate(rows)]
    items.append(Item("lain", ["lain"], "Tabel 6.3", table=1, row=1))
    pages = [page("Kode Program 1.01 sosial 1.02 sosial"), page("Kode Program 1.03 rehabilitasi 1.04 sosial")]
    assert table_breaks(items, pages, {0: 1}) == {0: [2]}
    # a row found nowhere (lost) stays with the row above it
    pages = [page("Kode Program 1.01 sosial"), page("Kode Program 1.03 rehabilitasi 1.04 sosial")]
    assert table_breaks(items, pages, {0: 1}) == {0: [2]}


def test_a_repeated_parent_row_is_proved_like_any_row_and_its_loss_is_caught():
    """Rows repeated "(lanjutan)" on a continuation page (grid.paged) are rows of the .docx: found
    when printed, and missing when the PDF lost one, though its name is printed on the page before."""
    from collections import Counter

    from renstra_gen.proof.prove import Item, _Page, _findings, _missing, words
    from renstra_gen.errors import Source

    def page(text: str) -> _Page:
        return _Page(Counter(words(text)), Counter())

    rows = ["Kode Uraian", "2.08.07 PROGRAM PERLINDUNGAN KHUSUS ANAK", "2.08.07.2.01 Pencegahan Kekerasan",
            "2.08.07.2.01.0004 Advokasi", "2.08.07 PROGRAM PERLINDUNGAN KHUSUS ANAK (lanjutan)",
            "2.08.07.2.01 Pencegahan Kekerasan (lanjutan)", "2.08.07.2.01.0005 Pendampingan"]
    items = [Item(t, words(t), "Tabel 4.1", table=0, row=r) for r, t in enumerate(rows)]
    first = "Kode Uraian " + " ".join(rows[1:4])
    printed = [page(first), page("Kode Uraian " + " ".join(rows[4:]))]
    assert _missing(items, printed) == []
    lost = [page(first), page("Kode Uraian " + rows[5] + " " + rows[6])]  # the program row did not print
    missing = _missing(items, lost)
    assert [m.text for m in missing] == [rows[4]]
    assert "1 baris tidak tercetak" in _findings(missing, Source("x.pdf"))[0].message
