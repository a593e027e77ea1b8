"""Issue 28 item 3: a table below 7 pt on its paper is a `check` warning naming the table, the size
and the remedies; the remedies (`rupiah: ribu`, `kertas:`) are chosen in the table's file."""

from __future__ import annotations

import shutil
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from renstra_gen.workflows.build import build, inspect, prepare
from tests.conftest import FIXTURES
from tests.helpers import dp3a_program_line


def _small(content) -> list[str]:
    return [f.message for f in inspect(content) if "di bawah 7 pt" in f.message]


def _dp3a(tmp_path, line: str = ""):
    return dp3a_program_line(tmp_path, line)


def test_the_warning_names_the_table_its_size_on_its_paper_and_the_remedies(tmp_path):
    (message,) = _small(_dp3a(tmp_path))
    assert message.startswith("Tabel 3.2 Rencana Program, Kegiatan, Sub Kegiatan dan Pendanaan Tahun 2025-2029 "
                              "tercetak dengan huruf 6 pt di kertas F4 lanskap, di bawah 7 pt")
    assert "angka rupiah dalam ribuan (rupiah: ribu)" in message
    assert "kertas tabel ini A3 (kertas: A3; menjadi 7 pt)" in message
    assert not _small(FIXTURES / "minimal")


def test_a3_paper_lifts_the_table_to_7_pt_and_thousands_print_under_rp_ribu(tmp_path):
    assert not _small(_dp3a(tmp_path / "a", "kertas: A3\n"))
    content = _dp3a(tmp_path / "b", "rupiah: ribu\n")
    (message,) = _small(content)  # thousands alone are not enough for this table: 6,5 pt
    assert "huruf 6,5 pt" in message and "rupiah: ribu" not in message
    grid = prepare(content).tables["program-pendanaan"]
    assert [c.text for c in grid.header[1][:2]] == ["K", "(Rp ribu)"]
    total = grid.body[-1]
    assert total[2].text == "2.795.000" and total[2].value == Decimal("2795000000")


def test_the_workbook_keeps_exact_figures_shown_in_thousands(tmp_path):
    content = _dp3a(tmp_path, "rupiah: ribu\n")
    result = build(content, tmp_path / "out")
    wb = load_workbook(next(p for p in result.written if p.suffix == ".xlsx"))
    ws = next(ws for ws in wb.worksheets if ws["A1"].value and "Tabel 3.2" in str(ws["A1"].value))
    money = [c for row in ws.iter_rows() for c in row if isinstance(c.value, (int, float)) and c.value >= 1000000]
    assert money and all(c.number_format.endswith("#,##0,") or "#,##0,;" in c.number_format for c in money)
    assert any(c.value == 25000000 for c in money)  # the exact pagu of a sub kegiatan


def test_the_remedy_prints_at_least_7_pt_in_the_pdf(tmp_path):
    """Through LibreOffice: Tabel 6.2 of dp3a at 6 pt on F4, then with `kertas: A3` on A3 pages, its
    figures' glyphs measured from PDFium's reading (a word's box is 1.15 x its font size)."""
    from renstra_gen.content.pdftext import read_pages
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is installed by tools/install.sh --test")

    def sizes(content, out):
        pdf = next(p for p in build(content, out, pdf=True).written if p.suffix == ".pdf")
        found = []
        for page in read_pages(pdf.read_bytes(), failed="x"):
            text = " ".join(w.text for line in page.lines for w in line)
            if "Unit Perangkat Daerah Penanggung Jawab" in text:  # Tabel 6.2's pages
                found += [((w.bottom - w.top) / 1.15, page.width) for line in page.lines for w in line
                          if w.text == "25.000.000"]
        return found

    before = sizes(_dp3a(tmp_path / "a"), tmp_path / "a-out")
    assert before and all(abs(s - 6) < 0.1 for s, _ in before)
    after = sizes(_dp3a(tmp_path / "b", "kertas: A3\n"), tmp_path / "b-out")
    assert after and all(s >= 7 - 0.05 for s, _ in after)
    assert all(abs(w - 1190.55) < 1 for _, w in after)  # A3 landscape: 420 mm wide


def test_the_year_split_prints_at_least_7_pt_in_the_pdf(tmp_path):
    """Through LibreOffice: `pisah_tahun: true` on dp3a's F4 Tabel 6.2 (6 pt whole): both tables'
    figures measured from PDFium's word boxes at 7 pt or more, the second under its "(lanjutan)" title."""
    from renstra_gen.content.pdftext import read_pages
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is installed by tools/install.sh --test")
    content = _dp3a(tmp_path, "pisah_tahun: true\n")
    pdf = next(p for p in build(content, tmp_path / "out", pdf=True).written if p.suffix == ".pdf")
    found: dict[str, list[float]] = {}
    continued = False
    for page in read_pages(pdf.read_bytes(), failed="x"):
        text = " ".join(w.text for line in page.lines for w in line)
        continued |= "Pendanaan Tahun 2025-2029 (lanjutan)" in text
        for line in page.lines:
            for w in line:
                if w.text in ("25.000.000", "28.000.000"):  # a sub kegiatan's 2025 (first table) and 2028 pagu
                    found.setdefault(w.text, []).append((w.bottom - w.top) / 1.15)
    assert continued
    assert set(found) == {"25.000.000", "28.000.000"}
    assert all(s >= 7 - 0.05 for sizes in found.values() for s in sizes), found
