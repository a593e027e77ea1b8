"""The Renja's T-C.30, T-C.31 and T-C.32 laid out with their official columns (a '-' row when empty)."""

from __future__ import annotations

from renstra_gen.compute.renja_tabel import SUMBER, Pelayanan, Review, Usulan
from renstra_gen.grid import Cell, Formula, Grid, Origin, column_numbers
from renstra_gen.numbers import DASH, angka, nilai


def _h(text: str, colspan: int = 1, rowspan: int = 1) -> Cell:
    return Cell(text, colspan, rowspan, bold=True, align="center")


def _v(v, decimals: int | None = None, formula: Formula | None = None, origin: Origin | None = None) -> Cell:
    """A figure: right-aligned number (its value kept for the workbook), text as written, '-' when empty."""
    number = v is not None and not isinstance(v, str)
    text = angka(v, decimals) if decimals is not None else nilai(v)
    return Cell(text, align="right" if number else "center", value=v if number else None,
                formula=formula, decimals=decimals or 0, origin=origin)


def _t(v, origin: Origin | None = None) -> Cell:
    return Cell(v or "", origin=origin)


def _ratio(row, year: int, refs) -> Formula | None:
    """The workbook's live ratio (R / T) for a rising indicator with a numeric realisasi; otherwise the
    computed value stands (a falling or held indicator, a text realisasi)."""
    return Formula("ratio", refs) if row.arah == "naik" and not isinstance(row.realisasi.get(year), str) else None


def _empty(ncols: int) -> list[list[Cell]]:
    return [[Cell(DASH, align="center") for _ in range(ncols)]]


def layout_pelayanan(rows: list[Pelayanan], year: int, caption: str) -> Grid:
    """T-C.30 Pencapaian Kinerja Pelayanan Perangkat Daerah."""
    n = year
    header = [
        [_h("No", rowspan=2), _h("Indikator", rowspan=2), _h("SPM/ Standar Nasional", rowspan=2), _h("IKK", rowspan=2),
         _h("Target Renstra Perangkat Daerah", 4), _h("Realisasi Capaian", 2), _h("Tingkat Capaian (%)", 2),
         _h("Proyeksi", 2), _h("Catatan Analisis", rowspan=2)],
        [_h(f"Tahun {n - 2}"), _h(f"Tahun {n - 1}"), _h(f"Tahun {n}"), _h(f"Tahun {n + 1}"),
         _h(f"Tahun {n - 2}"), _h(f"Tahun {n - 1}"), _h(f"Tahun {n - 2}"), _h(f"Tahun {n - 1}"),
         _h(f"Tahun {n}"), _h(f"Tahun {n + 1}")],
        column_numbers(15),
    ]
    body = []
    for i, p in enumerate(rows):
        r = p.row
        name = r.indikator + (f" ({r.satuan})" if r.satuan else "")
        body.append([
            Cell(str(i + 1), align="center"), Cell(name), _t(r.spm), _t(r.ikk),
            *(_v(r.target.get(y)) for y in (n - 2, n - 1, n, n + 1)),
            _v(r.realisasi.get(n - 2)), _v(r.realisasi.get(n - 1)),
            _v(p.capaian[n - 2], 2, _ratio(r, n - 2, ((i, 8), (i, 4)))),
            _v(p.capaian[n - 1], 2, _ratio(r, n - 1, ((i, 9), (i, 5)))),
            _v(r.proyeksi.get(n)), _v(r.proyeksi.get(n + 1)), _t(r.catatan),
        ])
    widths = [0.6, 3.4, 1.8, 1.8, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.6]
    return Grid("pelayanan", caption, widths, header, body or _empty(15), None, landscape=True, font_size=7)


def layout_review(rows: list[Review], caption: str) -> Grid:
    """T-C.31 Review terhadap Rancangan Awal RKPD."""
    header = [
        [_h("No", rowspan=2), _h("Kode", rowspan=2), _h("Rancangan Awal RKPD", 5), _h("Hasil Analisis Kebutuhan", 5),
         _h("Catatan Penting", rowspan=2)],
        [_h("Program/ Kegiatan"), _h("Lokasi"), _h("Indikator Kinerja"), _h("Target Capaian"), _h("Pagu Indikatif (Rp)"),
         _h("Program/ Kegiatan"), _h("Lokasi"), _h("Indikator Kinerja"), _h("Target Capaian"), _h("Kebutuhan Dana/ Pagu Indikatif (Rp)")],
        column_numbers(13),
    ]
    body = []
    for i, r in enumerate(rows):
        side = []
        for s in (r.rancangan, r.analisis):
            side += [_t(s.nama), Cell(s.lokasi or "", align="center"), _t(s.indikator), _v(s.target), _v(s.pagu, 0)]
        body.append([Cell(str(i + 1), align="center"), Cell(r.kode), *side, Cell(r.catatan)])
    widths = [0.6, 1.8, 2.8, 1.2, 2.2, 1.0, 1.8, 2.8, 1.2, 2.2, 1.0, 1.8, 2.6]
    return Grid("review-rkpd", caption, widths, header, body or _empty(13), None, landscape=True, font_size=7)


def layout_usulan(groups: dict[str, list[Usulan]], caption: str, file: str = "") -> Grid:
    """T-C.32 Usulan Program dan Kegiatan dari Para Pemangku Kepentingan: one bold row per source.

    The cells of a row of renja.yaml's `usulan` list (`file`) carry their origin, so that import-xlsx
    reads an edit back; the rows of the older usulan_masyarakat list are reported when edited."""
    header = [[_h("No"), _h("Program/ Kegiatan"), _h("Lokasi"), _h("Indikator Kinerja"), _h("Besaran/ Volume"),
               _h("Catatan")], column_numbers(6)]
    body = []
    for letter, (key, label) in zip("ABCDEFG", SUMBER.items()):
        items = groups.get(key, [])
        if not items:
            continue
        body.append([Cell(letter, bold=True, align="center"), Cell(label, colspan=5, bold=True)])
        for i, u in enumerate(items, 1):
            r = u.row

            def at(field: str, kind: str, u=u) -> Origin | None:
                if u.index is None or not file:
                    return None
                return Origin(file, ("usulan", u.index, field), kind, u.row.kode or u.usulan)

            # a row without its own `usulan` shows the name of its kode: edited, it becomes its own
            body.append([Cell(str(i), align="center"), Cell(u.usulan, origin=at("usulan", "teks")),
                         Cell(r.lokasi or "", align="center", origin=at("lokasi", "teks?")),
                         _t(r.indikator, at("indikator", "teks?")), _v(r.besaran, origin=at("besaran", "target")),
                         _t(r.catatan, at("catatan", "teks?"))])
    widths = [1.0, 5.0, 2.2, 4.0, 1.9, 3.5]
    return Grid("usulan", caption, widths, header, body or _empty(6), None, landscape=False, font_size=8)
