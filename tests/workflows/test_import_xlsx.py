"""import-xlsx: every edited cell is imported or named, nothing is invented, nothing half-written."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from renstra_gen.workflows.build import build, build_renja
from renstra_gen.cli import main
from tests.conftest import DEFAULT_CONTENT
from tests.helpers import FIXTURES, folder_state

RENSTRA = "renstra-dinsos-belu-2021-2026-tabel.xlsx"
PROGRAM = "tabel/program-pendanaan.yaml"


@pytest.fixture(scope="module")
def default_books(tmp_path_factory):
    """The default content's Renstra and Renja 2024 workbooks, built once."""
    out = tmp_path_factory.mktemp("books")
    content = out / "content"
    shutil.copytree(DEFAULT_CONTENT, content)
    build(content, out / "build")
    build_renja(content, out / "build", 2024)
    return content, out / "build"


@pytest.fixture
def default(default_books, tmp_path):
    """A writable copy of the default content and its workbooks (as built from it)."""
    content, books = default_books
    shutil.copytree(content, tmp_path / "content")
    for name in (RENSTRA, "renja-2024-tabel.xlsx"):
        shutil.copyfile(books / name, tmp_path / name)
    return tmp_path / "content", tmp_path


def edit(book: Path, dst: Path, cells: dict[str, object]) -> Path:
    wb = load_workbook(book)
    for where, value in cells.items():
        sheet, ref = where.split("!")
        wb[sheet][ref] = value
    wb.save(dst)
    return dst


def run(*args: str):
    return CliRunner().invoke(main, ["import-xlsx", *map(str, args)])


def changed_lines(before: bytes, after: bytes) -> list[str]:
    return [ln for ln in difflib.unified_diff(before.decode().splitlines(), after.decode().splitlines(),
                                              lineterm="", n=0)
            if ln.startswith(("+", "-")) and not ln.startswith(("+++", "---"))]


def test_an_unedited_workbook_imports_nothing_renstra_and_renja(default):
    content, books = default
    before = folder_state(content)
    for name in (RENSTRA, "renja-2024-tabel.xlsx"):
        r = run(books / name, "--content", content)
        assert r.exit_code == 0, r.output
        assert r.output == "Tidak ada perubahan.\n"
    assert folder_state(content) == before


def test_renja_workbook_edits_are_imported(default):
    """Why: editing renja-2024-tabel.xlsx (Tabel 4.1 F9/J9) said 'Tidak ada perubahan'."""
    content, books = default
    book = edit(books / "renja-2024-tabel.xlsx", books / "e.xlsx", {"Tabel 4.1!F9": 17000000, "Tabel 4.1!J9": 22000000})
    before = (content / PROGRAM).read_bytes()
    r = run(book, "--content", content)
    assert r.exit_code == 0, r.output
    assert f"{PROGRAM}: 1.06.01.2.01.02 pagu 2024: 16.778.912 → 17.000.000 (Tabel 4.1!F9)" in r.output
    assert f"{PROGRAM}: 1.06.01.2.01.02 pagu 2025: 21.000.000 → 22.000.000 (Tabel 4.1!J9)" in r.output
    diff = changed_lines(before, (content / PROGRAM).read_bytes())
    assert len(diff) == 2 and "2024: 17000000" in diff[1] and "2025: 22000000" in diff[1]


def test_an_edited_name_cell_is_imported(default):
    """Why: an edited name cell (Tabel 6.2!D8) was ignored without a word."""
    content, books = default
    book = edit(books / RENSTRA, books / "e.xlsx", {"Tabel 6.2!D8": "Penyusunan Dokumen Perencanaan & Evaluasi"})
    r = run(book, "--content", content)
    assert r.exit_code == 0, r.output
    assert ("1.06.01.2.01.01 nama: Penyusunan Dokumen Perencanaan Perangkat Daerah → "
            "Penyusunan Dokumen Perencanaan & Evaluasi (Tabel 6.2!D8)") in r.output
    assert "nama: Penyusunan Dokumen Perencanaan & Evaluasi\n" in (content / PROGRAM).read_text()


