"""Tabel 2.1-2.5 style counts: numbered groups, subtotal rows, a grand total, shares in percent."""

from __future__ import annotations

from decimal import Decimal

from renstra_gen.content import model as m
from renstra_gen.compute.rekap import Angka, Rekap
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


def layout_angka(table: m.AngkaTable, a: Angka) -> Grid:
    """No | Uraian | one column per `kolom` | Jumlah | %, and a Jumlah row, as the table declares."""
    n = len(table.kolom)
    sum_col = 2 + n if table.jumlah_kolom else None
    pct = table.persen and sum_col is not None
    header = [[Cell("No", bold=True, align="center"), Cell(table.kolom_uraian, bold=True, align="center")]
              + [Cell(k, bold=True, align="center") for k in table.kolom]
              + ([Cell(table.jumlah_kolom, bold=True, align="center")] if sum_col else [])
              + ([Cell("%", bold=True, align="center")] if pct else [])]
    total_row = len(table.baris) if table.jumlah_baris else None

    def num(v, bold=False, formula=None) -> Cell:
        return Cell(angka(v), align="right", value=v, bold=bold, formula=formula)

    body: list[list[Cell]] = []
    for i, r in enumerate(table.baris):
        row = [Cell(f"{i + 1}.", align="center"), Cell(r.uraian)]
        row += [num((r.nilai + [None] * n)[c]) for c in range(n)]
        if sum_col:
            row.append(num(a.rows[i], formula=Formula("sum", tuple((i, 2 + c) for c in range(n)))))
        if pct:
            ref = (total_row, sum_col) if total_row is not None else None
            row.append(Cell(angka(a.share(i), 2), align="right", value=a.share(i), decimals=2,
                            formula=Formula("ratio", ((i, sum_col), ref)) if ref else None))
        body.append(row)
    if table.jumlah_baris:
        rows = range(len(table.baris))
        total = [Cell(table.jumlah_baris, colspan=2, bold=True, align="center")]
        total += [num(a.columns[c], True, Formula("sum", tuple((r, 2 + c) for r in rows))) for c in range(n)]
        if sum_col:
            total.append(num(a.total, True, Formula("sum", tuple((r, sum_col) for r in rows))))
        if pct:
            total.append(Cell(angka(Decimal(100) if a.total else None, 2), align="right", bold=True,
                              value=Decimal(100) if a.total else None, decimals=2))
        body.append(total)
    widths = [0.6, 3.2] + [1.1] * n + ([1.2] if sum_col else []) + ([0.9] if pct else [])
    return Grid(table.key, table.judul, widths, header, body, table.sumber,
                landscape=table.orientasi == "lanskap", font_size=9 if n > 6 else 10)
