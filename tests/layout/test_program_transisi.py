"""T-C.27's optional transition year (tahun_transisi): its own K/Rp columns, parents and JUMLAH
summed apart from the period's Kondisi Akhir, live workbook sums, and the checks of its values."""

from __future__ import annotations

from decimal import Decimal

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from renstra_gen.workflows.build import build, inspect
from renstra_gen.compute.program import compute_program
from renstra_gen.grid import Formula
from renstra_gen.compute.derived import derive
from renstra_gen.layout import layout_table
from renstra_gen.content.load import load_content
from tests.conftest import FIXTURES

DP3A = FIXTURES / "dp3a"
SLUG = "renstra-dp3a-kabupaten-sukamaju-2025-2029"
TABLE = "tabel/program-pendanaan.yaml"



def _content(root):
    return load_content(root)


def test_transition_year_is_computed_apart_from_the_period():
    c = _content(DP3A)
    matrix = compute_program(c.tables["program-pendanaan"], c.identity.periode.years)
    assert matrix.transisi == 2030
    program = matrix.find("2.08.01")
    # 2030 of a parent is the sum of its sub kegiatan's 2030 ...
    assert program.pagu[2030] == Decimal(30000000 + 13000000 + 2779897488)
    # ... and never part of the period's kondisi akhir (2025-2029 only)
    assert program.kondisi_akhir == sum(program.pagu[y] for y in range(2025, 2030))
    assert matrix.total_akhir == Decimal("14875925944")
    assert matrix.total_transisi == Decimal("3242897488")
    assert matrix.find("2.08.01.2.01.0001").target_akhir == 10  # kumulatif: 2025-2029, not 2030


def test_transition_columns_follow_kondisi_akhir_and_jumlah_sums_them_apart():
    c = _content(DP3A)
    grid = layout_table(c.tables["program-pendanaan"], derive(c.tables, c.identity.periode.years, c.indicators))
    heads = [h.text for h in grid.header[0]]
    assert heads[-4:] == ["Kondisi Kinerja pada Akhir Periode Renstra Perangkat Daerah", "Tahun Transisi (2030)",
                          "Unit Perangkat Daerah Penanggung Jawab", "Lokasi"]
    assert grid.header[0][-3].colspan == 2 and len(grid.header[2]) == 23
    # the Penunjang's first row: one cell for Tujuan, Sasaran and Indikator Sasaran (it serves none), then Kode
    row = next(r for r in grid.body if r[1].text == "2.08.01")
    # ... | K akhir | Rp akhir | K 2030 | Rp 2030 | unit | lokasi
    assert [c.text for c in row[-6:-2]] == ["78", "12.930.925.944", "80", "2.822.897.488"]
    rp_2030 = len(grid.header[2]) - 3  # grid column of Rp 2030
    index = grid.body.index(row)
    # its two kegiatan (the first has two sub kegiatan)
    assert row[-3].formula == Formula("sum", ((index + 1, rp_2030), (index + 4, rp_2030)))
    assert row[-5].formula.refs == tuple((index, col) for col in (8, 10, 12, 14, 16))  # the period's Rp only
    leaf = next(r for r in grid.body if r[0].text == "2.08.01.2.01.0001")
    assert leaf[-3].origin.path == ("program", 0, "kegiatan", 0, "sub_kegiatan", 0, "pagu", 2030)
    total = grid.body[-1]
    assert [c.text for c in total[-6:]] == ["", "14.875.925.944", "", "3.242.897.488", "", ""]
    programs = [next(i for i, r in enumerate(grid.body) if any(c.text == code for c in r))
                for code in ("2.08.01", "2.08.02", "2.08.03", "2.08.07", "2.08.06")]
    assert total[-3].formula == Formula("sum", tuple((i, rp_2030) for i in programs))


def test_workbook_sums_the_transition_year_apart(tmp_path):
    build(DP3A, tmp_path)
    ws = load_workbook(tmp_path / f"{SLUG}-tabel.xlsx")["Tabel 3.2"]
    head = next(r for r in ws.iter_rows() if r[0].value == "Tujuan")
    col = next(c.column for c in head if c.value == "Tahun Transisi (2030)") + 1  # its Rp column
    letter = get_column_letter(col)
    program = next(r for r in ws.iter_rows() if r[3].value == "2.08.01")
    n = program[0].row
    assert ws.cell(row=n, column=col).value == f"=SUM({letter}{n + 1},{letter}{n + 4})"
    assert ws.cell(row=n, column=col - 2).value == f"=SUM(I{n},K{n},M{n},O{n},Q{n})"  # kondisi akhir: 2025-2029
    jumlah = next(r for r in ws.iter_rows() if r[0].value == "JUMLAH")
    assert str(ws.cell(row=jumlah[0].row, column=col).value).startswith(f"=SUM({letter}")
    leaf = next(r for r in ws.iter_rows() if r[3].value == "2.08.01.2.01.0001")
    assert ws.cell(row=leaf[0].row, column=col).value == 30000000


