"""`renstra nomenklatur impor`: an office's own nomenclature version, from a SIPD-style sheet to
every check that uses it; hostile sheets get findings within the budgets."""

from __future__ import annotations

import gzip
import time

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from renstra_gen.content import nomenklatur as nk
from renstra_gen.workflows.build import inspect
from renstra_gen.cli import main
from renstra_gen.errors import ContentError
from renstra_gen.workflows.init import init
from renstra_gen.workflows.migrasi import plan
from renstra_gen.workflows.nomenklatur_impor import impor, role, summary_lines
from tests import bombs

PROGRAM = "tabel/program-pendanaan.yaml"
STORED = "nomenklatur/3406-2024.tsv.gz"
#: what the office's version changes in bidang 1.02 (Kesehatan), under kegiatan 1.02.02.2.01
DROPPED = ["1.02.02.2.01.0003", "1.02.02.2.01.0004"]
RENAMED = {"1.02.02.2.01.0002": "Pembangunan Puskesmas dan Jaringannya"}
ADDED = {"1.02.02.2.01.0099": "Pembangunan Puskesmas Pembantu Terpadu",
         "1.02.02.2.01.0100": "Pembangunan Pos Kesehatan Desa"}
SIPD_HEADER = ["kode_urusan", "nama_urusan", "kode_bidang_urusan", "nama_bidang_urusan", "kode_program",
               "nama_program", "kode_giat", "nama_giat", "kode_sub_giat", "nama_sub_giat", "kinerja", "indikator",
               "satuan"]


def sipd_rows(bidang: str = "1.02") -> list[list]:
    """The shipped 1317 sub kegiatan of a bidang, one row each with its ancestors (SIPD's export
    columns), with DROPPED left out, RENAMED renamed and ADDED added."""
    nom = nk.load("1317")
    subs = [e for e in nom.entries.values() if e.kode.startswith(bidang + ".") and e.level == "sub_kegiatan"]
    out = []
    for e in subs:
        if e.kode in DROPPED:
            continue
        out.append(_sipd_row(nom, e.kode, RENAMED.get(e.kode, e.nama), e.kinerja, e.indikator, e.satuan))
        if e.kode == "1.02.02.2.01.0002":
            for code, name in ADDED.items():
                out.append(_sipd_row(nom, code, name, f"Terlaksananya {name}", f"Jumlah {name}", "Unit"))
    return out


def _sipd_row(nom, code, name, kinerja, indikator, satuan) -> list:
    k = nk.parent_of(code)
    p = nk.parent_of(k)
    b = nk.parent_of(p)
    u = nk.parent_of(b)
    return [u, nom.get(u).nama, b, nom.get(b).nama, p, nom.get(p).nama, k, nom.get(k).nama, code, name,
            kinerja, indikator, satuan]


def write_xlsx(path, rows: list[list], header=SIPD_HEADER, title="KODEFIKASI SIPD KEMENDAGRI 900.1.15.5-3406-24"):
    wb = Workbook()
    ws = wb.active
    ws.title = "Sub Kegiatan"
    ws.append([title])
    ws.append([])
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


@pytest.fixture
def dinkes(tmp_path):
    """A fresh 1317 content set of bidang 1.02 (Kesehatan), made by `renstra init`."""
    root = tmp_path / "dinkes"
    init(root, ["1.02"], "Dinas Kesehatan", "Kabupaten Contoh", "2025-2029")
    return root


@pytest.fixture
def sheet(tmp_path):
    return write_xlsx(tmp_path / "KODEFIKASI SIPD KEMENDAGRI 900.1.15.5-3406-24+Pemutakhiran.xlsx", sipd_rows())


def _declare(root, version: str) -> None:
    p = root / "renstra.yaml"
    text = p.read_text(encoding="utf-8")
    assert 'nomenklatur: "1317"' in text
    p.write_text(text.replace('nomenklatur: "1317"', f'nomenklatur: "{version}"'), encoding="utf-8")


