"""renstra check: the office's own inconsistencies as warnings, with file, line and both numbers."""

from __future__ import annotations

from click.testing import CliRunner

from renstra_gen.workflows.build import inspect
from renstra_gen.cli import main
from tests.conftest import FIXTURES


def test_printed_parent_that_is_not_the_sum_of_its_children_is_a_warning():
    findings = inspect(FIXTURES / "minimal")
    (f,) = [f for f in findings if "2.24.02.2.01" in f.message and "tertulis" in f.message]
    assert str(f) == ("tabel/program.yaml:18: peringatan: kegiatan 2.24.02.2.01 Pengelolaan Arsip Dinamis, 2025: "
                      "tertulis 150.000.000, jumlah sub kegiatan 125.000.000")


def test_check_exits_0_with_warnings_and_1_with_strict():
    runner = CliRunner()
    ok = runner.invoke(main, ["check", "--content", str(FIXTURES / "minimal")])
    assert ok.exit_code == 0
    # the printed parent total, five names of the fixture that are not the official ones, the
    # missing realisasi of renja/2027/renja.yaml, and that Renja dated as the Renstra (2025, not 2026)
    assert ok.output.strip().endswith("Hasil pemeriksaan: 0 galat, 8 peringatan.")
    strict = runner.invoke(main, ["check", "--content", str(FIXTURES / "minimal"), "--strict"])
    assert strict.exit_code == 1


def _program(tmp_path, minimal, replace: tuple[str, str]):
    p = minimal / "tabel" / "program.yaml"
    p.write_text(p.read_text().replace(*replace))
    return inspect(minimal, collect=True)


def test_code_format_nesting_and_duplicates(minimal, tmp_path):
    findings = _program(tmp_path, minimal, ('kode: "2.24.02.2.01.02"', 'kode: "2.24.02.2.01.01"'))
    assert any("dipakai dua kali" in f.message for f in findings)
    findings = _program(tmp_path, minimal, ('kode: "2.24.03.2.01.01"', 'kode: "2.24.02.2.01.03"'))
    assert any("tidak berada di bawah kode induknya 2.24.03.2.01" in f.message for f in findings)


def test_missing_code_and_wrong_level_code_are_reported(minimal, tmp_path):
    findings = _program(tmp_path, minimal, ('kode: "2.24.03.2.01"', 'kode: "2.24.03"'))
    msgs = [f.message for f in findings]
    assert any("kode '2.24.03' tidak sesuai bentuk kode kegiatan" in m for m in msgs)
    findings = _program(tmp_path, minimal, ('kode: "2.24.03.2.01.01"', "kode: null"))
    assert any("sub kegiatan tanpa kode 'Penilaian Arsip': kode tidak ada" in f.message for f in findings)


def test_suffix_width_must_be_uniform(minimal, tmp_path):
    findings = _program(tmp_path, minimal, ('kode: "2.24.03.2.01.01"', 'kode: "2.24.03.2.01.0001"'))
    assert any("lebar akhiran kode sub kegiatan tidak seragam" in f.message for f in findings)


def test_target_that_changes_unit_across_years(minimal, tmp_path):
    findings = _program(tmp_path, minimal, ("target: {2025: 5, 2026: 5,", 'target: {2025: "5 & 2", 2026: 5,'))
    assert any("satuan target berubah antar tahun" in f.message for f in findings)


def test_kondisi_akhir_printed_differently(minimal, tmp_path):
    findings = _program(tmp_path, minimal, ("            lokasi: Kota Contoh\n          - kode: \"2.24.02.2.01.02\"",
                                            "            lokasi: Kota Contoh\n            tertulis: {kondisi_akhir: 299000000}\n"
                                            "          - kode: \"2.24.02.2.01.02\""))
    assert any("kondisi akhir: tertulis 299.000.000, jumlah baris 2025–2029 300.000.000" in f.message for f in findings)


def test_indicator_printed_differently_in_a_table(minimal):
    p = minimal / "tabel" / "indikator.yaml"
    p.write_text(p.read_text().replace("  - kunci: kunjungan\n",
                                       "  - kunci: kunjungan\n    tertulis: {nama: Kunjungan, target: {2026: 13100}, kondisi_akhir: 14000}\n"))
    msgs = [f.message for f in inspect(minimal)]
    assert "Tabel indikator kinerja, indikator 'Jumlah Kunjungan Perpustakaan': nama tertulis 'Kunjungan'" in msgs
    assert any("target 2026: tertulis 13.100, di indikator.yaml 13.000" in m for m in msgs)
    assert any("kondisi akhir: tertulis 14.000, target 2029 15.000" in m for m in msgs)


