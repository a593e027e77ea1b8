"""The indicator-formula subset beyond fractions: scripts, big operators with limits, radicals,
delimiters, Greek letters, written as schema-ordered OMML; a malformed formula is a finding."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from renstra_gen.narrative.document import FormulaError, parse_formula as parse
from renstra_gen.narrative.document import plain_formula as plain
from renstra_gen.render.math import omml

M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _tree(latex: str):
    return etree.fromstring(f'<w:p xmlns:m="{M}" xmlns:w="{W}">{omml(latex)}</w:p>')


def _children(el) -> list[str]:
    return [etree.QName(c).localname for c in el]


@pytest.mark.parametrize("latex, text", [
    (r"\sum_{i=1}^{n} x_i", "\u2211_{i=1}^n x_i"),
    (r"\prod^{n} a", "\u220f^n a"),
    (r"x^{2}_{i} + y^2", "x_i^2 + y^2"),
    (r"\sqrt{x^2 + y^2}", "\u221a(x^2 + y^2)"),
    (r"\sqrt[3]{x}", "3\u221a(x)"),
    (r"\left( \frac{a}{b} \right) \times 100\%", "( (a) / (b) ) \u00d7 100%"),
    (r"\left\{ x \right\}", "{ x }"),
    (r"\alpha + \beta_{k} - \Sigma \sigma \Omega", "\u03b1 + \u03b2_k - \u03a3 \u03c3 \u03a9"),
    (r"a \le b \neq c \ge d", "a \u2264 b \u2260 c \u2265 d"),
    (r"\frac{\text{IPM}_{P}}{\text{IPM}_{L}}", "(IPM_P) / (IPM_L)"),
])
def test_wider_subset_parses(latex, text):
    assert plain(latex) == text


@pytest.mark.parametrize("latex, message", [
    (r"^2", "'^' tanpa dasar"),
    (r"\left( x", "\\left tanpa \\right"),
    (r"x \right)", "\\right tanpa \\left"),
    (r"\sqrt x", "\\sqrt membutuhkan {...}"),
    (r"x_", "pangkat/indeks tanpa isi"),
    (r"x_1_2", "'_' ganda"),
    (r"\left< x \right>", "\\left membutuhkan pembatas"),
    (r"\integral x", "perintah tidak dikenal '\\integral'"),
])
def test_malformed_formulas_are_errors(latex, message):
    with pytest.raises(FormulaError, match=re.escape(message)):
        parse(latex)


def test_sum_with_limits_is_an_nary_over_the_rest_of_its_group():
    nary = _tree(r"\frac{\sum_{i=1}^{n} x_i}{n}").find(f".//{{{M}}}nary")
    assert _children(nary) == ["naryPr", "sub", "sup", "e"]
    assert nary.find(f"{{{M}}}naryPr/{{{M}}}chr").get(f"{{{M}}}val") == "\u2211"
    assert nary.find(f"{{{M}}}naryPr/{{{M}}}limLoc").get(f"{{{M}}}val") == "undOvr"
    assert "".join(nary.find(f"{{{M}}}sub").itertext()) == "i=1"
    assert nary.find(f"{{{M}}}e/{{{M}}}sSub") is not None  # the body x_i, inside the numerator only


def test_scripts_radicals_and_delimiters_in_schema_order():
    root = _tree(r"x_{i}^{2} + \sqrt{y} + \sqrt[3]{z} + \left[ w \right]")
    assert _children(root.find(f".//{{{M}}}sSubSup")) == ["e", "sub", "sup"]
    rad, rad3 = root.findall(f".//{{{M}}}rad")
    assert _children(rad) == ["radPr", "deg", "e"] and _children(rad3) == ["deg", "e"]
    d = root.find(f".//{{{M}}}d")
    assert _children(d) == ["dPr", "e"]
    assert [c.get(f"{{{M}}}val") for c in d.find(f"{{{M}}}dPr")] == ["[", "]"]


def test_a_malformed_formula_in_content_is_a_finding_with_its_line(minimal):
    from renstra_gen.workflows.build import inspect

    p = minimal / "indikator.yaml"
    p.write_text(p.read_text().replace(r"rumus: '\text{Jumlah pengunjung dalam satu tahun}'",
                                       r"rumus: '\sum_{t} \left( K_t'"))
    (f,) = [f for f in inspect(minimal, collect=True) if "rumus" in f.message]
    assert f.is_error and f.source.file == "indikator.yaml" and "\\left tanpa \\right" in f.message
