"""The cascade tujuan -> sasaran -> indikator/program: Tabel 4.1, 5.1 and 6.2 merge Tujuan and
Sasaran over exactly the rows each covers, in cascade order; the one-string form still prints one cell."""

from __future__ import annotations

import textwrap

from renstra_gen.workflows.build import inspect
from renstra_gen.grid import START, placements
from renstra_gen.compute.derived import derive
from renstra_gen.layout import layout_table
from renstra_gen.content.load import load_content

CASCADE = textwrap.dedent("""\
    tujuan:
      - kunci: t1
        nama: Tujuan Satu
        sasaran:
          - {kunci: s1, nama: Sasaran Satu}
          - {kunci: s2, nama: Sasaran Dua}
      - kunci: t2
        nama: Tujuan Dua
        sasaran:
          - {kunci: s3, nama: Sasaran Tiga}
    indikator:
      - {kunci: i3, nama: Indikator Tiga, sasaran: s3, target: {2025: 3}}
      - {kunci: i1, nama: Indikator Satu, sasaran: s1, target: {2025: 1}}
      - {kunci: i2a, nama: Indikator Dua A, sasaran: s2, target: {2025: 2}}
      - {kunci: i2b, nama: Indikator Dua B, sasaran: s2, target: {2025: 2}}
      - {kunci: it, nama: Indikator Tujuan Satu, tujuan: t1, target: {2025: 9}}
    """)


def _write_cascade(root):
    (root / "indikator.yaml").write_text(CASCADE)
    (root / "tabel" / "indikator.yaml").write_text(
        "jenis: indikator-kinerja\njudul: Indikator\ntahun: {awal: 2025, akhir: 2029}\nindikator:\n  - kunci: i1\n")
    (root / "lampiran.yaml").write_text("jenis: rumus-indikator\njudul: Rumus\nindikator:\n  - kunci: i1\n")
    (root / "tabel" / "ts.yaml").write_text(
        "jenis: tujuan-sasaran\njudul: Tujuan dan Sasaran\nindikator:\n"
        + "".join(f"  - kunci: {k}\n" for k in ("i3", "i2a", "i1", "it", "i2b")))


def _merged(grid, col: int) -> list[tuple[str, int, int]]:
    """(text, first body row, rows covered) of every cell that starts in grid column `col`."""
    out = []
    for r, slots in enumerate(placements(grid.body, len(grid.columns))):
        for c, cell, kind in slots:
            if c == col and kind == START:
                out.append((cell.text, r, cell.rowspan))
    return out


def _grid(root, key):
    content = load_content(root)
    derived = derive(content.tables, content.identity.periode.years, content.indicators)
    return layout_table(content.tables[key], derived)


def test_tabel_4_1_merges_tujuan_and_sasaran_over_their_indicators_in_cascade_order(minimal):
    _write_cascade(minimal)
    grid = _grid(minimal, "ts")
    names = [slots[2][1].text for slots in placements(grid.body, len(grid.columns))]
    # the tujuan's own indicator first, then its sasaran in declared order, then the next tujuan
    assert names == ["Indikator Tujuan Satu", "Indikator Satu", "Indikator Dua A", "Indikator Dua B", "Indikator Tiga"]
    assert _merged(grid, 0) == [("Tujuan Satu", 0, 4), ("Tujuan Dua", 4, 1)]
    assert _merged(grid, 1) == [("", 0, 1), ("Sasaran Satu", 1, 1), ("Sasaran Dua", 2, 2), ("Sasaran Tiga", 4, 1)]


