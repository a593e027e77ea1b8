"""The Renja draft: year N and N+1 from the Renstra, the T-C.29 evaluation, edge years."""

from __future__ import annotations

from decimal import Decimal

from click.testing import CliRunner

from renstra_gen.workflows.build import build_renja
from renstra_gen.cli import main
from tests.conftest import DEFAULT_CONTENT, FIXTURES, document_xml, table_rows, texts


def _rows(docx, caption):
    """The body rows by code, without the parent rows repeated "(lanjutan)" on a continuation page."""
    return {r[1] if r[0].isdigit() else r[0]: r for r in _own_rows(table_rows(document_xml(docx), caption)[3:])}


def _own_rows(rows):
    return [r for r in rows if not any(c.endswith("(lanjutan)") for c in r)]


def test_default_renja_2024_matrix(tmp_path):
    result = build_renja(DEFAULT_CONTENT, tmp_path, 2024)
    assert [p.name for p in result.written] == ["renja-2024.docx", "renja-2024-tabel.xlsx"]
    docx = result.written[0]
    rows = _rows(docx, "Tabel 4.1")
    row = rows["1.06.05.2.01.01"]
    assert row[1] == "Penjangkauan terhadap Anak-Anak terlantar"
    assert (row[4], row[5]) == ("100", "30.000.000") and (row[8], row[9]) == ("125", "35.000.000")
    assert rows["1.06.05.2.01"][5] == "60.000.000"  # 30 + 20 + 10 million in 2024
    last = table_rows(document_xml(docx), "Tabel 4.1")[-1]  # T-C.33 ends on its total
    assert last[0] == "JUMLAH" and last[1] != "-" and last[5] != "-"
    messages = [f.message for f in result.warnings]
    assert any("target tahun 2024 tidak ada" in m for m in messages)  # never silently dropped


def test_every_parent_of_the_renja_matrix_is_the_sum_of_its_children(tmp_path):
    from renstra_gen.compute.program import compute_program
    from renstra_gen.content.load import load_content
    docx = build_renja(DEFAULT_CONTENT, tmp_path, 2025).written[0]
    rows = table_rows(document_xml(docx), "Tabel 4.1")[3:]
    assert [r for r in rows if r[1].endswith("(lanjutan)")]  # T-C.33 runs over pages inside a program
    rows = _own_rows(rows)
    matrix = compute_program(load_content(DEFAULT_CONTENT).tables["program-pendanaan"], list(range(2021, 2027)))
    nodes = list(matrix.walk())
    value = lambda s: None if s in ("", "-") else Decimal(s.replace(".", ""))  # noqa: E731
    pos = {id(n): i for i, n in enumerate(nodes)}
    for i, node in enumerate(nodes):
        for col in (5, 9):
            if node.children:
                kids = [value(rows[pos[id(c)]][col]) for c in node.children]
                kids = [k for k in kids if k is not None]
                assert value(rows[i][col]) == (sum(kids) if kids else None), (node.kode, col)


def test_evaluation_ratios_and_cumulative_sums(minimal, tmp_path):
    # the boks row counts per year: its end-of-period condition is the sum of the years
    p = minimal / "tabel" / "program.yaml"
    p.write_text(p.read_text().replace("            indikator: Jumlah arsip yang ditata (boks)\n",
                                       "            indikator: Jumlah arsip yang ditata (boks)\n"
                                       "            kondisi_akhir: kumulatif\n"))
    result = build_renja(minimal, tmp_path / "out", 2027)
    rows = _rows(result.written[0], "Tabel 2.1")
    leaf = rows["2.24.02.2.01.01"]
    # (5) target 2029 | (6) realisasi s/d 2024 | (7) target 2025 | (8) realisasi 2025 | (9) % | (10) target 2026
    # (11) realisasi s/d 2026 | (12) % of the Renstra target | (13) unit | (14) catatan
    # kondisi akhir `akhir` (default): the level reached in 2026 (12) against the 2029 target (18)
    assert leaf[4:12] == ["18", "-", "10", "9", "90,00", "12", "12", "66,67"]
    # `kumulatif`: 200+220+240+260+280 = 1200 over the period; 180 + 230 realised by 2026
    assert rows["2.24.02.2.01.02"][4:12] == ["1.200", "-", "200", "180", "90,00", "220", "410", "34,17"]
    assert rows["2.24.02.2.01.02"][13] == "Termasuk arsip dua kecamatan baru"
    plan_rows = _rows(result.written[0], "Tabel 4.1")
    assert plan_rows["2.24.03.2.01.01"][6] == "DAK" and plan_rows["2.24.02.2.01.01"][6] == "APBD Kota"
    usulan = table_rows(document_xml(result.written[0]), "Tabel 2.4")
    assert ["1", "Pojok baca di kelurahan", "Kelurahan Satu", "", "-", "diakomodasi"] in usulan
    assert not any("belum diisi" in f.message for f in result.warnings if "2026" in f.message and "2.24.02" in f.message)