def test_unknown_indicator_key_is_an_error(minimal):
    p = minimal / "tabel" / "indikator.yaml"
    p.write_text(p.read_text().replace("kunci: kunjungan", "kunci: kunjungann"))
    findings = inspect(minimal, collect=True)
    assert any(f.is_error and "indikator 'kunjungann' tidak ada" in f.message for f in findings)


def test_printed_ratio_and_total_of_anggaran_realisasi(tmp_path, minimal):
    (minimal / "tabel" / "anggaran.yaml").write_text(
        "jenis: anggaran-realisasi\njudul: Anggaran\ntahun: {awal: 2020, akhir: 2021}\nprogram:\n"
        "  - uraian: Program A\n    anggaran: {2020: 100, 2021: 200}\n    realisasi: {2020: 90, 2021: 150}\n"
        "    rasio_tertulis: {2020: 90, 2021: 70}\n"
        "total_tertulis:\n  anggaran: {2020: 100, 2021: 250}\n  rasio: {2020: 90}\n")
    b = minimal / "bab" / "3-penutup.md"
    b.write_text(b.read_text() + '\n{{ tabel("anggaran") }}\n\nRata-rata {{ data("anggaran").total.rasio[2021] | persen }}%.\n')
    msgs = [str(f) for f in inspect(minimal)]
    assert "tabel/anggaran.yaml:8: peringatan: Program A, rasio 2021: tertulis 70, dihitung 75" in msgs
    assert "tabel/anggaran.yaml:10: peringatan: TOTAL anggaran 2021: tertulis 250, jumlah program 200" in msgs


def test_the_first_error_in_a_chapter_is_reported_not_its_consequences(minimal):
    b = minimal / "bab" / "2-program.md"
    b.write_text(b.read_text().replace('find("2.24.02")', 'find("9.99.99")'))
    findings = inspect(minimal, collect=True)
    errors = [str(f) for f in findings if f.is_error]
    assert errors == ["bab/2-program.md:3: galat: ekspresi gagal: kode 9.99.99 tidak ada di tabel program"]


def test_a_row_without_a_number_in_a_numbered_column_is_a_warning_at_its_line(minimal):
    """Issue 28: the default Tabel 6.1 prints one sub kegiatan without a number, as the seed does; a
    generic table's numbering column with an empty cell beside text is reported at the row."""
    (minimal / "tabel" / "daftar.yaml").write_text(
        "jenis: umum\njudul: Daftar\nkolom: [{lebar: 1}, {lebar: 4}]\nkepala:\n  - [No, Uraian]\nbaris:\n"
        '  - ["1.1", Satu]\n  - ["1.2", Dua]\n  - ["", Tiga]\n  - ["", ""]\n'
        + "".join(f'  - ["1.{n}", Nomor {n}]\n' for n in range(3, 10)), encoding="utf-8")  # nine numbered rows
    (f,) = [f for f in inspect(minimal) if "tanpa nomor" in f.message]
    assert str(f) == ("tabel/daftar.yaml:9: peringatan: baris 3: 'Tiga' tanpa nomor di kolom 1, padahal baris lain "
                      "di kolom itu bernomor; tulis nomornya, kecuali dokumen aslinya memang mencetaknya tanpa nomor")
    default = [str(f) for f in inspect(FIXTURES.parent.parent / "content") if "tanpa nomor" in f.message]
    assert default == ["tabel/program-kegiatan.yaml:59: peringatan: baris 32: 'Pemberian Pelayanan Reunifikasi "
                       "Keluarga' tanpa nomor di kolom 5, padahal baris lain di kolom itu bernomor; tulis nomornya, "
                       "kecuali dokumen aslinya memang mencetaknya tanpa nomor"]


def test_a_text_column_with_a_few_numbers_is_no_numbering_column(minimal):
    (minimal / "tabel" / "daftar.yaml").write_text(
        "jenis: umum\njudul: Daftar\nkolom: [{lebar: 1}, {lebar: 4}]\nkepala:\n  - [Tahun, Uraian]\nbaris:\n"
        '  - ["2021", Satu]\n  - ["", Dua]\n  - ["2022", Tiga]\n  - ["", Empat]\n', encoding="utf-8")
    assert not [f for f in inspect(minimal) if "tanpa nomor" in f.message]
