"""T-C.23 (Tabel 2.7 capaian kinerja) and T-C.24 (Tabel 2.8 anggaran dan realisasi) layouts."""

from __future__ import annotations

from renstra_gen.content import model as m
from renstra_gen.compute.kinerja import Anggaran, AnggaranRow, CapaianRow
from renstra_gen.grid import Cell, Formula, Grid, column_numbers
from renstra_gen.numbers import angka, nilai


def _h(text: str, colspan: int = 1, rowspan: int = 1) -> Cell:
    return Cell(text, colspan, rowspan, bold=True, align="center")


def _n(v, decimals: int | None = None, formula: Formula | None = None) -> Cell:
    text = nilai(v) if decimals is None else angka(v, decimals)
    return Cell(text, align="center" if isinstance(v, str) or v is None else "right",
                value=v if not isinstance(v, str) else None, formula=formula,
                decimals=decimals if decimals is not None else 2)


def layout_capaian(table: m.CapaianTable, rows: list[CapaianRow]) -> Grid:
    years = table.tahun.years
    n = len(years)
    header = [
        [_h("No", rowspan=2), _h(table.kolom_indikator, rowspan=2), _h("Target IKK", rowspan=2),
         _h("Target Renstra Perangkat Daerah pada Tahun ke-", n),
         _h("Realisasi Capaian pada Tahun ke-", n), _h("Rasio Capaian pada Tahun ke-", n)],
        [_h(f"Tahun {y}") for y in years] * 3,
        column_numbers(3 + 3 * n),
    ]
    body = []
    for i, r in enumerate(rows):
        ind = r.indikator
        # the live spreadsheet formula is realisasi / target; other directions keep the computed value
        ratio = [Formula("ratio", ((i, 3 + n + k), (i, 3 + k)))
                 if not isinstance(r.rasio.get(y), str) and ind.arah == "naik" else None
                 for k, y in enumerate(years)]
        body.append(
            [Cell(f"{i + 1}", align="center"), Cell(ind.nama), _n(ind.target_ikk)]
            + [_n(ind.target.get(y)) for y in years]
            + [_n(ind.realisasi.get(y)) for y in years]
            + [_n(r.rasio.get(y), 2, f) for y, f in zip(years, ratio)]
        )
    return Grid(table.key, table.judul, [0.6, 3.4, 0.9] + [1.25] * (3 * n), header, body,
                table.sumber, landscape=True, font_size=8)


def layout_anggaran(table: m.AnggaranTable, a: Anggaran) -> Grid:
    years = table.tahun.years
    n = len(years)
    header = [
        [_h("No", rowspan=2), _h("Uraian", rowspan=2), _h("Anggaran pada Tahun", n),
         _h("Realisasi Anggaran pada Tahun", n), _h("Rasio antara Realisasi dan Anggaran Tahun", n),
         _h("Rata-rata Pertumbuhan", 2)],
        [_h(str(y)) for y in years] * 3 + [_h("Anggaran"), _h("Realisasi")],
        column_numbers(2 + 3 * n + 2),
    ]

    def row(label: Cell, r: AnggaranRow, at: int, sums: list[int] | None = None, bold: bool = False) -> list[Cell]:
        def money(v, col):
            return _n(v, 0, Formula("sum", tuple((s, col) for s in sums)) if sums is not None else None)

        cells = ([label] + [money(r.anggaran[y], 2 + k) for k, y in enumerate(years)]
                 + [money(r.realisasi[y], 2 + n + k) for k, y in enumerate(years)]
                 + [_n(r.rasio[y], 2, Formula("ratio", ((at, 2 + n + k), (at, 2 + k)))) for k, y in enumerate(years)]
                 + [_n(r.pertumbuhan_anggaran, 2), _n(r.pertumbuhan_realisasi, 2)])
        for c in cells:
            c.bold = bold
        return cells

    body = [[Cell(f"{i + 1}.", align="center")] + row(Cell(r.uraian), r, i) for i, r in enumerate(a.rows)]
    total = row(Cell("TOTAL", colspan=2, bold=True, align="center"), a.total, len(a.rows),
                list(range(len(a.rows))), bold=True)
    body.append(total)
    widths = [0.6, 2.6] + [1.9] * (2 * n) + [1] * n + [1.2, 1.2]
    return Grid(table.key, table.judul, widths, header, body, table.sumber, landscape=True, font_size=7)
