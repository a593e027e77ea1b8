"""The Indikator Kinerja Utama table (jenis: iku): drawn from indikator.yaml, which indicators it
shows, its computed Kondisi Akhir, the formula reference, its checks and its workbook sheet."""

from __future__ import annotations


from click.testing import CliRunner
from openpyxl import load_workbook

from renstra_gen.workflows.build import build, inspect
from renstra_gen.cli import main
from renstra_gen.grid import Formula
from renstra_gen.compute.derived import derive
from renstra_gen.layout import layout_table
from renstra_gen.content.load import load_content
from tests.conftest import FIXTURES

DP3A = FIXTURES / "dp3a"
SLUG = "renstra-dp3a-kabupaten-sukamaju-2025-2029"



def _grid(root, key="iku"):
    c = load_content(root)
    return layout_table(c.tables[key], derive(c.tables, c.identity.periode.years, c.indicators, c.lampiran))


def _rows(grid):
    return {r[1].text: r for r in grid.body}


def test_columns_and_the_indicators_marked_iku_in_cascade_order():
    grid = _grid(DP3A)
    assert [c.text for c in grid.header[0]] == [
        "No", "Indikator Kinerja Utama", "Definisi Operasional / Formulasi", "Satuan", "Kondisi Awal (2024)",
        "Target Kinerja", "Kondisi Akhir (2029)", "Sumber Data", "Penanggung Jawab"]
    assert [c.text for c in grid.header[1]] == ["2025", "2026", "2027", "2028", "2029"]
    assert [r[0].text for r in grid.body] == ["1", "2", "3", "4", "5"]
    # kla is not marked iku: left out; the tujuan's own indicator (ipg) first
    assert [r[1].text for r in grid.body] == [
        "Indeks Pembangunan Gender", "Jumlah Kebijakan Daerah Responsif Gender yang Ditetapkan",
        "Rasio Kekerasan terhadap Perempuan per 10.000 Penduduk Perempuan", "Angka Perkawinan Anak",
        "Persentase Pengaduan Anak yang Memerlukan Perlindungan Khusus yang Ditangani"]
    assert all(len(r) == 13 for r in grid.body)


def test_falling_indicator_ends_at_its_last_target_and_a_cumulative_one_at_the_sum():
    rows = _rows(_grid(DP3A))
    falling = rows["Angka Perkawinan Anak"]
    # kondisi awal 9,5 (2024), targets falling to 7,0: the end of the period is the last year's 7,0
    assert [c.text for c in falling[3:11]] == ["Persen", "9,5", "9,0", "8,5", "8,0", "7,5", "7,0", "7,0"]
    assert falling[10].formula is None
    cumulative = rows["Jumlah Kebijakan Daerah Responsif Gender yang Ditetapkan"]
    # 1 + 1 + 2 + 1 + 1 documents over the period; the workbook keeps it a live sum of the targets
    assert cumulative[10].text == "6" and cumulative[10].value == 6
    assert cumulative[10].formula == Formula("sum", tuple((1, c) for c in range(5, 10)))
    held = rows["Persentase Pengaduan Anak yang Memerlukan Perlindungan Khusus yang Ditangani"]
    assert held[10].text == "100"


def test_definisi_cell_refers_to_the_rumus_lampiran_row_and_the_rest_come_from_the_record():
    rows = _rows(_grid(DP3A))
    ipg = rows["Indeks Pembangunan Gender"]
    assert ipg[2].text == "Perbandingan IPM perempuan dengan IPM laki-laki.\nFormulasi: Lampiran 1 nomor 1"
    assert rows["Angka Perkawinan Anak"][2].text == "Formulasi: Lampiran 1 nomor 4"
    assert [ipg[11].text, ipg[12].text] == ["BPS Kabupaten Sukamaju", "Sekretaris Dinas"]
    # cells showing one value of indikator.yaml carry where it is written (import-xlsx)
    assert ipg[12].origin.path == ("indikator", 0, "penanggung_jawab") and ipg[12].origin.file == "indikator.yaml"
    assert ipg[5].origin.path == ("indikator", 0, "target", 2025)
    assert ipg[2].origin is None  # definisi + reference: not one value


