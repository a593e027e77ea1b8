"""The pohon kinerja (gambar jenis: pohon-kinerja): the tree drawn from the cascade, its split per
tujuan, its DOT source, its landscape pages and captions in the .docx, and its check findings."""

from __future__ import annotations

import subprocess
import zipfile

import pytest

from renstra_gen.content import model as m
from renstra_gen.workflows.build import build, inspect
from renstra_gen.compose.renstra import compose
from renstra_gen.layout.pohon import figure_parts
from renstra_gen.layout import pohon
from renstra_gen.content.load import load_content
from renstra_gen.layout.page import printed_size
from renstra_gen.render.figures import tree_dot
from tests.conftest import FIXTURES, NS, W, texts
from tests.helpers import grow_dp3a

DP3A = FIXTURES / "dp3a"
SLUG = "renstra-dp3a-kabupaten-sukamaju-2025-2029"
FIGURE = "gambar/pohon-kinerja.yaml"



def _edit(root, rel: str, old: str, new: str) -> None:
    p = root / rel
    text = p.read_text(encoding="utf-8")
    assert old in text, old
    p.write_text(text.replace(old, new, 1), encoding="utf-8")


def _wider(root):
    """dp3a with one more kegiatan under each tujuan (2.08.02.2.02, 2.08.06.2.01). The Penunjang
    program serves no sasaran and is not drawn (issue 28 item 4), so dp3a's own whole tree fits one
    landscape page at 7 pt; with these the whole tree does not, and each tujuan does."""
    return grow_dp3a(root, "2.08.02.2.02", "2.08.06.2.01")


@pytest.fixture(scope="module")
def wider(tmp_path_factory):
    import shutil

    root = tmp_path_factory.mktemp("pohon-wider") / "dp3a"
    shutil.copytree(DP3A, root)
    return _wider(root)


def _tree(content, **change) -> list[pohon.Part]:
    fig = content.figures["pohon-kinerja"].model_copy(update=change)
    return pohon.parts(fig, content.tables, content.indicators, printed_size(content.identity.kertas, True))


def _plain_graph(dot_source: str) -> tuple[float, float, float]:
    """Graphviz's own layout: (scale, width, height in inches) of the drawing as printed."""
    out = subprocess.run(["dot", "-Tplain"], input=dot_source, capture_output=True, text=True, check=True).stdout
    _, scale, w, h = out.splitlines()[0].split()
    return float(scale), float(w), float(h)


# ---------------------------------------------------------------- the tree

def test_tree_follows_the_cascade_with_indicators_in_every_box(wider):
    content = load_content(wider)
    t1, t2 = _tree(content)
    assert (t1.label, t2.label) == ("Tujuan 1", "Tujuan 2")
    boxes = {b.id: b for b in t1.boxes}
    # depth first, in the order of indikator.yaml and, under one sasaran, of the program table; the
    # Penunjang program (2.08.01) serves no sasaran and is not drawn
    assert [(b.id, b.header) for b in t1.boxes] == [
        ("t1", "TUJUAN 1"), ("t1s1", "SASARAN 1.1"),
        ("t1s1p1", "PROGRAM 2.08.02"), ("t1s1p1k1", "KEGIATAN 2.08.02.2.01"), ("t1s1p1k2", "KEGIATAN 2.08.02.2.02"),
        ("t1s2", "SASARAN 1.2"), ("t1s2p1", "PROGRAM 2.08.03"), ("t1s2p1k1", "KEGIATAN 2.08.03.2.02")]
    assert [b.parent for b in t1.boxes] == [None, "t1", "t1s1", "t1s1p1", "t1s1p1", "t1", "t1s2", "t1s2p1"]
    assert boxes["t1"].nama == "Meningkatnya kesetaraan gender dan pemberdayaan perempuan"
    assert boxes["t1"].indikator == ("Indeks Pembangunan Gender",)  # the tujuan's own indicator
    assert boxes["t1s1"].indikator == ("Jumlah Kebijakan Daerah Responsif Gender yang Ditetapkan",)
    assert boxes["t1s1p1"].indikator == ("Indeks Pemberdayaan Gender (indeks)",)
    assert "IK: Indeks Pembangunan Gender" in boxes["t1"].lines()
    # tujuan 2: the program of the second sasaran is written before the first sasaran's in the table
    assert [(b.id, b.header) for b in t2.boxes if b.level in ("sasaran", "program")] == [
        ("t2s1", "SASARAN 2.1"), ("t2s1p1", "PROGRAM 2.08.07"), ("t2s2", "SASARAN 2.2"), ("t2s2p1", "PROGRAM 2.08.06")]
    assert {b.id: b for b in t2.boxes}["t2s2"].indikator == (
        "Persentase Pengaduan Anak yang Memerlukan Perlindungan Khusus yang Ditangani", "Jumlah Desa/Kelurahan Layak Anak")


