"""Issue 28 item 3, the third remedy: `pisah_tahun: true` prints a program-pendanaan matrix's years
over two tables, each repeating the identifying columns, the kondisi akhir with the last years; the
workbook keeps one sheet; the legibility warning offers it with the size it gives."""

from __future__ import annotations

import io
import re
import zipfile

from openpyxl import load_workbook

from renstra_gen.grid import CONTINUED, columns_of, placements
from renstra_gen.workflows.build import build, inspect, prepare
from tests.conftest import FIXTURES
from tests.helpers import dp3a_program_line

IDENT = ["Tujuan", "Sasaran", "Indikator Sasaran", "Kode", "Program/Kegiatan/Sub Kegiatan",
         "Indikator Kinerja Tujuan, Sasaran, Program (Outcome) dan Kegiatan (Output)"]


def _dp3a(tmp_path, line: str = "pisah_tahun: true\n"):
    return dp3a_program_line(tmp_path, line)


def _parts(grid):
    return [columns_of(grid, cols) for cols in grid.parts]


def test_the_years_split_over_two_tables_that_repeat_the_identifying_columns(tmp_path):
    grid = prepare(_dp3a(tmp_path)).tables["program-pendanaan"]
    first, second = _parts(grid)
    heads = [[c.text for c in part.header[0]] for part in (first, second)]
    assert heads[0] == IDENT + ["Data Capaian pada Tahun Awal Perencanaan (2024)", "2025", "2026", "2027"]
    assert heads[1] == IDENT + ["2028", "2029", "Kondisi Kinerja pada Akhir Periode Renstra Perangkat Daerah",
                                "Tahun Transisi (2030)", "Unit Perangkat Daerah Penanggung Jawab", "Lokasi"]
    # the column numbers keep the whole matrix's: (14) is 2028's K in both the table and the workbook
    assert [c.text for c in second.header[2]][5:8] == ["(6)", "(14)", "(15)"]
    for part, lead in ((first, 7), (second, 6)):  # the first also has the Data Capaian column
        assert len(part.body) == len(grid.body)  # every row in both tables, merges kept
        placements(part.header + part.body, len(part.columns))  # raises on a row that does not fill
        # the same row in both: the same code and name; JUMLAH under the identifying columns
        assert [c.text for c in part.body[3][:2]] == [c.text for c in grid.body[3][:2]]
        assert part.body[-1][0].text == "JUMLAH" and part.body[-1][0].colspan == lead
    # each year's figures in one table only; the period's total with the last years
    total = [c.text for c in grid.body[-1]]
    assert total[-5] in [c.text for c in second.body[-1]] and total[-5] not in [c.text for c in first.body[-1]]


def test_without_the_choice_one_table_and_a_one_year_matrix_never_splits(tmp_path):
    grid = prepare(FIXTURES / "dp3a").tables["program-pendanaan"]
    assert grid.parts == []


def test_the_warning_offers_the_split_with_its_size_and_the_split_lifts_it(tmp_path):
    (message,) = [f.message for f in inspect(_dp3a(tmp_path / "a", "")) if "di bawah 7 pt" in f.message]
    assert "tahun dibagi ke dua tabel (pisah_tahun: true; menjadi 7 pt)" in message
    assert not [f for f in inspect(_dp3a(tmp_path / "b")) if "di bawah 7 pt" in f.message]


def test_the_document_prints_two_tables_and_the_workbook_keeps_one_sheet(tmp_path):
    result = build(_dp3a(tmp_path), tmp_path / "out")
    docx = next(p for p in result.written if p.suffix == ".docx")
    xml = zipfile.ZipFile(io.BytesIO(docx.read_bytes())).read("word/document.xml").decode()
    text = re.sub(r"<[^>]+>", "", xml)
    title = "Tabel 3.2 Rencana Program, Kegiatan, Sub Kegiatan dan Pendanaan Tahun 2025-2029"
    assert text.count(title + CONTINUED) == 1
    at = xml.index(title + CONTINUED)  # between the two tables
    tables = [xml[xml.rindex("<w:tbl>", 0, at):at], re.search(r"<w:tbl>.*?</w:tbl>", xml[at:], re.S).group()]
    assert "Tahun Transisi (2030)" not in tables[0] and "Tahun Transisi (2030)" in tables[1]
    texts = [re.sub(r"<[^>]+>", "", t) for t in tables]
    assert all("PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH" in t for t in texts), texts[1][:300]
    assert "2025" in texts[0] and "2025" not in texts[1]
    wb = load_workbook(next(p for p in result.written if p.suffix == ".xlsx"))
    sheets = [ws for ws in wb.worksheets if "Tabel 3.2" in str(ws["A1"].value)]
    assert len(sheets) == 1
    values = {str(c.value) for row in sheets[0].iter_rows() for c in row if c.value is not None}
    assert {"2025", "2029", "Tahun Transisi (2030)"} <= values
