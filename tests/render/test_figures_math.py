"""Figures drawn from data and formulas written in the LaTeX subset."""

from __future__ import annotations

import zipfile

import pytest
from lxml import etree

from renstra_gen.workflows.build import build
from renstra_gen.content.load import load_content
from renstra_gen.render.figures import flow_dot, org_chart_dot, render_png
from renstra_gen.narrative.document import FormulaError, parse_formula as parse
from renstra_gen.narrative.document import plain_formula as plain
from renstra_gen.render.math import omml
from tests.conftest import FIXTURES

M = "http://schemas.openxmlformats.org/officeDocument/2006/math"


@pytest.mark.parametrize("latex, text", [
    (r"\frac{\text{A}}{\text{B}} \times 100\%", "(A) / (B) × 100%"),
    (r"\frac{\text{Jumlah A \& B}}{\text{C}}", "(Jumlah A & B) / (C)"),
    (r"\text{Jumlah pengunjung}", "Jumlah pengunjung"),
    (r"\frac{a+b}{\frac{c}{d}}", "(a+b) / ((c) / (d))"),
    (r"x \cdot 2", "x · 2"),
])
def test_valid_formulas(latex, text):
    assert plain(latex) == text


@pytest.mark.parametrize("latex, message", [
    (r"\frac{A}", "\\frac membutuhkan {...}"),
    (r"\frac{A}{B", "tidak ditutup"),
    (r"A}", "berlebih"),
    (r"\kali 100", "perintah tidak dikenal '\\kali'"),
    (r"\text A", "\\text membutuhkan {...}"),
    ("a $ b", "karakter '$' tidak didukung"),
])
def test_invalid_formulas(latex, message):
    with pytest.raises(FormulaError) as e:
        parse(latex)
    assert message in str(e.value)


def test_omml_has_a_fraction_with_upright_text_and_wraps_long_parts():
    xml = omml(r"\frac{\text{Jumlah Penduduk Miskin berdasarkan Data Terpadu}}{\text{Jumlah Penduduk}} \times 100\%")
    root = etree.fromstring(f'<r xmlns:m="{M}" xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">{xml}</r>')
    frac = root.find(f".//{{{M}}}f")
    assert frac is not None
    assert frac.find(f"{{{M}}}num/{{{M}}}eqArr") is not None  # the long numerator is stacked
    assert root.findall(f".//{{{M}}}nor")


def _org():
    return load_content(FIXTURES / "minimal").organisasi


def test_org_chart_is_drawn_from_the_structure():
    dot = org_chart_dot(_org())
    assert '"BIDANG KEARSIPAN"' in dot and '"Seksi Akuisisi"' in dot
    assert "u0 -> t0 [weight=20];" in dot  # the head's line goes down to the staff line...
    assert "{ rank=same; u4 t0 u1 }" in dot  # ...with the functional group left of it, the secretariat right
    assert "u4 -> t0 [style=dashed];" in dot  # functional group: dashed line
    assert "u2 -> u2_0 [weight=20];" in dot and "u2_0 -> u2_1 [weight=20];" in dot  # seksi in a column
    assert render_png(dot)[:8] == b"\x89PNG\r\n\x1a\n"


def _laid_out(dot: str):
    """Graphviz's layout of a chart: {node: (x, y, w, h)} and each edge's straight segments."""
    import subprocess
    plain = subprocess.run(["dot", "-Tplain"], input=dot, capture_output=True, text=True, check=True).stdout
    nodes, segments = {}, []
    for line in plain.splitlines():
        f = line.split()
        if f[0] == "node":
            nodes[f[1]] = tuple(float(v) for v in f[2:6])
        elif f[0] == "edge":
            pts = [(float(f[4 + 2 * i]), float(f[5 + 2 * i])) for i in range(int(f[3]))]
            pts = [p for i, p in enumerate(pts) if i == 0 or p != pts[i - 1]]
            segments += [(f[1], f[2], a, b) for a, b in zip(pts, pts[1:])]
    return nodes, segments


def _crossings(segments, tol=0.01):
    """Pairs of segments of different edges that cross inside both (a T-junction of a bus is no crossing)."""
    out = []
    for i, (t1, h1, a, b) in enumerate(segments):
        for t2, h2, c, d in segments[i + 1:]:
            if (t1, h1) == (t2, h2):
                continue
            horiz, vert = ((a, b), (c, d)) if abs(a[1] - b[1]) < tol else ((c, d), (a, b))
            if abs(horiz[0][1] - horiz[1][1]) > tol or abs(vert[0][0] - vert[1][0]) > tol:
                continue  # both horizontal or both vertical
            x, y = vert[0][0], horiz[0][1]
            if (min(horiz[0][0], horiz[1][0]) + tol < x < max(horiz[0][0], horiz[1][0]) - tol
                    and min(vert[0][1], vert[1][1]) + tol < y < max(vert[0][1], vert[1][1]) - tol):
                out.append(((t1, h1), (t2, h2)))
    return out