def test_tabel_6_2_programs_under_their_sasaran_and_a_program_of_two_sasaran_is_a_finding(minimal):
    _write_cascade(minimal)
    p = minimal / "tabel" / "program.yaml"
    text = p.read_text().replace("tujuan: Meningkatnya tata kelola kearsipan\n", "") \
        .replace("sasaran: Meningkatnya arsip yang dikelola sesuai standar\n", "")
    text = text.replace('  - kode: "2.24.02"\n', '  - kode: "2.24.02"\n    sasaran: s3\n')
    text = text.replace('  - kode: "2.24.03"\n', '  - kode: "2.24.03"\n    sasaran: [s1, s3]\n')
    p.write_text(text)
    grid = _grid(minimal, "program")
    # 2.24.03 (3 rows: program, kegiatan, sub kegiatan) is printed first, under s1; 2.24.02 (4 rows) under s3
    assert [s[3][1].text for s in placements(grid.body, len(grid.columns))][:4] == \
        ["2.24.03", "2.24.03.2.01", "2.24.03.2.01.01", "2.24.02"]
    assert _merged(grid, 0) == [("Tujuan Satu", 0, 3), ("Tujuan Dua", 3, 4), ("JUMLAH", 7, 1)]
    assert _merged(grid, 1) == [("Sasaran Satu", 0, 3), ("Sasaran Tiga", 3, 4)]
    # indikator.yaml measures s1 and s3: "Indikator Sasaran" follows Sasaran, merged over the same rows
    assert grid.header[0][2].text == "Indikator Sasaran"
    assert _merged(grid, 2) == [("Indikator Satu", 0, 3), ("Indikator Tiga", 3, 4)]
    findings = inspect(minimal, collect=True)
    (two,) = [f for f in findings if "melayani 2 sasaran" in f.message]
    assert not two.is_error and two.source.file == "tabel/program.yaml"
    assert "dicetak di bawah sasaran pertama 's1'" in two.message


def test_indikator_sasaran_lists_every_indicator_of_the_sasaran_and_blank_outside_the_cascade(minimal):
    _write_cascade(minimal)
    p = minimal / "tabel" / "program.yaml"
    text = p.read_text().replace("tujuan: Meningkatnya tata kelola kearsipan\n", "") \
        .replace("sasaran: Meningkatnya arsip yang dikelola sesuai standar\n", "")
    p.write_text(text.replace('  - kode: "2.24.03"\n', '  - kode: "2.24.03"\n    sasaran: s2\n'))
    grid = _grid(minimal, "program")
    # s2 has two indicators (numbered, in indikator.yaml's order); 2.24.02 names no sasaran: printed
    # last with blank Tujuan, Sasaran and Indikator Sasaran cells
    assert _merged(grid, 1) == [("Sasaran Dua", 0, 3), ("", 3, 4)]
    assert _merged(grid, 2) == [("1. Indikator Dua A\n2. Indikator Dua B", 0, 3), ("", 3, 4)]


def test_tabel_6_2_without_sasaran_indicators_has_no_indikator_sasaran_column(minimal):
    _write_cascade(minimal)
    # only an indicator of the tujuan itself: no sasaran has indicators
    (minimal / "indikator.yaml").write_text(CASCADE.split("indikator:")[0]
                                            + "indikator:\n  - {kunci: it, nama: Indikator Tujuan Satu, tujuan: t1}\n")
    (minimal / "tabel" / "indikator.yaml").write_text(
        "jenis: indikator-kinerja\njudul: Indikator\ntahun: {awal: 2025, akhir: 2029}\nindikator:\n  - kunci: it\n")
    (minimal / "lampiran.yaml").write_text("jenis: rumus-indikator\njudul: Rumus\nindikator:\n  - kunci: it\n")
    (minimal / "tabel" / "ts.yaml").unlink()
    p = minimal / "tabel" / "program.yaml"
    text = p.read_text().replace("tujuan: Meningkatnya tata kelola kearsipan\n", "") \
        .replace("sasaran: Meningkatnya arsip yang dikelola sesuai standar\n", "")
    p.write_text(text.replace('  - kode: "2.24.03"\n', '  - kode: "2.24.03"\n    sasaran: s2\n'))
    grid = _grid(minimal, "program")
    assert [c.text for c in grid.header[0][:3]] == ["Tujuan", "Sasaran", "Kode"]


def test_unknown_sasaran_of_a_program_is_an_error_with_its_line(minimal):
    _write_cascade(minimal)
    p = minimal / "tabel" / "program.yaml"
    p.write_text(p.read_text().replace('  - kode: "2.24.02"\n', '  - kode: "2.24.02"\n    sasaran: s9\n'))
    findings = inspect(minimal, collect=True)
    (f,) = [f for f in findings if "s9" in f.message]
    assert f.is_error and str(f).startswith("tabel/program.yaml:9: galat: program 2.24.02: sasaran 's9' tidak ada")


