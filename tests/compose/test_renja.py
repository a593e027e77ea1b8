"""The Renja's T-C.30, T-C.31 and T-C.32: computed columns, layout (grid and printed rows), checks."""

from __future__ import annotations

from click.testing import CliRunner

from renstra_gen.workflows.build import build_renja
from renstra_gen.cli import main
from renstra_gen.grid import placements
from tests.conftest import DEFAULT_CONTENT, FIXTURES, document_xml, table_rows, texts


def _table(docx, caption):
    return table_rows(document_xml(docx), caption)


def _captions(docx):
    return [t for t in texts(document_xml(docx)) if t.startswith("Tabel ")]


def test_default_renja_prints_all_five_tables_in_order_with_dash_rows(tmp_path):
    docx = build_renja(DEFAULT_CONTENT, tmp_path, 2024).written[0]
    caps = _captions(docx)
    body = caps[len(caps) // 2:]  # the Daftar Tabel lists them first
    assert [c.split(" ", 2)[1] for c in body] == ["2.1", "2.2", "2.3", "2.4", "4.1"]
    assert body[1].startswith("Tabel 2.2 Pencapaian Kinerja Pelayanan")
    assert body[2].startswith("Tabel 2.3 Review terhadap Rancangan Awal RKPD Tahun 2024")
    assert body[3].startswith("Tabel 2.4 Usulan Program dan Kegiatan dari Para Pemangku Kepentingan")
    # no inputs in the default content: headers, column numbers and one '-' row
    for caption, ncols in (("Tabel 2.2", 15), ("Tabel 2.3", 13), ("Tabel 2.4", 6)):
        rows = _table(docx, caption)
        assert rows[-1] == ["-"] * ncols
        assert [c for c in rows[-2]] == [f"({i})" for i in range(1, ncols + 1)]


def test_pelayanan_capaian_and_years(tmp_path):
    docx = build_renja(FIXTURES / "minimal", tmp_path, 2027).written[0]
    rows = _table(docx, "Tabel 2.2")
    assert rows[0][4] == "Target Renstra Perangkat Daerah" and rows[1][4:8] == ["Tahun 2025", "Tahun 2026", "Tahun 2027", "Tahun 2028"]
    first, second = rows[3], rows[4]
    assert first[1] == "Persentase perangkat daerah yang mengelola arsip sesuai standar (%)"
    assert first[3] == "IKK urusan kearsipan"
    # target 60/70/80/90, realisasi 54/77, capaian 54/60 = 90 % and 77/70 = 110 %, proyeksi 80/90
    assert first[4:14] == ["60", "70", "80", "90", "54", "77", "90,00", "110,00", "80", "90"]
    assert first[14] == "Di atas target tahun 2026"
    # a text realisasi stays text and has no capaian; a missing target leaves '-'
    assert second[2] == "Standar Nasional Perpustakaan"
    assert second[4:12] == ["-", "0,5", "0,6", "-", "-", "belum diukur", "-", "-"]
    # a falling indicator (arah: turun): (2T - R) / T x 100 -> 12 against 10 is 80 %, 6 against 8 is 125 %
    assert rows[5][4:12] == ["10", "8", "-", "-", "12", "6", "80,00", "125,00"]


def test_review_fills_the_analysis_from_the_program_tree_and_notes_differences(tmp_path):
    result = build_renja(FIXTURES / "minimal", tmp_path, 2027)
    rows = _table(result.written[0], "Tabel 2.3")
    differ, same = rows[3], rows[4]
    assert differ[:2] == ["1", "2.24.02.2.01.01"]
    assert differ[2:7] == ["Pembinaan Kearsipan", "Kota Contoh", "", "12", "50.000.000"]
    assert differ[7:12] == ["Pembinaan Kearsipan", "Kota Contoh", "Jumlah OPD yang dibina (OPD)", "14", "60.000.000"]
    assert differ[12] == ("Pagu dan target disesuaikan dengan hasil analisis kebutuhan "
                          "Berbeda: target, pagu (selisih pagu +Rp10.000.000).")  # no indikator stated: not compared
    assert same[12] == ""  # rancangan awal equals the analysis: nothing to note
    assert not any("review RKPD" in f.message for f in result.warnings)


def test_review_difference_without_catatan_is_a_warning(minimal, tmp_path):
    path = minimal / "renja" / "2027" / "renja.yaml"
    path.write_text(path.read_text().replace("    catatan: Pagu dan target disesuaikan dengan hasil analisis kebutuhan\n", ""))
    result = build_renja(minimal, tmp_path, 2027)
    found = [str(f) for f in result.warnings if "review RKPD" in f.message]
    assert found and found[0].startswith("renja/2027/renja.yaml:")
    assert "2.24.02.2.01.01: rancangan awal dan hasil analisis berbeda (target, pagu) tanpa catatan" in found[0]


def test_usulan_grouped_by_source(tmp_path):
    docx = build_renja(FIXTURES / "minimal", tmp_path, 2027).written[0]
    rows = _table(docx, "Tabel 2.4")
    assert rows[0] == ["No", "Program/ Kegiatan", "Lokasi", "Indikator Kinerja", "Besaran/ Volume", "Catatan"]
    body = rows[2:]
    # the older usulan_masyarakat list counts as Musrenbang; a row with only a kode takes its name
    assert body[0][:2] == ["A", "Musrenbang"]
    assert body[1] == ["1", "Pojok baca di kelurahan", "Kelurahan Satu", "", "-", "diakomodasi"]
    assert body[2][:2] == ["B", "Pokok-pokok Pikiran DPRD"]
    assert body[3] == ["1", "Penilaian Arsip", "Kecamatan Dua", "Jumlah daftar arsip desa yang dinilai", "4",
                       "Diakomodasi pada sub kegiatan Penilaian Arsip"]
    assert len(body) == 4  # no empty group for "lainnya"


def test_grids_fill_every_column(tmp_path):
    from renstra_gen.workflows.build import DEFAULT_TEMPLATES
    from renstra_gen.content.load import load_content
    from renstra_gen.compose.renja import compose_renja
    plan = compose_renja(load_content(FIXTURES / "minimal"), 2027, DEFAULT_TEMPLATES).plan
    for key in ("pelayanan", "review-rkpd", "usulan"):
        g = plan.tables[key]
        placements(g.header + g.body, len(g.columns))  # raises on a row that does not fill the grid
    assert plan.tables["pelayanan"].body[0][10].formula.refs == ((0, 8), (0, 4))  # live ratio in the workbook
    assert plan.tables["pelayanan"].body[1][11].formula is None  # realisasi 'belum diukur': no ratio
    assert plan.tables["pelayanan"].body[2][10].formula is None  # falling indicator: the computed value stands


def test_wrong_codes_and_years_are_errors_with_lines(minimal, tmp_path):
    path = minimal / "renja" / "2027" / "renja.yaml"
    text = path.read_text().replace('- kode: "2.24.02.2.01.01"\n    rancangan', '- kode: "2.24.09.2.01.01"\n    rancangan')
    text = text.replace("realisasi: {2025: 54, 2026: 77}", "realisasi: {2025: 54, 2027: 77}")
    path.write_text(text)
    r = CliRunner().invoke(main, ["renja", "2027", "--content", str(minimal), "--out", str(tmp_path / "o")])
    assert r.exit_code == 1
    assert "galat: kode 2.24.09.2.01.01 tidak ada di tabel program" in r.output
    assert "galat: realisasi tahun 2027 tidak dipakai di T-C.30 Renja 2027 (hanya tahun 2025–2026)" in r.output
    assert "renja/2027/renja.yaml:" in r.output


def _front(docx):
    """The paragraphs from the Kata Pengantar's signature to BAB I, as text."""
    t = texts(document_xml(docx))
    return t[t.index("KATA PENGANTAR"):t.index("BAB I \nPENDAHULUAN") if "BAB I \nPENDAHULUAN" in t else len(t)]


def test_verification_page_from_content_between_kata_pengantar_and_daftar_isi(tmp_path):
    docx = build_renja(FIXTURES / "minimal", tmp_path, 2027).written[0]
    t = texts(document_xml(docx))
    v = t.index("HALAMAN VERIFIKASI", t.index("DAFTAR ISI") + 1)  # the page, after the Daftar Isi's own entry
    assert t.index("Budi Santoso, S.Sos") < v < max(i for i, x in enumerate(t) if x == "DAFTAR ISI")
    rows = _table_after(docx, "HALAMAN VERIFIKASI")
    assert rows[0] == ["No", "Nama / NIP", "Jabatan / Unit Kerja", "Tanda Tangan"]
    assert rows[1][1] == "Ani Lestari,\u00a0S.E. NIP.\u00a019850202\u00a0201001\u00a02\u00a0003"  # never broken inside
    assert rows[2][2] == "Perencana Ahli Muda Bappeda Kota Contoh"
    assert "Kota Contoh, 10 Agustus 2026" in t and "Mengetahui," in t


def _table_after(docx, heading):
    from tests.conftest import NS, W
    body = document_xml(docx).find(f"{{{W}}}body")
    found = False
    for el in body:
        if el.tag == f"{{{W}}}p" and "".join(x.text or "" for x in el.iter(f"{{{W}}}t")) == heading:
            style = el.find("w:pPr/w:pStyle", NS)
            found = style is not None and style.get(f"{{{W}}}val") == "JudulDepan"
        elif el.tag == f"{{{W}}}tbl" and found:
            return [[" ".join("".join(x.text or "" for x in p.iter(f"{{{W}}}t")) for p in tc.findall("w:p", NS)).strip()
                     for tc in tr.findall("w:tc", NS)] for tr in el.findall("w:tr", NS)]
    raise AssertionError(heading)


def test_renja_front_matter_lists_only_what_exists(tmp_path):
    docx = build_renja(DEFAULT_CONTENT, tmp_path, 2024).written[0]
    headings = [t for t in texts(document_xml(docx)) if t in ("KATA PENGANTAR", "HALAMAN VERIFIKASI", "DAFTAR ISI",
                                                              "DAFTAR TABEL", "DAFTAR GAMBAR", "DAFTAR LAMPIRAN")]
    front = ["KATA PENGANTAR", "HALAMAN VERIFIKASI", "DAFTAR ISI", "DAFTAR TABEL"]
    # the pages up to the Daftar Isi, its entries, then the Daftar Tabel page; no Gambar or Lampiran in a Renja
    assert headings == front[:3] + front + ["DAFTAR TABEL"]
    assert "DAFTAR GAMBAR" not in headings and "DAFTAR LAMPIRAN" not in headings
    # blank verifier lines to sign by hand when the content names none
    assert _table_after(docx, "HALAMAN VERIFIKASI")[1][1].startswith("....")


def test_verification_off_in_renja_and_on_in_renstra_only_when_asked(minimal, tmp_path):
    from renstra_gen.workflows.build import build
    path = minimal / "renja" / "2027" / "renja.yaml"
    path.write_text(path.read_text().replace("verifikasi:\n", "verifikasi:\n  tampil: false\n"))
    docx = build_renja(minimal, tmp_path / "a", 2027).written[0]
    assert "HALAMAN VERIFIKASI" not in texts(document_xml(docx))
    renstra = next(p for p in build(minimal, tmp_path / "b").written if p.suffix == ".docx")
    assert "HALAMAN VERIFIKASI" not in texts(document_xml(renstra))
    ident = minimal / "renstra.yaml"
    ident.write_text(ident.read_text() + "verifikasi:\n  verifikator:\n    - {nama: Rina, unit: Bappeda}\n")
    renstra = next(p for p in build(minimal, tmp_path / "c").written if p.suffix == ".docx")
    t = texts(document_xml(renstra))
    assert "HALAMAN VERIFIKASI" in t
    assert any(x.startswith("Rencana Strategis (Renstra) Dinas Kearsipan") and "telah diteliti" in x for x in t)


def test_lagging_program_narrative_after_t_c_29(tmp_path):
    docx = build_renja(FIXTURES / "minimal", tmp_path, 2027).written[0]
    t = texts(document_xml(docx))
    para = next(x for x in t if x.startswith("2.24.02 "))
    # realisasi 2025 of 9 and 180 against targets 10 and 200: both sub kegiatan at 90 %; 2.24.03 reached its target
    assert ("Realisasi tahun 2025 belum mencapai target pada Pembinaan Kearsipan (9 dari target 10; 90,00%), "
            "Penataan Arsip Inaktif (180 dari target 200; 90,00%).") in para
    assert "Penyebab: Dua OPD belum menyerahkan daftar arsip." in para
    assert "Tindak lanjut: Pendampingan langsung ke OPD." in para
    assert not any(x.startswith("2.24.03 ") for x in t)


def test_lagging_program_narrative_can_be_overridden_by_the_office(minimal, tmp_path):
    own = minimal / "renja" / "2027" / "bab"
    own.mkdir()
    (own / "2-evaluasi.md").write_text(
        "# EVALUASI\n\n{{ tabel(\"evaluasi\") }}\n\n{% for p in tertinggal %}Program {{ p.nama }} tertinggal "
        "{{ p.kurang | length }} sub kegiatan; tindakan {{ p.tindakan }}.\n{% endfor %}\n\n{{ tabel(\"pelayanan\") }}\n\n"
        "{{ tabel(\"review-rkpd\") }}\n\n{{ tabel(\"usulan\") }}\n", encoding="utf-8")
    docx = build_renja(minimal, tmp_path, 2027).written[0]
    assert ("Program PROGRAM PENGELOLAAN ARSIP tertinggal 2 sub kegiatan; tindakan Pendampingan langsung ke OPD."
            in texts(document_xml(docx)))


def test_renstra_front_matter_leaves_out_the_lists_of_what_it_does_not_have(minimal, tmp_path):
    from renstra_gen.workflows.build import build
    chapter = minimal / "bab" / "1-pendahuluan.md"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace('{{ gambar("struktur") }}', ""), encoding="utf-8")
    ident = minimal / "renstra.yaml"
    ident.write_text(ident.read_text(encoding="utf-8").replace("lampiran:\n  - lampiran.yaml\n", ""), encoding="utf-8")
    docx = next(p for p in build(minimal, tmp_path).written if p.suffix == ".docx")
    t = texts(document_xml(docx))
    assert "DAFTAR GAMBAR" not in t and "DAFTAR LAMPIRAN" not in t
    # the Daftar Isi lists the pages that are there, and each is there once as a page
    assert t.count("DAFTAR TABEL") == 2 and t.count("DAFTAR ISI") == 2 and "HALAMAN VERIFIKASI" not in t


