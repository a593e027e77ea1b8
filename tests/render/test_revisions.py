"""render/revisions.py: tracked changes between two bodies, word by word, blind to renumbering."""

from __future__ import annotations

import pytest
from lxml import etree

from renstra_gen.render import oxml
from renstra_gen.render.revisions import track_changes
from tests.conftest import NS, W


def body(*blocks: str) -> bytes:
    return f'<w:document {oxml.NSDECL}><w:body>{"".join(blocks)}<w:sectPr/></w:body></w:document>'.encode()


def p(text: str, style: str = "Paragraf") -> str:
    return oxml.para(oxml.run(text), style=style)


def same(s: str) -> str:
    return s


def diff(old: list[str], new: list[str], norm_old=same, norm_new=same):
    xml, rev = track_changes(body(*old), body(*new), "Dinas X", "2025-03-17T00:00:00Z", norm_old, norm_new)
    return etree.fromstring(xml), rev


def marks(root) -> list[tuple[str, str]]:
    return [(etree.QName(m).localname, "".join(t.text for t in m.iter(f"{{{W}}}t", f"{{{W}}}delText")))
            for m in root.iter(f"{{{W}}}ins", f"{{{W}}}del") if m.getparent().tag == f"{{{W}}}p"]


def accepted(root) -> list[str]:
    out = []
    for para in root.iter(f"{{{W}}}p"):
        if para.find("w:pPr/w:rPr/w:del", NS) is not None:
            continue
        out.append("".join(t.text for t in para.iter(f"{{{W}}}t")))
    return out


@pytest.mark.parametrize("old, new, expected", [
    ("Pagu tahun 2024 sebesar Rp15.000.000 untuk kegiatan.", "Pagu tahun 2024 sebesar Rp20.000.000 untuk kegiatan.",
     [("del", "Rp15.000.000 "), ("ins", "Rp20.000.000 ")]),
    ("Fungsi dinas adalah:", "Fungsi pokok dinas adalah:", [("ins", "pokok ")]),
    ("Satu dua tiga empat.", "Satu tiga empat.", [("del", "dua ")]),
])
def test_whole_words_change_and_the_rest_stays(old, new, expected):
    root, rev = diff([p("Judul tetap."), p(old)], [p("Judul tetap."), p(new)])
    assert marks(root) == expected
    assert accepted(root) == ["Judul tetap.", new]
    ids = [m.get(f"{{{W}}}id") for m in root.iter(f"{{{W}}}ins", f"{{{W}}}del")]
    assert len(set(ids)) == len(ids) == rev.marks
    assert {m.get(f"{{{W}}}author") for m in root.iter(f"{{{W}}}ins", f"{{{W}}}del")} == {"Dinas X"}


def test_renumbered_references_and_headings_are_not_revisions():
    old = [p("2.1 \tGambaran Umum", "Heading2"), p("Disajikan pada Tabel 2.1 dan Gambar 2.1.")]
    new = [p("2.1 \tPendahuluan Baru", "Heading2"), p("Isi baru."), p("2.2 \tGambaran Umum", "Heading2"),
           p("Disajikan pada Tabel 2.2 dan Gambar 2.1.")]
    root, _ = diff(old, new, lambda s: s.replace("Tabel 2.1", "«aset»"), lambda s: s.replace("Tabel 2.2", "«aset»"))
    assert marks(root) == [("ins", "2.1 Pendahuluan Baru"), ("ins", "Isi baru.")]  # only the new heading and text
    changed = {"".join(t.text for t in para.iter(f"{{{W}}}t")) for para in root.iter(f"{{{W}}}p")
               if para.find("w:ins", NS) is not None}
    assert changed == {"2.1 Pendahuluan Baru", "Isi baru."}
    assert accepted(root) == ["2.1 Pendahuluan Baru", "Isi baru.", "2.2 Gambaran Umum", "Disajikan pada Tabel 2.2 dan Gambar 2.1."]


def test_a_removed_paragraph_comes_back_deleted_in_its_place():
    root, _ = diff([p("Satu."), p("Dua dihapus."), p("Tiga.")], [p("Satu."), p("Tiga.")])
    texts = ["".join(t.text for t in x.iter(f"{{{W}}}t", f"{{{W}}}delText")) for x in root.iter(f"{{{W}}}p")]
    assert texts == ["Satu.", "Dua dihapus.", "Tiga."]
    gone = list(root.iter(f"{{{W}}}p"))[1]
    assert gone.find("w:pPr/w:rPr/w:del", NS) is not None and gone.find("w:del/w:r/w:delText", NS) is not None
    assert accepted(root) == ["Satu.", "Tiga."]


def test_nothing_changed_nothing_marked():
    blocks = [p("Satu."), p("1.1 \tJudul", "Heading2")]
    root, rev = diff(blocks, blocks)
    assert rev.marks == 0 and marks(root) == []