def _use_added_codes(root) -> dict[str, int]:
    """The content follows the office's version: the dropped rows become the added ones, the renamed
    row takes its new name; returns the line of each edited code."""
    path = root / PROGRAM
    text = path.read_text(encoding="utf-8")
    nom = nk.load("1317")
    lines = {}
    for old, (new, name) in zip(DROPPED, ADDED.items()):
        before = f'kode: "{old}"\n            nama: "{nom.get(old).nama}"'
        assert before in text
        lines[new] = text[: text.index(before)].count("\n") + 1
        text = text.replace(before, f'kode: "{new}"\n            nama: "{name}"')
    for code, name in RENAMED.items():
        before = f'kode: "{code}"\n            nama: "{nom.get(code).nama}"'
        assert before in text
        text = text.replace(before, f'kode: "{code}"\n            nama: "{name}"')
    path.write_text(text, encoding="utf-8")
    return lines


def _nomenclature_findings(root):
    """Errors, and warnings about codes and the nomenclature (a starter's other warnings, such as the
    indicators still to write, are not this test's business)."""
    return [f for f in inspect(root, collect=True) if "panduan" not in f.message
            and (f.is_error or "nomenklatur" in f.message or "kode" in f.message)]


# ---------------------------------------------------------------- the import


def test_a_sipd_sheet_imports_and_the_summary_names_exactly_the_changed_rows(dinkes, sheet):
    s = impor(sheet, dinkes, "3406/2024")
    (d,) = s.diffs
    assert d.bidang == "1.02" and s.content_bidang == ["1.02"]
    assert [e.kode for e in d.added] == list(ADDED)
    assert [e.kode for e in d.dropped] == DROPPED
    assert [(old.kode, old.nama, new.nama) for old, new in d.renamed] == [
        ("1.02.02.2.01.0002", "Pembangunan Puskesmas", RENAMED["1.02.02.2.01.0002"])]
    shipped = [e for e in nk.load("1317").entries.values() if e.kode.startswith("1.02.")]
    level = {lv: sum(1 for e in shipped if e.level == lv) for lv in nk.LEVELS}
    assert s.per_level() == {"urusan": 1, "bidang_urusan": 1, "program": level["program"],
                             "kegiatan": level["kegiatan"], "sub_kegiatan": level["sub_kegiatan"]}
    assert s.per_bidang() == {"1.02": len(shipped) + 1}
    lines = summary_lines(s)
    assert "  1.02: 2 ditambah, 2 dihapus, 1 berganti nama" in lines
    assert "    + 1.02.02.2.01.0099 Pembangunan Puskesmas Pembantu Terpadu" in lines
    assert "    - 1.02.02.2.01.0003 Pembangunan Fasilitas Kesehatan Lainnya" in lines
    assert ("    ~ 1.02.02.2.01.0002 'Pembangunan Puskesmas' → 'Pembangunan Puskesmas dan Jaringannya'"
            in lines)
    assert sum(1 for line in lines if line.startswith(("    +", "    -", "    ~"))) == 5


def test_the_stored_file_is_deterministic_sorted_gzip(dinkes, sheet, tmp_path):
    impor(sheet, dinkes, "3406/2024")
    data = (dinkes / STORED).read_bytes()
    assert data[:10] == b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"  # no time, no file name
    lines = gzip.decompress(data).decode("utf-8").split("\n")
    assert lines[0].startswith("# nomenklatur kantor: 3406/2024 ")
    assert lines[1] == "kode\tlevel\tnama\tkinerja\tindikator\tsatuan"
    codes = [line.split("\t")[0] for line in lines[2:] if line]
    assert codes == sorted(codes, key=lambda c: [int(p) for p in c.split(".")])
    assert "1.02.02.2.01.0099\tsub_kegiatan\tPembangunan Puskesmas Pembantu Terpadu\tTerlaksananya " in "\n".join(lines)
    again = tmp_path / "again"
    init(again, ["1.02"], "Dinas Kesehatan", "Kabupaten Contoh", "2025-2029")
    shuffled = write_xlsx(tmp_path / "KODEFIKASI SIPD KEMENDAGRI 900.1.15.5-3406-24+Pemutakhiran.xlsx",
                          list(reversed(sipd_rows())))
    impor(shuffled, again, "3406/2024")
    assert (again / STORED).read_bytes() == data


