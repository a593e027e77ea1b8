"""Tables sized from their content: text measured in the printed font, columns never narrower than
their widest number or word, the font stepped down before anything breaks (render/fit.py, metrics.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from renstra_gen.grid import Cell, Grid
from renstra_gen.render import fit as fitmod
from renstra_gen.render import metrics
from renstra_gen.render.fit import fit
from renstra_gen.layout.page import text_width


@pytest.mark.parametrize("word, pieces", [
    ("KABUPATEN/KOTA", ["KABUPATEN/", "KOTA"]),
    ("Program/Kegiatan/Sub", ["Program/", "Kegiatan/", "Sub"]),
    ("RKA-SKPD", ["RKA-", "SKPD"]),
    ("2021-2026", ["2021-2026"]),  # no break before a digit
    ("1.282.021.000", ["1.282.021.000"]),
    ("15,37", ["15,37"]),
    ("diberdayakan(kelompok)", ["diberdayakan(kelompok)"]),
])
def test_a_line_breaks_only_at_spaces_slashes_and_hyphens_before_letters(word, pieces):
    assert metrics.pieces(word) == pieces


def test_widths_come_from_the_installed_font_and_match_the_built_in_table():
    if metrics.missing_font():
        pytest.skip("Liberation Sans is installed by tools/install.sh")
    installed = metrics.advances(False)
    builtin = {chr(32 + i): int(w) for i, w in enumerate(metrics._BUILTIN[False].split())}
    assert all(installed[c] == w for c, w in builtin.items())
    assert "\u2013" in installed and "\u00d7" in installed  # beyond ASCII: the font's own widths
    # Arial's (and Liberation Sans's) digits are 0.556 em: "1.282.021.000" at 7 pt
    assert metrics.measure().line("1.282.021.000") * 7 == pytest.approx((10 * 1139 + 3 * 569) / 2048 * 7)


def test_without_the_font_the_built_in_table_is_used_and_said(monkeypatch):
    monkeypatch.setattr(metrics, "font_file", lambda bold: None)
    metrics.advances.cache_clear()
    try:
        widths = metrics.advances(True)
        assert widths["W"] == 1933 and widths["0"] == 1139
        message = metrics.missing_font()
        assert "Liberation Sans" in message and "apt-get install fonts-liberation2" in message
    finally:
        metrics.advances.cache_clear()


def test_line_count_wraps_greedily_and_cuts_only_a_piece_wider_than_the_line():
    one = metrics.measure().line("Anggaran")
    assert metrics.line_count("Anggaran Realisasi", one * 1.01) == 2
    assert metrics.line_count("Anggaran Realisasi", 100) == 1
    assert metrics.line_count("Anggaran", one / 2) == 2  # the last resort: a word cut
    assert metrics.line_count("a\nb\n\nc", 100) == 4
    assert metrics.line_count("Anggaran", -3) > 1  # a column narrower than its margins: no endless loop


def _grid(body, header=None, landscape=False, size=10, widths=None):
    ncols = len(body[0])
    return Grid("t", "Uji", widths or [1] * ncols, header or [[Cell(f"K{i}", bold=True) for i in range(ncols)]],
                body, landscape=landscape, font_size=size)


def _need(text: str, size: float, bold: bool = False) -> float:
    """Twips a cell needs for `text` unbroken (without its margins)."""
    return metrics.longest_piece(text, bold) * size * 20


def test_every_column_is_at_least_as_wide_as_its_longest_number_and_the_text_width_is_used():
    money = "15.936.851.693"
    grid = _grid([[Cell("1"), Cell("Program Penunjang Urusan Pemerintahan Daerah " * 3), Cell(money, value=Decimal(1))]])
    width = text_width("A4", False)
    f = fit(grid, width)
    assert sum(f.cols) == width and f.size == 10 and f.fits
    assert f.cols[2] - 2 * f.margin >= _need(money, 10)
    assert f.cols[1] > f.cols[2] > f.cols[0]  # the long text takes the room the others do not need


def test_narrow_tables_share_spare_room_by_the_declared_widths():
    grid = _grid([[Cell("1"), Cell("Uraian"), Cell("5")]], widths=[1, 8, 1])
    f = fit(grid, 8000)
    assert f.cols[1] > 5 * f.cols[0] and f.cols[0] == pytest.approx(f.cols[2], abs=2)


def test_header_words_wrap_at_spaces_and_slashes_but_are_never_cut():
    header = [[Cell("No", bold=True), Cell("Unit Perangkat Daerah Penanggung Jawab", bold=True),
               Cell("KABUPATEN/KOTA", bold=True)]]
    grid = _grid([[Cell("1"), Cell("x"), Cell("y")]], header=header)
    f = fit(grid, 3000)
    assert f.cols[1] - 2 * f.margin >= _need("Penanggung", f.size, bold=True)
    assert f.cols[2] - 2 * f.margin >= _need("KABUPATEN/", f.size, bold=True)
    # the font went down only as far as needed: half a point larger, the minima would not fit
    needs = fitmod._needs(grid, fitmod.formula_width)
    larger = f.size + fitmod.STEP
    assert f.size < 10 and sum(fitmod._columns(needs, 3, larger, fitmod.cell_margin(larger), "min")) > 3000


def test_a_wide_matrix_steps_its_font_down_before_anything_breaks():
    row = [Cell("1.06.01.2.01.01")] + [Cell("2.519.295.635", value=Decimal(1)) for _ in range(14)]
    grid = _grid([row], landscape=True, size=7)
    width = text_width("A4", True)
    f = fit(grid, width)
    assert f.fits and f.size < 7 and sum(f.cols) == width
    assert all(c - 2 * f.margin >= _need("2.519.295.635", f.size) for c in f.cols[1:])
    wider = fit(grid, text_width("F4", True))  # more room on F4: a larger size
    assert wider.size > f.size


def test_when_nothing_fits_even_at_the_last_resort_size_it_says_so():
    grid = _grid([[Cell("9" * 40) for _ in range(10)]], size=7)
    f = fit(grid, 4000)
    assert not f.fits and f.size == fitmod.LAST_RESORT_SIZE and sum(f.cols) == 4000


def test_a_formula_column_is_as_wide_as_the_formula_in_the_table_font():
    from renstra_gen.render.math import width

    latex = r"\frac{\text{Jumlah PMKS yang Direhabilitasi}}{\text{Jumlah PMKS}} \times 100\%"
    line = metrics.measure().line
    w = width(latex, line)
    assert w == pytest.approx(max(line("Jumlah PMKS yang"), line("Direhabilitasi"), line("Jumlah PMKS"))
                              + line(" × 100%"))
    grid = _grid([[Cell("1"), Cell(math=latex)]], size=9)
    f = fit(grid, 8000)
    assert f.cols[1] - 2 * f.margin >= w * 9 * 20
