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


def test_a_slash_between_letters_is_a_break_in_the_document_wherever_the_fit_counts_on_it():
    """LibreOffice breaks "Pendorong/|Penghambat" when the compound opens the paragraph but cuts
    "Faktor Pendorong/Penghamb|at" (measured; issue 28: "Pendorong/Penghamb|at" in a header,
    "Dipelihara/Direhabili|tasi" in a Tabel 6.2 cell): every run of the document carries a
    zero-width space after such a "/", where LibreOffice and Word do break, so the fit's rule holds."""
    from renstra_gen.render import oxml
    assert metrics.keep_together("Faktor Pendorong/Penghambat, 2021/2022, Kab./Kota") == \
        "Faktor Pendorong/\u200bPenghambat, 2021/2022, Kab./Kota"
    run = oxml.run("Persentase sarana yang Dipelihara/Direhabilitasi")
    assert "Dipelihara/\u200bDirehabilitasi" in run
    # the zero-width space costs no width and the pieces are those the fit counted before
    bold = metrics.measure(True)
    assert metrics.longest_piece("Faktor Pendorong/Penghambat", bold=True) == bold.word("Penghambat")
    assert bold.line("Pendorong/\u200bPenghambat") == bold.line("Pendorong/Penghambat")
    header = [[Cell("No", bold=True), Cell("Uraian", bold=True), Cell("Faktor Pendorong/Penghambat", bold=True)]]
    f = fit(_grid([[Cell("1"), Cell("Persentase sarana yang Dipelihara/Direhabilitasi"), Cell("x")]],
                  header=header), 2600)
    assert f.cols[2] - 2 * f.margin >= _need("Penghambat", f.size, bold=True)
    assert f.cols[1] - 2 * f.margin >= _need("Direhabilitasi", f.size)


def test_short_acronyms_names_degrees_and_nips_are_never_broken():
    """A short acronym's hyphen is printed as a no-break hyphen and measured as one word; a no-break
    space joins a name to its degrees and the parts of a NIP, for the fit as for LibreOffice."""
    from renstra_gen.layout.verifikasi import keep_name, nip_line
    from renstra_gen.render import oxml
    assert metrics.keep_together("Indikator PUG-PP dan P-IRT; 2021-2026, A-B-C, Pengarusutamaan-Gender") == \
        "Indikator PUG\u2011PP dan P\u2011IRT; 2021-2026, A-B-C, Pengarusutamaan-Gender"
    assert "PUG\u2011PP" in oxml.run("Capaian PUG-PP") and "PUG-PP" not in oxml.run("Capaian PUG-PP")
    assert metrics.longest_piece("Capaian PUG-PP") == pytest.approx(metrics.measure().word("PUG-PP"))
    assert metrics.pieces("PUG-PP") == ["PUG-", "PP"]  # what LibreOffice would do with a plain hyphen
    assert keep_name("Drs. Yohanes Bria, S.E., M.Si") == "Drs.\u00a0Yohanes Bria,\u00a0S.E.,\u00a0M.Si"
    assert nip_line("19800101 200501 1 007") == "NIP.\u00a019800101\u00a0200501\u00a01\u00a0007"
    nip = metrics.measure().line("NIP. 19800101 200501 1 007")
    assert metrics.longest_piece(nip_line("19800101 200501 1 007")) == pytest.approx(nip)
    assert metrics.longest_piece(keep_name("Drs. Yohanes Bria, S.E., M.Si")) == pytest.approx(
        metrics.measure().line("Bria, S.E., M.Si"))


def test_the_verification_pages_cells_hold_a_nip_and_the_dotted_line_whole():
    import datetime as dt

    from renstra_gen.content import model as m
    from renstra_gen.layout.verifikasi import verification
    from renstra_gen.content.load import load_content
    from tests.conftest import FIXTURES
    identity = load_content(FIXTURES / "dp3a").identity
    v = m.Verifikasi(verifikator=[m.Verifikator(nama="Dr. Ir. Maria Fatima Seran, S.T., M.Eng., M.Sc.",
                                                nip="19800101 200501 1 007", jabatan="Kepala Bappeda"),
                                  m.Verifikator()], tanggal=dt.date(2026, 1, 5))
    grid = verification(v, identity, "Renja").grid
    f = fit(grid, 5200)  # a narrow page: the columns near their minima
    inner = [c - 2 * f.margin for c in f.cols]

    def line(text):  # twips of one unbroken line at the table's size
        return metrics.measure().line(text) * f.size * 20
    assert inner[1] >= line("NIP. 19800101 200501 1 007")
    assert inner[1] >= line("Seran, S.T., M.Eng., M.Sc.")
    assert inner[3] >= line("1. ....................")  # the dotted line never wraps