def test_depth_follows_sampai():
    content = load_content(DP3A)
    levels = lambda parts: {b.level for p in parts for b in p.boxes}  # noqa: E731
    assert levels(_tree(content, sampai="program")) == {"tujuan", "sasaran", "program"}
    deep = _tree(content, sampai="sub_kegiatan", per_tujuan=True)
    assert levels(deep) == set(pohon.LEVELS)
    assert sum(b.level == "sub_kegiatan" for p in deep for b in p.boxes) == 6  # the Penunjang's 3 not drawn
    assert {b.id: b for b in deep[0].boxes}["t1s1p1k1u2"].header == "SUB KEGIATAN 2.08.02.2.01.0005"


def test_split_per_tujuan_only_when_the_whole_tree_would_print_too_small(wider):
    # dp3a's own whole tree fits: one figure
    assert [p.label for p in _tree(load_content(DP3A))] == [""]
    content = load_content(wider)
    fit = printed_size(content.identity.kertas, True)
    # automatic: the whole tree of the wider dp3a would print below 7 pt, each tujuan alone does not
    assert [p.label for p in _tree(content)] == ["Tujuan 1", "Tujuan 2"]
    (whole,) = _tree(content, per_tujuan=False)
    assert whole.label == "" and not whole.legible(fit)
    assert [p.label for p in _tree(content, sampai="program")] == [""]  # programs only: one figure fits
    assert len(_tree(content, sampai="program", per_tujuan=True)) == 2
    # the estimate agrees with Graphviz's own layout at the printed size
    for part in _tree(content):
        scale, w, h = _plain_graph(tree_dot(part, fit))
        assert pohon.FONT_PT * scale >= pohon.MIN_FONT_PT and w <= fit[0] + 0.01 and h <= fit[1] + 0.01
    scale, _, _ = _plain_graph(tree_dot(whole, fit))
    assert pohon.FONT_PT * scale < pohon.MIN_FONT_PT
    (programs,) = _tree(content, sampai="program")  # one figure, scaled down, still at 7 pt or more
    scale, _, _ = _plain_graph(tree_dot(programs, fit))
    assert pohon.MIN_FONT_PT <= pohon.FONT_PT * scale < pohon.FONT_PT


def test_dot_source_has_every_box_and_edge_in_order():
    content = load_content(DP3A)
    t1 = _tree(content)[0]
    dot = tree_dot(t1, (11.0, 5.5))
    assert 'size="11.00,5.50"' in dot and "rankdir=TB" in dot and "ordering=out" in dot
    edges = [line.strip() for line in dot.splitlines() if "->" in line]
    assert edges == [f"{b.parent} -> {b.id};" for b in t1.boxes if b.parent]
    assert "<B>TUJUAN 1</B><BR/>Meningkatnya kesetaraan gender<BR/>dan pemberdayaan perempuan<BR/><I>IK: Indeks " \
           "Pembangunan Gender</I>" in dot
    assert tree_dot(t1, (11.0, 5.5)) == dot  # deterministic


def test_names_with_markup_characters_are_escaped_in_the_labels(dp3a):
    _edit(dp3a, "tabel/program-pendanaan.yaml", "nama: PROGRAM PERLINDUNGAN PEREMPUAN",
          """nama: 'PROGRAM "PERLINDUNGAN" <PEREMPUAN> & ANAK''S'""")
    content = load_content(dp3a)
    part = _tree(content)[0]
    dot = tree_dot(part, None)
    assert "PROGRAM &quot;PERLINDUNGAN&quot; &lt;PEREMPUAN&gt; &amp; ANAK&#39;S" in dot.replace("<BR/>", " ")
    # Graphviz reads the label as markup and draws the characters themselves
    svg = subprocess.run(["dot", "-Tsvg"], input=dot, capture_output=True, text=True, check=True).stdout
    from lxml import etree
    drawn = " ".join(t.text or "" for t in etree.fromstring(svg.encode()).iter("{http://www.w3.org/2000/svg}text"))
    assert """PROGRAM "PERLINDUNGAN" <PEREMPUAN> & ANAK'S""" in drawn


