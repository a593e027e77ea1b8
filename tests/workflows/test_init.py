"""renstra init: a starter content set that builds at once, its program matrix from the nomenclature."""

from __future__ import annotations

from click.testing import CliRunner

from renstra_gen.content import nomenklatur as nk
from renstra_gen.cli import main
from tests.conftest import document_xml, table_rows


def _init_and_build(tmp_path, *bidang: str):
    folder = tmp_path / "baru"
    args = ["init", str(folder), "--perangkat-daerah", "Dinas Contoh", "--daerah", "Kabupaten Contoh",
            "--periode", "2025-2029"]
    for b in bidang:
        args += ["--bidang", b]
    runner = CliRunner()
    made = runner.invoke(main, args)
    assert made.exit_code == 0, made.output
    built = runner.invoke(main, ["build", "--verbose", "--content", str(folder), "--out", str(tmp_path / "out")])
    assert built.exit_code == 0, built.output
    assert "galat" not in built.output
    assert "bab/1-pendahuluan.md:5: peringatan: teks panduan belum diganti" in built.output
    (docx,) = (tmp_path / "out").glob("*.docx")
    rows = table_rows(document_xml(docx), "Tabel 6.2")
    kode = rows[0].index("Kode")  # after Tujuan, Sasaran and (the starter has sasaran indicators) Indikator Sasaran
    # a program repeated "(lanjutan)" at the top of a page is the same program (grid.paged)
    return folder, {r[kode]: r[kode + 1] for r in rows if len(r) > kode + 1 and not r[kode + 1].endswith("(lanjutan)")}


def _official_programs(bidang: str) -> dict[str, str]:
    nom = nk.load()
    return {p.kode: p.nama for p in nom.children(bidang)
            if any(k.kode.split(".")[3] == "2" for k in nom.children(p.kode))}


def test_init_2_08_builds_and_lists_every_program_with_its_official_name(tmp_path):
    folder, matrix = _init_and_build(tmp_path, "2.08")
    programs = _official_programs("2.08")
    assert len(programs) == 7
    for kode, nama in programs.items():
        assert matrix.get(kode) == nama
    subs = [e for e in nk.load().descendants("2.08") if e.level == "sub_kegiatan" and e.kode.split(".")[3] == "2"]
    text = (folder / "tabel" / "program-pendanaan.yaml").read_text(encoding="utf-8")
    assert all(f'kode: "{s.kode}"' in text for s in subs)
    first = subs[0]
    assert f'indikator: "{first.indikator} ({first.satuan})"' in text


def test_init_with_two_bidang_has_one_penunjang_program(tmp_path):
    _, matrix = _init_and_build(tmp_path, "1.06", "2.08")
    expected = {**_official_programs("1.06"), **_official_programs("2.08")}
    expected.pop("2.08.01")
    for kode, nama in expected.items():
        assert matrix.get(kode) == nama
    assert "2.08.01" not in matrix


def test_init_never_writes_into_an_existing_folder(tmp_path):
    (tmp_path / "ada").mkdir()
    (tmp_path / "ada" / "catatan.txt").write_text("milik pengguna")
    result = CliRunner().invoke(main, ["init", str(tmp_path / "ada"), "--bidang", "1.06", "--perangkat-daerah", "X",
                                       "--daerah", "Kota Y", "--periode", "2025-2029"])
    assert result.exit_code == 1
    assert "sudah ada" in result.output
    assert [p.name for p in (tmp_path / "ada").iterdir()] == ["catatan.txt"]


def test_init_refuses_an_unknown_bidang_and_a_bad_period(tmp_path):
    runner = CliRunner()
    bad = runner.invoke(main, ["init", str(tmp_path / "a"), "--bidang", "1.99", "--perangkat-daerah", "X",
                               "--daerah", "Y", "--periode", "2025-2029"])
    assert bad.exit_code == 1 and "bidang urusan '1.99' tidak ada" in bad.output
    bad = runner.invoke(main, ["init", str(tmp_path / "b"), "--bidang", "1.06", "--perangkat-daerah", "X",
                               "--daerah", "Y", "--periode", "2029-2025"])
    assert bad.exit_code == 1 and "periode '2029-2025' tidak sah" in bad.output
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_init_writes_an_empty_renja_starter_that_builds_the_five_tables(tmp_path):
    folder = tmp_path / "baru"
    runner = CliRunner()
    made = runner.invoke(main, ["init", str(folder), "--perangkat-daerah", "Dinas Contoh", "--daerah",
                                "Kabupaten Contoh", "--periode", "2025-2029", "--bidang", "2.08"])
    assert made.exit_code == 0, made.output
    # an example outside renja/ (a renja/<TAHUN>/ folder would make check report that Renja's empty targets)
    assert not (folder / "renja").exists()
    starter = (folder / "renja-contoh.yaml").read_text(encoding="utf-8")
    assert "pelayanan: []" in starter and "review_rkpd: []" in starter and "usulan: []" in starter
    assert "sumber_dana: APBD Kabupaten Contoh" in starter
    (folder / "renja" / "2026").mkdir(parents=True)
    (folder / "renja" / "2026" / "renja.yaml").write_text(starter, encoding="utf-8")  # as the planner copies it
    built = runner.invoke(main, ["renja", "2026", "--content", str(folder), "--out", str(tmp_path / "out")])
    assert built.exit_code == 0, built.output
    assert "galat" not in built.output
    root = document_xml(tmp_path / "out" / "renja-2026.docx")
    for caption, ncols in (("Tabel 2.2", 15), ("Tabel 2.3", 13), ("Tabel 2.4", 6)):
        assert table_rows(root, caption)[-1] == ["-"] * ncols