def test_without_a_rumus_lampiran_the_formula_itself_is_printed(dp3a):
    (dp3a / "renstra.yaml").write_text((dp3a / "renstra.yaml").read_text()
                                       .replace("lampiran:\n  - lampiran/rumus-indikator.yaml\n", ""))
    rows = _rows(_grid(dp3a))
    assert rows["Angka Perkawinan Anak"][2].math.startswith(r"\frac{")
    assert rows["Indeks Pembangunan Gender"][2].text == \
        "Perbandingan IPM perempuan dengan IPM laki-laki.\nFormulasi: (IPM_P) / (IPM_L) × 100"


def test_no_indicator_marked_iku_shows_every_tujuan_and_sasaran_indicator_and_a_list_keeps_its_order(dp3a):
    ind = dp3a / "indikator.yaml"
    ind.write_text(ind.read_text().replace("    iku: true\n", ""))
    names = [r[1].text for r in _grid(dp3a).body]
    assert len(names) == 6 and names[-1] == "Jumlah Desa/Kelurahan Layak Anak"
    (dp3a / "tabel" / "iku.yaml").write_text("jenis: iku\njudul: IKU\nindikator:\n  - kunci: kla\n  - kunci: ipg\n")
    grid = _grid(dp3a)
    assert [r[1].text for r in grid.body] == ["Jumlah Desa/Kelurahan Layak Anak", "Indeks Pembangunan Gender"]
    # ipg has a sumber_data: the column stays; kla has none and its cell is blank
    assert grid.header[0][7].text == "Sumber Data" and grid.body[0][11].text == ""


def test_check_names_a_missing_penanggung_jawab_and_an_unknown_key_with_file_and_line(dp3a):
    ind = dp3a / "indikator.yaml"
    text = ind.read_text()
    ind.write_text(text.replace("    penanggung_jawab: Kepala Bidang Perlindungan Anak\n", ""))
    line = 1 + text.split("\n").index("  - kunci: perkawinan-anak")
    findings = inspect(dp3a, collect=True)
    (f,) = [f for f in findings if "penanggung jawab" in f.message]
    assert not f.is_error
    assert str(f) == (f"indikator.yaml:{line}: peringatan: indikator 'perkawinan-anak' dicetak di tabel IKU 'iku' "
                      f"tanpa penanggung jawab (isi 'penanggung_jawab' di indikator.yaml)")
    (dp3a / "tabel" / "iku.yaml").write_text("jenis: iku\njudul: IKU\nindikator:\n  - kunci: ipg\n  - kunci: ipm\n")
    (f,) = [f for f in inspect(dp3a, collect=True) if "'ipm'" in f.message]
    assert f.is_error and str(f).startswith("tabel/iku.yaml:5: galat: indikator 'ipm' tidak ada di indikator.yaml")


def test_a_table_with_nothing_to_show_is_an_error(dp3a):
    # no indicator marked iku, none of a tujuan or sasaran
    (dp3a / "indikator.yaml").write_text("indikator:\n  - {kunci: lepas, nama: Indikator Lepas, target: {2025: 1}}\n")
    (f,) = [f for f in inspect(dp3a, collect=True) if "tabel IKU" in f.message]
    assert f.is_error and str(f).startswith("tabel/iku.yaml:1: galat: tabel IKU tidak memuat indikator")


def test_workbook_sheet_sums_the_cumulative_target_and_an_edit_comes_back_to_indikator_yaml(dp3a, tmp_path):
    out = tmp_path / "out"
    build(dp3a, out)
    wb = load_workbook(out / f"{SLUG}-tabel.xlsx")
    ws = wb["Tabel 4.2"]
    row = next(r for r in ws.iter_rows() if r[1].value == "Jumlah Kebijakan Daerah Responsif Gender yang Ditetapkan")
    n = row[0].row
    assert row[10].value == f"=SUM(F{n},G{n},H{n},I{n},J{n})"  # the five target cells of its own row
    pj = next(r for r in ws.iter_rows() if r[1].value == "Angka Perkawinan Anak")[12]
    assert pj.value == "Kepala Bidang Perlindungan Anak"
    pj.value = "Sekretaris Dinas"
    wb.save(tmp_path / "edited.xlsx")
    r = CliRunner().invoke(main, ["import-xlsx", str(tmp_path / "edited.xlsx"), "--content", str(dp3a)])
    assert r.exit_code == 0, r.output
    assert "indikator perkawinan-anak penanggung_jawab: Kepala Bidang Perlindungan Anak → Sekretaris Dinas" in r.output
    assert "kunci: perkawinan-anak" in (dp3a / "indikator.yaml").read_text()
    record = load_content(dp3a).indicators.get("perkawinan-anak")
    assert record.penanggung_jawab == "Sekretaris Dinas"