def test_an_added_code_checks_clean_against_the_office_version_and_is_flagged_against_1317(dinkes, sheet):
    impor(sheet, dinkes, "3406/2024")
    lines = _use_added_codes(dinkes)
    flagged = _nomenclature_findings(dinkes)
    for code, line in lines.items():
        (f,) = [f for f in flagged if f.source.file == PROGRAM and f.source.line == line]
        assert f.is_error and f"sub kegiatan {code} " in f.message and "tidak ada dalam nomenklatur 1317" in f.message
        assert f.message.endswith("impor nomenklatur kantor dengan `renstra nomenklatur impor`)")
    assert any("nama berbeda dari nomenklatur 1317" in f.message for f in flagged)
    _declare(dinkes, "3406/2024")
    assert _nomenclature_findings(dinkes) == []
    _declare_file = dinkes / "renstra.yaml"  # the file's path names it too
    _declare_file.write_text(_declare_file.read_text().replace('"3406/2024"', f'"{STORED}"'))
    assert _nomenclature_findings(dinkes) == []


def test_the_office_version_reports_its_own_changes_by_its_name(dinkes, sheet):
    impor(sheet, dinkes, "3406/2024")
    _declare(dinkes, "3406/2024")
    path = dinkes / PROGRAM
    text = path.read_text(encoding="utf-8")
    line = text[: text.index('kode: "1.02.02.2.01.0003"')].count("\n") + 1
    (f,) = [f for f in inspect(dinkes, collect=True) if f.source.line == line and f.source.file == PROGRAM and f.is_error]
    assert f.is_error and "tidak ada dalam nomenklatur 3406/2024" in f.message and "impor" not in f.message


def test_a_named_version_that_is_not_there_or_leaves_the_folder_is_a_finding(dinkes, tmp_path):
    _declare(dinkes, "3406/2024")
    (f,) = [f for f in _nomenclature_findings(dinkes)]
    assert f.source.file == "renstra.yaml" and f.source.line
    assert "nomenklatur harus salah satu dari" in f.message and "nomenklatur/3406-2024.tsv.gz tidak ada" in f.message
    outside = tmp_path / "luar.tsv.gz"
    outside.write_bytes(gzip.compress(b"1\turusan\tX\t\t\t\n"))
    p = dinkes / "renstra.yaml"
    p.write_text(p.read_text().replace('"3406/2024"', '"../luar.tsv.gz"'))
    (f,) = _nomenclature_findings(dinkes)
    assert "menunjuk ke luar folder konten" in f.message


def test_a_stored_file_edited_into_a_gzip_bomb_is_a_finding(dinkes):
    (dinkes / "nomenklatur").mkdir()
    (dinkes / STORED).write_bytes(gzip.compress(b"\n" * (64 * 1024 * 1024)))
    _declare(dinkes, "3406/2024")
    (f,) = [f for f in inspect(dinkes, collect=True) if f.source.file == STORED]
    assert f.is_error and "tidak dapat dibaca" in f.message


def test_a_stored_file_edited_by_hand_is_checked_line_by_line(dinkes):
    (dinkes / "nomenklatur").mkdir()
    text = ("# nomenklatur kantor: 3406/2024\nkode\tlevel\tnama\tkinerja\tindikator\tsatuan\n"
            "1.02.02\tprogram\tPROGRAM X\t\t\t\n"
            "1.02.02.2.05.0001\tsub_kegiatan\tTanpa kegiatan\t\t\t\n"
            "1.02.03\tkegiatan\tBentuk salah\t\t\t\n"
            "1.02.04\tprogram\tKurang kolom\n")
    (dinkes / STORED).write_bytes(gzip.compress(text.encode()))
    _declare(dinkes, "3406/2024")
    found = [str(f) for f in inspect(dinkes, collect=True) if f.source.file == STORED]
    assert found == [f"{STORED}:5: galat: kode '1.02.03' bukan kode kegiatan",
                     f"{STORED}:6: galat: baris harus berisi 6 kolom dipisah tab (kode\tlevel\tnama\tkinerja"
                     f"\tindikator\tsatuan), berisi 3"]
    (dinkes / STORED).write_bytes(gzip.compress("\n".join(text.split("\n")[:4]).encode()))
    assert [str(f) for f in inspect(dinkes, collect=True) if f.source.file == STORED] == [
        f"{STORED}:4: galat: sub kegiatan 1.02.02.2.05.0001 tanpa kegiatan induknya 1.02.02.2.05 di berkas ini"]


