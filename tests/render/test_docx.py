"""The built .docx, read back as XML: sections, numbering, fields, tables, merges, escaping."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest

from renstra_gen.layout.pohon import figure_parts
from renstra_gen.render.figures import start_drawings
from renstra_gen.workflows.build import DEFAULT_TEMPLATES, build, plan_content
from renstra_gen.errors import ConversionError
from renstra_gen.content.load import load_content
from renstra_gen.render.docx import render_docx
from tests.conftest import DEFAULT_CONTENT, FIXTURES, NS, W, document_xml, table_rows, texts

WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    result = build(FIXTURES / "minimal", out)
    (path,) = [p for p in result.written if p.suffix == ".docx"]
    return path


def test_writes_slug_docx_that_python_docx_opens(built):
    assert built.name == "renstra-arsip-kota-contoh.docx"
    d = docx.Document(str(built))
    assert d.core_properties.author == "Dinas Kearsipan dan Perpustakaan Kota Contoh"


def test_sections_roman_front_matter_then_arabic_from_bab_one_with_landscape_matrix(built):
    root = document_xml(built)
    sects = root.findall(".//w:sectPr", NS)
    fmts = [(s.find("w:pgNumType", NS).get(f"{{{W}}}fmt"), s.find("w:pgNumType", NS).get(f"{{{W}}}start"),
             s.find("w:pgSz", NS).get(f"{{{W}}}orient")) for s in sects]
    assert fmts[0] == ("lowerRoman", "1", None)
    assert fmts[1] == ("decimal", "1", None)
    assert ("decimal", None, "landscape") in fmts[2:]
    assert all(f[1] is None for f in fmts[2:])  # numbering runs on after BAB I


def test_paper_size_follows_renstra_yaml(built):
    root = document_xml(built)
    sz = root.find(".//w:sectPr/w:pgSz", NS)
    assert (sz.get(f"{{{W}}}w"), sz.get(f"{{{W}}}h")) == ("12189", "18709")  # F4 215 x 330 mm


def test_toc_fields_and_page_field_in_footer(built):
    root = document_xml(built)
    instr = " ".join(t.text for t in root.iter(f"{{{W}}}instrText"))
    assert 'TOC \\o "1-3"' in instr
    assert 'TOC \\h \\z \\t "Judul Tabel,1"' in instr
    assert 'TOC \\h \\z \\t "Judul Gambar,1"' in instr
    assert 'TOC \\h \\z \\t "Judul Lampiran,1"' in instr
    with zipfile.ZipFile(built) as z:
        footers = [z.read(n).decode() for n in z.namelist() if n.startswith("word/footer")]
    assert any(" PAGE " in f for f in footers)


def test_cover_and_signature_from_renstra_yaml(built):
    t = texts(document_xml(built))
    assert "DINAS KEARSIPAN DAN PERPUSTAKAAN KOTA CONTOH" in t
    assert "TAHUN 2025 \u2013 2029" in t
    assert "Kota Contoh, 17 Maret 2025" in t
    assert "NIP. 19800101 200501 1 001" in t
    assert "Ditetapkan di Kota Contoh" in t and "Pada tanggal 17 Maret 2025" in t


def test_tables_are_numbered_per_chapter_with_caption_and_source(built):
    t = texts(document_xml(built))
    captions = [x for x in t if x.startswith("Tabel ")]
    assert captions[:4] == ["Tabel 1.1 Jumlah Pegawai berdasarkan Status",
                            "Tabel 2.1 Rencana Program, Kegiatan, Sub Kegiatan dan Pendanaan",
                            "Tabel 2.2 Aset Utama", "Tabel 3.1 Indikator Kinerja Perangkat Daerah"]
    assert "Sumber: Data Kepegawaian 2024" in t
    assert any("disajikan pada Tabel 2.1" in x for x in t)  # the text refers by key


def test_header_rows_repeat_and_rows_do_not_split(built):
    root = document_xml(built)
    for tbl in root.iter(f"{{{W}}}tbl"):
        rows = tbl.findall("w:tr", NS)
        assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
        assert all(r.find("w:trPr/w:cantSplit", NS) is not None for r in rows)


def _kept(row) -> bool:
    return all(p.find("w:pPr/w:keepNext", NS) is not None for p in row.iter(f"{{{W}}}p"))


def test_a_table_never_breaks_after_its_header_or_first_row(built):
    # LibreOffice dropped the rest of a cantSplit table there (see render/table.py)
    for tbl in document_xml(built).iter(f"{{{W}}}tbl"):
        rows = tbl.findall("w:tr", NS)
        head = sum(1 for r in rows if r.find("w:trPr/w:tblHeader", NS) is not None)
        assert all(_kept(r) for r in rows[:head + 1])


def test_a_merged_group_is_kept_on_one_page(built):
    rows = next(document_xml(built).iter(f"{{{W}}}tbl")).findall("w:tr", NS)  # Tabel 1.1: groups PNS, PPPK
    # header; PNS: Laki-laki, Perempuan, Jumlah; PPPK: Laki-laki, Perempuan, Jumlah; TOTAL
    assert [_kept(r) for r in rows] == [True, True, True, False, True, True, False, False]


def test_program_matrix_parents_are_sums_and_kondisi_akhir_is_row_sum(built):
    rows = table_rows(document_xml(built), "Tabel 2.1")
    assert len(rows[2]) == 19 and rows[2][0] == "(1)"  # 5 + 2 x 5 years + 4 columns; numbered row
    by_code = {r[2]: r for r in rows[3:]}
    # columns: 5 descriptive, then K/Rp for 2025..2029, then kondisi akhir K/Rp, unit, lokasi
    assert by_code["2.24.02"][5:7] == ["60", "125.000.000"]  # 50 + 75 million, not the printed 150
    assert by_code["2.24.02.2.01"][5:7] == ["1.000", "125.000.000"]
    assert by_code["2.24.02.2.01"][15:17] == ["1.400", "725.000.000"]  # target = 2029's, Rp = sum of the row
    assert by_code["2.24.03"][7:9] == ["60", "-"]  # 2026: no pagu anywhere below
    assert by_code["2.24.03.2.01.01"][17:19] == ["DKP", "Kota Contoh"]


def test_merged_cells(built):
    root = document_xml(built)
    tbl = next(root.iter(f"{{{W}}}tbl"))  # Tabel 1.1 (rekap with groups)
    assert len(tbl.findall(".//w:vMerge[@w:val='restart']", NS)) >= 4
    assert tbl.findall(".//w:gridSpan", NS)


def test_escaped_text_survives(built):
    t = "\n".join(texts(document_xml(built)))
    assert 'Dinas Kearsipan dan Perpustakaan Kota Contoh & mitra <kerja> "terkait".' in t
    assert "Rak Arsip & Lemari" in t and "Komputer <baru>" in t


def test_lists_render_with_their_own_markers(built):
    t = texts(document_xml(built))
    for marker, words in (("1.", "Undang-Undang Nomor 25"), ("a.", "tata cara perencanaan"), ("(1)", "evaluasi hasil"),
                          ("1)", "sebagai pedoman"), ("\u2022", "butir pertama")):
        assert f"{marker}{words}" in "".join(t).replace("\t", ""), marker


def test_lampiran_formula_is_a_word_equation_with_a_fraction(built):
    root = document_xml(built)
    assert len(root.findall(".//m:oMath", NS)) >= 2
    assert root.findall(".//m:oMath//m:f", NS)


def test_figure_is_embedded_with_caption(built):
    root = document_xml(built)
    assert root.findall(".//{http://schemas.openxmlformats.org/drawingml/2006/main}blip")
    assert "Gambar 1.1 Struktur Organisasi Dinas" in texts(root)


def test_header_rows_are_tall_enough_for_the_merged_header_cells():
    """LibreOffice sizes a repeated header row by its own content and clips a merged cell that
    needs more, so each header row carries a minimum height that fits what spans it."""
    from renstra_gen.grid import Cell, placements
    from renstra_gen.render.table import header_heights

    long = "Indikator Kinerja Tujuan, Sasaran, Program (Outcome) dan Kegiatan (Output)"
    header = [[Cell("No", rowspan=2), Cell(long, rowspan=2), Cell("2021", colspan=2)],
              [Cell("K"), Cell("Rp")]]
    numbers = [[Cell("(1)"), Cell("(2)"), Cell("(3)"), Cell("(4)")]]
    size, cols, margin = 6, [600, 1000, 500, 1100], 28
    heights = header_heights(placements(header + numbers, 4), cols, margin, size)
    line = size * 20 * 1.15
    assert heights[2] == 0  # one line: no height needed
    # 74 characters of 6 pt bold Arial (about 4,900 twips) in 944 usable twips: six lines at least
    assert heights[0] + heights[1] >= 6 * line
    assert heights[0] == heights[1]  # shared by the rows it spans
    wide = header_heights(placements(header + numbers, 4), [600, 9000, 500, 1100], margin, size)
    assert wide == [0, 0, 0]  # the same text on one line


def test_figures_have_distinct_drawing_ids(tmp_path):
    """wp:docPr ids are unique in the document (a repeated id is a known "unreadable content" cause)."""
    root = document_xml(next(p for p in build(DEFAULT_CONTENT, tmp_path).written if p.suffix == ".docx"))
    ids = [el.get("id") for el in root.iter(f"{{{WP}}}docPr")]
    assert len(ids) >= 2 and len(set(ids)) == len(ids)


@pytest.fixture(scope="module")
def minimal_plan():
    content = load_content(FIXTURES / "minimal")
    parts = figure_parts(content)
    plan = plan_content(content, parts)
    with start_drawings(content, parts) as drawings:
        pngs = {key: drawings.png(key) for key in plan.figures}
    return plan, pngs


@pytest.mark.parametrize("filled, message", [
    ([["KATA PENGANTAR\tii"]], "LibreOffice mengisi 1 daftar, dokumen memuat 4"),
    ([["KATA PENGANTAR\tii"], [], [], []], "Daftar Isi: LibreOffice mengisi 1 entri, dokumen memuat 12"),
])
def test_lists_from_libreoffice_that_do_not_match_the_document_are_refused(minimal_plan, filled, message):
    plan, pngs = minimal_plan
    with pytest.raises(ConversionError) as e:
        render_docx(plan, DEFAULT_TEMPLATES / "renstra.docx", pngs, filled=filled)
    assert message in str(e.value)


def _filled(plan) -> list[list[str]]:
    """The minimal fixture's four lists as LibreOffice reports them: "title<TAB>page" per entry."""
    contents = ["KATA PENGANTAR", "DAFTAR ISI", "DAFTAR TABEL", "DAFTAR GAMBAR", "DAFTAR LAMPIRAN",
                "BAB I PENDAHULUAN", "1.1 Latar Belakang", "1.2 Landasan Hukum", "1.2.1 Struktur",
                "BAB II RENCANA PROGRAM DAN PENDANAAN", "BAB III PENUTUP", "LAMPIRAN"]
    return [[f"{t}\t{i}" for i, t in enumerate(contents, 1)],
            [f"{g.title}\tii" for g in plan.tables.values()],
            [f"{f.title}\t7" for f in plan.figures.values()],
            [f"Lampiran {g.number}: {g.caption}\t9" for g in plan.lampiran]]


