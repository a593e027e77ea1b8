"""Generic tables: header rows, merges, widths and alignment exactly as the content declares."""

from __future__ import annotations

from renstra_gen import model as m
from renstra_gen.grid import ALIGN_FROM_CONTENT, Cell, Grid, column_numbers


def layout(table: m.GenericTable) -> Grid:
    aligns = [ALIGN_FROM_CONTENT[c.rata] for c in table.kolom]

    def cell(spec: m.CellIn, col: int, header: bool) -> Cell:
        if isinstance(spec, str):
            return Cell(spec, align="center" if header else aligns[min(col, len(aligns) - 1)], bold=header)
        align = ALIGN_FROM_CONTENT[spec.rata] if spec.rata else ("center" if header else aligns[min(col, len(aligns) - 1)])
        return Cell(spec.teks, spec.lebar, spec.tinggi, bold=spec.tebal or header, align=align)

    def rows(raw: list[list[m.CellIn]], header: bool) -> list[list[Cell]]:
        # the column index is only a hint for alignment; merges from above are resolved later
        out = []
        for r in raw:
            col, cells = 0, []
            for spec in r:
                c = cell(spec, col, header)
                cells.append(c)
                col += c.colspan
            out.append(cells)
        return out

    header = rows(table.kepala, True)
    if table.nomor_kolom:
        header.append(column_numbers(len(table.kolom)))
    return Grid(
        key=table.key,
        caption=table.judul,
        columns=[c.lebar for c in table.kolom],
        header=header,
        body=rows(table.baris, False),
        source=table.sumber,
        landscape=table.orientasi == "lanskap",
    )
