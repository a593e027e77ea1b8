"""Print-ready PDF through LibreOffice: real page numbers in the Daftar Isi, fonts, PDF/A, DRAFT marks."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from renstra_gen.workflows.build import build
from renstra_gen.errors import ConversionError
from renstra_gen.render import pdf as pdfmod
from tests.conftest import DEFAULT_CONTENT, FIXTURES

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                                reason="LibreOffice and Poppler are installed by tools/install.sh --test")


def pages(pdf) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


@pytest.fixture(scope="module")
def final_pdf(tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf")
    result = build(DEFAULT_CONTENT, out, pdf=True)
    return next(p for p in result.written if p.suffix == ".pdf")


def test_daftar_isi_page_numbers_are_where_headings_really_start(final_pdf):
    ps = pages(final_pdf)
    toc_page = next(i for i, p in enumerate(ps) if "DAFTAR ISI" in p and "BAB I PENDAHULUAN" in p)
    entries = re.findall(r"^\s*((?:BAB [IVX]+|\d\.\d(?:\.\d)?) [^\n]*?)\.{3,}\s*(\d+)\s*$", "\n".join(ps[toc_page:toc_page + 3]), re.M)
    assert len(entries) >= 20  # entries wrapped over two lines or without a dot leader are skipped
    bab1 = next(i for i, p in enumerate(ps) if i > toc_page + 2 and re.search(r"^\s*BAB I\s*$", p, re.M))
    for title, number in entries:
        words = title.split()[:6]
        pattern = re.compile(r"\s+".join(map(re.escape, words)))
        found = next((i for i in range(bab1, len(ps)) if pattern.search(ps[i]) or
                      (title.startswith("BAB") and re.search(rf"^\s*{re.escape(title.split()[0])} {re.escape(title.split()[1])}\s*$", ps[i], re.M))), None)
        assert found is not None, title
        assert found - bab1 + 1 == int(number), (title, number, found - bab1 + 1)


def test_fonts_are_embedded_and_none_is_a_fallback(final_pdf):
    out = subprocess.run(["pdffonts", str(final_pdf)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows
    assert all(re.search(r"\byes\s+yes\s+(?:yes|no)\s+\d+\s+\d+\s*$", r) for r in rows), out
    assert "DejaVu" not in out


def test_pdf_a_2b_with_metadata_from_renstra_yaml(final_pdf):
    data = final_pdf.read_bytes()
    assert b"<pdfaid:part>2</pdfaid:part>" in data and b"<pdfaid:conformance>B</pdfaid:conformance>" in data
    info = subprocess.run(["pdfinfo", str(final_pdf)], capture_output=True, text=True, check=True).stdout
    assert "Author:          Dinas Sosial Kabupaten Belu" in info
    assert "Tagged:          yes" in info
    assert re.search(r"Title:\s+RENCANA STRATEGIS \(RENSTRA\) Dinas Sosial Kabupaten Belu 2021-2026", info)


def test_final_document_has_no_draft_marks(final_pdf):
    assert not any("DRAFT" in p for p in pages(final_pdf))


def test_draft_marks_every_page(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764288000")  # 28 November 2025
    result = build(FIXTURES / "minimal", tmp_path, pdf=True, draft=True)
    pdf = next(p for p in result.written if p.suffix == ".pdf")
    assert pdf.name == "renstra-arsip-kota-contoh-draft.pdf"  # never the final's name
    ps = pages(pdf)
    assert ps and all("DRAFT \u2014 28 November 2025" in p for p in ps)
    import zipfile
    docx = next(p for p in result.written if p.suffix == ".docx")
    with zipfile.ZipFile(docx) as z:
        assert any(b'string="DRAFT"' in z.read(n) for n in z.namelist() if n.startswith("word/header"))


def test_update_fields_writes_the_filled_lists_into_our_own_docx(tmp_path):
    """LibreOffice's page numbers go into the lists of the document we wrote; LibreOffice's own
    re-save (its XML breaks the schema's element order) is not shipped."""
    import zipfile

    from renstra_gen.render.package import read_parts

    plain = next(p for p in build(FIXTURES / "minimal", tmp_path / "plain").written if p.suffix == ".docx")
    result = build(FIXTURES / "minimal", tmp_path / "filled", update_fields=True)
    docx = next(p for p in result.written if p.suffix == ".docx")
    xml = zipfile.ZipFile(docx).read("word/document.xml").decode()
    assert re.search(r">1\.1 Latar Belakang</w:t><w:tab/><w:t[^>]*>1</w:t>", xml)  # the page number is in the list
    assert re.search(r">Gambar 1\.1 Struktur Organisasi Dinas</w:t><w:tab/><w:t[^>]*>\d+</w:t>", xml)
    ours, filled = read_parts(plain.read_bytes()), read_parts(docx.read_bytes())
    assert sorted(ours) == sorted(filled)
    assert [n for n in ours if ours[n] != filled[n]] == ["word/document.xml", "word/settings.xml"]


def test_missing_libreoffice_says_how_to_install(monkeypatch):
    monkeypatch.setattr(pdfmod.shutil, "which", lambda name: None)
    with pytest.raises(ConversionError) as e:
        pdfmod.docx_to_pdf(b"")
    assert "apt-get install" in str(e.value) and "libreoffice" in str(e.value)


def test_missing_math_module_is_refused_before_equations_vanish(monkeypatch, tmp_path):
    fake = tmp_path / "program"
    fake.mkdir()
    (fake / "soffice").write_text("#!/bin/sh\n")
    (fake / "soffice").chmod(0o755)
    monkeypatch.setattr(pdfmod.shutil, "which", lambda name: str(fake / "soffice"))
    with pytest.raises(ConversionError) as e:
        pdfmod.find_soffice()
    assert "libreoffice-math-nogui" in str(e.value)


def test_a_hung_converter_is_ended_and_reported(tmp_path):
    docx = build(FIXTURES / "minimal", tmp_path).written[0].read_bytes()
    with pytest.raises(ConversionError) as e:
        pdfmod.docx_to_pdf(docx, timeout=0.01)
    assert "tidak selesai dalam" in str(e.value)