# ---------------------------------------------------------------- the document

@pytest.fixture(scope="module")
def built(tmp_path_factory, wider):
    out = tmp_path_factory.mktemp("pohon")
    build(wider, out)
    with zipfile.ZipFile(out / f"{SLUG}.docx") as z:
        from lxml import etree
        return etree.fromstring(z.read("word/document.xml")), z.namelist()


def _section_of(body, paragraph) -> tuple[bool, int]:
    """(landscape, index) of the section a body paragraph belongs to."""
    index = 0
    seen = False
    for el in body:
        if el is paragraph:
            seen = True
        sect = el.find("w:pPr/w:sectPr", NS) if el.tag == f"{{{W}}}p" else (el if el.tag == f"{{{W}}}sectPr" else None)
        if sect is not None:
            if seen:
                return sect.find("w:pgSz", NS).get(f"{{{W}}}orient") == "landscape", index
            index += 1
    raise AssertionError("paragraph not in body")


def test_docx_prints_one_captioned_figure_per_tujuan_on_landscape_pages(built):
    root, _ = built
    body = root.find("w:body", NS)
    paras = list(body.iter(f"{{{W}}}p"))
    captions = [p for p in paras if p.find("w:pPr/w:pStyle[@w:val='JudulGambar']", NS) is not None]
    cap_text = ["".join(t.text for t in p.iter(f"{{{W}}}t")) for p in captions]
    title = "Pohon Kinerja Dinas Pemberdayaan Perempuan dan Perlindungan Anak"
    assert cap_text == ["Gambar 1.1 Struktur Organisasi Dinas Pemberdayaan Perempuan dan Perlindungan Anak",
                        f"Gambar 2.1 {title}: Tujuan 1", f"Gambar 2.2 {title}: Tujuan 2"]
    pohon_caps = captions[1:]
    sections = [_section_of(body, p) for p in pohon_caps]
    assert all(landscape for landscape, _ in sections) and sections[0][1] == sections[1][1]
    assert _section_of(body, captions[0])[0] is False  # the organisation chart stays portrait
    for cap in pohon_caps:  # the picture right above its caption; the second part starts a page
        pic = cap.getprevious()
        assert pic.find(".//w:drawing", NS) is not None
    assert pohon_caps[1].getprevious().find("w:pPr/w:pageBreakBefore", NS) is not None
    # the landscape section ends with a paragraph (the source line), then the portrait Strategi
    all_text = texts(root)
    assert "pohon kinerja (Gambar 2.1–2.2)." in " ".join(all_text)
    # the Daftar Gambar lists both parts
    assert all_text.count(f"Gambar 2.1 {title}: Tujuan 1") == 2 and all_text.count(f"Gambar 2.2 {title}: Tujuan 2") == 2


def test_numbers_after_a_split_figure_count_its_parts(dp3a):
    _wider(dp3a)
    (dp3a / "gambar" / "alur.yaml").write_text(
        "jenis: bagan-alur\njudul: Alur\nsimpul:\n  - {kunci: a, teks: A}\n", encoding="utf-8")
    _edit(dp3a, "bab/2-tujuan-sasaran.md", '{{ gambar("pohon-kinerja") }}',
          '{{ gambar("pohon-kinerja") }}\n\nAlurnya pada {{ nomor("alur") }}.\n\n{{ gambar("alur") }}')
    plan = compose(load_content(dp3a))
    assert [(k, f.number, f.landscape) for k, f in plan.figures.items()] == [
        ("struktur", "1.1", False), ("pohon-kinerja#1", "2.1", True), ("pohon-kinerja#2", "2.2", True),
        ("alur", "2.3", False)]
    assert {f.key for f in plan.figures.values()} == {"struktur", "pohon-kinerja", "alur"}
    assert len(figure_parts(plan.content)["pohon-kinerja"]) == 2


