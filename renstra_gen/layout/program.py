"""T-C.27, the program/kegiatan/sub kegiatan funding matrix (Tabel 6.2), laid out with computed parents."""

from __future__ import annotations

from decimal import Decimal

from renstra_gen.content import model as m
from renstra_gen.compute.cascade import OUTSIDE, SUPPORTING, Cascade, code_keys, supporting
from renstra_gen.compute.program import ProgramMatrix, TreeNode
from renstra_gen.grid import Cell, Formula, Grid, Origin, column_numbers
from renstra_gen.layout.cascade import Span, cascade_cells
from renstra_gen.numbers import DASH, angka, nilai

STYLE = {"program": (True, 0), "kegiatan": (True, 1), "sub_kegiatan": (False, 2)}
DEPTH = {"program": 0, "kegiatan": 1, "sub_kegiatan": 2}  # a tree row's depth (Grid.levels)
#: the Tujuan/Sasaran cell of the supporting programs in the cascade form (they serve no one sasaran)
SUPPORTING_HEADING = "Penunjang urusan pemerintahan daerah (mendukung seluruh tujuan dan sasaran)"


def _h(text: str, colspan: int = 1, rowspan: int = 1) -> Cell:
    return Cell(text, colspan, rowspan, bold=True, align="center")


def cascade_form(table: m.ProgramTable) -> bool:
    """Tujuan and Sasaran come from the cascade (programs name their sasaran), not from one string."""
    return table.tujuan is None and table.sasaran is None and any(p.sasaran_keys for p in table.program)


def ordered_programs(table: m.ProgramTable, matrix: ProgramMatrix, indicators: m.IndicatorSet | None):
    """The programs in print order with their cascade place, one rule for every table of the Renstra
    and the Renja: the supporting programs first (the nomenclature numbers the Penunjang 01), then,
    in the cascade form, the sasaran in the order of indikator.yaml (programs naming no known sasaran
    last); within each group code order as the nomenclature numbers it. Place None: supporting,
    outside the cascade, or the one-string form."""
    cascade = Cascade(indicators) if indicators is not None and cascade_form(table) else None
    keys = dict(zip(map(id, matrix.programs), code_keys([p.kode for p in matrix.programs])))

    def place(p: TreeNode):
        return None if cascade is None or supporting(p.row) else cascade.of_program(p.row)

    def group(p: TreeNode, where) -> tuple[int, int]:
        if supporting(p.row):
            return SUPPORTING
        return where.order if where is not None else (OUTSIDE if cascade is not None else (0, 0))

    placed = [(p, place(p)) for p in matrix.programs]
    return sorted(placed, key=lambda pp: (group(*pp), keys[id(pp[0])]))


def has_baseline(matrix: ProgramMatrix) -> bool:
    """The "Data Capaian pada Tahun Awal Perencanaan" column is printed when any row has a kondisi_awal."""
    return any(n.row.kondisi_awal is not None for n in matrix.walk())


def urusan_rows(table: m.ProgramTable) -> list[tuple[str, str]]:
    """The Urusan and Bidang Urusan rows printed above the programs, as declared: (code, name), the
    name from the official nomenclature when the content leaves it out (check reports an unknown code)."""
    out = []
    for u in (table.urusan, table.bidang_urusan):
        if u is None:
            continue
        nama = u.nama
        if nama is None:
            from renstra_gen.content import nomenklatur

            entry = nomenklatur.load().get(u.kode)
            nama = entry.nama if entry else ""
        out.append((u.kode, nama))
    return out


def sasaran_indicators(table: m.ProgramTable, indicators: m.IndicatorSet | None) -> dict[str, list[m.Indikator]]:
    """In the cascade form, the indicators of indikator.yaml measuring each sasaran a program serves
    (the "Indikator Sasaran" column is printed when there is any); empty otherwise."""
    if indicators is None or not cascade_form(table):
        return {}
    served = {p.sasaran_keys[0] for p in table.program if p.sasaran_keys}
    out: dict[str, list[m.Indikator]] = {}
    for ind in indicators.indikator:
        if ind.sasaran in served:
            out.setdefault(ind.sasaran, []).append(ind)
    return out


