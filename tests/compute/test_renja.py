"""The Renja's numbers: T-C.29 realisasi at every level of the program tree."""

from __future__ import annotations

from decimal import Decimal

from renstra_gen.compose.renja import compose_renja
from renstra_gen.content.load import load_content
from renstra_gen.workflows.build import DEFAULT_TEMPLATES, inspect
from tests.conftest import FIXTURES


def _renja(folder, year=2026):
    return compose_renja(load_content(folder), year, DEFAULT_TEMPLATES)


def _row(grid, kode):
    return [c.text for c in next(r for r in grid.body if r[1].text == kode)]


def test_program_and_kegiatan_realisasi_are_entered_and_printed_in_t_c_29():
    g = _renja(FIXTURES / "dp3a").plan.tables["evaluasi"]
    # (5) target 2029 | (6) s/d 2023 | (7) target 2024 | (8) realisasi 2024 | (9) % | (10) target 2025
    # (11) realisasi s/d 2025 | (12) % of the Renstra target
    assert _row(g, "2.08.01")[4:12] == ["78", "-", "68", "69", "101,47", "70", "71", "91,03"]
    # kondisi_akhir kumulatif: 3 documents a year, 15 over the period; 3 of them by 2025
    assert _row(g, "2.08.01.2.01")[4:12] == ["15", "-", "-", "-", "-", "3", "3", "20,00"]
    assert _row(g, "2.08.02")[10:12] == ["-", "-"]  # nothing entered for this program: still "-"


def test_rupiah_realisasi_of_a_parent_is_the_sum_of_its_sub_kegiatan():
    from renstra_gen.compose.renja import load_inputs
    from renstra_gen.compute.renja import renja_year
    c = load_content(FIXTURES / "dp3a")
    matrix = _renja(FIXTURES / "dp3a").plan.derived.get("program-pendanaan")
    r = renja_year(matrix, 2026, load_inputs(c, 2026, [])[0])
    assert r.realisasi_rp(matrix.find("2.08.01.2.01"), 2025) == Decimal(25000000 + 10000000)
    assert r.realisasi_rp(matrix.find("2.08.01"), 2025) == Decimal(25000000 + 10000000 + 2398000000)
    assert r.realisasi_rp(matrix.find("2.08.01"), 2024) == Decimal(24000000)
    assert r.realisasi_rp(matrix.find("2.08.02"), 2024) is None  # no sub kegiatan has one: "-", not 0


def test_rp_entered_on_a_parent_is_reported_and_not_read(dp3a):
    p = dp3a / "renja" / "2026" / "renja.yaml"
    text = p.read_text().replace('{kode: "2.08.01", tahun: 2025, k: 71}', '{kode: "2.08.01", tahun: 2025, k: 71, rp: 5}')
    p.write_text(text)
    line = 1 + text.split("\n").index('  - {kode: "2.08.01", tahun: 2025, k: 71, rp: 5}')
    (f,) = [f for f in inspect(dp3a) if "'rp' di sini diabaikan" in f.message]
    assert str(f) == (f"renja/2026/renja.yaml:{line}: peringatan: realisasi 2.08.01 tahun 2025: Rp realisasi program "
                      f"dan kegiatan dihitung dari sub kegiatannya; 'rp' di sini diabaikan")


def test_a_lagging_program_by_its_own_realisasi_is_in_the_narrative_and_needs_its_explanation(dp3a):
    p = dp3a / "renja" / "2026" / "renja.yaml"
    p.write_text(p.read_text().replace('{kode: "2.08.01", tahun: 2024, k: 69, target: 68}',
                                       '{kode: "2.08.01", tahun: 2024, k: 34, target: 68}'))
    from renstra_gen.compute.renja import renja_year
    from renstra_gen.compute.renja_tabel import tertinggal
    from renstra_gen.compose.renja import load_inputs
    renja = _renja(dp3a)
    (f,) = [f for f in renja.warnings if f.placeholder and "belum diuraikan" in f.message]
    assert "program 2.08.01 " in f.message
    c = load_content(dp3a)
    matrix = renja.plan.derived.get("program-pendanaan")
    (t,) = tertinggal(renja_year(matrix, 2026, load_inputs(c, 2026, [])[0]))
    assert [(k.node.kode, k.tingkat) for k in t.kurang] == [("2.08.01", Decimal(50))]