# ---------------------------------------------------------------- init, migrasi-kode, search


def test_init_from_an_office_version_copies_it_and_builds_the_tree_from_it(dinkes, sheet, tmp_path):
    impor(sheet, dinkes, "3406/2024")
    fresh = tmp_path / "baru"
    result = CliRunner().invoke(main, ["init", str(fresh), "--bidang", "1.02", "--perangkat-daerah", "Dinas Kesehatan",
                                       "--daerah", "Kabupaten Lain", "--periode", "2025-2029",
                                       "--nomenklatur", str(dinkes / STORED)])
    assert result.exit_code == 0, result.output
    assert (fresh / STORED).read_bytes() == (dinkes / STORED).read_bytes()
    assert 'nomenklatur: "3406/2024"' in (fresh / "renstra.yaml").read_text()
    tree = (fresh / PROGRAM).read_text()
    assert 'kode: "1.02.02.2.01.0099"' in tree and 'kode: "1.02.02.2.01.0003"' not in tree
    assert 'nama: "Pembangunan Puskesmas dan Jaringannya"' in tree
    assert 'kode: "1.02.01.2.01.0001"' in tree  # the Penunjang program the sheet has, from the sheet
    assert _nomenclature_findings(fresh) == []


def test_migrasi_kode_maps_to_the_office_version(dinkes, sheet):
    impor(sheet, dinkes, "3406/2024")
    path = dinkes / PROGRAM
    text = path.read_text(encoding="utf-8")
    old = 'kode: "1.02.02.2.01.0003"\n            nama: "Pembangunan Fasilitas Kesehatan Lainnya"'
    path.write_text(text.replace(old, 'kode: "1.02.02.2.01.99"\n            nama: "Pembangunan Puskesmas Pembantu Terpadu"'))
    to_office = plan(dinkes, "3406/2024")
    assert [(c.old, c.new) for c in to_office.changes if c.level == "sub_kegiatan"] == [
        ("1.02.02.2.01.99", "1.02.02.2.01.0099")]
    assert [(c.old, c.new) for c in to_office.changes if c.cara == "nomenklatur"] == [("1317", "3406/2024")]
    assert "1.02.02.2.01.99" in [u.kode for u in plan(dinkes, "1317").unmapped]


def test_search_uses_the_declared_office_version_and_the_old_command_still_searches(dinkes, sheet):
    impor(sheet, dinkes, "3406/2024")
    run = CliRunner().invoke
    r = run(main, ["nomenklatur", "1.02.02.2.01.0099", "--content", str(dinkes), "--versi", "3406/2024"])
    assert r.exit_code == 0 and r.output.splitlines()[-1] == "1 kode ditemukan (nomenklatur 3406/2024)."
    assert run(main, ["nomenklatur", "1.02.02.2.01.0099", "--content", str(dinkes)]).exit_code == 1  # 1317 declared
    _declare(dinkes, "3406/2024")
    r = run(main, ["nomenklatur", "puskesmas pembantu terpadu", "--content", str(dinkes)])
    assert r.exit_code == 0 and r.output.startswith("1.02.02.2.01.0099  sub kegiatan  Pembangunan Puskesmas Pembantu")
    r = run(main, ["nomenklatur", "anak terlantar", "--content", str(dinkes)])  # other bidang: still 1317's
    assert r.exit_code == 0 and "1.06.05.2.01.0001" in r.output
    r = run(main, ["nomenklatur", "--versi", "pasca-1317", "1.06.05"])
    assert r.exit_code == 0 and "kode ditemukan (nomenklatur pasca-1317)." in r.output
    r = run(main, ["nomenklatur", "x", "--versi", "2099"])
    assert r.exit_code == 1 and "--versi: galat: nomenklatur harus salah satu dari" in r.output


