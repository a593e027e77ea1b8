"""The Renja's matrices: T-C.33 (program and funding for year N, forecast N+1) and T-C.29 (evaluation)."""

from __future__ import annotations

from renstra_gen.compute.period import sum_or_none
from renstra_gen.compute.renja import RenjaYear
from renstra_gen.grid import Cell, Formula, Grid, column_numbers
from renstra_gen.content import model as m
from renstra_gen.layout.program import DEPTH, STYLE, RowOrigin, ordered_programs, row_paths, urusan_rows
from renstra_gen.numbers import angka, nilai


def _h(text: str, colspan: int = 1, rowspan: int = 1) -> Cell:
    return Cell(text, colspan, rowspan, bold=True, align="center")


def _value(v, bold: bool, formula: Formula | None = None, decimals: int | None = None) -> Cell:
    text = angka(v, decimals) if decimals is not None else nilai(v)
    return Cell(text, align="right" if v is not None and not isinstance(v, str) else "center", bold=bold,
                value=v if not isinstance(v, str) else None, formula=formula, decimals=decimals or 0)


def _with(cell: Cell, origin) -> Cell:
    cell.origin = origin
    return cell


def _nodes(r: RenjaYear, indicators: m.IndicatorSet | None) -> tuple[list, list]:
    """The programs in the order every program table prints them (layout.program.ordered_programs), and
    their rows (program, kegiatan, sub kegiatan) in that order."""
    programs = [p for p, _ in ordered_programs(r.matrix.table, r.matrix, indicators)]
    return programs, [n for p in programs for n in p.walk()]


def layout_rencana(r: RenjaYear, caption: str, indicators: m.IndicatorSet | None = None) -> Grid:
    n, n1 = r.year, r.next_year
    header = [
        [_h("Kode", rowspan=2), _h("Urusan/Bidang Urusan Pemerintahan Daerah dan Program/Kegiatan/Sub Kegiatan", rowspan=2),
         _h("Indikator Kinerja Program/Kegiatan/Sub Kegiatan", rowspan=2), _h(f"Rencana Tahun {n}", 4),
         _h("Catatan Penting", rowspan=2), _h(f"Prakiraan Maju Rencana Tahun {n + 1}", 2)],
        [_h("Lokasi"), _h("Target Capaian Kinerja"), _h("Kebutuhan Dana/ Pagu Indikatif (Rp)"), _h("Sumber Dana"),
         _h("Target Capaian Kinerja"), _h("Kebutuhan Dana/ Pagu Indikatif (Rp)")],
        column_numbers(10),
    ]
    programs, nodes = _nodes(r, indicators)
    paths = row_paths(r.matrix.table)
    body = [[Cell(kode, bold=True), Cell(nama, bold=True)] + [Cell("") for _ in range(8)]
            for kode, nama in urusan_rows(r.matrix.table)]
    index = {id(x): len(body) + i for i, x in enumerate(nodes)}
    for node in nodes:
        bold, indent = STYLE[node.level]
        kids = [index[id(c)] for c in node.children]
        origin = RowOrigin(r.matrix.table.source.file, paths[id(node.row)], node)

        def money(v, col, year, bold=bold, kids=kids, origin=origin):
            formula = Formula("sum", tuple((k, col) for k in kids)) if kids else None
            return _with(_value(v, bold, formula, 0), origin("pagu", "pagu", year) if not kids else None)

        def target(year, bold=bold, origin=origin, node=node):
            return _with(_value(node.target.get(year), bold), origin("target", "target", year))

        body.append([
            Cell(node.kode or "", bold=bold), Cell(node.row.nama, bold=bold, indent=indent, origin=origin("nama", "teks")),
            Cell(node.row.indikator or "", bold=bold, origin=origin("indikator", "teks?")),
            Cell(node.row.lokasi or "", align="center", origin=origin("lokasi", "teks?")),
            target(n), money(node.pagu.get(n), 5, n), Cell(r.sumber_dana(node), align="center"),
            Cell(r.catatan(node.kode)),
            target(n1) if n1 else Cell(""),
            money(node.pagu.get(n1), 9, n1) if n1 else Cell(""),
        ])
    body.append(_jumlah_rencana(r, [index[id(p)] for p in programs]))
    widths = [2.0, 4.2, 4.0, 1.4, 1.2, 2.3, 1.6, 1.4, 1.2, 2.3]  # weights of the room beyond the minima (fit.py)
    levels = [None] * (len(body) - len(nodes) - 1) + [DEPTH[x.level] for x in nodes] + [None]
    return Grid("rencana", caption, widths, header, body, None, landscape=True, font_size=7, levels=levels)


