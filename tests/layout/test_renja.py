"""The Renja's matrices laid out: T-C.33 (rencana) and T-C.29 (evaluasi)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from renstra_gen.compose.renja import compose_renja
from renstra_gen.content.load import load_content
from renstra_gen.grid import placements
from renstra_gen.workflows.build import DEFAULT_TEMPLATES
from tests.conftest import DEFAULT_CONTENT, FIXTURES
from tests.helpers import extended_minimal


def _plan(folder, year):
    return compose_renja(load_content(folder), year, DEFAULT_TEMPLATES).plan


@pytest.mark.parametrize("folder, year", [(DEFAULT_CONTENT, 2024), (FIXTURES / "dp3a", 2026),
                                          (FIXTURES / "minimal", 2027)])
def test_t_c_33_ends_on_a_jumlah_row_of_year_n_and_the_prakiraan_maju(folder, year):
    plan = _plan(folder, year)
    g = plan.tables["rencana"]
    placements(g.header + g.body, len(g.columns))  # the row fills the grid
    last = g.body[-1]
    assert last[0].text == "JUMLAH" and last[0].colspan == 5 and last[0].bold
    programs = plan.derived.get(next(k for k, t in plan.content.tables.items() if t.jenis == "program-pendanaan")).programs
    for cell, y in ((last[1], year), (last[5], year + 1)):
        expected = sum((p.pagu.get(y) or Decimal(0)) for p in programs)
        assert cell.value == expected and cell.bold
        assert cell.formula.kind == "sum" and len(cell.formula.refs) == len(programs)
        # the refs are the program rows (in print order): each of them holds that program's pagu
        pagu = {(p.kode or "", p.row.nama): p.pagu.get(y) for p in programs}
        rows = [(g.body[r][0].text, g.body[r][1].text) for r, _ in cell.formula.refs]
        assert [g.body[r][c].value for r, c in cell.formula.refs] == [pagu[k] for k in rows]
        assert set(rows) == set(pagu)


def test_t_c_33_total_of_the_last_year_leaves_the_forecast_empty():
    g = _plan(FIXTURES / "minimal", 2029).tables["rencana"]
    last = g.body[-1]
    assert last[0].text == "JUMLAH" and last[1].text == "195.000.000" and last[5].text == "" and last[5].formula is None


def test_t_c_33_of_the_last_year_takes_the_forecast_from_the_transition_year(tmp_path):
    """Issue 28 item 10: the extended minimal fixture's `tahun_transisi: opsional` gives 2030 only to its
    Penunjang; the Renja 2029's prakiraan maju is that row's 2030 pagu, every row without one prints "-"."""
    g = _plan(extended_minimal(tmp_path / "m"), 2029).tables["rencana"]
    rows = {r[0].text: r for r in g.body if r[0].text}
    # column (10): Rp of the prakiraan maju
    assert rows["2.24.01.2.01.01"][9].text == "12.000.000" and rows["2.24.01"][9].text == "12.000.000"
    assert [rows[k][9].text for k in ("2.24.02", "2.24.02.2.01.01", "2.24.03.2.01.01")] == ["-", "-", "-"]
    assert rows["JUMLAH"][1].text == "207.000.000" and rows["JUMLAH"][5].text == "12.000.000"