def test_every_other_edited_cell_is_named(default):
    content, books = default
    before = folder_state(content)
    book = edit(books / RENSTRA, books / "e.xlsx", {
        "Tabel 6.2!C8": "1.06.01.2.01.99",  # a code: identifies the row, not imported
        "Tabel 6.2!A5": "(satu)",  # a header
        "Tabel 6.2!G7": 5,  # a parent's sum
        "Tabel 6.2!R8": 3,  # kondisi akhir target: the last year's, computed
        "Tabel 6.2!AB8": "catatan",  # outside the table
    })
    r = run(book, "--content", content)
    assert r.exit_code == 1
    named = {ln.split(": galat:")[0] for ln in r.output.splitlines() if ": galat:" in ln}
    assert named == {"Tabel 6.2!C8", "Tabel 6.2!A5", "Tabel 6.2!G7", "Tabel 6.2!R8", "Tabel 6.2!AB8"}
    assert folder_state(content) == before


def test_a_workbook_older_than_the_content_does_not_revert_it(default):
    """Why: a workbook exported before a newer YAML edit silently reverted it (20.000.000 → 15.000.000)."""
    content, books = default
    program = content / PROGRAM
    text = program.read_text()
    newer = text.replace("pagu: {2022: 15000000, 2023: 15000000, 2024: 15000000,",
                         "pagu: {2022: 20000000, 2023: 15000000, 2024: 15000000,", 1)
    assert newer != text
    program.write_text(newer)
    r = run(books / RENSTRA, "--content", content)  # nothing edited in the workbook
    assert r.exit_code == 0, r.output
    assert "Tidak ada perubahan." in r.output and "konten berubah sejak buku kerja ini dibuat" in r.output
    assert program.read_text() == newer
    # an edit of another value in the old workbook is applied, the newer YAML edit stays
    book = edit(books / RENSTRA, books / "e.xlsx", {"Tabel 6.2!I9": 12500000})
    r = run(book, "--content", content)
    assert r.exit_code == 0, r.output
    assert "1.06.01.2.01.02 pagu 2022" in r.output and "pagu: {2022: 20000000" in program.read_text()


def test_a_value_changed_on_both_sides_is_a_conflict_unless_paksa(default):
    content, books = default
    program = content / PROGRAM
    newer = program.read_text().replace("pagu: {2022: 15000000,", "pagu: {2022: 20000000,", 1)
    program.write_text(newer)
    book = edit(books / RENSTRA, books / "e.xlsx", {"Tabel 6.2!I8": 18000000})
    r = run(book, "--content", content)
    assert r.exit_code == 1
    assert ("Tabel 6.2!I8: galat: konflik: 1.06.01.2.01.01 pagu 2022 diubah di buku kerja menjadi 18.000.000 "
            f"dan di {PROGRAM} menjadi 20.000.000 (semula 15.000.000)") in r.output
    assert program.read_text() == newer
    r = run(book, "--content", content, "--paksa")
    assert r.exit_code == 0, r.output
    assert "1.06.01.2.01.01 pagu 2022: 20.000.000 → 18.000.000 (Tabel 6.2!I8) [konflik, --paksa]" in r.output
    assert "pagu: {2022: 18000000," in program.read_text()


def test_an_import_changes_only_the_lines_of_changed_values(default):
    """Why: every import rewrote 13-17 unrelated lines (kode: null → kode:, comments re-aligned)."""
    content, books = default
    before = (content / PROGRAM).read_bytes()
    book = edit(books / RENSTRA, books / "e.xlsx", {"Tabel 6.2!I8": 15500000})
    r = run(book, "--content", content)
    assert r.exit_code == 0, r.output
    after = (content / PROGRAM).read_bytes()
    assert changed_lines(before, after) == [
        "-            pagu: {2022: 15000000, 2023: 15000000, 2024: 15000000, 2025: 16101246, 2026: 17000000}",
        "+            pagu: {2022: 15500000, 2023: 15000000, 2024: 15000000, 2025: 16101246, 2026: 17000000}"]
    assert b"kode: null" in after