def _without_explanation(minimal, keep: str = ""):
    path = minimal / "renja" / "2027" / "renja.yaml"
    text = path.read_text()
    start = text.index("evaluasi_program:")
    block = text[start:].split("\n")
    end = next((i for i, ln in enumerate(block[1:], 1) if ln and not ln.startswith(" ")), len(block))
    rest = "\n".join(block[end:])
    path.write_text(text[:start] + (keep + "\n" if keep else "") + rest)


def test_a_lagging_program_without_its_explanation_is_a_placeholder_finding_of_check(minimal, tmp_path):
    from renstra_gen.workflows.build import inspect
    _without_explanation(minimal)
    found = [f for f in inspect(minimal) if "belum diuraikan" in f.message]
    assert [str(f) for f in found] == [
        "renja/2027/renja.yaml: peringatan: program 2.24.02 PROGRAM PENGELOLAAN ARSIP belum mencapai target; isi "
        "penyebab, implikasi dan tindakan di evaluasi_program (entri dengan kode: \"2.24.02\") "
        "(tanpa itu tercetak \"belum diuraikan\")"]
    assert found[0].placeholder
    docx = build_renja(minimal, tmp_path, 2027).written[0]
    para = next(x for x in texts(document_xml(docx)) if x.startswith("2.24.02 "))
    assert "Penyebab: belum diuraikan." in para  # still printed, but never silently