def test_a_transition_value_without_the_column_is_an_error_with_its_line(dp3a):
    p = dp3a / TABLE
    text = p.read_text().replace("tahun_transisi: true", "tahun_transisi: false")
    p.write_text(text)
    lines = text.split("\n")
    first_pagu = 1 + next(i for i, ln in enumerate(lines) if "pagu:" in ln)
    findings = [f for f in inspect(dp3a, collect=True) if "2030" in f.message]
    assert findings and all(f.is_error for f in findings)
    f = next(f for f in findings if f.source.line == first_pagu)
    assert str(f) == (f"{TABLE}:{first_pagu}: galat: sub kegiatan 2.08.01.2.01.0001 Penyusunan Dokumen Perencanaan "
                      f"Perangkat Daerah: pagu tahun 2030 di luar periode 2025–2029 (tahun transisi dicetak hanya "
                      f"bila tabel menulis 'tahun_transisi: true')")


def test_a_missing_transition_value_is_a_warning_with_its_line(dp3a):
    p = dp3a / TABLE
    text = p.read_text().replace(", 2030: 13000000}", "}")
    p.write_text(text)
    line = 1 + next(i for i, ln in enumerate(text.split("\n")) if "2029: 12000000}" in ln)
    (f,) = [f for f in inspect(dp3a, collect=True) if "tahun transisi 2030 belum diisi" in f.message]
    assert str(f) == (f"{TABLE}:{line}: peringatan: sub kegiatan 2.08.01.2.01.0007 Evaluasi Kinerja Perangkat "
                      f"Daerah: pagu tahun transisi 2030 belum diisi")
    # the build goes on: the row prints "-" for 2030 and the parents sum what is there
    c = _content(dp3a)
    matrix = compute_program(c.tables["program-pendanaan"], c.identity.periode.years)
    assert matrix.find("2.08.01.2.01.0007").pagu[2030] is None
    assert matrix.find("2.08.01.2.01").pagu[2030] == Decimal(30000000)


def test_a_transition_pagu_edited_in_the_workbook_comes_back_to_its_row(dp3a, tmp_path):
    from click.testing import CliRunner

    from renstra_gen.cli import main

    build(dp3a, tmp_path / "out")
    wb = load_workbook(tmp_path / "out" / f"{SLUG}-tabel.xlsx")
    ws = wb["Tabel 3.2"]
    head = next(r for r in ws.iter_rows() if r[0].value == "Tujuan")
    col = next(c.column for c in head if c.value == "Tahun Transisi (2030)") + 1
    leaf = next(r for r in ws.iter_rows() if r[3].value == "2.08.07.2.02.0005")[0].row
    assert ws.cell(row=leaf, column=col).value == 60000000
    ws.cell(row=leaf, column=col).value = 61000000
    wb.save(tmp_path / "edited.xlsx")
    r = CliRunner().invoke(main, ["import-xlsx", str(tmp_path / "edited.xlsx"), "--content", str(dp3a)])
    assert r.exit_code == 0, r.output
    assert "2.08.07.2.02.0005 pagu 2030: 60.000.000 → 61.000.000" in r.output
    assert "2029: 58000000, 2030: 61000000}" in (dp3a / TABLE).read_text()


def test_the_renja_of_the_last_year_takes_its_prakiraan_maju_from_the_transition_year():
    from renstra_gen.workflows.build import DEFAULT_TEMPLATES
    from renstra_gen.compose.renja import compose_renja

    renja = compose_renja(_content(DP3A), 2029, DEFAULT_TEMPLATES)
    grid = renja.plan.tables["rencana"]
    header = [c.text for row in grid.header for c in row]
    assert "Prakiraan Maju Rencana Tahun 2030" in header
    program = next(row for row in grid.body if row and any(c.text == "2.08.01" for c in row))
    assert "3.242.897.488" not in [c.text for c in program]  # a program's own figure, not the JUMLAH
    assert "2.822.897.488" in [c.text for c in program]  # 30,000,000 + 13,000,000 + 2,779,897,488
    assert not any("prakiraan maju dikosongkan" in f.message for f in renja.warnings)


def test_an_optional_transition_year_leaves_a_row_out_with_a_dash_and_no_warning(dp3a):
    p = dp3a / TABLE
    text = p.read_text().replace("tahun_transisi: true", "tahun_transisi: opsional").replace(", 2030: 13000000}", "}")
    p.write_text(text)
    assert not [f for f in inspect(dp3a, collect=True) if "2030" in f.message]
    c = _content(dp3a)
    derived = derive(c.tables, c.identity.periode.years, c.indicators, c.lampiran)
    grid = layout_table(c.tables["program-pendanaan"], derived)
    head = [cell.text for cell in grid.header[0]]
    assert "Tahun Transisi (2030)" in head  # still printed
    row = next(r for r in grid.body if any(cell.text == "2.08.01.2.01.0007" for cell in r))
    rp = next(i for i, cell in enumerate(row) if cell.text == "12.000.000") + 4  # 2029 Rp -> (K, Rp akhir) -> 2030 Rp
    assert row[rp].text == "-" and row[rp].value is None
    # the Renja of the period's last year: the prakiraan maju of that row is "-" too
    from renstra_gen.workflows.build import DEFAULT_TEMPLATES
    from renstra_gen.compose.renja import compose_renja

    rencana = compose_renja(c, 2029, DEFAULT_TEMPLATES).plan.tables["rencana"]
    leaf = next(r for r in rencana.body if r[0].text == "2.08.01.2.01.0007")
    assert leaf[9].text == "-"