def test_one_figure_keeps_the_plain_caption(dp3a):
    (dp3a / FIGURE).write_text((dp3a / FIGURE).read_text() + "sampai: program\n", encoding="utf-8")
    plan = compose(load_content(dp3a))
    f = plan.figures["pohon-kinerja"]
    assert (f.number, f.caption, f.landscape) == ("2.1", "Pohon Kinerja Dinas Pemberdayaan Perempuan dan Perlindungan Anak", True)
    assert isinstance(f.figure, m.PerformanceTreeFigure)


# ---------------------------------------------------------------- check

def _line_of(path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def test_unknown_table_is_an_error_at_its_line(dp3a):
    _edit(dp3a, FIGURE, "tabel: program-pendanaan", "tabel: program-pendanan")
    findings = [str(f) for f in inspect(dp3a, collect=True)]
    line = _line_of(dp3a / FIGURE, "tabel:")
    assert f"{FIGURE}:{line}: galat: pohon kinerja: 'program-pendanan' bukan tabel program-pendanaan " \
           f"(yang ada: program-pendanaan)" in findings


def test_left_out_table_is_the_only_program_table(dp3a):
    _wider(dp3a)
    _edit(dp3a, FIGURE, "tabel: program-pendanaan\n", "")
    assert [p.label for p in figure_parts(load_content(dp3a))["pohon-kinerja"]] == ["Tujuan 1", "Tujuan 2"]
    assert not [f for f in inspect(dp3a, collect=True) if "pohon" in f.message]


def test_sasaran_without_program_is_a_warning_at_the_sasaran(dp3a):
    _edit(dp3a, "tabel/program-pendanaan.yaml", "sasaran: kekerasan-perempuan", "sasaran: pug")
    findings = [str(f) for f in inspect(dp3a, collect=True) if "pohon" in f.message]
    line = _line_of(dp3a / "indikator.yaml", "kunci: kekerasan-perempuan")
    assert findings == [f"indikator.yaml:{line}: peringatan: pohon kinerja 'pohon-kinerja': sasaran "
                        f"'kekerasan-perempuan' tidak dilayani program mana pun di tabel 'program-pendanaan'"]
    sasaran = next(b for b in _tree(load_content(dp3a))[0].boxes if b.header == "SASARAN 1.2")
    assert sasaran.id in {b.id for b in _tree(load_content(dp3a))[0].leaves()}  # drawn, with nothing under it


def test_table_whose_programs_name_no_sasaran_is_an_error(dp3a):
    p = dp3a / "tabel" / "program-pendanaan.yaml"
    text = p.read_text(encoding="utf-8")
    p.write_text("\n".join(line for line in text.splitlines() if not line.startswith("    sasaran:")) + "\n",
                 encoding="utf-8")
    findings = [str(f) for f in inspect(dp3a, collect=True) if "pohon" in f.message]
    assert findings == ["tabel/program-pendanaan.yaml:1: galat: pohon kinerja 'pohon-kinerja': program di tabel "
                        "ini tidak menyebut 'sasaran' (kunci sasaran di indikator.yaml), sehingga tidak dapat "
                        "digambar di bawah sasarannya"]


def test_whole_tree_too_small_to_read_is_a_warning(dp3a):
    _wider(dp3a)
    (dp3a / FIGURE).write_text((dp3a / FIGURE).read_text() + "per_tujuan: false\n", encoding="utf-8")
    (f,) = [f for f in inspect(dp3a, collect=True) if "pohon" in f.message]
    assert str(f).startswith(f"{FIGURE}:1: peringatan: pohon kinerja: pohon utuh terlalu lebar untuk satu halaman "
                             f"lanskap (huruf sekitar ")
    assert str(f).endswith("pt, di bawah 7 pt); tulis per_tujuan: true")


def test_program_without_sasaran_is_reported_once_and_left_out_of_the_tree(dp3a):
    _edit(dp3a, "tabel/program-pendanaan.yaml", "    sasaran: kekerasan-perempuan\n", "")
    findings = [str(f) for f in inspect(dp3a, collect=True) if "2.08.03" in f.message or "pohon" in f.message]
    line = _line_of(dp3a / "tabel/program-pendanaan.yaml", 'kode: "2.08.03"')
    assert findings == [
        f"tabel/program-pendanaan.yaml:{line}: peringatan: program 2.08.03: sasaran tidak disebut; dicetak tanpa "
        f"tujuan dan sasaran di akhir tabel; tidak tergambar di pohon kinerja",
        f"indikator.yaml:{_line_of(dp3a / 'indikator.yaml', 'kunci: kekerasan-perempuan')}: peringatan: pohon kinerja "
        f"'pohon-kinerja': sasaran 'kekerasan-perempuan' tidak dilayani program mana pun di tabel 'program-pendanaan'"]
    assert "PROGRAM 2.08.03" not in {b.header for p in _tree(load_content(dp3a)) for b in p.boxes}


def test_change_list_names_only_the_part_whose_boxes_changed(dp3a):
    from renstra_gen.compose.diff import compare

    old = compose(load_content(_wider(dp3a)))
    _edit(dp3a, "tabel/program-pendanaan.yaml", "nama: PROGRAM PERLINDUNGAN KHUSUS ANAK",
          "nama: PROGRAM PERLINDUNGAN KHUSUS ANAK DAN REMAJA")
    changes = [c for c in compare(old, compose(load_content(dp3a))) if c.jenis.startswith("gambar")]
    assert [(c.bagian, c.jenis, c.berkas) for c in changes] == [
        ("Gambar 2.2 Pohon Kinerja Dinas Pemberdayaan Perempuan dan Perlindungan Anak: Tujuan 2", "gambar diubah",
         FIGURE)]


# ---------------------------------------------------------------- many children on the lowest level

def _starter(tmp_path):
    """A new content set of bidang 2.08 (seven programs under one sasaran, the Penunjang program
    with ten kegiatan) with a pohon kinerja down to the kegiatan."""
    from click.testing import CliRunner

    from renstra_gen.cli import main

    folder = tmp_path / "baru"
    made = CliRunner().invoke(main, ["init", str(folder), "--perangkat-daerah", "Dinas Contoh", "--daerah",
                                     "Kabupaten Contoh", "--periode", "2025-2029", "--bidang", "2.08"])
    assert made.exit_code == 0, made.output
    (folder / "gambar" / "pohon-kinerja.yaml").write_text("jenis: pohon-kinerja\njudul: Pohon Kinerja\n", encoding="utf-8")
    return load_content(folder)


def test_many_kegiatan_of_one_program_are_listed_in_one_box(tmp_path, monkeypatch):
    content = _starter(tmp_path)
    (part,) = _tree(content)
    lists = [b for b in part.boxes if b.items]
    penunjang = next(b for b in lists if b.parent == next(p.id for p in part.boxes if p.header == "PROGRAM 2.08.01"))
    assert [i.header for i in penunjang.items][:2] == ["KEGIATAN 2.08.01.2.01", "KEGIATAN 2.08.01.2.02"]
    assert len(penunjang.items) == 10 and all(i.level == "kegiatan" for i in penunjang.items)
    # a program with fewer than LIST_FROM kegiatan keeps its boxes side by side
    assert all(len(b.items) >= pohon.LIST_FROM for b in lists)
    assert any(b.level == "kegiatan" and not b.items for b in part.boxes)
    listed_width = part.natural_size()[0]
    monkeypatch.setattr(pohon, "LIST_FROM", 10 ** 6)
    (side_by_side,) = _tree(content)
    assert listed_width < 0.6 * side_by_side.natural_size()[0]
    # in the drawing: one table cell per kegiatan, and the list one box wide in Graphviz's layout
    monkeypatch.undo()
    dot = tree_dot(part)
    assert dot.count("KEGIATAN 2.08.01.2.") == 10 and 'CELLBORDER="1"' in dot
    plain = subprocess.run(["dot", "-Tplain"], input=dot, capture_output=True, text=True, check=True).stdout
    nodes = {ln.split()[1]: ln.split() for ln in plain.splitlines() if ln.startswith("node ")}
    width, height = float(nodes[penunjang.id][4]), float(nodes[penunjang.id][5])
    assert height > 3 * width / 2 and width < 2 * max(b.size()[0] for b in penunjang.items)