def test_filled_lists_carry_the_page_numbers_and_word_is_not_asked_to_update(minimal_plan):
    plan, pngs = minimal_plan
    package = zipfile.ZipFile(io.BytesIO(render_docx(plan, DEFAULT_TEMPLATES / "renstra.docx", pngs,
                                                     filled=_filled(plan))))
    xml = package.read("word/document.xml")
    assert b'>1.1 Latar Belakang</w:t><w:tab/><w:t xml:space="preserve">7</w:t>' in xml
    assert b'>Lampiran 1: RUMUS PERHITUNGAN INDIKATOR KINERJA</w:t><w:tab/><w:t xml:space="preserve">9</w:t>' in xml
    assert b"w:dirty" not in xml
    assert b"updateFields" not in package.read("word/settings.xml")


def test_a_list_entry_with_another_title_is_refused(minimal_plan):
    plan, pngs = minimal_plan
    filled = _filled(plan)
    filled[0][6] = "1.1 Latar Belakang Lain\t7"
    with pytest.raises(ConversionError) as e:
        render_docx(plan, DEFAULT_TEMPLATES / "renstra.docx", pngs, filled=filled)
    assert "Daftar Isi: entri '1.1 Latar Belakang Lain' dari LibreOffice, di dokumen '1.1 Latar Belakang'" in str(e.value)