def _jumlah_rencana(r: RenjaYear, programs: list[int]) -> list[Cell]:
    """JUMLAH: the pagu of every program in year N and in the prakiraan maju N+1 (targets have no total),
    a live SUM of the program rows in the workbook."""
    def total(year: int | None, col: int) -> Cell:
        if year is None:
            return Cell("")
        value = sum_or_none(p.pagu.get(year) for p in r.matrix.programs)
        return _value(value, True, Formula("sum", tuple((p, col) for p in programs)), 0)

    return [Cell("JUMLAH", colspan=5, bold=True, align="center"), total(r.year, 5), Cell(""), Cell(""), Cell(""),
            total(r.next_year, 9)]


def layout_evaluasi(r: RenjaYear, caption: str, end_year: int, indicators: m.IndicatorSet | None = None) -> Grid:
    n = r.year
    header = [
        [_h("No", rowspan=2), _h("Kode", rowspan=2), _h("Urusan/Bidang Urusan Pemerintahan Daerah dan Program/Kegiatan", rowspan=2),
         _h("Indikator Kinerja Program (outcome)/ Kegiatan (output)", rowspan=2),
         _h(f"Target Kinerja Capaian Program (Renstra PD) Tahun {end_year}", rowspan=2),
         _h(f"Realisasi Target Kinerja Hasil Program dan Keluaran Kegiatan s/d Renja PD Tahun {n - 3}", rowspan=2),
         _h(f"Target dan Realisasi Kinerja Program dan Kegiatan Renja PD Tahun Lalu ({n - 2})", 3),
         _h(f"Target Program dan Kegiatan Renja PD Tahun Berjalan ({n - 1})", rowspan=2),
         _h("Perkiraan Realisasi Capaian Target Renstra PD s/d Tahun Berjalan", 2),
         _h("Unit PD Penanggung Jawab", rowspan=2), _h("Catatan", rowspan=2)],
        [_h("Target Renja PD"), _h("Realisasi Renja PD"), _h("Tingkat Realisasi (%)"),
         _h(f"Realisasi Capaian Program dan Kegiatan s/d Tahun {n - 1}"), _h("Tingkat Capaian Realisasi Target Renstra (%)")],
        column_numbers(14),
    ]
    body = [[Cell(""), Cell(kode, bold=True), Cell(nama, bold=True)] + [Cell("") for _ in range(11)]
            for kode, nama in urusan_rows(r.matrix.table)]
    top = len(body)
    nodes = _nodes(r, indicators)[1]
    for n, node in enumerate(nodes):
        i = top + n  # body row
        e = r.evaluate(node)
        bold, indent = STYLE[node.level]
        live = node.row.arah == "naik"  # the spreadsheet's live ratio is realisasi / target
        body.append([
            Cell(str(n + 1), align="center"), Cell(node.kode or "", bold=bold), Cell(node.row.nama, bold=bold, indent=indent),
            Cell(node.row.indikator or "", bold=bold), _value(e.target_akhir, bold), _value(e.realisasi_s_d_n3, bold),
            _value(e.target_n2, bold), _value(e.realisasi_n2, bold),
            _value(e.tingkat_n2, bold, Formula("ratio", ((i, 7), (i, 6))) if live else None, 2),
            _value(e.target_n1, bold), _value(e.realisasi_s_d_n1, bold),
            _value(e.tingkat_renstra, bold, Formula("ratio", ((i, 10), (i, 4))) if live else None, 2),
            Cell(node.unit or "", align="center"), Cell(r.catatan(node.kode)),
        ])
    widths = [0.6, 1.9, 3.6, 3.2, 1.2, 1.3, 1.1, 1.1, 1.1, 1.1, 1.3, 1.2, 1.1, 1.6]
    levels = [None] * top + [DEPTH[x.level] for x in nodes] + [None] * (len(body) - top - len(nodes))
    return Grid("evaluasi", caption, widths, header, body, None, landscape=True, font_size=7, levels=levels,
                tree_columns=(1, 2))