def test_strategi_rows_by_sasaran_key_merge_their_tujuan(minimal):
    _write_cascade(minimal)
    (minimal / "tabel" / "strategi.yaml").write_text(textwrap.dedent("""\
        jenis: strategi
        judul: Tujuan, Sasaran, Strategi
        baris:
          - {kunci: s3, strategi: [C]}
          - {kunci: s1, strategi: [A]}
          - {kunci: s2, strategi: [B1]}
          - {kunci: s2, strategi: [B2]}
        """))
    grid = _grid(minimal, "strategi")
    assert _merged(grid, 0) == [("Tujuan Satu", 0, 3), ("Tujuan Dua", 3, 1)]
    assert _merged(grid, 1) == [("Sasaran Satu", 0, 1), ("Sasaran Dua", 1, 2), ("Sasaran Tiga", 3, 1)]
    assert [slots[2][1].text for slots in placements(grid.body, 3)] == ["A", "B1", "B2", "C"]


def test_one_string_form_prints_one_merged_cell(minimal):
    grid = _grid(minimal, "program")
    assert _merged(grid, 0) == [("Meningkatnya tata kelola kearsipan", 0, 7), ("JUMLAH", 7, 1)]
    assert _merged(grid, 1) == [("Meningkatnya arsip yang dikelola sesuai standar", 0, 7)]


def test_tabel_6_2_baseline_column_and_urusan_rows_when_declared(minimal):
    p = minimal / "tabel" / "program.yaml"
    text = p.read_text().replace("unit: DKP\n", "unit: DKP\ntahun_kondisi_awal: 2024\n"
                                 "urusan: {kode: '2', nama: URUSAN PEMERINTAHAN WAJIB}\n"
                                 "bidang_urusan: {kode: '2.24', nama: URUSAN PEMERINTAHAN BIDANG KEARSIPAN}\n")
    p.write_text(text.replace('    indikator: Persentase arsip yang dikelola (%)\n',
                              '    indikator: Persentase arsip yang dikelola (%)\n    kondisi_awal: 55,5\n'))
    grid = _grid(minimal, "program")
    assert grid.header[0][5].text == "Data Capaian pada Tahun Awal Perencanaan (2024)"
    rows = placements(grid.body, len(grid.columns))
    assert [(r[2][1].text, r[3][1].text) for r in rows[:2]] == [
        ("2", "URUSAN PEMERINTAHAN WAJIB"), ("2.24", "URUSAN PEMERINTAHAN BIDANG KEARSIPAN")]
    assert rows[2][2][1].text == "2.24.02" and rows[2][5][1].text == "55,5" and rows[3][5][1].text == "-"
    # the JUMLAH row sums the programs (not the Urusan rows), the years shifted by the baseline column
    total = grid.body[-1]
    assert total[0].text == "JUMLAH" and total[0].colspan == 6
    assert total[2].formula.refs == ((2, 7), (6, 7)) and total[2].text == "145.000.000"


def test_urusan_name_from_the_nomenclature_and_an_unknown_code_without_name_is_an_error(minimal):
    p = minimal / "tabel" / "program.yaml"
    p.write_text(p.read_text().replace("unit: DKP\n", "unit: DKP\nbidang_urusan: {kode: '2.24'}\n"))
    grid = _grid(minimal, "program")
    rows = placements(grid.body, len(grid.columns))
    assert (rows[0][2][1].text, rows[0][3][1].text) == ("2.24", "URUSAN PEMERINTAHAN BIDANG KEARSIPAN")
    p.write_text(p.read_text().replace("bidang_urusan: {kode: '2.24'}", "bidang_urusan: {kode: '2.99'}"))
    (f,) = [f for f in inspect(minimal, collect=True) if "2.99" in f.message]
    assert f.is_error and "tidak ada di nomenklatur; tulis juga 'nama'" in f.message


def test_a_sasaran_key_used_twice_is_an_error(minimal):
    _write_cascade(minimal)
    p = minimal / "indikator.yaml"
    p.write_text(p.read_text().replace("{kunci: s3, nama: Sasaran Tiga}", "{kunci: s1, nama: Sasaran Tiga}"))
    (f,) = [f for f in inspect(minimal, collect=True) if "dipakai dua kali" in f.message]
    assert f.is_error and str(f) == "indikator.yaml:10: galat: kunci tujuan/sasaran 's1' dipakai dua kali (pertama di baris 5)"


DP3A_TABLE = "tabel/program-pendanaan.yaml"