def test_lead_ins_and_signature_blocks_keep_with_what_follows(built):
    """A paragraph ending "...sebagai berikut:" keeps with its list; the Penutup's last paragraph
    keeps with the signature block (an empty first line), whose lines keep together up to the NIP
    line, which ends it."""
    body = document_xml(built).find("w:body", NS)
    paras = [el for el in body if el.tag == f"{{{W}}}p"]

    def text(p):
        return "".join(t.text or "" for t in p.iter(f"{{{W}}}t"))

    def keep(p):
        k = p.find("w:pPr/w:keepNext", NS)
        return None if k is None else k.get(f"{{{W}}}val") != "0"

    lead_ins = [p for p, nxt in zip(paras, paras[1:]) if text(p).rstrip().endswith(":") and text(nxt)
                and p.find("w:pPr/w:pStyle", NS).get(f"{{{W}}}val") in ("Paragraf", "Daftar")]
    assert lead_ins and all(keep(p) for p in lead_ins)
    signature = [i for i, p in enumerate(paras) if text(p).startswith("Ditetapkan di ")]
    assert signature
    start = signature[-1]
    assert keep(paras[start - 2])  # the chapter's last paragraph (here the line under its closing table)
    nip = next(p for p in paras[start:] if text(p).startswith("NIP."))
    assert keep(nip) is False  # explicitly off: the style keeps every other line with the next


