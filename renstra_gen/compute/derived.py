"""Everything computed from the content, by table key (program sums, rekap subtotals, capaian and
anggaran ratios), made once per build and shared by layout, the narrative and the checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from renstra_gen.compute.kinerja import compute_anggaran, compute_capaian
from renstra_gen.compute.program import compute_program
from renstra_gen.compute.rekap import compute_angka, compute_rekap
from renstra_gen.content import model as m


@dataclass
class Derived:
    """Everything computed from the content, by table key; shared by layout, narrative and check."""

    years: list[int]
    indicators: m.IndicatorSet
    values: dict[str, Any]
    #: indicator key -> (Lampiran number, row number) of the rumus-indikator lampiran that prints its formula
    rumus_lampiran: dict[str, tuple[str, int]] = field(default_factory=dict)

    def get(self, key: str) -> Any:
        return self.values[key]


def derive(tables: dict[str, m.TableBase], years: list[int], indicators: m.IndicatorSet,
           lampiran: list[m.TableBase] = ()) -> Derived:
    values: dict[str, Any] = {}
    for key, t in tables.items():
        if isinstance(t, m.ProgramTable):
            values[key] = compute_program(t, years)
        elif isinstance(t, m.RekapTable):
            values[key] = compute_rekap(t)
        elif isinstance(t, m.AngkaTable):
            values[key] = compute_angka(t)
        elif isinstance(t, m.CapaianTable):
            values[key] = compute_capaian(t)
        elif isinstance(t, m.AnggaranTable):
            values[key] = compute_anggaran(t)
        else:
            values[key] = t
    rumus: dict[str, tuple[str, int]] = {}
    for n, t in enumerate(lampiran, 1):  # numbered as compose numbers the lampiran
        if isinstance(t, m.RumusTable):
            found = [r.kunci for r in t.indikator if indicators.get(r.kunci) is not None]
            for row, key in enumerate(found, 1):
                rumus.setdefault(key, (str(n), row))
    return Derived(years, indicators, values, rumus)
