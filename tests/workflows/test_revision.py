"""A revision is an edit to data: one leaf pagu changes, every derived figure follows."""

from __future__ import annotations

from renstra_gen.workflows.build import build
from tests.conftest import document_xml, table_rows, texts


def test_changing_one_sub_kegiatan_pagu_moves_its_parents_kondisi_akhir_and_the_narrative(minimal, tmp_path):
    before = build(minimal, tmp_path / "a").written[0]
    prog = minimal / "tabel" / "program.yaml"
    text = prog.read_text()
    old = "pagu: {2025: 50000000, 2026: 55000000"
    assert old in text
    prog.write_text(text.replace(old, "pagu: {2025: 57500000, 2026: 55000000"))  # +7.500.000 in 2025
    after = build(minimal, tmp_path / "b").written[0]

    def rows(path):
        return {r[2]: r for r in table_rows(document_xml(path), "Tabel 2.1")[3:]}

    a, b = rows(before), rows(after)
    assert (a["2.24.02.2.01.01"][6], b["2.24.02.2.01.01"][6]) == ("50.000.000", "57.500.000")
    assert (a["2.24.02.2.01"][6], b["2.24.02.2.01"][6]) == ("125.000.000", "132.500.000")  # kegiatan
    assert (a["2.24.02"][6], b["2.24.02"][6]) == ("125.000.000", "132.500.000")  # program
    assert (a["2.24.02.2.01.01"][16], b["2.24.02.2.01.01"][16]) == ("300.000.000", "307.500.000")  # kondisi akhir
    assert (a["2.24.02"][16], b["2.24.02"][16]) == ("725.000.000", "732.500.000")
    ta, tb = "\n".join(texts(document_xml(before))), "\n".join(texts(document_xml(after)))
    assert "seluruhnya Rp145.000.000" in ta and "seluruhnya Rp152.500.000" in tb
    assert "selama periode Rp725.000.000" in ta and "selama periode Rp732.500.000" in tb


def test_inserting_a_table_renumbers_the_rest_and_every_reference(minimal, tmp_path):
    chapter = minimal / "bab" / "2-program.md"
    text = chapter.read_text()
    chapter.write_text(text.replace('{{ tabel("aset") }}', "").replace(
        'Rencana program dan pendanaan', '{{ tabel("aset") }}\n\nRencana program dan pendanaan'))
    docx = build(minimal, tmp_path).written[0]
    t = texts(document_xml(docx))
    assert "Tabel 2.1 Aset Utama" in t
    assert "Tabel 2.2 Rencana Program, Kegiatan, Sub Kegiatan dan Pendanaan" in t
    assert any("disajikan pada Tabel 2.2" in x for x in t)
