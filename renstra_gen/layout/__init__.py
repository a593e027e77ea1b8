"""Lays out each table kind as a Grid: the official headers, merges and formatted cells."""

from __future__ import annotations

from renstra_gen.compute.derived import Derived
from renstra_gen.compute.program import ProgramMatrix
from renstra_gen.content import model as m
from renstra_gen.errors import ContentError, error
from renstra_gen.grid import Grid
from renstra_gen.layout import generic, indikator, kinerja, program, rekap


def layout_table(table: m.TableBase, derived: Derived) -> Grid:
    grid = _layout(table, derived)
    if table.kertas is not None:
        grid.paper = table.kertas
    return grid


def _layout(table: m.TableBase, derived: Derived) -> Grid:
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