def _indicator_list(inds: list[m.Indikator]) -> str:
    """The Indikator Sasaran cell: each indicator with its unit (when the name does not hold it),
    numbered when there are several."""
    names = [f"{i.nama} ({i.satuan})" if i.satuan and i.satuan.lower() not in i.nama.lower() else i.nama
             for i in inds]
    return names[0] if len(names) == 1 else "\n".join(f"{n}. {t}" for n, t in enumerate(names, 1))


def layout(table: m.ProgramTable, matrix: ProgramMatrix, indicators: m.IndicatorSet | None = None) -> Grid:
    years = matrix.years
    rp = "(Rp ribu)" if table.rupiah == "ribu" else "Rp"
    baseline = has_baseline(matrix)
    base_year = table.tahun_kondisi_awal or years[0] - 1
    per_sasaran = sasaran_indicators(table, indicators)
    ind_col = bool(per_sasaran)
    transisi = matrix.transisi
    lead_cols = 5 + (1 if ind_col else 0) + (1 if baseline else 0)
    ncols = lead_cols + 2 * len(years) + 4 + (2 if transisi else 0)
    header = [
        [_h("Tujuan", rowspan=2), _h("Sasaran", rowspan=2)]
        + ([_h("Indikator Sasaran", rowspan=2)] if ind_col else [])
        + [_h("Kode", rowspan=2), _h("Program/Kegiatan/Sub Kegiatan", rowspan=2),
           _h("Indikator Kinerja Tujuan, Sasaran, Program (Outcome) dan Kegiatan (Output)", rowspan=2)]
        + ([_h(f"Data Capaian pada Tahun Awal Perencanaan ({base_year})", rowspan=2)] if baseline else [])
        + [_h(str(y), 2) for y in years]
        + [_h("Kondisi Kinerja pada Akhir Periode Renstra Perangkat Daerah", 2)]
        + ([_h(f"Tahun Transisi ({transisi})", 2)] if transisi else [])
        + [_h("Unit Perangkat Daerah Penanggung Jawab", rowspan=2), _h("Lokasi", rowspan=2)],
        [c for _ in years for c in (_h("K"), _h(rp))] + [_h("K"), _h(rp)] + ([_h("K"), _h(rp)] if transisi else []),
        column_numbers(ncols),
    ]
    body: list[list[Cell]] = []
    named = 2 + (1 if ind_col else 0)  # Tujuan, Sasaran (, Indikator Sasaran): blank on Urusan rows
    for kode, nama in urusan_rows(table):
        # an Urusan / Bidang Urusan row: its code and name, no figures
        body.append([Cell("") for _ in range(named)] + [Cell(kode, bold=True), Cell(nama, bold=True)]
                    + [Cell("") for _ in range(ncols - named - 2)])
    top = len(body)
    programs = ordered_programs(table, matrix, indicators)
    nodes = [n for p, _ in programs for n in p.walk()]
    if cascade_form(table):
        extra = (lambda span: _indicator_list(per_sasaran.get(span.sasaran_kunci, []))) if ind_col else None
        own = [p for p, _ in programs if supporting(p.row)]  # first, by the order rule
        height = sum(len(list(p.walk())) for p in own)
        lead = ([[Cell(SUPPORTING_HEADING, colspan=named, rowspan=height, italic=True)]] + [[] for _ in range(height - 1)]
                if height else [])
        lead += cascade_cells([Span.of(place, len(list(p.walk()))) for p, place in programs[len(own):]], extra)
    else:
        file = table.source.file
        lead = [[Cell(table.tujuan or "", rowspan=len(nodes), origin=Origin(file, ("tujuan",), "teks?")),
                 Cell(table.sasaran or "", rowspan=len(nodes), origin=Origin(file, ("sasaran",), "teks?"))]] \
            + [[] for _ in nodes[1:]]
    index = {id(n): top + i for i, n in enumerate(nodes)}
    first = lead_cols
    paths = row_paths(table)
    for i, (node, row) in enumerate(zip(nodes, lead)):
        origin = RowOrigin(table.source.file, paths[id(node.row)], node)
        body.append(row + _cells(node, years, top + i, [index[id(c)] for c in node.children], origin, baseline, first,
                                 transisi))
    body.append(_total_row(matrix, [index[id(p)] for p, _ in programs], len(body), first))
    if table.rupiah == "ribu":  # the printed figures in thousands; the workbook keeps the exact ones
        for row in body[top:]:
            for cell in row:
                if cell.align == "right" and cell.value is not None and cell.text != DASH:
                    cell.text = angka(Decimal(cell.value) / 1000)
                    cell.decimals = -3
    # shares of spare room only: the widths and the font size are measured from the cells (render/fit.py)
    widths = [1.1, 1.1] + ([1.6] if ind_col else []) + [2.1, 2.5, 2.5] + ([1.2] if baseline else []) \
        + [0.7, 2.2] * len(years) + [0.7, 2.4] + ([0.7, 2.2] if transisi else []) + [1.25, 1.2]
    levels = [None] * top + [DEPTH[n.level] for n in nodes] + [None] * (len(body) - top - len(nodes))
    grid = Grid(table.key, table.judul, widths, header, body, table.sumber, landscape=True, font_size=7,
                levels=levels, tree_columns=(named, named + 1))
    if table.pisah_tahun:
        grid.parts = year_split(table, matrix, indicators)
    return grid


