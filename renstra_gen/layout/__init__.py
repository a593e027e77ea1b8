"""Lays out each table kind as a Grid: the official headers, merges and formatted cells."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from renstra_gen import model as m
from renstra_gen.compute.kinerja import compute_anggaran, compute_capaian
from renstra_gen.compute.program import ProgramMatrix, compute_program
from renstra_gen.errors import ContentError, error
from renstra_gen.compute.rekap import compute_angka, compute_rekap
from renstra_gen.grid import Grid


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


def layout_table(table: m.TableBase, derived: Derived) -> Grid:
    from renstra_gen.layout import generic, indikator, kinerja, program, rekap

    key = table.key
    if isinstance(table, m.GenericTable):
        return generic.layout(table)
    if isinstance(table, m.RekapTable):
        return rekap.layout(table, derived.get(key))
    if isinstance(table, m.AngkaTable):
        return rekap.layout_angka(table, derived.get(key))
    if isinstance(table, m.CapaianTable):
        return kinerja.layout_capaian(table, derived.get(key))
    if isinstance(table, m.AnggaranTable):
        return kinerja.layout_anggaran(table, derived.get(key))
    if isinstance(table, m.ProgramTable):
        return program.layout(table, derived.get(key), derived.indicators)
    if isinstance(table, m.TujuanSasaranTable):
        return indikator.layout_tujuan_sasaran(table, derived)
    if isinstance(table, m.StrategiTable):
        return indikator.layout_strategi(table, derived)
    if isinstance(table, m.IndikatorKinerjaTable):
        return indikator.layout_indikator_kinerja(table, derived)
    if isinstance(table, m.RumusTable):
        return indikator.layout_rumus(table, derived)
    if isinstance(table, m.IkuTable):
        return indikator.layout_iku(table, derived)
    if isinstance(table, m.ProgramKegiatanTable):
        source = derived.values.get(table.dari)
        if not isinstance(source, ProgramMatrix):  # check reports it too, with the list of tables
            raise ContentError([error(table.source_of("dari"), f"'dari: {table.dari}' bukan tabel program-pendanaan")])
        return program.layout_list(table, source.table, source, derived.indicators)
    raise TypeError(f"no layout for {type(table).__name__}")