def test_a_text_column_beside_a_wide_formula_holds_a_phrase_per_line_not_a_word():
    """Lampiran 1 (issue 28): a wide Rumus column, a long Indikator and a Keterangan of bullets; the
    Keterangan gets its longest line up to about 24 characters before the room is shared (it was
    left near its longest word)."""
    keterangan = ("- Data diambil dari laporan tahunan unit layanan\n- diverifikasi bersama Bappeda setiap "
                  "akhir tahun anggaran\n- ditetapkan sebagai capaian resmi perangkat daerah")
    nama = ("Persentase perempuan dan anak korban kekerasan yang mendapatkan layanan komprehensif sesuai "
            "standar pelayanan minimal yang berlaku di daerah")
    body = [[Cell("1"), Cell(nama), Cell("", math="x"), Cell(keterangan, markdown=True)]]
    grid = _grid(body, widths=[0.6, 2.5, 2.5, 4.0], size=9)
    f = fit(grid, text_width("A4", False), math_width=lambda latex: 14.0)  # a formula 14 em wide
    inner = [c - 2 * f.margin for c in f.cols]
    assert inner[2] >= 14.0 * f.size * 20  # the formula whole
    comfort = fitmod.COMFORT_EM * f.size * 20
    assert inner[3] >= comfort and inner[1] >= comfort


def test_declared_weights_share_the_room_of_a_text_heavy_table():
    text = "kata " * 200
    narrow = fit(_grid([[Cell(text), Cell(text)]], widths=[1, 3]), 8000)
    assert narrow.cols[1] > 1.4 * narrow.cols[0]  # `lebar: 1` and `lebar: 3` (beyond a comfortable width each)
    even = fit(_grid([[Cell(text), Cell(text)]], widths=[1, 1]), 8000)
    assert abs(even.cols[0] - even.cols[1]) <= 2


def test_t_c_33_prints_its_source_of_funds_on_one_line_beside_the_note():
    """T-C.33's text columns (issue 28): "APBD Kabupaten Malaka" no longer wraps to 3 lines beside a
    wide, mostly empty Catatan column."""
    from renstra_gen.layout.renja import layout_rencana  # noqa: F401  (the weights below are its own)
    import inspect as ins
    import re
    import renstra_gen.layout.renja as lr
    widths = [float(x) for x in re.search(r"widths = \[([^\]]+)\]", ins.getsource(lr.layout_rencana)).group(1).split(",")]
    long = "Penyediaan Layanan Pengaduan Masyarakat bagi Perempuan Korban Kekerasan Kewenangan Kabupaten/Kota"
    row = [Cell("2.08.02.2.01.0003"), Cell(long), Cell("Jumlah perempuan korban kekerasan yang mendapat layanan pengaduan (orang)"),
           Cell("Kabupaten"), Cell("120"), Cell("1.250.000.000"), Cell("APBD Kabupaten Malaka"),
           Cell("Sesuai Pokir DPRD dan hasil Musrenbang kecamatan"), Cell("130"), Cell("1.375.000.000")]
    grid = Grid("rencana", "T-C.33", widths, [[Cell(f"K{i}", bold=True) for i in range(10)]], [row] * 3,
                landscape=True, font_size=7)
    f = fit(grid, text_width("A4", True))
    room = (f.cols[6] - 2 * f.margin) / 20 / f.size
    assert metrics.line_count("APBD Kabupaten Malaka", room) == 1


def test_within_measured_once_a_grid_is_measured_once_for_every_width_and_size(monkeypatch):
    """The legibility check (three papers), the .docx and the workbook fit the same grid: its cells
    are measured once inside a build (fit.measured_once), each time outside it, and a grid made
    anew (another object) is measured for itself."""
    calls = []
    real = fitmod._needs
    monkeypatch.setattr(fitmod, "_needs", lambda *a, **k: calls.append(a[0]) or real(*a, **k))
    grid = _grid([[Cell("Uraian panjang sekali di sini"), Cell("1.282.021.000")]])
    other = _grid([[Cell("Uraian panjang sekali di sini"), Cell("1.282.021.000")]])
    fit(grid, 5000)
    fit(grid, 5000)
    assert len(calls) == 2
    calls.clear()
    with fitmod.measured_once():
        a4 = fit(grid, 5000)
        with fitmod.measured_once():  # nested: the outer scope's measures
            a3 = fit(grid, 9000)
        sheet = fit(grid, 5000, size=9, fixed_size=True)
        fit(other, 5000)
    assert calls == [grid, other]
    assert fitmod._MEASURED is None
    assert (a4, a3, sheet) == (fit(grid, 5000), fit(grid, 9000), fit(grid, 5000, size=9, fixed_size=True))
