"""The second full content set (tests/fixtures/dp3a): another office, bidang urusan and period,
built end to end: the cascade merges, T-C.27's baseline, Urusan and total rows, indicator
direction and kondisi akhir, and the Renja of the period's second year."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from renstra_gen.workflows.build import build, build_renja
from renstra_gen.cli import main
from tests.conftest import FIXTURES, NS, W, document_xml, table_rows, texts

DP3A = FIXTURES / "dp3a"
SLUG = "renstra-dp3a-kabupaten-sukamaju-2025-2029"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("dp3a")
    result = build(DP3A, out)
    return result, document_xml(out / f"{SLUG}.docx")


@pytest.fixture(scope="module")
def renja(tmp_path_factory):
    out = tmp_path_factory.mktemp("dp3a-renja")
    result = build_renja(DP3A, out, 2026)
    return result, document_xml(result.written[0])


def test_check_finds_only_the_small_type_and_build_writes_docx_and_xlsx(built):
    # the one warning: Tabel 6.2 fitted at 6 pt on F4 (issue 28 item 3; tests/check/test_legibility.py)
    r = CliRunner().invoke(main, ["check", "--content", str(DP3A), "--strict"])
    assert r.exit_code == 1 and r.output.strip().endswith("0 galat, 1 peringatan."), r.output
    assert "tercetak dengan huruf 6 pt di kertas F4 lanskap" in r.output
    result, _ = built
    assert [p.name for p in result.written] == [f"{SLUG}.docx", f"{SLUG}-tabel.xlsx"]


def test_f4_paper(built):
    _, root = built
    size = root.find(".//w:sectPr/w:pgSz", NS)
    assert {int(size.get(f"{{{W}}}w")), int(size.get(f"{{{W}}}h"))} == {12189, 18709}  # 21.5 x 33 cm (F4)


def _starts(rows, col):
    """(text, first row) of every cell starting in a docx table column (vMerge continuations are empty)."""
    return [(r[col], i) for i, r in enumerate(rows) if r[col]]


def test_tabel_4_1_merges_tujuan_and_sasaran_in_cascade_order(built):
    _, root = built
    rows = table_rows(root, "Tabel 2.3")[3:]
    assert [r[2] for r in rows] == [
        "Indeks Pembangunan Gender", "Jumlah Kebijakan Daerah Responsif Gender yang Ditetapkan",
        "Rasio Kekerasan terhadap Perempuan per 10.000 Penduduk Perempuan", "Angka Perkawinan Anak",
        "Persentase Pengaduan Anak yang Memerlukan Perlindungan Khusus yang Ditangani", "Jumlah Desa/Kelurahan Layak Anak"]
    assert _starts(rows, 0) == [("Meningkatnya kesetaraan gender dan pemberdayaan perempuan", 0),
                                ("Meningkatnya perlindungan dan pemenuhan hak anak", 3)]
    assert _starts(rows, 1) == [("Meningkatnya pengarusutamaan gender dalam pembangunan daerah", 1),
                                ("Menurunnya kekerasan terhadap perempuan", 2),
                                ("Menurunnya perkawinan usia anak", 3),
                                ("Meningkatnya layanan pemenuhan hak anak", 4)]
    # a merged cell is one w:tc with vMerge restart, continued in each row it covers
    tbl_rows = _table(root, "Tabel 2.3").findall("w:tr", NS)[3:]
    merges = [tr.findall("w:tc", NS)[0].find("w:tcPr/w:vMerge", NS) for tr in tbl_rows]
    assert [m.get(f"{{{W}}}val") if m is not None else None for m in merges] == \
        ["restart", None, None, "restart", None, None]


def _table(root, caption):
    body = root.find(f"{{{W}}}body")
    found = False
    for el in body:
        style = el.find("w:pPr/w:pStyle", NS) if el.tag == f"{{{W}}}p" else None
        if style is not None and style.get(f"{{{W}}}val") == "JudulTabel" \
                and "".join(t.text or "" for t in el.iter(f"{{{W}}}t")).startswith(caption):
            found = True
        elif el.tag == f"{{{W}}}tbl" and found:
            return el
    raise AssertionError(caption)


def test_tabel_6_2_cascade_urusan_baseline_and_total(built):
    _, root = built
    rows = table_rows(root, "Tabel 3.2")
    assert rows[0][2] == "Indikator Sasaran" and rows[0][6] == "Data Capaian pada Tahun Awal Perencanaan (2024)"
    width = len(rows[2])  # the column numbers: one cell per grid column
    # the Penunjang's rows: one cell spans Tujuan, Sasaran and Indikator Sasaran (it serves none)
    body = [[r[0], "", ""] + r[1:] if len(r) == width - 2 else r for r in rows[3:]]
    penunjang = [r for r in body if r[0].startswith("Penunjang urusan pemerintahan daerah")]
    assert len(penunjang) == 1 and penunjang[0][3] == "2.08.01"  # its heading, over its rows, first
    assert [(r[3], r[4]) for r in body[:2]] == [
        ("2", "URUSAN PEMERINTAHAN WAJIB YANG TIDAK BERKAITAN DENGAN PELAYANAN DASAR"),
        ("2.08", "URUSAN PEMERINTAHAN BIDANG PEMBERDAYAAN PEREMPUAN DAN PERLINDUNGAN ANAK")]
    # a page predicted to start inside a program repeats its program (and kegiatan) rows "(lanjutan)",
    # with no figure (since the Penunjang has its own heading, dp3a's predicted break falls on a
    # program row: the repeats themselves are shown on grown copies and in the PDF, tests below)
    repeated = [(r[3], r[4]) for r in body if r[4].endswith("(lanjutan)")]
    assert all(code.count(".") in (2, 4) for code, _ in repeated)
    assert all(not any(r[5:]) for r in body if r[4].endswith("(lanjutan)"))
    body = [r for r in body if not r[4].endswith("(lanjutan)")]
    programs = [r[3] for r in body if r[3].count(".") == 2]
    # the Penunjang first, then cascade order, not written order
    assert programs == ["2.08.01", "2.08.02", "2.08.03", "2.08.07", "2.08.06"]
    codes = [r[3] for r in body]
    # the groups, without the labels repeated "(lanjutan)" at a page break (issue 28 item 2)
    tujuan = [(t, i) for t, i in _starts(body, 0) if not t.endswith("(lanjutan)")]
    assert [t for t, _ in tujuan] == ["Penunjang urusan pemerintahan daerah (mendukung seluruh tujuan dan sasaran)",
                                      "Meningkatnya kesetaraan gender dan pemberdayaan perempuan",
                                      "Meningkatnya perlindungan dan pemenuhan hak anak", "JUMLAH"]
    assert [i for _, i in tujuan] == [2, codes.index("2.08.02"), codes.index("2.08.07"), len(body) - 1]
    assert [(s, codes[i]) for s, i in _starts(body, 1) if not s.endswith("(lanjutan)")][:4] == [
        ("Meningkatnya pengarusutamaan gender dalam pembangunan daerah", "2.08.02"),
        ("Menurunnya kekerasan terhadap perempuan", "2.08.03"),
        ("Menurunnya perkawinan usia anak", "2.08.07"),
        ("Meningkatnya layanan pemenuhan hak anak", "2.08.06")]
    by_code = {r[3]: r for r in body}
    assert by_code["2.08.03"][6] == "3,8"  # baseline
    # kumulatif: 2 documents a year -> 10 at the end of the period; tetap: the level held (38)
    # (K and Rp of the end of the period, then of the transition year 2030, then unit and lokasi)
    assert by_code["2.08.01.2.01.0001"][-6] == "10" and by_code["2.08.01.2.02.0001"][-6] == "38"
    total = body[-1]
    assert total[0] == "JUMLAH" and total[2] == "2.795.000.000"  # pagu 2025 of all programs


def test_falling_indicator_that_beats_its_target_shows_capaian_above_100(built):
    _, root = built
    rows = table_rows(root, "Tabel 2.1")[3:]
    falling = rows[0]
    assert falling[1] == "Angka Perkawinan Anak (%)"
    assert falling[-3:] == ["101,82", "103,81", "105,00"]  # (2T - R) / T x 100
    assert rows[1][-3:] == ["100,00", "75,00", "100,00"]


def test_indikator_kinerja_kondisi_akhir_by_rule(built):
    _, root = built
    rows = {r[1]: r for r in table_rows(root, "Tabel 4.1")[3:]}
    assert rows["Jumlah Kebijakan Daerah Responsif Gender yang Ditetapkan (Dokumen)"][-1] == "6"
    assert rows["Angka Perkawinan Anak (Persen)"][-1] == "7,0"


def test_workbook_total_row_is_a_live_sum(built, tmp_path):
    result, _ = built
    ws = load_workbook(result.written[1])["Tabel 3.2"]
    jumlah = next(r for r in ws.iter_rows() if r[0].value == "JUMLAH")
    assert str(jumlah[8].value).startswith("=SUM(")


def test_nothing_of_another_office_leaks(built):
    _, root = built
    text = "\n".join(texts(root))
    for foreign in ("Belu", "Atambua", "Dinas Sosial", "Kearsipan"):
        assert foreign not in text


def test_renja_of_the_second_year_date_signatory_and_realisasi_before_the_period(renja):
    result, root = renja
    lines = texts(root)
    cover = lines[:lines.index("KATA PENGANTAR")]
    assert "TAHUN 2026" in cover and "2026" in cover and "2025" not in cover
    assert "Sukamaju, 20 Oktober 2025" in lines
    assert "Yohanes Bere, S.Sos, M.AP" in lines and "Dra. Ratna Wulandari, M.Si" not in lines
    assert not any("tanggal penetapan" in f.message for f in result.warnings)
    evaluation = table_rows(root, "Tabel 2.1")[3:]
    assert [(r[0], r[1]) for r in evaluation[:3]] == [("", "2"), ("", "2.08"), ("1", "2.08.01")]
    rows = {r[1]: r for r in evaluation}
    # (5) target akhir | (6) s/d N-3 | (7) target N-2 | (8) realisasi N-2 | (9) % | (10) target N-1 | (11) s/d N-1 | (12) %
    # s/d N-1 counts the Renstra's own years only: 2024 belongs to the previous Renstra
    assert rows["2.08.01.2.01.0001"][4:12] == ["10", "-", "2", "2", "100,00", "2", "2", "20,00"]
    assert rows["2.08.03.2.02.0001"][4:12] == ["250", "-", "65", "70", "107,69", "60", "52", "20,80"]
    # a held (tetap) target: 38 of 38 is 100 %, whichever side a deviation falls
    assert rows["2.08.01.2.02.0001"][9:12] == ["38", "38", "100,00"]
    # Urusan rows head the Renja's T-C.33 too
    plan = table_rows(root, "Tabel 4.1")[3:]
    assert [r[0] for r in plan[:3]] == ["2", "2.08", "2.08.01"]


def test_import_xlsx_follows_cascade_order_urusan_rows_and_baseline_column(tmp_path):
    import shutil

    content = tmp_path / "dp3a"
    shutil.copytree(DP3A, content)
    out = tmp_path / "out"
    build(content, out)
    wb = load_workbook(out / f"{SLUG}-tabel.xlsx")
    ws = wb["Tabel 3.2"]
    # find the row of a sub kegiatan printed after the reordering (2.08.07 before 2.08.06)
    row = next(r[0].row for r in ws.iter_rows() if r[3].value == "2.08.07.2.02.0005")
    numbers = next(r for r in ws.iter_rows() if r[0].value == "(1)")
    # column (13): Rp 2027, after Tujuan, Sasaran, Indikator Sasaran, Kode, Nama, Indikator, baseline and two years
    year_2027 = next(c.column for c in numbers if c.value == "(13)")
    assert year_2027 == 13 and ws.cell(row=row, column=year_2027).value == 54000000
    ws.cell(row=row, column=year_2027).value = 54500000
    wb.save(tmp_path / "edited.xlsx")
    r = CliRunner().invoke(main, ["import-xlsx", str(tmp_path / "edited.xlsx"), "--content", str(content)])
    assert r.exit_code == 0, r.output
    assert "2.08.07.2.02.0005 pagu 2027: 54.000.000 → 54.500.000" in r.output
    assert "2027: 54500000" in (content / "tabel" / "program-pendanaan.yaml").read_text()


def test_org_chart_levels_come_from_the_declared_posisi():
    """A bidang without seksi stays in the bidang row; a UPTD sits below the deepest bidang column
    with its own Sub Bagian TU under it (not above it)."""
    import re
    import subprocess

    from renstra_gen.content.load import load_content
    from renstra_gen.render.figures import org_chart_dot

    dot = org_chart_dot(load_content(DP3A).organisasi)
    laid = subprocess.run(["dot", "-Tplain"], input=dot, capture_output=True, text=True, check=True).stdout
    y = {m.group(1): float(m.group(2)) for m in re.finditer(r"^node (\S+) \S+ (\S+)", laid, re.M)}
    # units in organisasi.yaml order: u0 head, u1 sekretariat, u2-u4 bidang, u5 UPTD (u5_0 its Sub Bagian TU), u6 JF
    assert y["u2"] == y["u3"] == y["u4"]             # the bidang without seksi is in the bidang row
    assert y["u5"] < y["u3_1"]                        # the UPTD is below the deepest seksi (plain y grows upwards)
    assert y["u5_0"] < y["u5"]                        # and its Sub Bagian TU below it


def test_tabel_6_1_is_derived_from_the_6_2_tree(built):
    _, root = built
    rows = table_rows(root, "Tabel 3.1")[2:]
    # every sub kegiatan once, in Tabel 6.2's (cascade) order, with its own code
    assert [r[-2] for r in rows if r[-2]] == [
        "2.08.01.2.01.0001", "2.08.01.2.01.0007", "2.08.01.2.02.0001", "2.08.02.2.01.0003", "2.08.02.2.01.0005",
        "2.08.03.2.02.0001", "2.08.07.2.01.0004", "2.08.07.2.02.0005", "2.08.06.2.02.0001"]
    # program and kegiatan cells start once and are merged down over their sub kegiatan rows
    assert [r[0] for r in rows if r[0]] == ["2.08.01", "2.08.02", "2.08.03", "2.08.07", "2.08.06"]
    assert rows[0][1] == "PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN/KOTA" and rows[1][1] == ""
    assert [r[2] for r in rows[:3]] == ["2.08.01.2.01", "", "2.08.01.2.02"]


def test_tabel_6_1_numbered_in_order_and_a_wrong_source_is_an_error(tmp_path):
    import shutil

    from renstra_gen.workflows.build import inspect
    from renstra_gen.compute.derived import derive
    from renstra_gen.layout import layout_table
    from renstra_gen.content.load import load_content

    content = tmp_path / "dp3a"
    shutil.copytree(DP3A, content)
    p = content / "tabel" / "program-kegiatan.yaml"
    p.write_text(p.read_text().replace("nomor: kode", "nomor: urut"))
    c = load_content(content)
    grid = layout_table(c.tables["program-kegiatan"], derive(c.tables, c.identity.periode.years, c.indicators))
    assert [(grid.body[0][0].text, grid.body[0][2].text, grid.body[0][4].text)] == [("1.", "1.1", "1.1.1")]
    assert grid.body[0][0].rowspan == 3 and grid.body[0][2].rowspan == 2
    p.write_text(p.read_text().replace("dari: program-pendanaan", "dari: strategi"))
    (f,) = [f for f in inspect(content, collect=True) if "dari" in f.message]
    assert f.is_error and str(f).startswith("tabel/program-kegiatan.yaml:3: galat: 'dari: strategi' bukan tabel "
                                            "program-pendanaan (yang ada: program-pendanaan)")


def test_count_table_sums_and_shares_are_computed(built, tmp_path):
    result, root = built
    rows = table_rows(root, "Tabel 2.2")
    assert rows[0] == ["No", "Jenis Kekerasan", "2020", "2021", "2022", "2023", "2024", "Jumlah", "%"]
    assert rows[3] == ["3.", "Seksual", "9", "11", "10", "8", "-", "38", "18,91"]
    assert rows[-1] == ["Jumlah", "50", "48", "43", "36", "24", "201", "100,00"]
    assert "tercatat 201 kasus kekerasan" in "\n".join(texts(root))
    ws = load_workbook(result.written[1])["Tabel 2.2"]
    total = next(r for r in ws.iter_rows() if r[0].value == "Jumlah")
    assert str(total[7].value).startswith("=SUM(")


def test_count_table_row_of_the_wrong_width_is_an_error(tmp_path):
    import shutil

    from renstra_gen.workflows.build import inspect

    content = tmp_path / "dp3a"
    shutil.copytree(DP3A, content)
    p = content / "tabel" / "kasus-kekerasan.yaml"
    p.write_text(p.read_text().replace("[6, 4, 5, 3, 3]", "[6, 4, 5, 3]"))
    (f,) = [f for f in inspect(content, collect=True) if "Penelantaran" in f.message]
    assert f.is_error and str(f) == "tabel/kasus-kekerasan.yaml:10: galat: Penelantaran: 4 nilai, kolom ada 5"


def test_org_chart_kind_from_the_name_before_the_sub_units(tmp_path):
    """Without `posisi`: "Bidang ..." without seksi is a bidang, "UPTD ..." with a Sub Bagian is a UPTD."""
    import shutil

    from renstra_gen.content.load import load_content
    from renstra_gen.render.figures import role

    content = tmp_path / "dp3a"
    shutil.copytree(DP3A, content)
    p = content / "organisasi.yaml"
    p.write_text("\n".join(line for line in p.read_text().splitlines() if "posisi:" not in line) + "\n")
    units = load_content(content).organisasi.unit
    assert [role(u, i) for i, u in enumerate(units)] == [
        "pimpinan", "sekretariat", "bidang", "bidang", "bidang", "unit-pelaksana", "fungsional"]


def test_slash_compounds_acronyms_names_and_nips_print_unbroken(dp3a, tmp_path):
    """Through LibreOffice (issue 28 item 7): a Tabel 6.2 cell with "Dipelihara/Direhabilitasi" and
    "PUG-PP" after other words, a Halaman Verifikasi with a long-degree verifier and the head's
    degrees: no word cut inside a cell, each NIP and each name's degrees on one printed line, the
    dotted signature line whole, and the print proof passes with the no-break characters."""
    import shutil

    from tests.printcheck import inspect, read_pages
    if shutil.which("soffice") is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice and Poppler are installed by tools/install.sh --test")
    p = dp3a / "tabel" / "program-pendanaan.yaml"
    old = "indikator: Jumlah Dokumen Perencanaan Perangkat Daerah (dokumen)"
    assert old in p.read_text()
    p.write_text(p.read_text().replace(old, "indikator: Jumlah Sarana dan Prasarana Kantor yang "
                                            "Dipelihara/Direhabilitasi serta Dokumen PUG-PP (unit)"))
    r = dp3a / "renstra.yaml"
    text = r.read_text().replace("nama: Dra. Ratna Wulandari, M.Si", "nama: Dra. Ratna Wulandari, S.Sos., M.Si., M.Kes.")
    r.write_text(text + "verifikasi:\n  tempat: Sukamaju\n  verifikator:\n"
                        "    - nama: Dr. Ir. Maria Fatima Seran, S.T., M.Eng., M.Sc.\n"
                        "      nip: 19800101 200501 1 007\n      jabatan: Kepala Bappeda\n")
    result = build(dp3a, tmp_path, pdf=True)
    assert result.proof is not None and not result.proof.findings
    docx = next(x for x in result.written if x.suffix == ".docx")
    pdf = next(x for x in result.written if x.suffix == ".pdf")
    report = inspect(docx, pdf)
    assert report.words == [] and report.numbers == []
    lines = [" ".join(line.split()) for pg in read_pages(pdf) for line in pg.lines()]
    assert "NIP. 19800101 200501 1 007" in lines and "NIP. 19700514 199503 2 004" in lines
    assert any(line.endswith("Seran, S.T., M.Eng., M.Sc.") for line in lines)
    assert "Dra. Ratna Wulandari, S.Sos., M.Si., M.Kes." in lines  # the block widens: the name on one line
    assert any(line.startswith("1. ....................") for line in lines)
    assert not [line for line in lines if line.strip(". ") == "" and "." in line]  # no lone dots
    assert any("PUG-PP" in line for line in lines)
    # the verifier's row leaves room to sign by hand: its dotted line at least 1.5 cm under the
    # header row (PDFium's word boxes, in points)
    from renstra_gen.content.pdftext import read_pages as word_boxes
    (page,) = [p for p in word_boxes(pdf.read_bytes(), failed="x")
               if "VERIFIKASI" in " ".join(w.text for line in p.lines for w in line)
               and any("Tangan" == w.text for line in p.lines for w in line)]
    words = [w for line in page.lines for w in line]
    header = max(w.bottom for w in words if w.text == "Tangan")
    dots = min((w for w in words if "...................." in w.text), key=lambda w: w.top)  # the table's, above the date's
    assert dots.bottom - header >= 1.5 / 2.54 * 72, (header, dots.bottom)


def test_lampiran_column_weights_come_from_the_table_file(tmp_path):
    """`lebar:` in lampiran/rumus-indikator.yaml weights the Lampiran's columns (issue 28 item 8); a
    list of the wrong length is a file:line error."""
    import shutil

    from renstra_gen.compute.derived import derive
    from renstra_gen.content.load import load_content
    from renstra_gen.layout import layout_table
    from renstra_gen.workflows.build import inspect

    content = tmp_path / "dp3a"
    shutil.copytree(DP3A, content)
    c = load_content(content)
    table = next(t for t in c.lampiran if t.jenis == "rumus-indikator")
    assert layout_table(table, derive(c.tables, c.identity.periode.years, c.indicators, c.lampiran)).columns == \
        [0.6, 2.5, 2.5, 4.0]
    p = content / "lampiran" / "rumus-indikator.yaml"
    p.write_text(p.read_text().replace("jenis: rumus-indikator\n", "jenis: rumus-indikator\nlebar: [1, 3, 2, 6]\n"))
    c = load_content(content)
    grid = layout_table(next(t for t in c.lampiran if t.jenis == "rumus-indikator"), derive(c.tables, c.identity.periode.years, c.indicators, c.lampiran))
    assert grid.columns == [1, 3, 2, 6]
    p.write_text(p.read_text().replace("lebar: [1, 3, 2, 6]", "lebar: [1, 2]"))
    (f,) = [f for f in inspect(content, collect=True) if "lebar" in f.message]
    assert f.is_error and str(f) == ("lampiran/rumus-indikator.yaml:2: galat: lebar: berisi 4 angka "
                                     "(No, Indikator, Rumus, Keterangan), tertulis 2")


def test_sasaran_label_repeated_on_the_continuation_page_as_the_pdf_breaks(dp3a, tmp_path, monkeypatch):
    """Through LibreOffice (issue 28 item 2): Tabel 6.2 of dp3a, with two more kegiatan of its PUG
    program (a sasaran group longer than render/table.KEEP_GROUP_MAX, which breaks where the page
    ends), runs over pages inside that group. With no break predicted, the first conversion shows where the PDF breaks; the document
    is made again with the Tujuan, Sasaran and Indikator Sasaran labels repeated "(lanjutan)" on the
    row that starts the next page, converted once more, and the print proof passes."""
    import re
    import shutil

    from renstra_gen.content.pdftext import read_pages
    from renstra_gen.grid import BELOW, START, placements
    from renstra_gen.workflows import build as recipe
    if shutil.which("soffice") is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice and Poppler are installed by tools/install.sh --test")
    from tests.helpers import grow_dp3a
    grow_dp3a(dp3a, "2.08.02.2.02", "2.08.02.2.03")
    monkeypatch.setattr("renstra_gen.render.table.predicted_breaks", lambda *a, **k: [])
    monkeypatch.setattr(recipe, "_cached_breaks", lambda key: None)  # not from an earlier build's PDF
    conversions = []
    real = recipe.converted
    monkeypatch.setattr(recipe, "converted", lambda *a, **k: conversions.append(1) or real(*a, **k))
    result = build(dp3a, tmp_path, pdf=True)
    # nothing predicted: the first conversion measures the breaks, the second puts the labels and the
    # parent rows there, which moves the group's later break; the third measures that (AGAIN_MAX)
    assert len(conversions) == 3
    assert result.proof is not None and not result.proof.findings
    assert not [f for f in result.warnings if "lanjutan" in f.message]
    grid = next(g for g in recipe.prepare(dp3a).tables.values() if g.key == "program-pendanaan")
    nhead = len(grid.header)
    slots = placements(grid.header + grid.body, len(grid.columns))[nhead:]
    code_col = 3  # Tujuan, Sasaran, Indikator Sasaran, Kode
    row_of = {cell.text: r for r, row in enumerate(slots) for col, cell, kind in row if col == code_col and cell.text}
    pdf = next(x for x in result.written if x.suffix == ".pdf")
    continued = 0
    for page in read_pages(pdf.read_bytes(), failed="x"):  # PDFium: a cell's lines follow each other
        # a line that breaks after "/" reads "Desa/ Kelurahan": joined back as the cell holds it
        text = " ".join(w.text for line in page.lines for w in line).replace("/ ", "/")
        codes = [w for w in text.split() if w in row_of]
        if not codes or "Tabel 3.2" in text or "Unit Perangkat Daerah Penanggung Jawab" not in text:
            continue  # not Tabel 6.2 (printed as Tabel 3.2 in this office's Renstra), or its first page
        # the first row of the page, after the program (and kegiatan) rows repeated "(lanjutan)" above
        # it (grid.paged): its labels are printed before its code
        at = [text.index(c) for c in codes] + [len(text)]
        first = next(i for i, c in enumerate(codes) if "(lanjutan)" not in text[at[i]:at[i + 1]])
        top = at[first]
        for col, cell, kind in slots[row_of[codes[first]]]:
            if col > 2 or not cell.text:
                continue
            label = " ".join(cell.text.split())
            if kind == BELOW:  # a group continued from the page before
                continued += 1
                assert f"{label} (lanjutan)" in text[:top], (page.number, label)
            else:
                assert kind == START and label in text[:top] and f"{label} (lanjutan)" not in text
    # Tujuan, Sasaran and Indikator Sasaran of the PUG group across its break, and a tujuan continued
    # onto a later page (each label checked above)
    assert continued >= 3


def _more_sub_kegiatan(content) -> None:
    """Seven more sub kegiatan of Administrasi Keuangan (official codes): T-C.33 runs over two pages."""
    from renstra_gen.content import nomenklatur

    p = content / "tabel" / "program-pendanaan.yaml"
    text = p.read_text()
    at = text.index("            lokasi: Sukamaju\n", text.index('"2.08.01.2.02.0001"')) + len("            lokasi: Sukamaju\n")
    names = nomenklatur.load()
    more = "".join(
        f'          - kode: "2.08.01.2.02.{i:04d}"\n            nama: "{names.get(f"2.08.01.2.02.{i:04d}").nama}"\n'
        f"            indikator: Jumlah dokumen (dokumen)\n"
        f"            target: {{2025: 1, 2026: 1, 2027: 1, 2028: 1, 2029: 1, 2030: 1}}\n"
        f"            pagu: {{2025: 1000000, 2026: 1000000, 2027: 1000000, 2028: 1000000, 2029: 1000000, 2030: 1000000}}\n"
        f"            lokasi: Sukamaju\n" for i in range(2, 9))
    p.write_text(text[:at] + more + text[at:])


def test_renja_parent_rows_repeated_on_continuation_pages_as_the_pdf_breaks(dp3a, tmp_path, monkeypatch):
    """Through LibreOffice (issue 28 item 2): where a page of T-C.33 or T-C.29 starts inside a program,
    its program row (and kegiatan row, inside a kegiatan) is repeated at the top "(lanjutan)", with
    its code and no figure; the print proof passes; the workbook has no repeated row."""
    import re
    import shutil

    from renstra_gen.compose.renja import compose_renja
    from renstra_gen.workflows import build as recipe
    from renstra_gen.workflows.build import DEFAULT_TEMPLATES, load_all
    from tests.printcheck import repeated_parents, tree_names
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is installed by tools/install.sh --test")
    _more_sub_kegiatan(dp3a)
    monkeypatch.setattr(recipe, "_cached_breaks", lambda key: None)  # not from an earlier build's PDF
    conversions = []
    real = recipe.converted
    monkeypatch.setattr(recipe, "converted", lambda *a, **k: conversions.append(1) or real(*a, **k))
    result = build_renja(dp3a, tmp_path, 2026, pdf=True)
    assert len(conversions) <= 2
    assert result.proof is not None and not result.proof.findings and result.proof.cells > 300
    assert not [f for f in result.warnings if "lanjutan" in f.message]
    pdf = next(x for x in result.written if x.suffix == ".pdf").read_bytes()
    code = re.compile(r"^2\.08\.\d\d(\.2\.\d\d(\.\d{4})?)?$")
    grids = compose_renja(load_all(dp3a), 2026, DEFAULT_TEMPLATES).plan.tables
    names = {k: v for g in grids.values() if g.levels for k, v in tree_names(g).items()}
    assert repeated_parents(pdf, code, names, "Prakiraan")  # T-C.33
    assert repeated_parents(pdf, code, names, "Penanggung")  # T-C.29
    book = load_workbook(next(x for x in result.written if x.suffix == ".xlsx"))
    assert not [c.value for ws in book for row in ws.iter_rows() for c in row
                if isinstance(c.value, str) and "lanjutan" in c.value]


def test_renja_pdf_prints_jumlah_parent_realisasi_no_placeholder_and_no_broken_word(tmp_path):
    """Through LibreOffice, dp3a's Renja 2026 (issue 28's Must show, items 1, 5, 6, 7): T-C.33 ends on
    its JUMLAH row with the totals of 2026 and 2027 on the same page; T-C.29 prints the program's and
    the kegiatan's own entered realisasi; no stand-in text reaches the final PDF and none is reported;
    no word broken inside a cell or header; the print proof passes."""
    import shutil

    from tests.printcheck import inspect, read_pages
    if shutil.which("soffice") is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice and Poppler are installed by tools/install.sh --test")
    result = build_renja(DP3A, tmp_path, 2026, pdf=True)
    assert result.proof is not None and not result.proof.findings
    assert not [f for f in result.warnings if f.placeholder]
    docx = next(x for x in result.written if x.suffix == ".docx")
    pdf = next(x for x in result.written if x.suffix == ".pdf")
    report = inspect(docx, pdf)
    assert report.words == [] and report.numbers == []
    pages = read_pages(pdf)
    everything = " ".join(line for p in pages for line in p.lines())
    assert "belum diuraikan" not in everything and "PANDUAN" not in everything
    (last,) = [p for p in pages if any(line.split()[:1] == ["JUMLAH"] for line in p.lines())]
    words = " ".join(last.lines()).split()
    assert {"2.880.000.000", "2.993.160.000"} <= set(words)  # pagu 2026 and prakiraan maju 2027, on its page
    assert last is pages[[i for i, p in enumerate(pages) if "Kebutuhan" in " ".join(p.lines())][-1]]
    import subprocess
    layout = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    rows: dict[str, list[str]] = {}
    for line in layout.splitlines():  # T-C.29's rows: "No  Kode  name ... figures ... unit"
        w = line.split()
        if len(w) > 2 and w[0].isdigit() and w[1].startswith("2.08."):
            rows.setdefault(w[1], w)
    # T-C.29: the Penunjang program's 2024 and 2025 realisasi and its kegiatan's, as entered
    assert rows["2.08.01"][-6:-1] == ["69", "101,47", "70", "71", "91,03"]
    assert rows["2.08.01.2.01"][-4:-1] == ["3", "3", "20,00"]
    # T-C.33 (item 8): the Sumber Dana column is fitted to its text, "APBD Kabupaten" never wraps in its
    # cell (the issue saw "APBD Kabupaten Malaka" on three lines beside a wide, mostly empty Catatan)
    from tests.printcheck import word_boxes
    t33 = [i for i, p in enumerate(pages) if "Kebutuhan" in " ".join(p.lines())]
    boxes = word_boxes(pdf)
    pairs = [(a, b) for i in t33 for a, b in zip(boxes[i], boxes[i][1:])
             if a[4] == "APBD" and b[4] == "Kabupaten"]
    assert pairs and all(abs(a[1] - b[1]) < 1.0 for a, b in pairs), pairs