def year_split(table: m.ProgramTable, matrix: ProgramMatrix, indicators: m.IndicatorSet | None = None) -> list[list[int]]:
    """The grid columns of the two tables a matrix prints as when its years are split (`pisah_tahun`):
    the first half of the years (rounded up) after every leading column, then the identifying columns
    (Tujuan, Sasaran, Indikator Sasaran, Kode, Program/Kegiatan/Sub Kegiatan, Indikator) again with
    the other years, the kondisi akhir, the transition year, Unit and Lokasi. Empty: one year only."""
    years = matrix.years
    if len(years) < 2:
        return []
    ident = 5 + (1 if sasaran_indicators(table, indicators) else 0)
    lead = ident + (1 if has_baseline(matrix) else 0)
    ncols = lead + 2 * len(years) + 4 + (2 if matrix.transisi else 0)
    cut = lead + 2 * ((len(years) + 1) // 2)
    return [list(range(cut)), list(range(ident)) + list(range(cut, ncols))]


def _total_row(matrix: ProgramMatrix, programs: list[int], row: int, first: int) -> list[Cell]:
    """JUMLAH: the pagu of every program per year and for the period (K has no total); the transition
    year's total stands apart, outside the period's sum."""
    years = matrix.years
    rp_cols = [first + 2 * i + 1 for i in range(len(years))]
    cells = [Cell("JUMLAH", colspan=first, bold=True, align="center")]
    for y, col in zip(years, rp_cols):
        cells += [Cell(""), Cell(angka(matrix.total.get(y)), align="right", bold=True, value=matrix.total.get(y),
                                 formula=Formula("sum", tuple((p, col) for p in programs)))]
    cells += [Cell(""), Cell(angka(matrix.total_akhir), align="right", bold=True, value=matrix.total_akhir,
                             formula=Formula("sum", tuple((row, col) for col in rp_cols)))]
    if matrix.transisi:
        col = first + 2 * len(years) + 3
        cells += [Cell(""), Cell(angka(matrix.total_transisi), align="right", bold=True, value=matrix.total_transisi,
                                 formula=Formula("sum", tuple((p, col) for p in programs)))]
    cells += [Cell(""), Cell("")]
    return cells


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


def _cells(node: TreeNode, years: list[int], row: int, children: list[int], origin: RowOrigin,
           baseline: bool = False, first: int = FIRST_YEAR_COL, transisi: int | None = None) -> list[Cell]:
    """One tree row's cells. Made inline (a province's matrix has 400,000 cells): each is what
    `target`/`money` below make, with the origins `origin` gives (RowOrigin.__call__)."""
    bold, indent = STYLE[node.level]

    def money(v, formula: Formula | None = None, year: int | None = None) -> Cell:
        where = origin("pagu", "pagu", year) if year is not None and formula is None else None
        return Cell(angka(v), align="right", bold=bold, value=v, formula=formula, origin=where)

    def target(v, field: str | None = None, year: int | None = None) -> Cell:
        return Cell(nilai(v), align="center", bold=bold, value=v if not isinstance(v, str) else None,
                    origin=origin(field, "target", year) if field is not None else None)

    file, path, name = origin.file, origin.path, origin.row
    r = node.row
    cells = [
        Cell(node.kode or "", bold=bold),
        Cell(r.nama, bold=bold, indent=indent, origin=Origin(file, path + ("nama",), "teks", name)),
        Cell(r.indikator or "", bold=bold, origin=Origin(file, path + ("indikator",), "teks?", name)),
    ]
    if baseline:
        cells.append(target(r.kondisi_awal, "kondisi_awal"))
    rp_cols = [first + 2 * i + 1 for i in range(len(years))]
    # origin("target", "target", y) and, on a leaf (a parent's pagu is its children's sum), origin("pagu", "pagu", y)
    targets, pagus = r.target, node.pagu
    for y, col in zip(years, rp_cols):
        v = targets.get(y)
        cells.append(Cell(nilai(v), 1, 1, bold, False, "center", 0, v if not isinstance(v, str) else None,
                          origin=Origin(file, path + ("target", y), "target", name)))
        v = pagus.get(y)
        if children:
            cells.append(Cell(angka(v), 1, 1, bold, False, "right", 0, v,
                              formula=Formula("sum", tuple([(c, col) for c in children]))))
        else:
            cells.append(Cell(angka(v), 1, 1, bold, False, "right", 0, v, origin=Origin(file, path + ("pagu", y), "pagu", name)))
    v = node.target_akhir  # target(node.target_akhir), money(node.kondisi_akhir, the row's sum): no origins
    cells.append(Cell(nilai(v), 1, 1, bold, False, "center", 0, v if not isinstance(v, str) else None))
    v = node.kondisi_akhir
    cells.append(Cell(angka(v), 1, 1, bold, False, "right", 0, v, formula=Formula("sum", tuple([(row, col) for col in rp_cols]))))
    if transisi:
        # the transition year: its own K and Rp, outside the period's kondisi akhir
        col = first + 2 * len(years) + 3
        parent_sum = Formula("sum", tuple((c, col) for c in children)) if children else None
        cells += [target(node.target.get(transisi), "target", transisi), money(node.pagu.get(transisi), parent_sum, transisi)]
    # the unit: edited where it is written (a row without its own inherits it from the row above)
    unit = Origin(file, path + ("unit",), "teks?", name) if "unit" in r.model_fields_set else None
    cells += [Cell(node.unit or "", align="center", bold=bold, origin=unit),
              Cell(r.lokasi or "", align="center", origin=Origin(file, path + ("lokasi",), "teks?", name))]
    return cells


def layout_list(table: m.ProgramKegiatanTable, source: m.ProgramTable, matrix: ProgramMatrix,
                indicators: m.IndicatorSet | None = None) -> Grid:
    """Tabel 6.1 from the 6.2 tree: No | Program | No | Kegiatan | No | Sub Kegiatan, program and
    kegiatan merged down over the rows of their sub kegiatan, in the order Tabel 6.2 prints them."""
    header = [[_h("No."), _h("Program"), _h("Kegiatan", 2), _h("Sub Kegiatan", 2)],
              [_h("(1)"), _h("(2)"), _h("(3)", 2), _h("(4)", 2)]]
    body: list[list[Cell]] = []

    def number(node: TreeNode, path: list[int]) -> str:
        if table.nomor == "kode":
            return node.kode or ""
        return ".".join(map(str, path)) + ("." if len(path) == 1 else "")

    for pi, (program, _) in enumerate(ordered_programs(source, matrix, indicators), 1):
        kegiatan = program.children
        height = sum(max(1, len(k.children)) for k in kegiatan) or 1
        row = [Cell(number(program, [pi]), rowspan=height, align="center"), Cell(program.row.nama, rowspan=height)]
        if not kegiatan:
            body.append(row + [Cell(""), Cell(""), Cell(""), Cell("")])
            continue
        for ki, k in enumerate(kegiatan, 1):
            subs = k.children
            row += [Cell(number(k, [pi, ki]), rowspan=max(1, len(subs)), align="center"),
                    Cell(k.row.nama, rowspan=max(1, len(subs)))]
            if not subs:
                body.append(row + [Cell(""), Cell("")])
                row = []
            for si, sub in enumerate(subs, 1):
                body.append(row + [Cell(number(sub, [pi, ki, si]), align="center"), Cell(sub.row.nama)])
                row = []
    widths = [1.1, 4.6, 1.1, 4.2, 1.3, 5.7] if table.nomor == "urut" else [1.6, 4.4, 2.1, 3.9, 2.6, 4.9]
    return Grid(table.key, table.judul, widths, header, body, table.sumber,
                landscape=table.orientasi == "lanskap", font_size=9)
