"""T-C.23 and T-C.24: capaian ratios, anggaran/realisasi ratios and average growth."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from renstra_gen.content import model as m
from renstra_gen.compute.period import sum_or_none

HUNDRED = Decimal(100)


def ratio(numerator, denominator) -> Decimal | None:
    """numerator / denominator x 100; None when either is missing or the denominator is zero."""
    if not isinstance(numerator, Decimal) or not isinstance(denominator, Decimal) or denominator == 0:
        return None
    return numerator * HUNDRED / denominator


def capaian(realisasi, target, arah: str = "naik") -> Decimal | None:
    """Tingkat capaian in percent, by the indicator's direction (None when a value is missing or
    the target is zero):

        naik:  R / T x 100
        turun: (2T - R) / T x 100  (the mirror of `naik`: beating the target by d% gives 100 + d)
        tetap: (T - |R - T|) / T x 100  (any deviation from the level to hold counts against it)
    """
    if not isinstance(realisasi, Decimal) or not isinstance(target, Decimal) or target == 0:
        return None
    if arah == "turun":
        return (2 * target - realisasi) * HUNDRED / target
    if arah == "tetap":
        return (target - abs(realisasi - target)) * HUNDRED / target
    return realisasi * HUNDRED / target


def average_growth(values: dict[int, Decimal | None], years: list[int]) -> Decimal | None:
    """Rata-rata pertumbuhan: the mean of the year-on-year growth rates, in percent.

        g_t = (x_t - x_{t-1}) / x_{t-1} x 100, over consecutive years where both values exist
        and x_{t-1} > 0; the average is the arithmetic mean of those g_t.
    None when no such pair exists."""
    rates = []
    for prev, cur in zip(years, years[1:]):
        a, b = values.get(prev), values.get(cur)
        if a is not None and b is not None and a > 0:
            rates.append((b - a) * HUNDRED / a)
    return sum(rates) / len(rates) if rates else None


@dataclass
class CapaianRow:
    indikator: m.CapaianIndicator
    rasio: dict[int, Decimal | str | None]


def compute_capaian(table: m.CapaianTable) -> list[CapaianRow]:
    rows = []
    for ind in table.indikator:
        rasio: dict[int, Decimal | str | None] = {}
        for y in table.tahun.years:
            real = ind.realisasi.get(y)
            rasio[y] = real if isinstance(real, str) else capaian(real, ind.target.get(y), ind.arah)
        rows.append(CapaianRow(ind, rasio))
    return rows


@dataclass
class AnggaranRow:
    uraian: str
    anggaran: dict[int, Decimal | None]
    realisasi: dict[int, Decimal | None]
    rasio: dict[int, Decimal | None]
    pertumbuhan_anggaran: Decimal | None
    pertumbuhan_realisasi: Decimal | None
    source: object = None


@dataclass
class Anggaran:
    rows: list[AnggaranRow]
    total: AnggaranRow


def _row(uraian, anggaran, realisasi, years, source=None) -> AnggaranRow:
    return AnggaranRow(
        uraian,
        anggaran,
        realisasi,
        {y: ratio(realisasi.get(y), anggaran.get(y)) for y in years},
        average_growth(anggaran, years),
        average_growth(realisasi, years),
        source,
    )


def compute_anggaran(table: m.AnggaranTable) -> Anggaran:
    years = table.tahun.years
    rows = [_row(p.uraian, {y: p.anggaran.get(y) for y in years}, {y: p.realisasi.get(y) for y in years},
                 years, p.source) for p in table.program]
    total = _row(
        "TOTAL",
        {y: sum_or_none(r.anggaran[y] for r in rows) for y in years},
        {y: sum_or_none(r.realisasi[y] for r in rows) for y in years},
        years,
    )
    return Anggaran(rows, total)