def test_a_new_content_set_prints_its_iku_table_and_its_first_pdf_with_a_signature_field(tmp_path):
    """The starter of a Renstra 2025-2029 has the IKU table; its first `build --pdf` works although its
    signature block still holds long "[PANDUAN: ...]" lines that wrap in the signature column."""
    folder = tmp_path / "baru"
    runner = CliRunner()
    made = runner.invoke(main, ["init", str(folder), "--perangkat-daerah", "Dinas Contoh", "--daerah",
                                "Kabupaten Contoh", "--periode", "2025-2029", "--bidang", "2.08"])
    assert made.exit_code == 0, made.output
    built = runner.invoke(main, ["build", "--pdf", "--content", str(folder), "--out", str(tmp_path / "out")])
    assert built.exit_code == 0, built.output
    root = document_xml(next((tmp_path / "out").glob("*.docx")))
    rows = table_rows(root, "Tabel 7.2 Indikator Kinerja Utama")
    assert rows[0][:3] == ["No", "Indikator Kinerja Utama", "Definisi Operasional / Formulasi"]
    assert "[PANDUAN: bidang penanggung jawab]" in rows[-1]
    pdf = next((tmp_path / "out").glob("*.pdf")).read_bytes()
    assert b"/FT /Sig" in pdf or b"/FT/Sig" in pdf


def test_init_reads_a_bidang_code_written_with_one_digit(tmp_path):
    """`--bidang 1.2` is the bidang 1.02 (issue 27): the starter is made and names it."""
    result = CliRunner().invoke(main, ["init", str(tmp_path / "dinkes"), "--bidang", "1.2", "--perangkat-daerah",
                                       "Dinas Kesehatan", "--daerah", "Kabupaten Contoh", "--periode", "2025-2029"])
    assert result.exit_code == 0, result.output
    assert "Bidang urusan 1.02 URUSAN PEMERINTAHAN BIDANG KESEHATAN" in result.output
    program = (tmp_path / "dinkes" / "tabel" / "program-pendanaan.yaml").read_text(encoding="utf-8")
    assert 'kode: "1.02.02"' in program and '"1.2.' not in program and "bidang 1.02)" in program


def test_an_unknown_bidang_is_refused_with_codes_and_names(tmp_path):
    runner = CliRunner()
    args = ["--perangkat-daerah", "X", "--daerah", "Kabupaten Contoh", "--periode", "2025-2029"]
    bad = runner.invoke(main, ["init", str(tmp_path / "a"), "--bidang", "kesehatan", *args])
    assert bad.exit_code == 1 and not (tmp_path / "a").exists()
    assert "bidang urusan 'kesehatan' tidak ada dalam nomenklatur 1317" in bad.output
    assert "Bidang urusan yang mirip:\n  1.02  URUSAN PEMERINTAHAN BIDANG KESEHATAN\n" in bad.output
    bad = runner.invoke(main, ["init", str(tmp_path / "b"), "--bidang", "1.99", *args])
    assert bad.exit_code == 1
    assert "  1.06  URUSAN PEMERINTAHAN BIDANG SOSIAL\n" in bad.output  # every code with its name


def test_the_starter_numbers_its_tables_as_the_docs_and_the_default_content_do(tmp_path):
    """One name per table (issue 27): the program table is Tabel 6.2 in the starter's document, its
    workbook's sheet names, its files' comments, the default content and the user guide."""
    import re
    from pathlib import Path

    from openpyxl import load_workbook

    from renstra_gen.compose.renstra import compose
    from renstra_gen.content.load import load_content

    folder = tmp_path / "baru"
    made = CliRunner().invoke(main, ["init", str(folder), "--bidang", "1.02", "--perangkat-daerah", "Dinas Kesehatan",
                                     "--daerah", "Kabupaten Contoh", "--periode", "2025-2029"])
    assert made.exit_code == 0, made.output
    root = Path(__file__).resolve().parents[2]
    numbers = {}
    for content in (folder, root / "content"):
        plan = compose(load_content(content))
        numbers[content] = {key: g.title.split(" ")[1] for key, g in plan.tables.items()}
    starter, default = numbers[folder], numbers[root / "content"]
    assert starter["program-kegiatan"] == default["program-kegiatan"] == "6.1"
    assert starter["program-pendanaan"] == default["program-pendanaan"] == "6.2"
    for key in ("tujuan-sasaran", "strategi", "program-pendanaan", "indikator-kinerja"):
        assert starter[key] == default[key], key
        comment = (folder / "tabel" / f"{key}.yaml").read_text(encoding="utf-8").splitlines()[0]
        assert comment.startswith(f"# Tabel {starter[key]} "), comment
    guide = (root / "docs" / "panduan" / "README.md").read_text(encoding="utf-8")
    for number, file in re.findall(r"^\| Tabel (\d\.\d) \| .*?\| `tabel/([a-z-]+)\.yaml`", guide, re.M):
        assert starter[file] == number, file
    built = CliRunner().invoke(main, ["build", "--content", str(folder), "--out", str(tmp_path / "out")])
    assert built.exit_code == 0, built.output
    sheets = load_workbook(next((tmp_path / "out").glob("*-tabel.xlsx")), read_only=True).sheetnames
    assert "Tabel 6.1" in sheets and "Tabel 6.2" in sheets