def test_dry_run_lists_the_changes_and_writes_nothing(default):
    content, books = default
    before = folder_state(content)
    book = edit(books / RENSTRA, books / "e.xlsx", {"Tabel 6.2!I8": 15500000})
    r = run(book, "--content", content, "--dry-run")
    assert r.exit_code == 0, r.output
    assert "1.06.01.2.01.01 pagu 2022: 15.000.000 → 15.500.000 (Tabel 6.2!I8)" in r.output
    assert "1 perubahan (--dry-run: tidak ada berkas yang ditulis)." in r.output
    assert folder_state(content) == before


@pytest.mark.parametrize("value, message", [
    (1e28, "angka 1E+28 terlalu besar"),
    (1e308, "terlalu besar"),
    ("1e400", "terlalu besar"),
    ("NaN", "harus berupa angka terhingga"),
    ("Infinity", "harus berupa angka terhingga"),
    ("-Infinity", "harus berupa angka terhingga"),
    (-5, "tidak boleh negatif"),
    (dt.datetime(2024, 1, 5), "berisi tanggal/waktu"),
    (True, "berisi nilai benar/salah"),
    ("=1+1", "berisi rumus"),
    ("banyak", "harus berupa angka, tertulis 'banyak'"),
])
def test_a_bad_value_is_a_finding_and_nothing_is_written(minimal, tmp_path, value, message):
    """Why: 1e28, 1e308, "1e400" were written, then a traceback (and check crashed); NaN became .nan;
    Infinity and a date cell gave tracebacks."""
    build(minimal, tmp_path / "out")
    before = folder_state(minimal)
    book = edit(tmp_path / "out" / "renstra-arsip-kota-contoh-tabel.xlsx", tmp_path / "e.xlsx",
                {"Tabel 2.1!K9": value, "Tabel 2.1!G8": 51000000})  # with a good edit that must wait too
    r = run(book, "--content", minimal)
    assert r.exit_code == 1
    assert "Traceback" not in r.output and isinstance(r.exception, SystemExit)
    assert any(ln.startswith("Tabel 2.1!K9: galat: ") and message in ln for ln in r.output.splitlines()), r.output
    assert folder_state(minimal) == before
    assert CliRunner().invoke(main, ["check", "--content", str(minimal)]).exit_code == 0


def test_a_target_may_be_text_but_not_a_non_finite_number(minimal, tmp_path):
    build(minimal, tmp_path / "out")
    book = edit(tmp_path / "out" / "renstra-arsip-kota-contoh-tabel.xlsx", tmp_path / "e.xlsx",
                {"Tabel 2.1!J9": "Belum ada capaian", "Tabel 3.1!E6": "NaN"})
    r = run(book, "--content", minimal)
    assert r.exit_code == 1 and "Tabel 3.1!E6: galat: harus berupa angka terhingga" in r.output
    assert "Tabel 2.1!J9" not in r.output


@pytest.mark.parametrize("where, value, message", [
    ("renstra!C2", "x", "renstra!C2: galat: lembar indeks diubah"),
    ("renstra!A9", "Tabel 9.9", "renstra!A9: galat: lembar indeks diubah"),
    ("renstra-asal!A2", "rusak", "renstra-asal!A2: galat: buku kerja"),
    ("renstra-asal!A1", "{}", "renstra-asal!A1: galat: buku kerja"),
])
def test_an_edited_hidden_sheet_is_a_finding(minimal, tmp_path, where, value, message):
    build(minimal, tmp_path / "out")
    before = folder_state(minimal)
    book = edit(tmp_path / "out" / "renstra-arsip-kota-contoh-tabel.xlsx", tmp_path / "e.xlsx", {where: value})
    r = run(book, "--content", minimal)
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert message in r.output, r.output
    assert folder_state(minimal) == before


