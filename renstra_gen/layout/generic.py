"""Generic tables: header rows, merges, widths and alignment exactly as the content declares."""

from __future__ import annotations

from renstra_gen.content import model as m
from renstra_gen.grid import ALIGN_FROM_CONTENT, START, Cell, Grid, column_numbers, placements


def layout(table: m.GenericTable) -> Grid:
    aligns = [ALIGN_FROM_CONTENT[c.rata] for c in table.kolom]

    def rows(raw: list[list[m.CellIn]], header: bool) -> list[list[Cell]]:
        out, explicit = [], set()
        for r in raw:
            cells = []
            for spec in r:
                if isinstance(spec, str):
                    c = Cell(spec, bold=header)
                else:
                    c = Cell(spec.teks, spec.lebar, spec.tinggi, bold=spec.tebal or header)
                    if spec.rata:
                        c.align = ALIGN_FROM_CONTENT[spec.rata]
                        explicit.add(id(c))
                cells.append(c)
            out.append(cells)
        # a cell's default alignment is its grid column's, counting cells merged from rows above
        try:
            for slots in placements(out, len(aligns)):
                for col, c, kind in slots:
                    if kind == START and id(c) not in explicit:
                        c.align = "center" if header else aligns[col]
        except ValueError:
            pass  # reported by check with the row's line
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
