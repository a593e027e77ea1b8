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
    assert all(f"u0 -> u{i}" in dot for i in range(1, 5))  # the head leads every unit
    assert "u0 -> u2 [minlen=3];" in dot  # a bidang below the staff line and the secretariat's row
    assert "{ rank=same; u1_0 u1_1 }" in dot and "u1 -> u1_1;" in dot  # sub bagian side by side
    assert "u2 -> u2_0;" in dot and "u2_0 -> u2_1;" in dot  # seksi in a column under their bidang
    assert "u0 -> u4 [style=dashed];" in dot  # functional group: dashed line
    assert render_png(dot)[:8] == b"\x89PNG\r\n\x1a\n"


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