def test_cli_impor_prints_the_summary_and_the_next_step(dinkes, sheet):
    r = CliRunner().invoke(main, ["nomenklatur", "impor", str(sheet), "--nama", "3406/2024", "--content", str(dinkes)])
    assert r.exit_code == 0, r.output
    out = r.output.splitlines()
    assert out[0].startswith("Nomenklatur kantor '3406/2024' dari KODEFIKASI SIPD KEMENDAGRI 900.1.15.5-3406-24+Pemutakhiran.xlsx: ")
    assert "    + 1.02.02.2.01.0100 Pembangunan Pos Kesehatan Desa" in out
    assert out[-2] == f"ditulis: {dinkes / STORED}"
    assert out[-1].startswith('Langkah berikut: tulis `nomenklatur: "3406/2024"` di renstra.yaml')
    r = CliRunner().invoke(main, ["nomenklatur", "impor", str(sheet), "--nama", "1317", "--content", str(dinkes)])
    assert r.exit_code == 1 and "sudah dipakai nomenklatur bawaan" in r.output


# ---------------------------------------------------------------- other layouts


@pytest.mark.parametrize("header,expected", [
    ("Kode Rekening", "kode"), ("KODE", "kode"), ("kode_sub_giat", "kode"), ("Nomenklatur Urusan Kabupaten/Kota", "nama"),
    ("Uraian", "nama"), ("Nama Sub Kegiatan", "nama"), ("Sub Kegiatan", "nama"), ("Kinerja", "kinerja"),
    ("Indikator Kinerja", "indikator"), ("Satuan", "satuan"), ("Pagu Indikatif", None), ("No.", None)])
def test_header_cells_are_matched_loosely(header, expected):
    assert role(header) == expected


def test_the_lampiran_layout_with_a_merged_kode_header_and_a_csv_read_the_same(dinkes, tmp_path):
    nom = nk.load("1317")
    entries = [e for e in nom.entries.values() if e.kode.startswith("1.02.") or e.kode in ("1", "1.02")]
    wb = Workbook()
    ws = wb.active
    ws.title = "Lampiran"
    ws.append(["LAMPIRAN KEPUTUSAN MENTERI DALAM NEGERI NOMOR 900.1.15.5-3406 TAHUN 2024"])
    ws.append(["KODE", None, None, None, None, "NOMENKLATUR URUSAN KABUPATEN/KOTA", "KINERJA", "INDIKATOR", "SATUAN"])
    ws.merge_cells("A2:E2")
    for e in entries:
        parts = e.kode.split(".")
        cells = parts[:3] + ([".".join(parts[3:5])] if len(parts) > 3 else []) + parts[5:]
        ws.append(cells + [None] * (5 - len(cells)) + [e.nama, e.kinerja, e.indikator, e.satuan])
    wb.save(tmp_path / "lampiran.xlsx")
    s = impor(tmp_path / "lampiran.xlsx", dinkes, "lampiran", write=False)
    assert len(s.rows) == len(entries) and s.diffs[0].added == s.diffs[0].dropped == s.diffs[0].renamed == []
    csv_path = tmp_path / "nomenklatur.csv"
    csv_path.write_text("Kode;Uraian;Kinerja;Indikator;Satuan\n"
                        + "".join(f'{e.kode};"{e.nama}";"{e.kinerja}";"{e.indikator}";{e.satuan}\n' for e in entries),
                        encoding="utf-8")
    from_csv = impor(csv_path, dinkes, "csv", write=False).rows
    assert {c: r.fields() for c, r in from_csv.items()} == {c: r.fields() for c, r in s.rows.items()}


# ---------------------------------------------------------------- hostile sheets