def test_a_partial_explanation_names_the_key_left_out_at_its_entry(minimal):
    from renstra_gen.workflows.build import inspect
    _without_explanation(minimal, "evaluasi_program:\n  - kode: \"2.24.02\"\n    penyebab: Dua OPD terlambat.\n"
                                  "    implikasi: Pembinaan bertambah.")
    (f,) = [f for f in inspect(minimal) if "belum diuraikan" in f.message]
    assert str(f).startswith("renja/2027/renja.yaml:54: peringatan: program 2.24.02 PROGRAM PENGELOLAAN ARSIP "
                             "belum mencapai target; isi tindakan pada entri evaluasi_program-nya")


def test_explanation_ending_in_a_full_stop_prints_one_full_stop(minimal, tmp_path):
    _without_explanation(minimal, "evaluasi_program:\n  - kode: \"2.24.02\"\n    penyebab: Dua OPD terlambat.\n"
                                  "    implikasi: Pembinaan bertambah.\n    tindakan: Pendampingan ke OPD. \n")
    result = build_renja(minimal, tmp_path, 2027)
    assert not [f for f in result.warnings if "belum diuraikan" in f.message]
    text = "\n".join(texts(document_xml(result.written[0])))
    assert "Penyebab: Dua OPD terlambat. Implikasi: Pembinaan bertambah. Tindak lanjut: Pendampingan ke OPD." in text
    import re
    assert not re.search(r"\w\.\.(?!\.)", text)  # a word followed by exactly two full stops