def test_an_import_keeps_the_mode_and_the_symlink_of_a_content_file(minimal, tmp_path):
    """Why: import-xlsx wrote content files 0600 and replaced a symlinked YAML with a plain file."""
    build(minimal, tmp_path / "out")
    shared = minimal / "bersama"  # a link inside the content folder (one pointing outside is refused)
    shared.mkdir()
    (minimal / "indikator.yaml").rename(shared / "indikator.yaml")
    (minimal / "indikator.yaml").symlink_to("bersama/indikator.yaml")
    os.chmod(minimal / "tabel" / "program.yaml", 0o664)
    book = edit(tmp_path / "out" / "renstra-arsip-kota-contoh-tabel.xlsx", tmp_path / "e.xlsx",
                {"Tabel 2.1!K9": 86500000, "Tabel 3.1!E6": 66})
    r = run(book, "--content", minimal)
    assert r.exit_code == 0, r.output
    assert (minimal / "indikator.yaml").is_symlink()
    assert "2026: 66" in (shared / "indikator.yaml").read_text()
    assert oct((minimal / "tabel" / "program.yaml").stat().st_mode & 0o777) == oct(0o664)
    assert sorted(p.name for p in shared.iterdir()) == ["indikator.yaml"]


# ---------------------------------------------------------------- generated edits

MINIMAL_BUILT: dict[str, Path] = {}


def _minimal_book(tmp_path_factory) -> Path:
    if "book" not in MINIMAL_BUILT:
        out = tmp_path_factory.mktemp("minimal-book")
        build(FIXTURES / "minimal", out)
        MINIMAL_BUILT["book"] = out / "renstra-arsip-kota-contoh-tabel.xlsx"
    return MINIMAL_BUILT["book"]


cell_values = st.one_of(
    st.none(), st.booleans(), st.integers(-10**20, 10**20),
    st.floats(allow_nan=False, allow_infinity=False), st.decimals(allow_nan=False, allow_infinity=False, places=3),
    st.sampled_from(["NaN", "Infinity", "1e400", "-", "", "1.500.000", "12,5", "=SUM(A1)", "Belum ada", "x: y"]),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12), st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2100, 1, 1)),
)
cells = st.tuples(st.sampled_from(["Tabel 2.1", "Tabel 3.1", "Tabel 1.1"]),
                  st.sampled_from("ABCDEFGHIJKLMNOPQRS"), st.integers(1, 14))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(cells, cell_values), min_size=1, max_size=5))
def test_generated_workbook_edits_never_write_partly_or_crash(tmp_path_factory, edits):
    book = _minimal_book(tmp_path_factory)
    work = tmp_path_factory.mktemp("edit")
    content = work / "content"
    shutil.copytree(FIXTURES / "minimal", content)
    before = folder_state(content)
    wb = load_workbook(book)
    for (sheet, col, row), value in edits:
        if type(wb[sheet][f"{col}{row}"]).__name__ == "MergedCell":
            continue  # covered by a merge: Excel does not let it be typed into either
        wb[sheet][f"{col}{row}"] = value
    wb.save(work / "e.xlsx")
    r = run(work / "e.xlsx", "--content", content)
    assert r.exit_code in (0, 1), r.output
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    if r.exit_code == 1:
        assert folder_state(content) == before
        assert "Gagal:" in r.output
    else:
        check = CliRunner().invoke(main, ["check", "--content", str(content)])
        assert check.exit_code == 0, check.output  # what was written loads and checks cleanly
        again = run(work / "e.xlsx", "--content", content)
        assert again.exit_code == 0 and "Tidak ada perubahan." in again.output, again.output


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_a_workbook_saved_by_libreoffice_imports_only_the_edits(default, tmp_path):
    """LibreOffice rewrites every cell (15 significant digits, shared strings): only real edits count."""
    import subprocess

    content, books = default
    book = edit(books / RENSTRA, tmp_path / "e.xlsx", {"Tabel 6.2!I8": 15500000, "Tabel 6.2!D9": "Koordinasi RKA"})
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to",
                    "xlsx:Calc MS Excel 2007 XML", "--outdir", str(tmp_path / "lo-out"), str(book)],
                   check=True, capture_output=True, timeout=300)
    r = run(tmp_path / "lo-out" / "e.xlsx", "--content", content, "--dry-run")
    assert r.exit_code == 0, r.output
    assert r.output.splitlines() == [
        f"{PROGRAM}: 1.06.01.2.01.01 pagu 2022: 15.000.000 → 15.500.000 (Tabel 6.2!I8)",
        f"{PROGRAM}: 1.06.01.2.01.02 nama: Koordinasi Penyusunan Dokumen RKA-SKPD → Koordinasi RKA (Tabel 6.2!D9)",
        "2 perubahan (--dry-run: tidak ada berkas yang ditulis).",
    ]


