"""Tabel 2.1-2.5 style counts: numbered groups, subtotal rows, a grand total, shares in percent."""

from __future__ import annotations

from renstra_gen import model as m
from renstra_gen.compute.rekap import Rekap
from renstra_gen.grid import Cell, Formula, Grid
from renstra_gen.numbers import angka


def layout(table: m.RekapTable, rekap: Rekap) -> Grid:
    labelled = bool(rekap.groups) and any(g.uraian for g in rekap.groups)
    ncols = 3 + (1 if labelled else 0) + (1 if table.persen else 0)
    if len(table.kolom) != ncols:
        raise ValueError(f"kolom harus berisi {ncols} judul, tertulis {len(table.kolom)}")
    label_span = 2 if labelled else 1

    def num(v) -> Cell:
        return Cell(angka(v), align="center", value=v)

    def pct(v, decimals=2) -> Cell:
        return Cell(angka(v, decimals), align="center", value=v, decimals=decimals)

    body: list[list[Cell]] = []
    count_col = ncols - (2 if table.persen else 1)
    subtotal_rows: list[int] = []
    for g in rekap.groups:
        n = len(g.items)
        first = len(body)
        for i, it in enumerate(g.items):
            row = []
            if i == 0:
                row.append(Cell(f"{g.nomor}.", rowspan=n + 1, align="center"))
                if labelled:
                    row.append(Cell(g.uraian or "", rowspan=n))
            row += [Cell(it.uraian), num(it.jumlah)]
            if table.persen:
                row.append(pct(it.persen))
            body.append(row)
        refs = tuple((r, count_col) for r in range(first, first + n))
        subtotal_rows.append(len(body))
        sub = [Cell(table.label_jumlah, colspan=label_span, bold=True),
               Cell(angka(g.jumlah), align="center", bold=True, value=g.jumlah, formula=Formula("sum", refs))]
        if table.persen:
            sub.append(Cell(angka(100 if g.jumlah else None), align="center", bold=True))
        body.append(sub)
    item_rows = list(range(len(body), len(body) + len(rekap.items)))
    for n, it in enumerate(rekap.items, 1):
        row = [Cell(f"{n}.", align="center"), Cell(it.uraian), num(it.jumlah)]
        if table.persen:
            row.append(pct(it.persen))
        body.append(row)
    if table.label_total:
        if rekap.groups:
            row = [Cell(""), Cell(table.label_total, colspan=label_span, bold=True)]
        else:
            row = [Cell(table.label_total, colspan=2, bold=True)]
        refs = tuple((r, count_col) for r in (subtotal_rows if rekap.groups else item_rows))
        row.append(Cell(angka(rekap.total), align="center", bold=True, value=rekap.total, formula=Formula("sum", refs)))
        if table.persen:
            row.append(Cell(angka(100 if rekap.total else None), align="center", bold=True))
        body.append(row)

    widths = [1] + ([4] if labelled else []) + [4, 2] + ([1.5] if table.persen else [])
    return Grid(
        key=table.key,
        caption=table.judul,
        columns=widths,
        header=[[Cell(k, bold=True, align="center") for k in table.kolom]],
        body=body,
        source=table.sumber,
        landscape=table.orientasi == "lanskap",
    )