def test_guidance_left_in_the_renja_own_chapter_is_a_placeholder_finding(minimal, tmp_path):
    own = minimal / "renja" / "2027" / "bab"
    own.mkdir()
    (own / "5-penutup.md").write_text("# PENUTUP\n\n[PANDUAN: tulis penutup Renja.]\n", encoding="utf-8")
    result = build_renja(minimal, tmp_path, 2027)
    (f,) = [f for f in result.warnings if f.placeholder and "panduan" in f.message]
    assert str(f) == "renja/2027/bab/5-penutup.md:3: peringatan: teks panduan belum diganti: tulis penutup Renja."


def test_final_pdf_summary_lists_the_placeholders_and_a_draft_does_not(minimal, tmp_path, monkeypatch):
    from renstra_gen.workflows import build as wf
    _without_explanation(minimal)
    real = wf.build_renja
    monkeypatch.setattr(wf, "build_renja", lambda *a, **k: real(*a, **{**k, "pdf": False}))  # LibreOffice: test_prove
    r = CliRunner().invoke(main, ["renja", "2027", "--content", str(minimal), "--out", str(tmp_path / "a"), "--pdf"])
    assert r.exit_code == 0, r.output
    assert "PDF akhir masih memuat 2 teks pengganti; isi kontennya sebelum dokumen dikirim:" in r.output
    assert "  renja/2027/renja.yaml: peringatan: program 2.24.02 PROGRAM PENGELOLAAN ARSIP" in r.output
    r = CliRunner().invoke(main, ["renja", "2027", "--content", str(minimal), "--out", str(tmp_path / "b"),
                                  "--pdf", "--draft"])
    assert r.exit_code == 0 and "teks pengganti" not in r.output