def _orientation_of(root, text: str) -> str:
    """The orientation of the section holding the last paragraph whose text starts with `text`
    (the first may be an entry of the front matter's lists)."""
    paragraphs = list(root.iter(f"{{{W}}}p"))
    start = max(i for i, p in enumerate(paragraphs) if "".join(t.text or "" for t in p.iter(f"{{{W}}}t")).startswith(text))
    for p in paragraphs[start:]:
        sect = p.find(f"{{{W}}}pPr/{{{W}}}sectPr")
        if sect is not None:
            break
    else:
        sect = root.find(f"{{{W}}}body/{{{W}}}sectPr")
    return sect.find(f"{{{W}}}pgSz").get(f"{{{W}}}orient") or "portrait"


@pytest.mark.parametrize("words, orientation", [(12, "landscape"), (200, "portrait")])
def test_short_text_between_two_landscape_blocks_stays_on_their_landscape_pages(dp3a, tmp_path, words, orientation):
    """A sentence between two landscape tables or figures would otherwise fill a portrait page of
    its own with one line; a long passage still gets its portrait pages."""
    content = dp3a
    chapter = content / "bab" / "2-tujuan-sasaran.md"
    text = chapter.read_text(encoding="utf-8")
    between = "Keterkaitan tujuan dan sasaran " + " ".join(["dengan program"] * (words // 2)) + "."
    old = '{{ tabel("tujuan-sasaran") }}\n\n{{ gambar("pohon-kinerja") }}'
    assert old in text
    chapter.write_text(text.replace(old, old.replace("\n\n", f"\n\n{between}\n\n")), encoding="utf-8")
    root = document_xml(build(content, tmp_path / "out").written[0])
    assert _orientation_of(root, "Keterkaitan tujuan dan sasaran") == orientation
    assert _orientation_of(root, "Tabel 2.3") == "landscape"  # the table before it
