"""The workbook of tables: live formulas, Indonesian number formats, print setup, import back."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from renstra_gen.workflows.build import build
from renstra_gen.cli import main
from tests.conftest import document_xml, table_rows

XLSX = "renstra-arsip-kota-contoh-tabel.xlsx"


@pytest.fixture
def built(minimal, tmp_path):
    build(minimal, tmp_path / "out")
    return minimal, tmp_path / "out"


def test_one_sheet_per_table_with_caption_headers_and_source(built):
    _, out = built
    wb = load_workbook(out / XLSX)
    assert wb.sheetnames[:5] == ["Tabel 1.1", "Tabel 2.1", "Tabel 2.2", "Tabel 3.1", "Lampiran 1"]
    ws = wb["Tabel 2.2"]
    assert ws["A1"].value == "Tabel 2.2 Aset Utama"
    assert [c.value for c in ws[3]] == ["No", "Nama Barang", "Jumlah"]
    assert [c.value for c in ws[4]] == ["(1)", "(2)", "(3)"]
    assert "A6:A7" in {str(r) for r in ws.merged_cells.ranges}  # the rowspan of the generic table


def test_parents_and_kondisi_akhir_are_live_sums_with_cached_values(built):
    _, out = built
    ws = load_workbook(out / XLSX)["Tabel 2.1"]
    assert ws["C6"].value == "2.24.02" and ws["G6"].value == "=SUM(G7)"
    assert ws["G7"].value == "=SUM(G8:G9)"
    assert ws["Q8"].value == "=SUM(G8,I8,K8,M8,O8)"
    assert ws["G8"].value == 50000000 and ws["G8"].number_format.startswith("[$-421]#,##0")
    cached = load_workbook(out / XLSX, data_only=True)["Tabel 2.1"]
    assert cached["G6"].value == 125000000 and cached["Q6"].value == 725000000


def test_print_setup(built):
    _, out = built
    ws = load_workbook(out / XLSX)["Tabel 2.1"]
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$3:$5"
    assert ws.freeze_panes == "A6"
    assert ws.oddFooter.center.text == "Halaman &P dari &N"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_libreoffice_computes_the_formulas_and_shows_indonesian_numbers(built, tmp_path):
    _, out = built
    wb = load_workbook(out / XLSX)
    ws = wb["Tabel 2.1"]
    ws["G8"] = 60000000  # edit a leaf; the stale cached parent must be recomputed on load
    wb.move_sheet("Tabel 2.1", offset=-1)
    wb.active = 0
    edited = tmp_path / "e.xlsx"
    wb.save(edited)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false",
                    "--outdir", str(tmp_path), str(edited)], check=True, capture_output=True, timeout=180)
    csv = (tmp_path / "e.csv").read_text()
    assert "2.24.02,PROGRAM PENGELOLAAN ARSIP" in csv
    assert "60.000.000" in csv and "135.000.000" in csv  # 60 + 75 million, recomputed


def test_round_trip_one_leaf_pagu(built, tmp_path):
    content, out = built
    before_docx = out / "renstra-arsip-kota-contoh.docx"
    old_rows = {r[2]: r for r in table_rows(document_xml(before_docx), "Tabel 2.1")[3:]}
    originals = {p: p.read_bytes() for p in content.rglob("*") if p.is_file()}
    wb = load_workbook(out / XLSX)
    wb["Tabel 2.1"]["K9"] = 86500000  # sub kegiatan 2.24.02.2.01.02, 2027: 85.000.000 -> 86.500.000
    wb.save(tmp_path / "edited.xlsx")
    r = CliRunner().invoke(main, ["import-xlsx", str(tmp_path / "edited.xlsx"), "--content", str(content)])
    assert r.exit_code == 0, r.output
    assert "tabel/program.yaml: 2.24.02.2.01.02 pagu 2027: 85.000.000 → 86.500.000" in r.output
    changed = [p for p, data in originals.items() if p.read_bytes() != data]
    assert [p.name for p in changed] == ["program.yaml"]
    import difflib
    diff = [ln for ln in difflib.unified_diff(originals[changed[0]].decode().splitlines(),
                                              changed[0].read_text().splitlines(), lineterm="", n=0)
            if ln.startswith(("+", "-")) and not ln.startswith(("+++", "---"))]
    assert diff == ["-            pagu: {2025: 75000000, 2026: 80000000, 2027: 85000000, 2028: 90000000, 2029: 95000000}",
                    "+            pagu: {2025: 75000000, 2026: 80000000, 2027: 86500000, 2028: 90000000, 2029: 95000000}"]
    build(content, out)
    new_rows = {r[2]: r for r in table_rows(document_xml(before_docx), "Tabel 2.1")[3:]}
    assert (old_rows["2.24.02"][10], new_rows["2.24.02"][10]) == ("145.000.000", "146.500.000")
    assert (old_rows["2.24.02"][16], new_rows["2.24.02"][16]) == ("725.000.000", "726.500.000")
    cached = load_workbook(out / XLSX, data_only=True)["Tabel 2.1"]
    assert cached["K6"].value == 146500000 and cached["K7"].value == 146500000


@pytest.mark.parametrize("cell, value, message", [
    ("K9", "banyak", "Tabel 2.1!K9: galat: harus berupa angka, tertulis 'banyak'"),
    ("G6", 1, "Tabel 2.1!G6: galat: sel rumus diubah"),
    ("C8", "9.99.99.2.01.01", "Tabel 2.1!C8: galat: sel ini tidak dibaca kembali ke konten "
                              "(semula '2.24.02.2.01.01', sekarang '9.99.99.2.01.01')"),
])
def test_import_with_an_error_writes_nothing(built, tmp_path, cell, value, message):
    content, out = built
    originals = {p: p.read_bytes() for p in content.rglob("*") if p.is_file()}
    wb = load_workbook(out / XLSX)
    wb["Tabel 2.1"]["G8"] = 1  # a valid edit that must not be written either
    wb["Tabel 2.1"][cell] = value
    wb.save(tmp_path / "bad.xlsx")
    r = CliRunner().invoke(main, ["import-xlsx", str(tmp_path / "bad.xlsx"), "--content", str(content)])
    assert r.exit_code == 1
    assert any(line.startswith(message) for line in r.output.splitlines()), r.output
    assert all(p.read_bytes() == data for p, data in originals.items())


def test_added_row_is_an_error(built, tmp_path):
    content, out = built
    wb = load_workbook(out / XLSX)
    ws = wb["Tabel 2.1"]
    ws.unmerge_cells("A13:E13")  # the JUMLAH row moves down under the inserted row
    ws.insert_rows(13)
    ws["C13"], ws["D13"] = "2.24.03.2.01.02", "Baru"
    wb.save(tmp_path / "row.xlsx")
    r = CliRunner().invoke(main, ["import-xlsx", str(tmp_path / "row.xlsx"), "--content", str(content)])
    assert r.exit_code == 1
    assert "Tabel 2.1!C13: galat: sel di luar isi tabel diisi ('2.24.03.2.01.02'); baris atau kolom ditambah" in r.output
    assert "Tabel 2.1!D13: galat: sel di luar isi tabel diisi ('Baru')" in r.output


def test_indicator_targets_come_back(built, tmp_path):
    content, out = built
    wb = load_workbook(out / XLSX)
    ws = wb["Tabel 3.1"]
    assert ws["B6"].value.startswith("Persentase Arsip")
    ws["E6"] = 66  # 2026 target of arsip-dikelola
    wb.save(tmp_path / "ind.xlsx")
    r = CliRunner().invoke(main, ["import-xlsx", str(tmp_path / "ind.xlsx"), "--content", str(content)])
    assert r.exit_code == 0, r.output
    assert "indikator.yaml: indikator arsip-dikelola target 2026: 65 → 66" in r.output
    assert "target: {2025: 60, 2026: 66, 2027: 70" in (content / "indikator.yaml").read_text()  # flow style kept


def test_cells_written_as_xml_keep_text_numbers_and_formulas_exact(tmp_path):
    """The sheet cells are written as XML text by our own code: escaping, spaces, a text that
    looks like a formula, an empty computed ratio and fractions must all come back as written."""
    import io
    from decimal import Decimal

    from renstra_gen.workflows.build import DEFAULT_TEMPLATES
    from renstra_gen.grid import Cell, Formula, Grid
    from renstra_gen.render.xlsx import render_xlsx

    grid = Grid("t", "Uji <sel> & teks", [1, 1, 1], header=[[Cell("Nama"), Cell("A"), Cell("B")]], body=[
        [Cell("  R&D <baru>\nbaris dua"), Cell("5", value=Decimal(5)), Cell("0,25", value=Decimal("0.25"))],
        [Cell("=SUM(A1)"), Cell("", value=Decimal(0)), Cell("-", formula=Formula("ratio", ((0, 1), (1, 1))))],
        [Cell("Jumlah", bold=True), Cell("5", value=Decimal(5), formula=Formula("sum", ((0, 1), (1, 1)))),
         Cell("-")],
    ], number="1.1", source="BPS & Dinas")
    data = render_xlsx([("t", grid)], "A4", DEFAULT_TEMPLATES / "tabel.xlsx")
    (tmp_path / "t.xlsx").write_bytes(data)
    ws = load_workbook(tmp_path / "t.xlsx")["Tabel 1.1"]
    assert ws["A1"].value == "Tabel 1.1 Uji <sel> & teks"
    assert ws["A4"].value == "  R&D <baru>\nbaris dua" and ws["A5"].value == "=SUM(A1)"
    assert ws["A5"].data_type == "s"  # text from content never becomes a formula
    assert (ws["B4"].value, ws["C4"].value, ws["B5"].value) == (5, 0.25, 0)
    assert ws["C5"].value == '=IF(N(B5)=0,"",N(B4)/B5*100)' and ws["B6"].value == "=SUM(B4:B5)"
    assert ws["C6"].value == "-" and ws["A6"].font.b  # the dash the document prints and ws["B6"].number_format.endswith(';"-"')
    assert ws["A8"].value == "Sumber: BPS & Dinas"
    cached = load_workbook(io.BytesIO(data), data_only=True)["Tabel 1.1"]
    assert cached["B6"].value == 5 and cached["C5"].value in ("", None)


def test_the_import_record_reads_the_same_however_it_was_batched(monkeypatch):
    """The hidden record is written in batches of cells as the sheets are filled; the batch size
    must not change what import-xlsx reads back."""
    import io

    from renstra_gen.workflows.build import DEFAULT_TEMPLATES, _render_workbook, prepare
    from renstra_gen.render.xlsx_record import RecordStream, content_key, read_record
    from tests.helpers import FIXTURES

    plan = prepare(FIXTURES / "minimal")

    def record(batch: int):
        monkeypatch.setattr(RecordStream, "BATCH", batch)
        data = _render_workbook(plan, DEFAULT_TEMPLATES, "t", {"jenis": "renstra"})
        return read_record(load_workbook(io.BytesIO(data)), content_key(FIXTURES / "minimal"))

    header, whole = record(10 ** 9)
    assert record(1) == (header, whole) == record(7)
    sheets = whole["lembar"]
    assert len(sheets) > 3 and all(s["sel"][0][0] == "A1" for s in sheets.values())
    assert sum(len(s["sel"]) for s in sheets.values()) > 100