def test_a_review_record_prints_the_verification_page_instead_of_the_content_one(tmp_path):
    """The workspace passes its review record (verifiers' accounts, the date of verification) into the
    build; the existing page prints it, in the Renja (over renja.yaml's) and in the Renstra (which has none)."""
    import datetime as dt

    from renstra_gen.content import model as m
    from renstra_gen.workflows.build import build
    record = m.Verifikasi(tempat="Kota Uji", tanggal=dt.date(2026, 12, 7), verifikator=[
        m.Verifikator(nama="Vera Verifikator, S.E.", nip="19900101 201501 2 001", jabatan="Perencana Ahli Muda",
                      unit="Bappeda Kota Uji")])
    docx = build_renja(FIXTURES / "minimal", tmp_path / "a", 2027, verifikasi=record).written[0]
    rows = _table_after(docx, "HALAMAN VERIFIKASI")
    assert rows[1][1] == "Vera Verifikator,\u00a0S.E. NIP.\u00a019900101\u00a0201501\u00a02\u00a0001"
    assert rows[1][2] == "Perencana Ahli Muda Bappeda Kota Uji"
    assert len(rows) == 2  # renja.yaml's two verifiers are not printed
    assert "Kota Uji, 7 Desember 2026" in texts(document_xml(docx))
    renstra = next(p for p in build(FIXTURES / "minimal", tmp_path / "b", verifikasi=record).written
                   if p.suffix == ".docx")
    assert _table_after(renstra, "HALAMAN VERIFIKASI")[1][1].startswith("Vera Verifikator")