def test_a_workbook_without_the_record_is_refused_with_one_message(minimal, tmp_path):
    build(minimal, tmp_path / "out")
    wb = load_workbook(tmp_path / "out" / "renstra-arsip-kota-contoh-tabel.xlsx")
    del wb["renstra-asal"]  # as a workbook of an earlier version, or one whose hidden sheet was deleted
    wb["Tabel 2.1"]["K9"] = 86500000
    wb.save(tmp_path / "old.xlsx")
    before = folder_state(minimal)
    r = run(tmp_path / "old.xlsx", "--content", minimal)
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert ("galat: buku kerja ini tidak dapat dibaca kembali (lembar tersembunyi 'renstra-asal' tidak ada); "
            "susun ulang dengan renstra build lalu ulangi perubahannya") in r.output
    assert folder_state(minimal) == before


def test_a_renja_usulan_row_round_trips(tmp_path):
    """T-C.32: a stakeholder proposal edited in the Renja workbook goes back to its row of renja.yaml."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal", content)
    build_renja(content, tmp_path / "build", 2027)
    rel = "renja/2027/renja.yaml"
    before = (content / rel).read_bytes()
    book = edit(tmp_path / "build" / "renja-2027-tabel.xlsx", tmp_path / "e.xlsx",
                {"Tabel 2.4!C8": "Kecamatan Tiga", "Tabel 2.4!E8": 6})
    r = run(book, "--content", content)
    assert r.exit_code == 0, r.output
    assert f"{rel}: 2.24.03.2.01.01 lokasi: Kecamatan Dua → Kecamatan Tiga (Tabel 2.4!C8)" in r.output
    assert f"{rel}: 2.24.03.2.01.01 besaran: 4 → 6 (Tabel 2.4!E8)" in r.output
    diff = changed_lines(before, (content / rel).read_bytes())
    assert diff == ["-    lokasi: Kecamatan Dua", "+    lokasi: Kecamatan Tiga", "-    besaran: 4", "+    besaran: 6"]
    # built again, the document prints the imported proposal
    build_renja(content, tmp_path / "build", 2027)
    wb = load_workbook(tmp_path / "build" / "renja-2027-tabel.xlsx")
    assert [c.value for c in wb["Tabel 2.4"][8]][2:5] == ["Kecamatan Tiga", "Jumlah daftar arsip desa yang dinilai", 6]


def test_an_edited_row_of_the_older_usulan_list_is_named(tmp_path):
    """The older usulan_masyarakat rows have no place to go back to: an edit there is a finding, nothing written."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "minimal", content)
    build_renja(content, tmp_path / "build", 2027)
    before = folder_state(content)
    book = edit(tmp_path / "build" / "renja-2027-tabel.xlsx", tmp_path / "e.xlsx", {"Tabel 2.4!C6": "Kelurahan Dua"})
    r = run(book, "--content", content)
    assert r.exit_code == 1
    assert "Tabel 2.4!C6" in r.output
    assert folder_state(content) == before