@pytest.mark.parametrize("folder", ["content", "dp3a", "minimal"])
def test_org_chart_ranks_equal_boxes_and_lines_that_do_not_cross(folder):
    """The default content's, the dp3a office's and the minimal structure as laid out by Graphviz:
    every line orthogonal, no two lines crossing, no line through a box; the boxes of a rank of one
    size; the secretariat and the functional group on the staff line either side of the head's line;
    the bidang in one row below the secretariat's sub units; the UPT(D) below the deepest column."""
    import shutil
    if shutil.which("dot") is None:
        pytest.skip("Graphviz is installed by tools/install.sh")
    path = FIXTURES.parent.parent / "content" if folder == "content" else FIXTURES / folder
    org = load_content(path).organisasi
    from renstra_gen.render.figures import role
    kinds = {f"u{i}": role(u, i) for i, u in enumerate(org.unit)}
    nodes, segments = _laid_out(org_chart_dot(org, (6.3, 8.5)))
    for _, _, a, b in segments:
        assert abs(a[0] - b[0]) < 0.01 or abs(a[1] - b[1]) < 0.01, (a, b)  # orthogonal
    assert _crossings(segments) == []
    boxes = {n: v for n, v in nodes.items() if n.startswith("u")}
    for tail, head, a, b in segments:  # no line passes through a box it does not end at
        for n, (x, y, w, h) in boxes.items():
            if n in (tail, head):
                continue
            mx, my = (a[0] + b[0]) / 2, (a[1] + b[1]) / 2
            assert not (abs(mx - x) < w / 2 - 0.01 and abs(my - y) < h / 2 - 0.01), (tail, head, n)

    def of(kind):
        return [n for n, k in kinds.items() if k == kind]
    (head,) = of("pimpinan")
    staff = of("sekretariat") + of("fungsional")
    bidang, upt = of("bidang"), of("unit-pelaksana")
    for group in (staff, bidang, upt, [s for b in bidang for s in boxes if s.startswith(b + "_")]):
        assert len({boxes[n][2:] for n in group}) <= 1, group  # one size per rank
    for group in (staff, bidang, upt):
        assert len({boxes[n][1] for n in group}) <= 1, group  # one row
    hx, hy = boxes[head][:2]
    (sek,) = of("sekretariat")
    assert boxes[sek][0] > hx and all(boxes[n][0] < hx for n in of("fungsional"))  # beside the head's line
    lowest_staff = min(boxes[n][1] for n in boxes if n.startswith(sek))
    assert all(boxes[b][1] < lowest_staff < hy for b in bidang)  # bidang below the secretariat's row
    deepest = min(boxes[n][1] for n in boxes if any(n.startswith(b + "_") for b in bidang))
    assert all(boxes[u][1] < deepest for u in upt)


def test_renaming_a_bidang_changes_the_chart_and_the_docx(minimal, tmp_path):
    before = build(minimal, tmp_path / "a").written[0]
    path = minimal / "organisasi.yaml"
    path.write_text(path.read_text().replace("Bidang Kearsipan", "Bidang Pengelolaan Arsip"))
    dot = org_chart_dot(load_content(minimal).organisasi)
    assert "BIDANG PENGELOLAAN\\nARSIP" in dot and "KEARSIPAN" not in dot  # wrapped label
    after = build(minimal, tmp_path / "b").written[0]

    def media(p):
        with zipfile.ZipFile(p) as z:
            return {n: z.read(n) for n in z.namelist() if n.startswith("word/media/")}
    assert media(before) and media(before) != media(after)
    text = zipfile.ZipFile(after).read("word/document.xml").decode()
    assert "Bidang Pengelolaan Arsip membawahi:" in text  # the list of section 2.1 comes from the same data


def test_flow_figure_from_data():
    content = load_content(FIXTURES.parent.parent / "content")
    dot = flow_dot(content.figures["keterkaitan-dokumen"])
    assert '"rpjmd" -> "renstra-pd" [label="Pedoman"];' in dot
    assert '"rkpd" -> "renja-pd" [style=dashed, label="Diacu"];' in dot


def test_a_large_figure_is_drawn_at_the_size_it_is_printed():
    from renstra_gen.layout.page import printed_size
    from renstra_gen.render.figures import DPI, figure_dot
    content = load_content(FIXTURES / "minimal")
    chart = next(f for f in content.figures.values() if type(f).__name__ == "OrgChartFigure")
    fit = printed_size(content.identity.kertas)
    assert 5 < fit[0] < 7 and fit[1] > fit[0]  # a portrait text block in inches
    small = render_png(figure_dot(chart, content.organisasi, (2.0, 2.0)))
    width, height = int.from_bytes(small[16:20], "big"), int.from_bytes(small[20:24], "big")
    assert max(width, height) <= 2.0 * DPI + 1  # scaled down to fit, at print resolution
    assert render_png(figure_dot(chart, content.organisasi)) != small
