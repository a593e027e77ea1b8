"""Indicator semantics: direction (naik/turun/tetap) in every capaian ratio, and the kondisi akhir rule."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from renstra_gen.workflows.build import inspect
from renstra_gen.compute.kinerja import capaian
from renstra_gen.compute.period import kondisi_akhir
from renstra_gen.compute.derived import derive
from renstra_gen.layout import layout_table
from renstra_gen.content.load import load_content

YEARS = [2025, 2026, 2027]


@pytest.mark.parametrize("real, target, arah, expected", [
    (D(34), D(35), "naik", D(34) * 100 / D(35)),
    (D(34), D(35), "turun", D(36) * 100 / D(35)),   # fewer than the target: beats it, > 100
    (D(36), D(35), "turun", D(34) * 100 / D(35)),   # more than the target: < 100
    (D(35), D(35), "turun", D(100)),
    (D(0), D(10), "turun", D(200)),                  # defined at zero (target / realisasi is not)
    (D(90), D(100), "tetap", D(90)),
    (D(110), D(100), "tetap", D(90)),                # holding means either way counts against
    (D(5), D(0), "naik", None),
    (None, D(5), "turun", None),
])
def test_capaian_by_direction(real, target, arah, expected):
    assert capaian(real, target, arah) == expected


@pytest.mark.parametrize("cara, expected", [
    ("akhir", D(3)), ("tetap", D(3)), ("kumulatif", D(6)), ("rata-rata", D(2)),
])
def test_kondisi_akhir_rules(cara, expected):
    assert kondisi_akhir({2025: D(1), 2026: D(2), 2027: D(3)}, YEARS, cara) == expected


def test_kondisi_akhir_of_text_targets_is_the_last_year_and_missing_years_are_left_out():
    assert kondisi_akhir({2025: D(1), 2027: "5 & 2"}, YEARS, "kumulatif") == "5 & 2"
    assert kondisi_akhir({2025: D(1), 2027: D(3)}, YEARS, "rata-rata") == D(2)
    assert kondisi_akhir({}, YEARS, "kumulatif") is None


def _capaian_table(root, arah: str | None):
    line = f"    arah: {arah}\n" if arah else ""
    (root / "tabel" / "capaian.yaml").write_text(
        "jenis: capaian-kinerja\njudul: Capaian\ntahun: {awal: 2020, akhir: 2022}\nindikator:\n"
        "  - nama: Angka perkawinan anak (%)\n" + line
        + "    target: {2020: 35, 2021: 50, 2022: 19}\n    realisasi: {2020: 34, 2021: 49, 2022: 18,2}\n")
    content = load_content(root)
    derived = derive(content.tables, content.identity.periode.years, content.indicators)
    grid = layout_table(content.tables["capaian"], derived)
    return [c.text for c in grid.body[0][-3:]], grid.body[0][-1].formula


def test_falling_indicator_that_beats_its_target_shows_capaian_above_100(minimal):
    rising, formula = _capaian_table(minimal, None)
    assert rising == ["97,14", "98,00", "95,79"] and formula is not None  # live ratio in the workbook
    falling, formula = _capaian_table(minimal, "turun")
    assert falling == ["102,86", "102,00", "104,21"] and formula is None


def test_indicator_kinerja_kondisi_akhir_follows_the_rule_and_check_compares_with_it(minimal):
    p = minimal / "indikator.yaml"
    p.write_text(p.read_text().replace("    satuan: Orang\n", "    satuan: Orang\n    kondisi_akhir: kumulatif\n"))
    t = minimal / "tabel" / "indikator.yaml"
    t.write_text(t.read_text().replace("  - kunci: kunjungan", "  - kunci: kunjungan\n    tertulis: {kondisi_akhir: 15000}"))
    content = load_content(minimal)
    derived = derive(content.tables, content.identity.periode.years, content.indicators)
    grid = layout_table(content.tables["indikator"], derived)
    assert grid.body[1][-1].text == "68.000"  # 12.500 + 13.000 + 13.500 + 14.000 + 15.000
    (f,) = [f for f in inspect(minimal, collect=True) if "kondisi akhir: tertulis 15.000" in f.message]
    assert f.message.endswith("kumulatif target 68.000")


def test_tetap_with_changing_targets_is_a_warning(minimal):
    p = minimal / "indikator.yaml"
    p.write_text(p.read_text().replace("    satuan: Orang\n", "    satuan: Orang\n    kondisi_akhir: tetap\n"))
    assert any("kondisi akhir 'tetap' tetapi target berbeda" in f.message for f in inspect(minimal, collect=True))