def test_every_bad_row_is_a_finding_at_its_cell_and_nothing_is_stored(dinkes, tmp_path):
    rows = sipd_rows()[:3]
    rows.append(["1", "URUSAN", "1.02", "BIDANG", "1.02.01", "PROGRAM X", "1.02.02.2.01", "Kegiatan", "1.02.02.2.1.0001",
                 "Sub bentuk salah", "", "", ""])  # row 8: kegiatan part of the code is one digit
    rows.append(["1", "URUSAN", "1.02", "BIDANG", "1.02.02", "PROGRAM X", "1.02.02.2.01", "Kegiatan", "1.02.02.2.01.0001",
                 "", "", "", ""])  # row 9: no name (and the program and kegiatan renamed: two names)
    rows.append(["", "", "", "", "", "", "", "", "1.02.09.2.05.0001", "Tanpa induk", "", "", ""])  # row 10
    sheet = write_xlsx(tmp_path / "rusak.xlsx", rows)
    with pytest.raises(ContentError) as e:
        impor(sheet, dinkes, "rusak")
    found = [str(f) for f in e.value.findings]
    assert "Sub Kegiatan!I7: galat: kode '1.02.02.2.1.0001' tidak berbentuk kode nomenklatur (urusan 1, bidang urusan " \
           "1.02, program 1.02.02, kegiatan 1.02.02.2.01, sub kegiatan 1.02.02.2.01.0001)" in found
    assert any(f.startswith("Sub Kegiatan!E7: galat: kode 1.02.01 tertulis dua kali dengan nama berbeda: ") for f in found)
    assert "Sub Kegiatan!J8: galat: sub kegiatan 1.02.02.2.01.0001 tanpa nama" in found
    assert "Sub Kegiatan!I9: galat: sub kegiatan 1.02.09.2.05.0001 tanpa kegiatan induknya 1.02.09.2.05 di lembar" in found
    assert not (dinkes / "nomenklatur").exists()


def test_a_code_excel_turned_into_a_number_is_named(dinkes, tmp_path):
    sheet = write_xlsx(tmp_path / "angka.xlsx", [[1.1, "Bidang"]], header=["Kode", "Uraian"])
    with pytest.raises(ContentError) as e:
        impor(sheet, dinkes, "angka")
    assert str(e.value.findings[0]).startswith("Sub Kegiatan!A4: galat: kode tertulis sebagai angka (1.1)")


def test_code_parts_excel_turned_into_numbers_are_named(dinkes, tmp_path):
    sheet = write_xlsx(tmp_path / "angka.xlsx", [[1, 2, "Program"]], header=["Kode", None, "Uraian"])
    with pytest.raises(ContentError) as e:
        impor(sheet, dinkes, "angka")
    (f,) = e.value.findings
    assert str(f).startswith("Sub Kegiatan!A4: galat: kode '1.2' tidak berbentuk kode nomenklatur")
    assert f.message.endswith("jadikan kolom kode Teks agar nol di depan (02) tidak hilang")


def test_a_sheet_without_a_header_row_is_named(dinkes, tmp_path):
    sheet = write_xlsx(tmp_path / "lain.xlsx", [["a", "b"]], header=["Tahun", "Pagu"])
    with pytest.raises(ContentError) as e:
        impor(sheet, dinkes, "lain")
    assert "baris judul kolom tidak ditemukan dalam 20 baris pertama" in e.value.findings[0].message


def test_a_zip_bomb_is_refused_by_the_workbook_budgets(dinkes, tmp_path):
    book = bombs.nomenklatur_zip_sheet(tmp_path / "bom.xlsx")
    assert book.stat().st_size < 2 * 1024 * 1024
    start = time.monotonic()
    with pytest.raises(ContentError) as e:
        impor(book, dinkes, "bom")
    assert time.monotonic() - start < 20
    assert "buku kerja terlalu besar setelah diurai" in e.value.findings[0].message
    assert not (dinkes / "nomenklatur").exists()


def test_a_million_rows_are_refused_before_parsing(dinkes, tmp_path):
    book = bombs.million_row_sheet(tmp_path / "sejuta.xlsx")
    start = time.monotonic()
    with pytest.raises(ContentError) as e:
        impor(book, dinkes, "sejuta")
    assert time.monotonic() - start < 20
    (f,) = e.value.findings
    assert "lembar berisi lebih dari 100.000 baris" in f.message
    csv_path = tmp_path / "sejuta.csv"
    csv_path.write_text("kode,uraian\n" + "1.02,Bidang\n" * 1_000_000)
    with pytest.raises(ContentError) as e:
        impor(csv_path, dinkes, "sejuta")
    assert "lebih dari 100.000 baris" in e.value.findings[-1].message
    assert not (dinkes / "nomenklatur").exists()