def _penunjang_without_sasaran(dp3a):
    """The fixture is written as a real office writes it: its Penunjang program names no sasaran."""
    (penunjang,) = [p for p in load_content(dp3a).tables["program-pendanaan"].program if p.kode == "2.08.01"]
    assert "PENUNJANG" in penunjang.nama and penunjang.sasaran_keys == []


def _program_codes(grid, col):
    return [s[col][1].text for s in placements(grid.body, len(grid.columns))
            if s[col][2] == START and s[col][1].text.count(".") == 2]


def test_penunjang_without_sasaran_is_its_own_group_first_with_no_warning(dp3a):
    from renstra_gen.layout.program import SUPPORTING_HEADING
    _penunjang_without_sasaran(dp3a)
    assert not [f for f in inspect(dp3a, collect=True) if "2.08.01" in f.message or "sasaran tidak disebut" in f.message]
    content = load_content(dp3a)
    assert [t.kunci for t in content.indicators.tujuan] == ["kesetaraan-gender", "hak-anak"]  # no invented tujuan
    grid = _grid(dp3a, "program-pendanaan")
    top = 2  # the Urusan and Bidang Urusan rows
    slots = placements(grid.body, len(grid.columns))
    first = slots[top][0][1]
    rows = 1 + sum(1 + len(k.sub_kegiatan) for k in content.tables["program-pendanaan"].program[0].kegiatan)
    assert (first.text, first.colspan, first.rowspan) == (SUPPORTING_HEADING, 3, rows)  # Tujuan, Sasaran, Indikator
    assert slots[top][3][1].text == "2.08.01"
    # the cascade follows, its first tujuan starting right below the supporting group
    assert slots[top + rows][0][2] == START and slots[top + rows][0][1].text == content.indicators.tujuan[0].nama
    assert _program_codes(grid, 3) == ["2.08.01", "2.08.02", "2.08.03", "2.08.07", "2.08.06"]


def test_one_program_order_in_every_table_of_both_documents(dp3a):
    """Code order within a sasaran whatever the written order; the Renja's tables print the same order."""
    from renstra_gen.compose.renja import compose_renja
    from renstra_gen.workflows.build import DEFAULT_TEMPLATES
    p = dp3a / DP3A_TABLE
    text = p.read_text()
    a, b = text.index('  - kode: "2.08.01"\n'), text.index('  - kode: "2.08.02"\n')
    c = text.index('  - kode: "2.08.03"\n')
    p.write_text(text[:a] + text[b:c] + text[a:b] + text[c:])  # 2.08.02 written before 2.08.01
    # the Penunjang first, then pug, kekerasan-perempuan, then hak-anak's
    order = ["2.08.01", "2.08.02", "2.08.03", "2.08.07", "2.08.06"]
    assert _program_codes(_grid(dp3a, "program-pendanaan"), 3) == order
    tabel_6_1 = _grid(dp3a, "program-kegiatan")
    assert [s[1][1].text for s in placements(tabel_6_1.body, len(tabel_6_1.columns)) if s[1][2] == START] \
        == [n for n in _names(dp3a, order)]
    plan = compose_renja(load_content(dp3a), 2026, DEFAULT_TEMPLATES).plan
    for key, col in (("rencana", 0), ("evaluasi", 1)):
        g = plan.tables[key]
        assert [r[col].text for r in g.body if r[col].text.count(".") == 2] == order, key


def _names(root, codes):
    table = load_content(root).tables["program-pendanaan"]
    by_code = {p.kode: p.nama for p in table.program}
    return [by_code[c] for c in codes]


def test_a_program_declared_supporting_joins_the_group_and_its_sasaran_is_reported(dp3a):
    p = dp3a / DP3A_TABLE
    text = p.read_text().replace('  - kode: "2.08.02"\n', '  - kode: "2.08.02"\n    penunjang: true\n')
    p.write_text(text)
    line = 1 + text.split("\n").index("    penunjang: true")
    (f,) = [f for f in inspect(dp3a, collect=True) if "penunjang" in f.message]
    assert str(f) == (f"{DP3A_TABLE}:{line}: peringatan: program 2.08.02: program penunjang dicetak pada kelompoknya "
                      f"sendiri; 'sasaran' diabaikan")
    grid = _grid(dp3a, "program-pendanaan")
    # both supporting (2.08.01 by the nomenclature, 2.08.02 declared): one group first, in code order
    assert _program_codes(grid, 3) == ["2.08.01", "2.08.02", "2.08.03", "2.08.07", "2.08.06"]
