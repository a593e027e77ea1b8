"""T-C.27, the program/kegiatan/sub kegiatan funding matrix (Tabel 6.2), laid out with computed parents."""

from __future__ import annotations

from renstra_gen import model as m
from renstra_gen.compute.program import ProgramMatrix, TreeNode
from renstra_gen.grid import Cell, Formula, Grid, Origin, column_numbers
from renstra_gen.numbers import angka, nilai

STYLE = {"program": (True, 0), "kegiatan": (True, 1), "sub_kegiatan": (False, 2)}


def _h(text: str, colspan: int = 1, rowspan: int = 1) -> Cell:
    return Cell(text, colspan, rowspan, bold=True, align="center")


def layout(table: m.ProgramTable, matrix: ProgramMatrix) -> Grid:
    years = matrix.years
    header = [
        [_h("Tujuan", rowspan=2), _h("Sasaran", rowspan=2), _h("Kode", rowspan=2),
         _h("Program/Kegiatan/Sub Kegiatan", rowspan=2),
         _h("Indikator Kinerja Tujuan, Sasaran, Program (Outcome) dan Kegiatan (Output)", rowspan=2)]
        + [_h(str(y), 2) for y in years]
        + [_h("Kondisi Kinerja pada Akhir Periode Renstra Perangkat Daerah", 2),
           _h("Unit Perangkat Daerah Penanggung Jawab", rowspan=2), _h("Lokasi", rowspan=2)],
        [c for _ in years for c in (_h("K"), _h("Rp"))] + [_h("K"), _h("Rp")],
        column_numbers(5 + 2 * len(years) + 4),
    ]
    nodes = list(matrix.walk())
    index = {id(n): i for i, n in enumerate(nodes)}
    paths = row_paths(table)
    file = table.source.file
    body: list[list[Cell]] = []
    for i, node in enumerate(nodes):
        row: list[Cell] = []
        if i == 0:
            row.append(Cell(table.tujuan or "", rowspan=len(nodes), origin=Origin(file, ("tujuan",), "teks?")))
            row.append(Cell(table.sasaran or "", rowspan=len(nodes), origin=Origin(file, ("sasaran",), "teks?")))
        body.append(row + _cells(node, years, i, [index[id(c)] for c in node.children],
                                 RowOrigin(file, paths[id(node.row)], node)))
    # shares of spare room only: the widths and the font size are measured from the cells (render/fit.py)
    widths = [1.1, 1.1, 2.1, 2.5, 2.5] + [0.7, 2.2] * len(years) + [0.7, 2.4, 1.25, 1.2]
    return Grid(table.key, table.judul, widths, header, body, table.sumber, landscape=True, font_size=7)


FIRST_YEAR_COL = 5  # grid column of the first year's K; its Rp is the next one


def row_paths(table: m.ProgramTable) -> dict[int, tuple]:
    """The YAML path of every row of the program tree, by id() of its model row."""
    out: dict[int, tuple] = {}
    for pi, p in enumerate(table.program):
        out[id(p)] = ("program", pi)
        for ki, k in enumerate(p.kegiatan):
            out[id(k)] = ("program", pi, "kegiatan", ki)
            for si, s in enumerate(k.sub_kegiatan):
                out[id(s)] = ("program", pi, "kegiatan", ki, "sub_kegiatan", si)
    return out


class RowOrigin:
    """The origins of one tree row's input cells (name, indicator, lokasi, unit, targets, leaf pagu)."""

    def __init__(self, file: str, path: tuple, node: TreeNode):
        self.file, self.path, self.node = file, path, node
        self.row = node.kode or node.row.nama

    def __call__(self, field: str, kind: str, year: int | None = None) -> Origin | None:
        if field == "pagu" and self.node.children:
            return None  # a parent's pagu is the sum of its children
        if field == "unit" and "unit" not in self.node.row.model_fields_set:
            return None  # inherited from the row above: edited there
        path = self.path + ((field, year) if year is not None else (field,))
        return Origin(self.file, path, kind, self.row)


def _cells(node: TreeNode, years: list[int], row: int, children: list[int], origin: RowOrigin) -> list[Cell]:
    bold, indent = STYLE[node.level]

    def money(v, formula: Formula | None = None, year: int | None = None) -> Cell:
        where = origin("pagu", "pagu", year) if year is not None and formula is None else None
        return Cell(angka(v), align="right", bold=bold, value=v, formula=formula, origin=where)

    def target(v, year: int | None = None) -> Cell:
        return Cell(nilai(v), align="center", bold=bold, value=v if not isinstance(v, str) else None,
                    origin=origin("target", "target", year) if year is not None else None)

    cells = [
        Cell(node.kode or "", bold=bold),
        Cell(node.row.nama, bold=bold, indent=indent, origin=origin("nama", "teks")),
        Cell(node.row.indikator or "", bold=bold, origin=origin("indikator", "teks?")),
    ]
    rp_cols = [FIRST_YEAR_COL + 2 * i + 1 for i in range(len(years))]
    for y, col in zip(years, rp_cols):
        parent_sum = Formula("sum", tuple((c, col) for c in children)) if children else None
        cells += [target(node.target.get(y), y), money(node.pagu.get(y), parent_sum, y)]
    row_sum = Formula("sum", tuple((row, col) for col in rp_cols))
    cells += [target(node.target_akhir), money(node.kondisi_akhir, row_sum),
              Cell(node.unit or "", align="center", bold=bold, origin=origin("unit", "teks?")),
              Cell(node.row.lokasi or "", align="center", origin=origin("lokasi", "teks?"))]
    return cells