def test_missing_realisasi_is_a_finding_and_visible_in_the_document(tmp_path):
    result = build_renja(FIXTURES / "minimal", tmp_path, 2026)
    assert any(str(f).startswith("renja/2026/renja.yaml: peringatan: realisasi tahun 2025 belum diisi (3 sub kegiatan")
               for f in result.warnings)
    text = "\n".join(texts(document_xml(result.written[0])))
    assert "realisasi tahun 2025 belum diisi untuk 3 sub kegiatan" in text
    assert [f.placeholder for f in result.warnings if "belum diisi" in f.message] == [True]  # listed by a final PDF


def test_last_year_of_the_period_leaves_the_forecast_empty_with_a_note(tmp_path):
    r = CliRunner().invoke(main, ["renja", "2029", "--verbose", "--content", str(FIXTURES / "minimal"),
                                  "--out", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert "renstra.yaml:11: peringatan: tahun 2030 di luar periode Renstra: prakiraan maju dikosongkan" in r.output
    docx = tmp_path / "renja-2029.docx"
    row = _rows(docx, "Tabel 4.1")["2.24.02.2.01.01"]
    assert row[5] == "70.000.000" and row[8:10] == ["", ""]
    assert "tahun 2030 berada di luar periode Renstra 2025–2029" in "\n".join(texts(document_xml(docx)))


def test_year_outside_the_period_fails_clearly(tmp_path):
    r = CliRunner().invoke(main, ["renja", "2030", "--content", str(DEFAULT_CONTENT), "--out", str(tmp_path)])
    assert r.exit_code == 1
    assert "tahun 2030 di luar periode Renstra 2021–2026" in r.output
    assert "Traceback" not in r.output and not list(tmp_path.iterdir())


def test_realisasi_for_an_unknown_code_is_an_error(minimal, tmp_path):
    path = minimal / "renja" / "2027" / "renja.yaml"
    path.write_text(path.read_text().replace('"2.24.03.2.01.01", tahun: 2025', '"2.24.09.2.01.01", tahun: 2025'))
    r = CliRunner().invoke(main, ["renja", "2027", "--content", str(minimal), "--out", str(tmp_path / "o")])
    assert r.exit_code == 1
    assert "renja/2027/renja.yaml:8: galat: kode 2.24.09.2.01.01 tidak ada di tabel program" in r.output


def test_workbook_of_the_renja_has_live_sums(tmp_path):
    from openpyxl import load_workbook
    result = build_renja(FIXTURES / "minimal", tmp_path, 2027)
    wb = load_workbook(result.written[1])
    assert wb.sheetnames[:5] == ["Tabel 2.1", "Tabel 2.2", "Tabel 2.3", "Tabel 2.4", "Tabel 4.1"]
    ws = wb["Tabel 4.1"]
    assert ws["A6"].value == "2.24.02" and ws["F6"].value.startswith("=SUM(")
    # T-C.33 ends on JUMLAH: live sums of the program rows for year N (F) and the prakiraan maju (J)
    last = ws.max_row
    while ws.cell(row=last, column=1).value is None:
        last -= 1
    assert ws.cell(row=last, column=1).value == "JUMLAH"
    programs = [r[0].row for r in ws.iter_rows(min_row=1, max_row=last) if r[0].value in ("2.24.02", "2.24.03")]
    assert len(programs) == 2
    for col in "FJ":
        formula = ws[f"{col}{last}"].value
        assert formula.startswith("=SUM(") and all(f"{col}{r}" in formula for r in programs), formula


def test_renja_has_its_own_date_signatory_cover_year_and_realisasi_before_the_period(minimal, tmp_path):
    (minimal / "renja" / "2026").mkdir()
    (minimal / "renja" / "2026" / "renja.yaml").write_text(
        "penetapan: {tempat: Kota Contoh, tanggal: 2025-11-03}\n"
        "kepala: {jabatan: Kepala Dinas Kearsipan dan Perpustakaan Kota Contoh, nama: 'Siti Aminah, S.IP',"
        " pangkat: Pembina Tingkat I, nip: 19790202 200212 2 002}\n"
        "realisasi:\n"
        "  - {kode: '2.24.02.2.01.01', tahun: 2024, k: 8, target: 10}\n"
        "  - {kode: '2.24.02.2.01.01', tahun: 2025, k: 11}\n")
    result = build_renja(minimal, tmp_path / "out", 2026)
    lines = texts(document_xml(result.written[0]))
    cover = lines[:lines.index("KATA PENGANTAR")]
    assert "TAHUN 2026" in cover and "2026" in cover and "2025" not in cover
    assert "Kota Contoh, 3 November 2025" in lines and "Siti Aminah, S.IP" in lines
    assert "NIP. 19790202 200212 2 002" in lines and "Budi Santoso, S.Sos" not in lines
    assert not any("tanggal penetapan" in f.message for f in result.warnings)
    # N-2 = 2024 lies before the period 2025-2029: its realisasi and target come from renja.yaml
    leaf = _rows(result.written[0], "Tabel 2.1")["2.24.02.2.01.01"]
    assert leaf[5:12] == ["-", "10", "8", "80,00", "10", "11", "61,11"]


def test_renja_dated_as_the_renstra_is_a_warning(tmp_path):
    result = build_renja(FIXTURES / "minimal", tmp_path, 2027)
    (f,) = [f for f in result.warnings if "tanggal penetapan" in f.message]
    # where the date used is written: renstra.yaml's penetapan (renja.yaml has none)
    assert str(f).startswith("renstra.yaml:19: peringatan: Renja memakai tanggal penetapan Renstra 2025-03-17 "
                             "tidak pada tahun 2026")


def test_perkiraan_realisasi_s_d_tahun_berjalan_takes_the_target_of_a_year_not_yet_recorded(tmp_path):
    result = build_renja(FIXTURES / "minimal", tmp_path, 2027)
    rows = _rows(result.written[0], "Tabel 2.1")
    # 2.24.03.2.01.01 (kondisi akhir 'akhir': the latest year's value): realisasi 2025 = 5 recorded, 2026 not
    # yet: its target 5 stands in -> 5 of the 2029 target 7 = 71,43 %
    assert rows["2.24.03.2.01.01"][10:12] == ["5", "71,43"]


def test_perkiraan_stays_empty_when_nothing_was_realised(tmp_path):
    rows = _rows(build_renja(DEFAULT_CONTENT, tmp_path, 2024).written[0], "Tabel 2.1")
    assert rows["1.06.05.2.01.01"][10:12] == ["-", "-"]


def test_final_renja_pdf_prints_the_jumlah_row_and_names_its_stand_in_text(tmp_path):
    """Through LibreOffice: T-C.33's JUMLAH row is on the PDF's page (the print proof passes), and the
    'belum diuraikan' of a lagging program without evaluasi_program is listed in the summary."""
    import shutil

    import pytest

    from tests.printcheck import read_pages
    if shutil.which("soffice") is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice and Poppler are installed by tools/install.sh --test")
    from tests.helpers import extended_minimal
    minimal = extended_minimal(tmp_path / "content")  # with a Penunjang program (issue 28 item 4)
    path = minimal / "renja" / "2027" / "renja.yaml"
    text = path.read_text()
    path.write_text(text[:text.index("evaluasi_program:")] + "\n".join(
        ln for ln in text[text.index("evaluasi_program:"):].split("\n")[5:]))
    r = CliRunner().invoke(main, ["renja", "2027", "--content", str(minimal), "--out", str(tmp_path / "out"), "--pdf"])
    assert r.exit_code == 0, r.output
    assert "PDF akhir masih memuat 2 teks pengganti; isi kontennya sebelum dokumen dikirim:" in r.output
    pages = read_pages(tmp_path / "out" / "renja-2027.pdf")
    (page,) = [p for p in pages if "JUMLAH" in p.lines()]  # T-C.33's last page
    words = " ".join(page.lines()).split()
    assert "181.000.000" in words and "166.000.000" in words  # the totals of 2027 and 2028, on that page
    assert "Penyebab: belum diuraikan." in " ".join(line for p in pages for line in p.lines())
    # issue 28 items 4 and 5, same conversion: T-C.29 prints the program's and the kegiatan's own entered
    # realisasi 2025 with its capaian (not "-"), and the Penunjang 2.24.01 comes first in T-C.29 and T-C.33
    import subprocess
    layout = subprocess.run(["pdftotext", "-layout", str(tmp_path / "out" / "renja-2027.pdf"), "-"], capture_output=True,
                            text=True, check=True).stdout
    rows: dict[str, list[list[str]]] = {}
    for line in layout.splitlines():
        w = line.split()
        code = next((x for x in w[:2] if x.startswith("2.24.0")), None)
        if code:
            rows.setdefault(code, []).append(w)
    t29 = {code: found[0] for code, found in rows.items() if found[0][0].isdigit() and found[0][1] == code}
    # "No Kode name... indicator... | target N-2, realisasi N-2, capaian N-2 | ..."
    def holds(row, part):
        return any(row[i:i + len(part)] == part for i in range(len(row)))
    assert holds(t29["2.24.02"], ["60", "61", "101,67"]), t29["2.24.02"]
    assert holds(t29["2.24.02.2.01"], ["1.000", "1.020", "102,00"]), t29["2.24.02.2.01"]
    assert [c for c, _ in sorted(t29.items(), key=lambda kv: int(kv[1][0]))][0] == "2.24.01"
    after = layout[layout.rindex("Tabel 4.1 Rumusan"):]  # T-C.33 itself, not the Daftar Tabel or the text
    t33 = [w[0] for w in (ln.split() for ln in after.splitlines()) if w and w[0].startswith("2.24.0")]
    assert t33[0] == "2.24.01" and t33.index("2.24.01") < t33.index("2.24.02") < t33.index("2.24.03")
